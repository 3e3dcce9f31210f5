// Packs dirty rectangles of a framebuffer into one frame-update buffer (layout in frameFormat.ts).
import { BYTES_PER_PIXEL, checkFramebuffer, type Framebuffer } from './framebuffer';
import {
  FORMAT_BGRX8888, FRAME_FLAG_MODE_CHANGED, FRAME_HEADER_SIZE, FRAME_MAGIC, FRAME_MAX_DIMENSION, FRAME_VERSION,
  RECT_HEADER_SIZE,
} from './frameFormat';
import { clipRect, type Rect } from './rect';

export interface FrameUpdateInput {
  sequence: number;
  framebuffer: Framebuffer;
  rects: readonly Rect[];
  /** Set after a mode change; the receiver resizes before drawing (send the full screen as the rect then). */
  modeChanged?: boolean;
}

export function encodeFrameUpdate(input: FrameUpdateInput): Uint8Array {
  const fb = input.framebuffer;
  checkFramebuffer(fb);
  if (fb.width > FRAME_MAX_DIMENSION || fb.height > FRAME_MAX_DIMENSION) {
    throw new RangeError(`screen ${fb.width}x${fb.height} is too large for a frame update; expected at most ${FRAME_MAX_DIMENSION} per side`);
  }
  const rects = input.rects.map((r) => clipRect(r, fb.width, fb.height)).filter((r): r is Rect => r !== undefined);
  let size = FRAME_HEADER_SIZE;
  for (const r of rects) size += RECT_HEADER_SIZE + r.width * r.height * BYTES_PER_PIXEL;

  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, FRAME_MAGIC, true);
  dv.setUint8(4, FRAME_VERSION);
  dv.setUint8(5, input.modeChanged ? FRAME_FLAG_MODE_CHANGED : 0);
  dv.setUint8(6, FORMAT_BGRX8888);
  dv.setUint32(8, input.sequence >>> 0, true);
  dv.setUint16(12, fb.width, true);
  dv.setUint16(14, fb.height, true);
  dv.setUint16(16, rects.length, true);

  let o = FRAME_HEADER_SIZE;
  for (const r of rects) {
    dv.setUint16(o, r.x, true);
    dv.setUint16(o + 2, r.y, true);
    dv.setUint16(o + 4, r.width, true);
    dv.setUint16(o + 6, r.height, true);
    o += RECT_HEADER_SIZE;
    o = copyRectBgrx(fb, r, out, o);
  }
  return out;
}

function copyRectBgrx(fb: Framebuffer, r: Rect, out: Uint8Array, o: number): number {
  const rowBytes = r.width * BYTES_PER_PIXEL;
  for (let y = r.y; y < r.y + r.height; y++) {
    const i = y * fb.stride + r.x * BYTES_PER_PIXEL;
    if (fb.format === 'bgrx8888') {
      out.set(fb.bytes.subarray(i, i + rowBytes), o);
    } else {
      for (let x = 0; x < rowBytes; x += BYTES_PER_PIXEL) {
        out[o + x] = fb.bytes[i + x + 2];
        out[o + x + 1] = fb.bytes[i + x + 1];
        out[o + x + 2] = fb.bytes[i + x];
      }
    }
    o += rowBytes;
  }
  return o;
}
