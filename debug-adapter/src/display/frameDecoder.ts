// Reads a frame-update buffer back into rectangles and blits them into RGBA image data; browser-safe (no Node APIs).
import {
  FORMAT_BGRX8888, FRAME_BYTES_PER_PIXEL, FRAME_FLAG_MODE_CHANGED, FRAME_HEADER_SIZE, FRAME_MAGIC, FRAME_VERSION,
  RECT_HEADER_SIZE, type FrameRect, type FrameUpdate,
} from './frameFormat';

export class FrameDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameDecodeError';
  }
}

/** Decode without copying: each rect's pixels is a view into `bytes`. Throws FrameDecodeError on malformed input. */
export function decodeFrameUpdate(bytes: Uint8Array): FrameUpdate {
  if (bytes.length < FRAME_HEADER_SIZE) {
    throw new FrameDecodeError(`frame update is ${bytes.length} bytes; expected at least a ${FRAME_HEADER_SIZE}-byte header`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== FRAME_MAGIC) throw new FrameDecodeError('frame update has a bad magic number; expected "KFU1"');
  const version = dv.getUint8(4);
  if (version !== FRAME_VERSION) throw new FrameDecodeError(`frame update version ${version} is not supported; expected ${FRAME_VERSION}`);
  const format = dv.getUint8(6);
  if (format !== FORMAT_BGRX8888) throw new FrameDecodeError(`frame update pixel format ${format} is not supported; expected ${FORMAT_BGRX8888} (BGRX)`);
  const width = dv.getUint16(12, true);
  const height = dv.getUint16(14, true);
  const count = dv.getUint16(16, true);
  const rects: FrameRect[] = [];
  let o = FRAME_HEADER_SIZE;
  for (let n = 0; n < count; n++) {
    if (o + RECT_HEADER_SIZE > bytes.length) throw new FrameDecodeError(`frame update ends inside rectangle ${n} header`);
    const x = dv.getUint16(o, true);
    const y = dv.getUint16(o + 2, true);
    const w = dv.getUint16(o + 4, true);
    const h = dv.getUint16(o + 6, true);
    o += RECT_HEADER_SIZE;
    if (x + w > width || y + h > height) {
      throw new FrameDecodeError(`frame update rectangle ${n} (${x},${y} ${w}x${h}) lies outside the ${width}x${height} screen`);
    }
    const len = w * h * FRAME_BYTES_PER_PIXEL;
    if (o + len > bytes.length) throw new FrameDecodeError(`frame update ends inside rectangle ${n} pixels`);
    rects.push({ x, y, width: w, height: h, pixels: bytes.subarray(o, o + len) });
    o += len;
  }
  if (o !== bytes.length) throw new FrameDecodeError(`frame update has ${bytes.length - o} trailing bytes after ${count} rectangles`);
  return {
    sequence: dv.getUint32(8, true),
    width,
    height,
    modeChanged: (dv.getUint8(5) & FRAME_FLAG_MODE_CHANGED) !== 0,
    rects,
  };
}

/** Draw one decoded rectangle into RGBA image data of `targetWidth` pixels per row (e.g. ImageData.data). */
export function blitRectToRgba(target: Uint8ClampedArray | Uint8Array, targetWidth: number, rect: FrameRect): void {
  const src = rect.pixels;
  let i = 0;
  for (let y = 0; y < rect.height; y++) {
    let o = ((rect.y + y) * targetWidth + rect.x) * 4;
    for (let x = 0; x < rect.width; x++, i += 4, o += 4) {
      target[o] = src[i + 2];
      target[o + 1] = src[i + 1];
      target[o + 2] = src[i];
      target[o + 3] = 255;
    }
  }
}
