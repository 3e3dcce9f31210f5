// Unit tests for screen-pixel pointer positions to VMware mouse events.
import assert from 'node:assert/strict';
import { PointerTranslator } from '../../../debug-adapter/src/vmm/debugStub/pointerInput';

describe('pointer input', () => {
  it('scales absolute positions so the far edges map to 0 and 0xFFFF', () => {
    const t = new PointerTranslator();
    assert.deepEqual(t.translate({ x: 0, y: 0, width: 640, height: 400, buttons: 1, wheel: 0 }, true), { x: 0, y: 0, buttons: 1, wheel: 0 });
    assert.deepEqual(t.translate({ x: 639, y: 399, width: 640, height: 400, buttons: 0, wheel: -1 }, true), { x: 0xffff, y: 0xffff, buttons: 0, wheel: -1 });
    assert.equal(t.translate({ x: 2000, y: 5, width: 640, height: 400, buttons: 0, wheel: 0 }, true).x, 0xffff);
  });

  it('gives deltas with positive y up in relative mode', () => {
    const t = new PointerTranslator();
    assert.deepEqual(t.translate({ x: 100, y: 100, width: 640, height: 400, buttons: 0, wheel: 0 }, false), { x: 0, y: 0, buttons: 0, wheel: 0 });
    assert.deepEqual(t.translate({ x: 110, y: 90, width: 640, height: 400, buttons: 2, wheel: 0 }, false), { x: 10, y: 10, buttons: 2, wheel: 0 });
  });
});
