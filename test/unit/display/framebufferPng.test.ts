// Framebuffer helpers (RGBA conversion, copies, cursor compositing) and PNG screenshots decoded back with pngjs.
import { strict as assert } from 'node:assert';
import { compositeCursor } from '../../../debug-adapter/src/display/cursorImage';
import { checkFramebuffer, copyFramebuffer, createFramebuffer, readPixelRgb, toRgba, type Framebuffer } from '../../../debug-adapter/src/display/framebuffer';
import { encodePng } from '../../../debug-adapter/src/display/png';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };

function sample(): Framebuffer {
  const fb: Framebuffer = { width: 3, height: 2, stride: 16, format: 'bgrx8888', bytes: new Uint8Array(32) };
  const put = (x: number, y: number, rgb: number) => fb.bytes.set([rgb & 0xff, (rgb >> 8) & 0xff, rgb >> 16, 0x77], y * 16 + x * 4);
  put(0, 0, 0xff0000); put(1, 0, 0x00ff00); put(2, 0, 0x0000ff);
  put(0, 1, 0x123456); put(1, 1, 0xffffff); put(2, 1, 0x000000);
  return fb;
}

describe('display framebuffer and PNG', () => {
  it('converts BGRX with padded rows to tight RGBA with opaque alpha', () => {
    assert.deepEqual([...toRgba(sample())], [
      255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255,
      0x12, 0x34, 0x56, 255, 255, 255, 255, 255, 0, 0, 0, 255,
    ]);
  });

  it('makes tight private copies and reads pixels in either format', () => {
    const fb = sample();
    const copy = copyFramebuffer(fb);
    assert.equal(copy.stride, 12);
    fb.bytes.fill(0);
    assert.equal(readPixelRgb(copy, 0, 1), 0x123456);
    const rgba: Framebuffer = { width: 1, height: 1, stride: 4, format: 'rgba8888', bytes: Uint8Array.from([1, 2, 3, 4]) };
    assert.equal(readPixelRgb(rgba, 0, 0), 0x010203);
  });

  it('rejects buffers too short for their geometry', () => {
    assert.throws(() => checkFramebuffer({ width: 4, height: 4, stride: 16, format: 'bgrx8888', bytes: new Uint8Array(60) }), /needs 64 bytes, buffer has 60/);
    assert.throws(() => checkFramebuffer({ width: 4, height: 1, stride: 8, format: 'bgrx8888', bytes: new Uint8Array(64) }), /stride 8 is shorter/);
  });

  it('blends a premultiplied cursor at its hotspot, clipped at the edges', () => {
    const fb = createFramebuffer(4, 4);
    fb.bytes.fill(200);
    const cursor = { width: 2, height: 2, hotspotX: 1, hotspotY: 1, bgra: Uint8Array.from([
      0, 0, 255, 255, 0, 0, 0, 0,
      0, 64, 0, 128, 10, 10, 10, 255,
    ]) };
    const out = compositeCursor(fb, cursor, 0, 0);
    // Only the bottom-right cursor pixel lands on screen, at (0,0).
    assert.equal(readPixelRgb(out, 0, 0), 0x0a0a0a);
    const half = compositeCursor(fb, cursor, 1, 0);
    assert.equal(readPixelRgb(half, 0, 0), (100 << 16) | (164 << 8) | 100);
    assert.equal(readPixelRgb(fb, 0, 0), 0xc8c8c8, 'the source stays untouched');
  });

  it('encodes a PNG that pngjs decodes to the same pixels', () => {
    const fb = sample();
    const png = encodePng(fb);
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    const decoded = PNG.sync.read(Buffer.from(png));
    assert.deepEqual([decoded.width, decoded.height], [3, 2]);
    assert.deepEqual([...decoded.data], [...toRgba(fb)]);
  });

  it('refuses an empty framebuffer', () => {
    assert.throws(() => encodePng(createFramebuffer(0, 5)), /cannot encode an empty 0x5 framebuffer/);
  });
});
