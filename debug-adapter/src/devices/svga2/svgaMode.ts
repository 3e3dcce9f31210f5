// The legacy SVGA display mode derived from WIDTH/HEIGHT/PITCHLOCK, with the checks that make a mode usable.
import { HOST_BPP } from './svgaConstants';

export interface SvgaMode {
  width: number;
  height: number;
  bitsPerPixel: number;
  /** BYTES_PER_LINE: the pitch lock when one is set, otherwise width * 4. */
  pitch: number;
  /** FB_OFFSET: the frame always starts at the beginning of VRAM. */
  fbOffset: number;
  /** FB_SIZE: pitch * height. */
  fbSize: number;
  /** Why the mode cannot be shown, or undefined when it can. */
  problem?: string;
}

export interface ModeInputs {
  width: number;
  height: number;
  /** PITCHLOCK register value (0 = none). */
  pitchlock: number;
  /** FIFO PITCHLOCK word, used when the register is 0 (0 = none). */
  fifoPitchlock: number;
  vramSize: number;
}

const BYTES_PER_PIXEL = HOST_BPP / 8;

export function computeMode(m: ModeInputs): SvgaMode {
  const lock = m.pitchlock || m.fifoPitchlock;
  const minPitch = m.width * BYTES_PER_PIXEL;
  const pitch = lock || minPitch;
  const fbSize = pitch * m.height;
  const mode: SvgaMode = { width: m.width, height: m.height, bitsPerPixel: HOST_BPP, pitch, fbOffset: 0, fbSize };
  if (lock && (lock < minPitch || lock % BYTES_PER_PIXEL !== 0)) {
    mode.problem = `pitch lock ${lock} does not fit a ${m.width}-pixel line; expected a multiple of 4 of at least ${minPitch}`;
  } else if (fbSize > m.vramSize) {
    mode.problem = `mode ${m.width}x${m.height} at pitch ${pitch} needs ${fbSize} bytes; VRAM holds ${m.vramSize}`;
  }
  return mode;
}
