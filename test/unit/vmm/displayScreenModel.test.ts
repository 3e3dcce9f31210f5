// The owner's screen copy: frame updates applied in order rebuild the source screen exactly (seeded fuzz included).
import assert from 'node:assert/strict';
import { encodeFrameUpdate } from '../../../debug-adapter/src/display/frameEncoder';
import { createFramebuffer, readPixelRgb, type Framebuffer } from '../../../debug-adapter/src/display/framebuffer';
import type { Rect } from '../../../debug-adapter/src/display/rect';
import { ScreenModel } from '../../../debug-adapter/src/vmm/display/screenModel';
import { mulberry32 } from '../../support/mulberry32';

function paint(fb: Framebuffer, r: Rect, rgb: number): void {
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) new DataView(fb.bytes.buffer).setUint32(y * fb.stride + x * 4, rgb, true);
  }
}

describe('screen model (owner side)', () => {
  it('starts from a mode-changed frame, draws later rectangles into it, and copies on snapshot', () => {
    const src = createFramebuffer(16, 8);
    paint(src, { x: 0, y: 0, width: 16, height: 8 }, 0x112233);
    const m = new ScreenModel();
    assert.equal(m.snapshot(), undefined);
    m.apply(encodeFrameUpdate({ sequence: 0, framebuffer: src, rects: [{ x: 0, y: 0, width: 16, height: 8 }], modeChanged: true }));
    paint(src, { x: 3, y: 2, width: 4, height: 2 }, 0xabcdef);
    m.apply(encodeFrameUpdate({ sequence: 1, framebuffer: src, rects: [{ x: 3, y: 2, width: 4, height: 2 }] }));
    const shot = m.snapshot()!;
    assert.equal(readPixelRgb(shot, 3, 2), 0xabcdef);
    assert.equal(readPixelRgb(shot, 7, 2), 0x112233);
    assert.equal(m.frameCount, 2);
    assert.equal(m.sequenceGaps, 0);
  });

  it('a mode change resizes to a black screen before drawing; a skipped sequence number counts as a gap', () => {
    const m = new ScreenModel();
    const a = createFramebuffer(4, 4);
    paint(a, { x: 0, y: 0, width: 4, height: 4 }, 0xffffff);
    m.apply(encodeFrameUpdate({ sequence: 0, framebuffer: a, rects: [{ x: 0, y: 0, width: 4, height: 4 }], modeChanged: true }));
    const b = createFramebuffer(6, 3);
    paint(b, { x: 0, y: 0, width: 6, height: 3 }, 0x00ff00);
    m.apply(encodeFrameUpdate({ sequence: 2, framebuffer: b, rects: [{ x: 1, y: 1, width: 1, height: 1 }], modeChanged: true }));
    const shot = m.snapshot()!;
    assert.deepEqual([shot.width, shot.height], [6, 3]);
    assert.equal(readPixelRgb(shot, 1, 1), 0x00ff00);
    assert.equal(readPixelRgb(shot, 0, 0), 0x000000);
    assert.equal(m.sequenceGaps, 1);
  });

  it('rejects a malformed update without touching the screen', () => {
    const m = new ScreenModel();
    assert.throws(() => m.apply(new Uint8Array(8)), /header/);
    assert.equal(m.snapshot(), undefined);
  });

  it('fuzz: random rectangles painted and sent as updates always leave the model equal to the source', () => {
    const seed = 0x5eed1234;
    const rnd = mulberry32(seed);
    const W = 97;
    const H = 61;
    const src = createFramebuffer(W, H);
    const m = new ScreenModel();
    m.apply(encodeFrameUpdate({ sequence: 0, framebuffer: src, rects: [{ x: 0, y: 0, width: W, height: H }], modeChanged: true }));
    for (let round = 1; round <= 300; round++) {
      const rects: Rect[] = [];
      for (let n = 1 + Math.floor(rnd() * 4); n > 0; n--) {
        const x = Math.floor(rnd() * W);
        const y = Math.floor(rnd() * H);
        const r = { x, y, width: 1 + Math.floor(rnd() * (W - x)), height: 1 + Math.floor(rnd() * (H - y)) };
        paint(src, r, Math.floor(rnd() * 0x1000000));
        rects.push(r);
      }
      m.apply(encodeFrameUpdate({ sequence: round, framebuffer: src, rects }));
      const shot = m.snapshot()!;
      assert.ok(Buffer.from(shot.bytes).equals(Buffer.from(src.bytes)), `model differs from source after round ${round} (seed 0x${seed.toString(16)})`);
    }
  });
});
