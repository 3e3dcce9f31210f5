// Frame differencing: unchanged frames give nothing, changed pixels give tight merged rectangles, resizes give everything.
import { strict as assert } from 'node:assert';
import { copyFramebuffer, createFramebuffer } from '../../../debug-adapter/src/display/framebuffer';
import { diffFrames } from '../../../debug-adapter/src/display/frameDiff';

describe('display diffFrames', () => {
  it('reports the whole screen without a previous frame or after a resize', () => {
    const next = createFramebuffer(8, 4);
    assert.deepEqual(diffFrames(undefined, next), [{ x: 0, y: 0, width: 8, height: 4 }]);
    assert.deepEqual(diffFrames(createFramebuffer(4, 4), next), [{ x: 0, y: 0, width: 8, height: 4 }]);
  });

  it('reports nothing for identical frames, even with different row padding', () => {
    const a = createFramebuffer(5, 3);
    a.bytes.fill(9);
    const b = { ...a, stride: 32, bytes: new Uint8Array(32 * 3) };
    for (let y = 0; y < 3; y++) b.bytes.set(a.bytes.subarray(y * 20, y * 20 + 20), y * 32);
    assert.deepEqual(diffFrames(a, b), []);
  });

  it('bounds changed pixels per row and merges neighbouring rows', () => {
    const a = createFramebuffer(100, 50);
    const b = copyFramebuffer(a);
    const poke = (x: number, y: number) => { b.bytes[(y * 100 + x) * 4 + 1] = 0xff; };
    poke(10, 5); poke(14, 5); poke(11, 6); poke(12, 7);
    poke(90, 40);
    assert.deepEqual(diffFrames(a, b), [{ x: 10, y: 5, width: 5, height: 3 }, { x: 90, y: 40, width: 1, height: 1 }]);
  });
});
