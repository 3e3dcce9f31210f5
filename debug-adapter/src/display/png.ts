// Screenshot encoding: a framebuffer to an 8-bit RGB PNG file image (pngjs).
import { BYTES_PER_PIXEL, checkFramebuffer, type Framebuffer } from './framebuffer';

/** The part of pngjs used here (the package ships no type declarations). */
interface PngSync {
  write(png: { width: number; height: number; data: Buffer }, options: {
    colorType: number; inputColorType: number; inputHasAlpha: boolean; bitDepth: number;
  }): Buffer;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as { PNG: { sync: PngSync } };

/** PNG colour type 2: truecolour without alpha. */
const PNG_COLOR_RGB = 2;
const RGB_BYTES = 3;

export function encodePng(fb: Framebuffer): Uint8Array {
  checkFramebuffer(fb);
  if (fb.width === 0 || fb.height === 0) {
    throw new RangeError(`cannot encode an empty ${fb.width}x${fb.height} framebuffer as PNG; expected at least 1x1`);
  }
  const rgb = Buffer.alloc(fb.width * fb.height * RGB_BYTES);
  const [r, g, b] = fb.format === 'bgrx8888' ? [2, 1, 0] : [0, 1, 2];
  let o = 0;
  for (let y = 0; y < fb.height; y++) {
    let i = y * fb.stride;
    for (let x = 0; x < fb.width; x++, i += BYTES_PER_PIXEL, o += RGB_BYTES) {
      rgb[o] = fb.bytes[i + r];
      rgb[o + 1] = fb.bytes[i + g];
      rgb[o + 2] = fb.bytes[i + b];
    }
  }
  const file = PNG.sync.write({ width: fb.width, height: fb.height, data: rgb }, {
    colorType: PNG_COLOR_RGB, inputColorType: PNG_COLOR_RGB, inputHasAlpha: false, bitDepth: 8,
  });
  return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
}
