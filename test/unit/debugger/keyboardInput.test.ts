// Unit tests for DOM key codes to PS/2 scan code set 1.
import assert from 'node:assert/strict';
import { scancodesFor } from '../../../debug-adapter/src/vmm/debugStub/keyboardInput';

describe('keyboard scan codes', () => {
  it('gives make and break codes of ordinary keys', () => {
    assert.deepEqual(scancodesFor('KeyA', true), [0x1e]);
    assert.deepEqual(scancodesFor('KeyA', false), [0x9e]);
    assert.deepEqual(scancodesFor('Enter', true), [0x1c]);
    assert.deepEqual(scancodesFor('Escape', false), [0x81]);
    assert.deepEqual(scancodesFor('F12', true), [0x58]);
  });

  it('prefixes extended keys with 0xE0', () => {
    assert.deepEqual(scancodesFor('ArrowUp', true), [0xe0, 0x48]);
    assert.deepEqual(scancodesFor('ArrowUp', false), [0xe0, 0xc8]);
    assert.deepEqual(scancodesFor('ControlRight', true), [0xe0, 0x1d]);
    assert.deepEqual(scancodesFor('NumpadEnter', false), [0xe0, 0x9c]);
  });

  it('knows nothing of keys a PS/2 keyboard lacks, nor of inherited property names', () => {
    assert.equal(scancodesFor('Hyper', true), undefined);
    assert.equal(scancodesFor('toString', true), undefined);
  });
});
