// Finds what changed between two frames of the same screen, for sources that report no damage (text mode, untraced VRAM).
import { BYTES_PER_PIXEL, checkFramebuffer, type Framebuffer } from './framebuffer';
import { DirtyTracker } from './dirtyTracker';
import type { Rect } from './rect';

/**
 * The changed areas of `next` relative to `prev`. Each run of consecutive changed rows becomes one
 * rectangle spanning the first to the last changed pixel of any of its rows; runs then merge as
 * dirty rectangles do. A different size or format means everything changed.
 */
export function diffFrames(prev: Framebuffer | undefined, next: Framebuffer, maxRects?: number): Rect[] {
  checkFramebuffer(next);
  const full: Rect = { x: 0, y: 0, width: next.width, height: next.height };
  if (!prev || prev.width !== next.width || prev.height !== next.height || prev.format !== next.format) {
    return next.width > 0 && next.height > 0 ? [full] : [];
  }
  checkFramebuffer(prev);
  const tracker = new DirtyTracker({ width: next.width, height: next.height, pitch: 0, offset: 0, bytesPerPixel: BYTES_PER_PIXEL }, maxRects);
  const rowBytes = next.width * BYTES_PER_PIXEL;
  let run: Rect | undefined;
  const flush = (): void => { if (run) tracker.addRect(run); run = undefined; };
  for (let y = 0; y < next.height; y++) {
    const a = prev.bytes.subarray(y * prev.stride, y * prev.stride + rowBytes);
    const b = next.bytes.subarray(y * next.stride, y * next.stride + rowBytes);
    let first = -1;
    for (let i = 0; i < rowBytes; i++) {
      if (a[i] !== b[i]) { first = i; break; }
    }
    if (first < 0) { flush(); continue; }
    let last = rowBytes - 1;
    while (a[last] === b[last]) last--;
    const x0 = Math.floor(first / BYTES_PER_PIXEL);
    const x1 = Math.floor(last / BYTES_PER_PIXEL);
    if (!run) {
      run = { x: x0, y, width: x1 - x0 + 1, height: 1 };
    } else {
      const left = Math.min(run.x, x0);
      run = { x: left, y: run.y, width: Math.max(run.x + run.width, x1 + 1) - left, height: run.height + 1 };
    }
  }
  flush();
  return tracker.take();
}
