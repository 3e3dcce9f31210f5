// Framebuffer snapshots (a pixel buffer plus its geometry) and conversions to RGBA; no Node APIs, so it bundles for webviews.
import type { Rect } from './rect';

/**
 * Pixel layouts in memory order. 'bgrx8888' is the SVGA 32 bpp layout (byte 0 blue, byte 1 green,
 * byte 2 red, byte 3 unused); 'rgba8888' is what canvases and PNG encoders take.
 */
export type PixelFormat = 'bgrx8888' | 'rgba8888';

export interface Framebuffer {
  width: number;
  height: number;
  /** Bytes from the start of one row to the start of the next (>= width * bytes per pixel). */
  stride: number;
  format: PixelFormat;
  /** Row 0 starts at bytes[0]. May be a live view of guest VRAM or a private copy. */
  bytes: Uint8Array;
}

export const BYTES_PER_PIXEL = 4;

export function createFramebuffer(width: number, height: number, format: PixelFormat = 'bgrx8888'): Framebuffer {
  const stride = width * BYTES_PER_PIXEL;
  return { width, height, stride, format, bytes: new Uint8Array(stride * height) };
}

/** Throws when the buffer cannot hold the rows its geometry describes. */
export function checkFramebuffer(fb: Framebuffer): void {
  if (!Number.isInteger(fb.width) || !Number.isInteger(fb.height) || fb.width < 0 || fb.height < 0) {
    throw new RangeError(`framebuffer size ${fb.width}x${fb.height} is invalid; expected non-negative integers`);
  }
  if (fb.stride < fb.width * BYTES_PER_PIXEL) {
    throw new RangeError(`framebuffer stride ${fb.stride} is shorter than a ${fb.width}-pixel row`);
  }
  const needed = fb.height === 0 ? 0 : (fb.height - 1) * fb.stride + fb.width * BYTES_PER_PIXEL;
  if (fb.bytes.length < needed) {
    throw new RangeError(`framebuffer ${fb.width}x${fb.height} needs ${needed} bytes, buffer has ${fb.bytes.length}`);
  }
}

/** A private, tightly packed copy (stride = width * 4), e.g. to freeze a live VRAM view. */
export function copyFramebuffer(fb: Framebuffer): Framebuffer {
  checkFramebuffer(fb);
  const out = createFramebuffer(fb.width, fb.height, fb.format);
  const rowBytes = fb.width * BYTES_PER_PIXEL;
  for (let y = 0; y < fb.height; y++) {
    out.bytes.set(fb.bytes.subarray(y * fb.stride, y * fb.stride + rowBytes), y * out.stride);
  }
  return out;
}

/** The pixel at (x, y) as 0xRRGGBB, whatever the format. */
export function readPixelRgb(fb: Framebuffer, x: number, y: number): number {
  const i = y * fb.stride + x * BYTES_PER_PIXEL;
  const b = fb.bytes;
  return fb.format === 'bgrx8888'
    ? (b[i + 2] << 16) | (b[i + 1] << 8) | b[i]
    : (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
}

/** Copy one rectangle into `out` as tightly packed RGBA (alpha 255 for formats without alpha). */
export function rectToRgba(fb: Framebuffer, r: Rect, out: Uint8Array | Uint8ClampedArray = new Uint8Array(r.width * r.height * 4)): Uint8Array | Uint8ClampedArray {
  if (out.length < r.width * r.height * 4) throw new RangeError(`RGBA output holds ${out.length} bytes, rectangle needs ${r.width * r.height * 4}`);
  const src = fb.bytes;
  let o = 0;
  for (let y = r.y; y < r.y + r.height; y++) {
    let i = y * fb.stride + r.x * BYTES_PER_PIXEL;
    if (fb.format === 'rgba8888') {
      out.set(src.subarray(i, i + r.width * BYTES_PER_PIXEL), o);
      o += r.width * BYTES_PER_PIXEL;
      continue;
    }
    for (let x = 0; x < r.width; x++, i += BYTES_PER_PIXEL, o += 4) {
      out[o] = src[i + 2];
      out[o + 1] = src[i + 1];
      out[o + 2] = src[i];
      out[o + 3] = 255;
    }
  }
  return out;
}

/** The whole framebuffer as tightly packed RGBA (what canvases and PNG encoders take). */
export function toRgba(fb: Framebuffer): Uint8Array {
  checkFramebuffer(fb);
  return rectToRgba(fb, { x: 0, y: 0, width: fb.width, height: fb.height }) as Uint8Array;
}
