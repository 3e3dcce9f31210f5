// Frame-update encoding: header layout, round trip through the decoder, blitting to RGBA, and malformed input.
import { strict as assert } from 'node:assert';
import { createFramebuffer, type Framebuffer } from '../../../debug-adapter/src/display/framebuffer';
import { blitRectToRgba, decodeFrameUpdate, FrameDecodeError } from '../../../debug-adapter/src/display/frameDecoder';
import { encodeFrameUpdate } from '../../../debug-adapter/src/display/frameEncoder';
import { FRAME_HEADER_SIZE, RECT_HEADER_SIZE } from '../../../debug-adapter/src/display/frameFormat';

function patterned(width: number, height: number, stride = width * 4): Framebuffer {
  const fb: Framebuffer = { width, height, stride, format: 'bgrx8888', bytes: new Uint8Array(stride * height) };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) fb.bytes.set([x, y, x ^ y, 0], y * stride + x * 4);
  }
  return fb;
}

describe('display frame codec', () => {
  it('writes the documented header and rectangle layout', () => {
    const fb = patterned(8, 4);
    const bytes = encodeFrameUpdate({ sequence: 0x01020304, framebuffer: fb, rects: [{ x: 1, y: 2, width: 2, height: 1 }], modeChanged: true });
    assert.equal(bytes.length, FRAME_HEADER_SIZE + RECT_HEADER_SIZE + 2 * 4);
    assert.deepEqual([...bytes.subarray(0, 20)], [
      0x4b, 0x46, 0x55, 0x31, 1, 1, 1, 0, 4, 3, 2, 1, 8, 0, 4, 0, 1, 0, 0, 0,
    ]);
    assert.deepEqual([...bytes.subarray(20, 28)], [1, 0, 2, 0, 2, 0, 1, 0]);
    assert.deepEqual([...bytes.subarray(28)], [1, 2, 3, 0, 2, 2, 0, 0]);
  });

  it('round-trips rectangles from a framebuffer with padded rows', () => {
    const fb = patterned(40, 30, 40 * 4 + 64);
    const rects = [{ x: 0, y: 0, width: 40, height: 1 }, { x: 10, y: 5, width: 7, height: 9 }, { x: 39, y: 29, width: 1, height: 1 }];
    const update = decodeFrameUpdate(encodeFrameUpdate({ sequence: 7, framebuffer: fb, rects }));
    assert.deepEqual([update.sequence, update.width, update.height, update.modeChanged], [7, 40, 30, false]);
    assert.equal(update.rects.length, 3);
    for (const [i, r] of rects.entries()) {
      const got = update.rects[i];
      assert.deepEqual({ x: got.x, y: got.y, width: got.width, height: got.height }, r);
      for (let y = 0; y < r.height; y++) {
        const row = fb.bytes.subarray((r.y + y) * fb.stride + r.x * 4, (r.y + y) * fb.stride + (r.x + r.width) * 4);
        assert.deepEqual(got.pixels.subarray(y * r.width * 4, (y + 1) * r.width * 4), row);
      }
    }
  });

  it('clips rectangles to the screen and converts RGBA sources to BGRX', () => {
    const fb = createFramebuffer(4, 4, 'rgba8888');
    fb.bytes.set([10, 20, 30, 255], (3 * 4 + 3) * 4);
    const update = decodeFrameUpdate(encodeFrameUpdate({ sequence: 1, framebuffer: fb, rects: [{ x: 3, y: 3, width: 10, height: 10 }, { x: 9, y: 9, width: 1, height: 1 }] }));
    assert.equal(update.rects.length, 1);
    assert.deepEqual([...update.rects[0].pixels], [30, 20, 10, 0]);
  });

  it('blits decoded rectangles into RGBA image data', () => {
    const fb = patterned(6, 6);
    const update = decodeFrameUpdate(encodeFrameUpdate({ sequence: 1, framebuffer: fb, rects: [{ x: 2, y: 3, width: 2, height: 2 }] }));
    const image = new Uint8ClampedArray(6 * 6 * 4);
    blitRectToRgba(image, 6, update.rects[0]);
    const at = (x: number, y: number) => [...image.subarray((y * 6 + x) * 4, (y * 6 + x) * 4 + 4)];
    assert.deepEqual(at(3, 4), [3 ^ 4, 4, 3, 255]);
    assert.deepEqual(at(1, 1), [0, 0, 0, 0]);
  });

  it('rejects malformed buffers with a FrameDecodeError naming the problem', () => {
    const good = encodeFrameUpdate({ sequence: 1, framebuffer: patterned(4, 4), rects: [{ x: 0, y: 0, width: 2, height: 2 }] });
    const bad = (mutate: (b: Uint8Array) => Uint8Array, re: RegExp) => {
      assert.throws(() => decodeFrameUpdate(mutate(good.slice())), (e: unknown) => e instanceof FrameDecodeError && re.test(e.message));
    };
    bad((b) => b.subarray(0, 10), /expected at least a 20-byte header/);
    bad((b) => { b[0] = 0; return b; }, /bad magic/);
    bad((b) => { b[4] = 9; return b; }, /version 9 is not supported/);
    bad((b) => { b[6] = 2; return b; }, /pixel format 2 is not supported/);
    bad((b) => b.subarray(0, 24), /ends inside rectangle 0 header/);
    bad((b) => b.subarray(0, b.length - 1), /ends inside rectangle 0 pixels/);
    bad((b) => { b[20] = 3; return b; }, /rectangle 0 \(3,0 2x2\) lies outside the 4x4 screen/);
    const extra = new Uint8Array(good.length + 4);
    extra.set(good);
    assert.throws(() => decodeFrameUpdate(extra), /4 trailing bytes/);
  });

  it('refuses screens wider than the u16 fields', () => {
    const fb: Framebuffer = { width: 70000, height: 1, stride: 280000, format: 'bgrx8888', bytes: new Uint8Array(280000) };
    assert.throws(() => encodeFrameUpdate({ sequence: 0, framebuffer: fb, rects: [] }), /too large for a frame update/);
  });
});
