// Pointer images (premultiplied BGRA) and compositing one onto a framebuffer copy for screenshots and previews.
import { BYTES_PER_PIXEL, copyFramebuffer, type Framebuffer } from './framebuffer';

export interface CursorImage {
  width: number;
  height: number;
  hotspotX: number;
  hotspotY: number;
  /** width * height pixels, 4 bytes each: B, G, R, A with colour already multiplied by alpha. */
  bgra: Uint8Array;
}

/**
 * A copy of `fb` with the cursor drawn so that its hotspot sits at (x, y). Screens in rgba8888
 * take the same blend with the channels swapped.
 */
export function compositeCursor(fb: Framebuffer, cursor: CursorImage, x: number, y: number): Framebuffer {
  const out = copyFramebuffer(fb);
  const [r, b] = out.format === 'bgrx8888' ? [2, 0] : [0, 2];
  const left = x - cursor.hotspotX;
  const top = y - cursor.hotspotY;
  for (let cy = 0; cy < cursor.height; cy++) {
    const sy = top + cy;
    if (sy < 0 || sy >= out.height) continue;
    for (let cx = 0; cx < cursor.width; cx++) {
      const sx = left + cx;
      if (sx < 0 || sx >= out.width) continue;
      const c = (cy * cursor.width + cx) * 4;
      const a = cursor.bgra[c + 3];
      if (a === 0) continue;
      const o = sy * out.stride + sx * BYTES_PER_PIXEL;
      const keep = 255 - a;
      out.bytes[o + b] = Math.min(255, cursor.bgra[c] + Math.round((out.bytes[o + b] * keep) / 255));
      out.bytes[o + 1] = Math.min(255, cursor.bgra[c + 1] + Math.round((out.bytes[o + 1] * keep) / 255));
      out.bytes[o + r] = Math.min(255, cursor.bgra[c + 2] + Math.round((out.bytes[o + r] * keep) / 255));
    }
  }
  return out;
}
