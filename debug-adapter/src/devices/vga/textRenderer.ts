// Renders the 80x25 colour text buffer (character + attribute bytes) to a framebuffer with the built-in font and cursor.
import { createFramebuffer, type Framebuffer } from '../../display/framebuffer';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from './font8x16';
import type { TextModeState } from './vgaCrtc';

/** The 16 CGA text colours as 0xRRGGBB (brown is the dimmed yellow of real adapters). */
export const CGA_PALETTE: readonly number[] = [
  0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
  0x555555, 0x5555ff, 0x55ff55, 0x55ffff, 0xff5555, 0xff55ff, 0xffff55, 0xffffff,
];

export const TEXT_COLUMNS = 80;
export const TEXT_ROWS = 25;
/** The colour text window wraps within 32 KiB. */
const TEXT_WINDOW = 0x8000;
const BYTES_PER_CELL = 2;
const ATTR_BLINK = 0x80;

export interface TextRenderOptions {
  columns?: number;
  rows?: number;
  /** Cursor blink phase: false draws no cursor. */
  cursorVisible?: boolean;
  /**
   * Attribute bit 7 as blink (true) or as bright background (false, the default). With blink,
   * `blinkOn` false hides blinking characters.
   */
  blink?: boolean;
  blinkOn?: boolean;
}

/** Cell (column, row) at character offset `start + row * columns + column` of the window. */
function cellOffset(start: number, index: number): number {
  return ((start + index) * BYTES_PER_CELL) % TEXT_WINDOW;
}

/** Draw the text window (the 32 KiB at 0xB8000) as seen through the CRTC state. */
export function renderTextMode(text: Uint8Array, state: TextModeState, opts: TextRenderOptions = {}): Framebuffer {
  const columns = opts.columns ?? TEXT_COLUMNS;
  const rows = opts.rows ?? TEXT_ROWS;
  const fb = createFramebuffer(columns * GLYPH_WIDTH, rows * GLYPH_HEIGHT, 'bgrx8888');
  // One 32-bit store per pixel: 0x00RRGGBB little-endian is exactly B, G, R, X.
  const px = new Uint32Array(fb.bytes.buffer, fb.bytes.byteOffset, fb.width * fb.height);
  const read = (o: number): number => (o < text.length ? text[o] : 0);
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < columns; col++) {
      const o = cellOffset(state.startAddress, row * columns + col);
      const attr = read(o + 1);
      let fg = CGA_PALETTE[attr & 0x0f];
      let bg = CGA_PALETTE[(attr >> 4) & (opts.blink ? 0x07 : 0x0f)];
      if (opts.blink && attr & ATTR_BLINK && opts.blinkOn === false) fg = bg;
      drawCell(px, fb.width, col, row, glyphRows(read(o)), fg, bg);
    }
  }
  drawCursor(px, fb.width, text, state, columns, rows, opts);
  return fb;
}

function drawCell(px: Uint32Array, width: number, col: number, row: number, glyph: Uint8Array, fg: number, bg: number): void {
  let p = row * GLYPH_HEIGHT * width + col * GLYPH_WIDTH;
  for (let y = 0; y < GLYPH_HEIGHT; y++, p += width) {
    const bits = glyph[y];
    for (let x = 0; x < GLYPH_WIDTH; x++) px[p + x] = bits & (0x80 >> x) ? fg : bg;
  }
}

/** The cursor is a bar over the cell's scan lines start..end, in the cell's foreground colour. */
function drawCursor(px: Uint32Array, width: number, text: Uint8Array, state: TextModeState, columns: number, rows: number, opts: TextRenderOptions): void {
  const c = state.cursor;
  if (!c.enabled || opts.cursorVisible === false || c.startLine > c.endLine) return;
  const pos = c.location - state.startAddress;
  if (pos < 0 || pos >= columns * rows) return;
  const col = pos % columns;
  const row = Math.floor(pos / columns);
  const attrOffset = cellOffset(state.startAddress, pos) + 1;
  const fg = CGA_PALETTE[(attrOffset < text.length ? text[attrOffset] : 0) & 0x0f];
  for (let y = c.startLine; y <= Math.min(c.endLine, GLYPH_HEIGHT - 1); y++) {
    const p = (row * GLYPH_HEIGHT + y) * width + col * GLYPH_WIDTH;
    px.fill(fg, p, p + GLYPH_WIDTH);
  }
}

/** The screen as text lines (trailing blanks trimmed; codes outside printable ASCII become '.'), for logs and tests. */
export function textModeLines(text: Uint8Array, state: TextModeState, columns = TEXT_COLUMNS, rows = TEXT_ROWS): string[] {
  const lines: string[] = [];
  for (let row = 0; row < rows; row++) {
    let line = '';
    for (let col = 0; col < columns; col++) {
      const o = cellOffset(state.startAddress, row * columns + col);
      const ch = o < text.length ? text[o] : 0;
      line += ch === 0 ? ' ' : ch >= 0x20 && ch < 0x7f ? String.fromCharCode(ch) : '.';
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
