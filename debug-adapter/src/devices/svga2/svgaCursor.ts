// Pointer images from DEFINE_CURSOR (AND/XOR masks) and DEFINE_ALPHA_CURSOR, turned into premultiplied BGRA.
import type { CursorImage } from '../../display/cursorImage';

/** The largest cursor the device accepts per side. */
export const MAX_CURSOR_SIZE = 256;
/** DEFINE_CURSOR argument words before the masks: id, hotspotX, hotspotY, width, height, andDepth, xorDepth. */
export const CURSOR_HEADER_WORDS = 7;
/** DEFINE_ALPHA_CURSOR argument words before the pixels: id, hotspotX, hotspotY, width, height. */
export const ALPHA_CURSOR_HEADER_WORDS = 5;
const COLOR_MASK = 0x00ffffff;
const OPAQUE = 0xff;

export function maskWordsPerLine(width: number, depth: number): number {
  return Math.ceil((width * depth) / 32);
}

/** Why a mono/colour cursor header is unusable, or undefined. Depths are 1 or 32 (the framebuffer depth). */
export function checkCursorHeader(width: number, height: number, andDepth: number, xorDepth: number): string | undefined {
  if (width > MAX_CURSOR_SIZE || height > MAX_CURSOR_SIZE) return `cursor ${width}x${height} exceeds ${MAX_CURSOR_SIZE}x${MAX_CURSOR_SIZE}`;
  if ((andDepth !== 1 && andDepth !== 32) || (xorDepth !== 1 && xorDepth !== 32)) {
    return `cursor mask depths ${andDepth}/${xorDepth} are not supported; expected 1 or 32`;
  }
  return undefined;
}

/** Argument words of a DEFINE_CURSOR once its header is known. */
export function cursorArgWords(width: number, height: number, andDepth: number, xorDepth: number): number {
  return CURSOR_HEADER_WORDS + height * (maskWordsPerLine(width, andDepth) + maskWordsPerLine(width, xorDepth));
}

/**
 * Decode the masks. A clear AND bit shows the XOR colour; a set AND bit with XOR 0 is transparent;
 * a set AND bit with a non-zero XOR inverts the screen, which a still image cannot express, so it is
 * drawn opaque in the XOR colour.
 */
export function decodeMaskCursor(args: Uint32Array): CursorImage {
  const [, hotspotX, hotspotY, width, height, andDepth, xorDepth] = args;
  const andWpl = maskWordsPerLine(width, andDepth);
  const xorWpl = maskWordsPerLine(width, xorDepth);
  const andBase = CURSOR_HEADER_WORDS;
  const xorBase = andBase + height * andWpl;
  const bgra = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const and = maskValue(args, andBase + y * andWpl, x, andDepth) !== 0;
      const xor = maskValue(args, xorBase + y * xorWpl, x, xorDepth);
      const color = xorDepth === 1 ? (xor ? COLOR_MASK : 0) : xor & COLOR_MASK;
      if (and && color === 0) continue;
      const o = (y * width + x) * 4;
      bgra[o] = color & 0xff;
      bgra[o + 1] = (color >>> 8) & 0xff;
      bgra[o + 2] = (color >>> 16) & 0xff;
      bgra[o + 3] = OPAQUE;
    }
  }
  return { width, height, hotspotX, hotspotY, bgra };
}

/** Mono masks are packed most significant bit first within each byte, bytes in memory order. */
function maskValue(args: Uint32Array, lineWord: number, x: number, depth: number): number {
  if (depth === 32) return args[lineWord + x] & COLOR_MASK;
  const word = args[lineWord + (x >>> 5)];
  const byte = (word >>> (((x >>> 3) & 3) * 8)) & 0xff;
  return (byte >>> (7 - (x & 7))) & 1;
}

/** DEFINE_ALPHA_CURSOR pixels are premultiplied 0xAARRGGBB words, i.e. B, G, R, A in memory. */
export function decodeAlphaCursor(args: Uint32Array): CursorImage {
  const [, hotspotX, hotspotY, width, height] = args;
  const pixels = args.subarray(ALPHA_CURSOR_HEADER_WORDS, ALPHA_CURSOR_HEADER_WORDS + width * height);
  const bgra = new Uint8Array(width * height * 4);
  const dv = new DataView(bgra.buffer);
  for (let i = 0; i < pixels.length; i++) dv.setUint32(i * 4, pixels[i], true);
  return { width, height, hotspotX, hotspotY, bgra };
}
