// Recognising REP INS/OUTS at CS:RIP (with prefixes, per mode) before a device takes over the whole instruction.
import assert from 'node:assert/strict';
import { stringIoLength } from '../../../debug-adapter/src/vmm/vcpu/stringIo';

describe('string I/O instruction length', () => {
  it('measures rep outsb / rep insb with their prefixes', () => {
    assert.equal(stringIoLength(Uint8Array.from([0xf3, 0x6e, 0x90]), 32), 2);
    assert.equal(stringIoLength(Uint8Array.from([0xf3, 0x6c]), 16), 2);
    assert.equal(stringIoLength(Uint8Array.from([0x67, 0xf3, 0x6e]), 16), 3);
    assert.equal(stringIoLength(Uint8Array.from([0x66, 0xf3, 0x6f]), 32), 3);
  });

  it('accepts REX prefixes only in 64-bit mode', () => {
    assert.equal(stringIoLength(Uint8Array.from([0xf3, 0x48, 0x6e]), 64), 3);
    // 0x48 is `dec eax` outside 64-bit mode: not a string instruction.
    assert.equal(stringIoLength(Uint8Array.from([0x48, 0x6e]), 32), 0);
  });

  it('returns 0 for plain IN/OUT and for runs of prefixes with no opcode', () => {
    assert.equal(stringIoLength(Uint8Array.from([0xee]), 32), 0);
    assert.equal(stringIoLength(Uint8Array.from([0xed]), 64), 0);
    assert.equal(stringIoLength(new Uint8Array(15).fill(0xf3), 32), 0);
    assert.equal(stringIoLength(new Uint8Array(0), 32), 0);
  });
});
