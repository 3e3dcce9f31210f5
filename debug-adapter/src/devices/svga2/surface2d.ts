// 32 bpp pixel operations on surfaces in VRAM or host memory: solid fill and (possibly overlapping) rectangle copy.
import type { Rect } from '../../display/rect';

/** A 32 bpp pixel array inside `bytes`: row y starts at offset + y * pitch. */
export interface Surface {
  bytes: Uint8Array;
  offset: number;
  pitch: number;
  width: number;
  height: number;
}

const BPP = 4;

/** Fill with a raw 32-bit pixel value (stored little-endian, so 0x00RRGGBB lands as B, G, R, X). */
export function fillRect(s: Surface, r: Rect, color: number): void {
  if (r.width <= 0 || r.height <= 0) return;
  const row = new Uint8Array(r.width * BPP);
  new DataView(row.buffer).setUint32(0, color >>> 0, true);
  // Doubling copies fill the row template in log(width) steps.
  for (let filled = BPP; filled < row.length; filled *= 2) row.copyWithin(filled, 0, Math.min(filled, row.length - filled));
  for (let y = r.y; y < r.y + r.height; y++) s.bytes.set(row, s.offset + y * s.pitch + r.x * BPP);
}

/**
 * Copy the width x height block at (srcX, srcY) of `src` to `dst` at dstRect, with memmove
 * semantics when both live in the same memory (rows are walked away from the overlap).
 */
export function copyRect(src: Surface, srcX: number, srcY: number, dst: Surface, dstRect: Rect): void {
  const { width, height } = dstRect;
  if (width <= 0 || height <= 0) return;
  const rowBytes = width * BPP;
  const srcStart = src.bytes.byteOffset + src.offset + srcY * src.pitch + srcX * BPP;
  const dstStart = dst.bytes.byteOffset + dst.offset + dstRect.y * dst.pitch + dstRect.x * BPP;
  const sameMemory = src.bytes.buffer === dst.bytes.buffer;
  const bottomUp = sameMemory && dstStart > srcStart;
  for (let i = 0; i < height; i++) {
    const y = bottomUp ? height - 1 - i : i;
    const s = src.offset + (srcY + y) * src.pitch + srcX * BPP;
    const d = dst.offset + (dstRect.y + y) * dst.pitch + dstRect.x * BPP;
    // TypedArray.set copies as if through a temporary when source and target share a buffer.
    dst.bytes.set(src.bytes.subarray(s, s + rowBytes), d);
  }
}

/** True when the rectangle lies inside the surface and every byte it touches is inside the buffer. */
export function surfaceHolds(s: Surface, r: Rect): boolean {
  if (r.x < 0 || r.y < 0 || r.width < 0 || r.height < 0) return false;
  if (r.x + r.width > s.width || r.y + r.height > s.height) return false;
  if (r.width === 0 || r.height === 0) return true;
  const end = s.offset + (r.y + r.height - 1) * s.pitch + (r.x + r.width) * BPP;
  return s.offset >= 0 && end <= s.bytes.length;
}
