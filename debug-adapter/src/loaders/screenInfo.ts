// Describes a linear framebuffer to Linux through the zero page's screen_info (VIDEO_TYPE_VLFB), for the SVGA device.
import { ZERO_PAGE_ADDR } from '../vmm/layout';
import type { LoadPlan } from './loadPlan';
import { putU16, putU32, putU8 } from './bytes';

/** orig_video_isVGA value for a VESA linear framebuffer. */
export const VIDEO_TYPE_VLFB = 0x23;
/** screen_info.capabilities: lfb base has 64 bits (high half in ext_lfb_base). */
export const VIDEO_CAPABILITY_64BIT_BASE = 1 << 1;
export const SCREEN_INFO_SIZE = 0x40;
/** For VLFB, Linux reads lfb_size in 64 KiB units (vesafb and sysfb shift it left by 16). */
export const VLFB_SIZE_UNIT = 0x10000;

export const SI_ORIG_VIDEO_IS_VGA = 0x0f;
export const SI_LFB_WIDTH = 0x12;
export const SI_LFB_HEIGHT = 0x14;
export const SI_LFB_DEPTH = 0x16;
export const SI_LFB_BASE = 0x18;
export const SI_LFB_SIZE = 0x1c;
export const SI_LFB_LINELENGTH = 0x24;
export const SI_RED_SIZE = 0x26;
export const SI_RED_POS = 0x27;
export const SI_GREEN_SIZE = 0x28;
export const SI_GREEN_POS = 0x29;
export const SI_BLUE_SIZE = 0x2a;
export const SI_BLUE_POS = 0x2b;
export const SI_RSVD_SIZE = 0x2c;
export const SI_RSVD_POS = 0x2d;
export const SI_CAPABILITIES = 0x36;
export const SI_EXT_LFB_BASE = 0x3a;

export interface LinearFramebuffer {
  /** Guest-physical base of the framebuffer. */
  base: number;
  /** Framebuffer size in bytes (rounded up to 64 KiB units in screen_info). */
  size: number;
  width: number;
  height: number;
  /** Bits per pixel. */
  depth: number;
  /** Bytes per scan line. */
  lineLength: number;
  redMask: number;
  greenMask: number;
  blueMask: number;
  reservedMask?: number;
}

/** A contiguous channel mask as screen_info's (size, position) pair. */
export function maskToField(mask: number): { size: number; pos: number } {
  if (mask === 0) return { size: 0, pos: 0 };
  if (!Number.isInteger(mask) || mask < 0 || mask > 0xffffffff) throw new RangeError(`colour mask ${mask} is not 32-bit`);
  let pos = 0;
  while (((mask >>> pos) & 1) === 0) pos++;
  let size = 0;
  while (pos + size < 32 && ((mask >>> (pos + size)) & 1) === 1) size++;
  if (mask !== (2 ** size - 1) * 2 ** pos) throw new RangeError(`colour mask 0x${mask.toString(16)} is not contiguous`);
  return { size, pos };
}

/** The 64-byte struct screen_info for a linear framebuffer. */
export function screenInfoBytes(fb: LinearFramebuffer): Uint8Array {
  const si = new Uint8Array(SCREEN_INFO_SIZE);
  putU8(si, SI_ORIG_VIDEO_IS_VGA, VIDEO_TYPE_VLFB);
  putU16(si, SI_LFB_WIDTH, fb.width);
  putU16(si, SI_LFB_HEIGHT, fb.height);
  putU16(si, SI_LFB_DEPTH, fb.depth);
  putU32(si, SI_LFB_BASE, fb.base % 0x100000000);
  putU32(si, SI_LFB_SIZE, Math.ceil(fb.size / VLFB_SIZE_UNIT));
  putU16(si, SI_LFB_LINELENGTH, fb.lineLength);
  const channels: [number, number, number][] = [
    [fb.redMask, SI_RED_SIZE, SI_RED_POS], [fb.greenMask, SI_GREEN_SIZE, SI_GREEN_POS],
    [fb.blueMask, SI_BLUE_SIZE, SI_BLUE_POS], [fb.reservedMask ?? 0, SI_RSVD_SIZE, SI_RSVD_POS],
  ];
  for (const [mask, sizeOff, posOff] of channels) {
    const f = maskToField(mask);
    putU8(si, sizeOff, f.size);
    putU8(si, posOff, f.pos);
  }
  const high = Math.floor(fb.base / 0x100000000);
  if (high > 0) {
    putU32(si, SI_CAPABILITIES, VIDEO_CAPABILITY_64BIT_BASE);
    putU32(si, SI_EXT_LFB_BASE, high);
  }
  return si;
}

/** Overwrite screen_info at the start of a zero page. */
export function fillScreenInfo(zeroPage: Uint8Array, fb: LinearFramebuffer): void {
  zeroPage.set(screenInfoBytes(fb), 0);
}

/**
 * A copy of a bzImage plan whose zero page describes `fb`; plans without a zero page are returned unchanged
 * (other protocols learn about the framebuffer from the device itself).
 */
export function withFramebuffer(plan: LoadPlan, fb: LinearFramebuffer): LoadPlan {
  const index = plan.segments.findIndex((s) => s.gpa === ZERO_PAGE_ADDR && s.what === 'zero page');
  if (index < 0) return plan;
  const zp = plan.segments[index].bytes.slice();
  fillScreenInfo(zp, fb);
  const segments = plan.segments.map((s, i) => (i === index ? { ...s, bytes: zp } : s));
  return {
    ...plan, segments,
    notes: [...plan.notes, `framebuffer ${fb.width}x${fb.height}x${fb.depth} at 0x${fb.base.toString(16)} in screen_info`],
  };
}
