// Binary layout of a frame update (header, rectangles, raw BGRX rows), shared by the encoder and the browser-side decoder.
import type { Rect } from './rect';

/*
 * A frame update is one byte buffer, all fields little-endian:
 *
 *   offset size  field
 *   0      4     magic "KFU1" (bytes 4B 46 55 31)
 *   4      1     version (FRAME_VERSION)
 *   5      1     flags: bit 0 = mode changed (resize the canvas to width x height before drawing)
 *   6      1     pixel format code (FORMAT_BGRX8888)
 *   7      1     reserved, 0
 *   8      4     sequence number (increments per update; a gap means updates were dropped)
 *   12     2     screen width
 *   14     2     screen height
 *   16     2     rectangle count
 *   18     2     reserved, 0
 *   20     ...   rectangles, each: x u16, y u16, width u16, height u16, then height rows of
 *                width * 4 pixel bytes (B, G, R, X), tightly packed
 *
 * Every section is a multiple of 4 bytes, so pixel rows stay 4-byte aligned.
 */

export const FRAME_MAGIC = 0x3155464b;
export const FRAME_VERSION = 1;
export const FRAME_HEADER_SIZE = 20;
export const RECT_HEADER_SIZE = 8;
export const FRAME_FLAG_MODE_CHANGED = 0x01;
export const FORMAT_BGRX8888 = 1;
export const FRAME_BYTES_PER_PIXEL = 4;
/** Width, height and coordinates are u16 fields. */
export const FRAME_MAX_DIMENSION = 0xffff;

export interface FrameRect extends Rect {
  /** height rows of width * 4 bytes, BGRX, tightly packed. */
  pixels: Uint8Array;
}

export interface FrameUpdate {
  sequence: number;
  width: number;
  height: number;
  modeChanged: boolean;
  rects: FrameRect[];
}
