// The FIFO command table: each command's argument length (fixed or from its header) and how it is decoded.
import type { CursorImage } from '../../display/cursorImage';
import type { Rect } from '../../display/rect';
import { Cmd } from './svgaConstants';
import { SCREEN_STRUCT_V1, SCREEN_STRUCT_V2 } from './screenObjects';
import {
  ALPHA_CURSOR_HEADER_WORDS, CURSOR_HEADER_WORDS, MAX_CURSOR_SIZE, checkCursorHeader, cursorArgWords, decodeAlphaCursor,
  decodeMaskCursor,
} from './svgaCursor';

/** What commands act on; each returns an error message when the command is malformed. */
export interface CommandTarget {
  update(r: Rect): string | undefined;
  rectFill(color: number, r: Rect): string | undefined;
  rectCopy(srcX: number, srcY: number, dst: Rect): string | undefined;
  defineCursor(image: CursorImage): void;
  fence(value: number): void;
  escape(nsid: number, payload: Uint8Array): void;
  defineScreen(struct: Uint32Array): string | undefined;
  destroyScreen(id: number): string | undefined;
  defineGmrfb(gmrId: number, offset: number, bytesPerLine: number, format: number): string | undefined;
  blitGmrfbToScreen(srcX: number, srcY: number, dest: Rect, screenId: number): string | undefined;
  blitScreenToGmrfb(destX: number, destY: number, src: Rect, screenId: number): string | undefined;
}

export interface CommandSpec {
  /** Argument words needed before the total length is known (0 for fixed-length commands). */
  headerWords: number;
  /** Total argument words after the id, given the header words, or why the header is unacceptable. */
  argWords(header: Uint32Array): number | string;
  run(args: Uint32Array, t: CommandTarget): string | undefined;
}

const fixed = (n: number, run: CommandSpec['run']): CommandSpec => ({ headerWords: 0, argWords: () => n, run });

const rect = (x: number, y: number, width: number, height: number): Rect => ({ x, y, width, height });

/** A signed left/top/right/bottom rectangle as x/y/width/height, or an error when it is inverted. */
function edges(name: string, l: number, t: number, r: number, b: number): Rect | string {
  if (r < l || b < t) return `${name} rectangle (${l},${t})-(${r},${b}) is inverted`;
  return rect(l, t, r - l, b - t);
}

const COMMAND_SPECS: [number, CommandSpec][] = [
  [Cmd.UPDATE, fixed(4, (a, t) => t.update(rect(a[0], a[1], a[2], a[3])))],
  [Cmd.UPDATE_VERBOSE, fixed(5, (a, t) => t.update(rect(a[0], a[1], a[2], a[3])))],
  [Cmd.RECT_FILL, fixed(5, (a, t) => t.rectFill(a[0], rect(a[1], a[2], a[3], a[4])))],
  [Cmd.RECT_COPY, fixed(6, (a, t) => t.rectCopy(a[0], a[1], rect(a[2], a[3], a[4], a[5])))],
  [Cmd.DEFINE_CURSOR, {
    headerWords: CURSOR_HEADER_WORDS,
    argWords: (h) => checkCursorHeader(h[3], h[4], h[5], h[6]) ?? cursorArgWords(h[3], h[4], h[5], h[6]),
    run: (a, t) => { t.defineCursor(decodeMaskCursor(a)); return undefined; },
  }],
  [Cmd.DEFINE_ALPHA_CURSOR, {
    headerWords: ALPHA_CURSOR_HEADER_WORDS,
    argWords: (h) => (h[3] > MAX_CURSOR_SIZE || h[4] > MAX_CURSOR_SIZE
      ? `alpha cursor ${h[3]}x${h[4]} exceeds ${MAX_CURSOR_SIZE}x${MAX_CURSOR_SIZE}`
      : ALPHA_CURSOR_HEADER_WORDS + h[3] * h[4]),
    run: (a, t) => { t.defineCursor(decodeAlphaCursor(a)); return undefined; },
  }],
  [Cmd.FENCE, fixed(1, (a, t) => { t.fence(a[0]); return undefined; })],
  [Cmd.ESCAPE, {
    // nsid, payload size in bytes, then the payload padded to whole words.
    headerWords: 2,
    argWords: (h) => 2 + Math.ceil(h[1] / 4),
    run: (a, t) => {
      t.escape(a[0], new Uint8Array(a.buffer, a.byteOffset + 8, a[1]).slice());
      return undefined;
    },
  }],
  [Cmd.DEFINE_SCREEN, {
    headerWords: 1,
    argWords: (h) => (h[0] === SCREEN_STRUCT_V1 || h[0] === SCREEN_STRUCT_V2
      ? h[0] / 4
      : `screen object structure size ${h[0]} is not supported; expected ${SCREEN_STRUCT_V1} or ${SCREEN_STRUCT_V2}`),
    run: (a, t) => t.defineScreen(a),
  }],
  [Cmd.DESTROY_SCREEN, fixed(1, (a, t) => t.destroyScreen(a[0]))],
  [Cmd.DEFINE_GMRFB, fixed(4, (a, t) => t.defineGmrfb(a[0], a[1], a[2], a[3]))],
  [Cmd.BLIT_GMRFB_TO_SCREEN, fixed(7, (a, t) => {
    const dest = edges('BLIT_GMRFB_TO_SCREEN destination', a[2] | 0, a[3] | 0, a[4] | 0, a[5] | 0);
    return typeof dest === 'string' ? dest : t.blitGmrfbToScreen(a[0] | 0, a[1] | 0, dest, a[6]);
  })],
  [Cmd.BLIT_SCREEN_TO_GMRFB, fixed(7, (a, t) => {
    const src = edges('BLIT_SCREEN_TO_GMRFB source', a[2] | 0, a[3] | 0, a[4] | 0, a[5] | 0);
    return typeof src === 'string' ? src : t.blitScreenToGmrfb(a[0] | 0, a[1] | 0, src, a[6]);
  })],
  // Annotations only describe how the next blit's pixels were made; a device that copies pixels can ignore them.
  [Cmd.ANNOTATION_FILL, fixed(1, () => undefined)],
  [Cmd.ANNOTATION_COPY, fixed(3, () => undefined)],
  [Cmd.NOP, fixed(0, () => undefined)],
];

export const COMMANDS: ReadonlyMap<number, CommandSpec> = new Map(COMMAND_SPECS);
