// The built-in 8x16 text-mode font: printable ASCII as hex rows, plus CP437 line-drawing and block glyphs drawn by rule.

export const GLYPH_WIDTH = 8;
export const GLYPH_HEIGHT = 16;

/**
 * Glyphs 0x20..0x7e, 16 rows each, one byte per row with bit 7 the leftmost pixel. Capitals and
 * digits stand on rows 2..11, lowercase x-height is rows 5..11, descenders reach row 14.
 */
const ASCII_ROWS: readonly string[] = [
  '00000000 00000000 00000000 00000000', // 0x20 space
  '0000183c 3c3c1818 18001818 00000000', // 0x21 !
  '00006666 66240000 00000000 00000000', // 0x22 "
  '00000000 6c6cfe6c 6cfe6c6c 00000000', // 0x23 #
  '0000183c 66603c06 06663c18 18000000', // 0x24 $
  '00000000 62660c18 30664600 00000000', // 0x25 %
  '0000386c 6c38766e 66666e3b 00000000', // 0x26 &
  '00001818 18300000 00000000 00000000', // 0x27 quote
  '00000c18 30303030 3030180c 00000000', // 0x28 (
  '00003018 0c0c0c0c 0c0c1830 00000000', // 0x29 )
  '00000000 00663c7e 3c660000 00000000', // 0x2a asterisk
  '00000000 0018187e 18180000 00000000', // 0x2b +
  '00000000 00000000 00001818 30000000', // 0x2c ,
  '00000000 0000007e 00000000 00000000', // 0x2d -
  '00000000 00000000 00001818 00000000', // 0x2e .
  '00000606 0c0c1818 30306060 00000000', // 0x2f slash
  '00003c66 666e7e76 6666663c 00000000', // 0x30 0
  '00001838 78181818 1818187e 00000000', // 0x31 1
  '00003c66 06060c18 3060667e 00000000', // 0x32 2
  '00003c66 06061c06 0606663c 00000000', // 0x33 3
  '00000c1c 3c6c6c7e 0c0c0c1e 00000000', // 0x34 4
  '00007e60 60607c06 0606663c 00000000', // 0x35 5
  '00001c30 60607c66 6666663c 00000000', // 0x36 6
  '00007e66 060c1818 18181818 00000000', // 0x37 7
  '00003c66 66663c66 6666663c 00000000', // 0x38 8
  '00003c66 66663e06 06060c38 00000000', // 0x39 9
  '00000000 00001818 00001818 00000000', // 0x3a :
  '00000000 00001818 00001818 30000000', // 0x3b ;
  '00000006 0c183030 180c0600 00000000', // 0x3c <
  '00000000 00007e00 007e0000 00000000', // 0x3d =
  '00000060 30180c0c 18306000 00000000', // 0x3e >
  '00003c66 66060c18 18001818 00000000', // 0x3f ?
  '00003c66 666e6e6e 6c60603e 00000000', // 0x40 @
  '0000183c 6666667e 66666666 00000000', // 0x41 A
  '00007c66 66667c66 6666667c 00000000', // 0x42 B
  '00003c66 60606060 6060663c 00000000', // 0x43 C
  '0000786c 66666666 66666c78 00000000', // 0x44 D
  '00007e60 60607c60 6060607e 00000000', // 0x45 E
  '00007e60 60607c60 60606060 00000000', // 0x46 F
  '00003c66 6060606e 6666663e 00000000', // 0x47 G
  '00006666 66667e66 66666666 00000000', // 0x48 H
  '00003c18 18181818 1818183c 00000000', // 0x49 I
  '00001e0c 0c0c0c0c 0c6c6c38 00000000', // 0x4a J
  '00006666 6c6c7878 6c6c6666 00000000', // 0x4b K
  '00006060 60606060 6060607e 00000000', // 0x4c L
  '0000c6ee fed6d6c6 c6c6c6c6 00000000', // 0x4d M
  '00006666 76767e6e 6e666666 00000000', // 0x4e N
  '00003c66 66666666 6666663c 00000000', // 0x4f O
  '00007c66 66667c60 60606060 00000000', // 0x50 P
  '00003c66 66666666 666e663c 06000000', // 0x51 Q
  '00007c66 66667c78 6c6c6666 00000000', // 0x52 R
  '00003c66 6060380c 0606663c 00000000', // 0x53 S
  '00007e18 18181818 18181818 00000000', // 0x54 T
  '00006666 66666666 6666663c 00000000', // 0x55 U
  '00006666 66666666 663c3c18 00000000', // 0x56 V
  '0000c6c6 c6c6c6d6 d6feeec6 00000000', // 0x57 W
  '00006666 663c1818 3c666666 00000000', // 0x58 X
  '00006666 66663c18 18181818 00000000', // 0x59 Y
  '00007e06 060c1830 6060607e 00000000', // 0x5a Z
  '00003c30 30303030 3030303c 00000000', // 0x5b [
  '00006060 30301818 0c0c0606 00000000', // 0x5c backslash
  '00003c0c 0c0c0c0c 0c0c0c3c 00000000', // 0x5d ]
  '0000183c 66000000 00000000 00000000', // 0x5e ^
  '00000000 00000000 00000000 0000ff00', // 0x5f _
  '00003018 0c000000 00000000 00000000', // 0x60 `
  '00000000 003c063e 6666663e 00000000', // 0x61 a
  '00006060 607c6666 6666667c 00000000', // 0x62 b
  '00000000 003c6660 6060663c 00000000', // 0x63 c
  '00000606 063e6666 6666663e 00000000', // 0x64 d
  '00000000 003c6666 7e60663c 00000000', // 0x65 e
  '00001c36 30307c30 30303030 00000000', // 0x66 f
  '00000000 003e6666 6666663e 06663c00', // 0x67 g
  '00006060 607c6666 66666666 00000000', // 0x68 h
  '00000018 00381818 1818183c 00000000', // 0x69 i
  '0000000c 001c0c0c 0c0c0c0c 6c6c3800', // 0x6a j
  '00006060 60666c78 786c6666 00000000', // 0x6b k
  '00003818 18181818 1818183c 00000000', // 0x6c l
  '00000000 00d8fed6 d6d6d6c6 00000000', // 0x6d m
  '00000000 007c6666 66666666 00000000', // 0x6e n
  '00000000 003c6666 6666663c 00000000', // 0x6f o
  '00000000 007c6666 6666667c 60606000', // 0x70 p
  '00000000 003e6666 6666663e 06060600', // 0x71 q
  '00000000 006c7660 60606060 00000000', // 0x72 r
  '00000000 003c6660 3c06663c 00000000', // 0x73 s
  '00000030 307c3030 3030361c 00000000', // 0x74 t
  '00000000 00666666 6666663e 00000000', // 0x75 u
  '00000000 00666666 663c3c18 00000000', // 0x76 v
  '00000000 00c6c6d6 d6d6fe6c 00000000', // 0x77 w
  '00000000 0066663c 183c6666 00000000', // 0x78 x
  '00000000 00666666 6666663e 06663c00', // 0x79 y
  '00000000 007e060c 1830607e 00000000', // 0x7a z
  '00000e18 18187018 1818180e 00000000', // 0x7b {
  '00001818 18181818 18181818 18180000', // 0x7c |
  '00007018 18180e18 18181870 00000000', // 0x7d }
  '00003b6e 00000000 00000000 00000000', // 0x7e ~
];

const FIRST_ASCII = 0x20;
/** Codes that show as blank cells (NUL and the CP437 no-break space). */
const BLANK_CODES = [0x00, 0xff];

/** Line weights of the four arms of a box-drawing glyph: up, down, left, right (1 = single line). */
const SINGLE_BOX: Readonly<Record<number, [number, number, number, number]>> = {
  0xb3: [1, 1, 0, 0], 0xc4: [0, 0, 1, 1], 0xda: [0, 1, 0, 1], 0xbf: [0, 1, 1, 0], 0xc0: [1, 0, 0, 1],
  0xd9: [1, 0, 1, 0], 0xc3: [1, 1, 0, 1], 0xb4: [1, 1, 1, 0], 0xc2: [0, 1, 1, 1], 0xc1: [1, 0, 1, 1],
  0xc5: [1, 1, 1, 1],
};
/** Single lines run along this column and row, so neighbouring cells join up. */
const LINE_COL = 3;
const LINE_ROW = 7;
/** Double lines: outer and inner strokes. */
const DOUBLE_COLS = [2, 5] as const;
const DOUBLE_ROWS = [5, 9] as const;

type Canvas = Uint8Array;
const setPixel = (g: Canvas, x: number, y: number): void => { g[y] |= 0x80 >> x; };
const vline = (g: Canvas, x: number, y0: number, y1: number): void => { for (let y = y0; y <= y1; y++) setPixel(g, x, y); };
const hline = (g: Canvas, y: number, x0: number, x1: number): void => { for (let x = x0; x <= x1; x++) setPixel(g, x, y); };

function singleBox([up, down, left, right]: [number, number, number, number]): Canvas {
  const g = new Uint8Array(GLYPH_HEIGHT);
  if (up) vline(g, LINE_COL, 0, LINE_ROW);
  if (down) vline(g, LINE_COL, LINE_ROW, GLYPH_HEIGHT - 1);
  if (left) hline(g, LINE_ROW, 0, LINE_COL);
  if (right) hline(g, LINE_ROW, LINE_COL, GLYPH_WIDTH - 1);
  return g;
}

/** Double-line straights and corners: each corner has an outer stroke and a shorter inner one. */
function doubleBox(code: number): Canvas | undefined {
  const g = new Uint8Array(GLYPH_HEIGHT);
  const [c0, c1] = DOUBLE_COLS;
  const [r0, r1] = DOUBLE_ROWS;
  const last = GLYPH_HEIGHT - 1;
  const right = GLYPH_WIDTH - 1;
  switch (code) {
    case 0xcd: hline(g, r0, 0, right); hline(g, r1, 0, right); break;
    case 0xba: vline(g, c0, 0, last); vline(g, c1, 0, last); break;
    case 0xc9: hline(g, r0, c0, right); vline(g, c0, r0, last); hline(g, r1, c1, right); vline(g, c1, r1, last); break;
    case 0xbb: hline(g, r0, 0, c1); vline(g, c1, r0, last); hline(g, r1, 0, c0); vline(g, c0, r1, last); break;
    case 0xc8: vline(g, c0, 0, r1); hline(g, r1, c0, right); vline(g, c1, 0, r0); hline(g, r0, c1, right); break;
    case 0xbc: vline(g, c1, 0, r1); hline(g, r1, 0, c1); vline(g, c0, 0, r0); hline(g, r0, 0, c0); break;
    default: return undefined;
  }
  return g;
}

/** Full, half and shaded blocks. */
function block(code: number): Canvas | undefined {
  const g = new Uint8Array(GLYPH_HEIGHT);
  const half = GLYPH_HEIGHT / 2;
  for (let y = 0; y < GLYPH_HEIGHT; y++) {
    switch (code) {
      case 0xdb: g[y] = 0xff; break;
      case 0xdc: g[y] = y >= half ? 0xff : 0; break;
      case 0xdf: g[y] = y < half ? 0xff : 0; break;
      case 0xdd: g[y] = 0xf0; break;
      case 0xde: g[y] = 0x0f; break;
      case 0xb0: g[y] = y % 2 ? 0x22 : 0x88; break;
      case 0xb1: g[y] = y % 2 ? 0x55 : 0xaa; break;
      case 0xb2: g[y] = y % 2 ? 0xdd : 0x77; break;
      default: return undefined;
    }
  }
  return g;
}

/** What codes without a glyph show: a hollow box, so missing characters are visible. */
function missingGlyph(): Canvas {
  const g = new Uint8Array(GLYPH_HEIGHT);
  hline(g, 2, 1, 6);
  hline(g, 13, 1, 6);
  vline(g, 1, 2, 13);
  vline(g, 6, 2, 13);
  return g;
}

function parseRows(hex: string): Canvas {
  const digits = hex.replace(/ /g, '');
  const g = new Uint8Array(GLYPH_HEIGHT);
  for (let y = 0; y < GLYPH_HEIGHT; y++) g[y] = parseInt(digits.slice(y * 2, y * 2 + 2), 16);
  return g;
}

/** 256 glyphs x 16 rows, indexed code * 16 + row. */
function buildFont(): Uint8Array {
  const font = new Uint8Array(256 * GLYPH_HEIGHT);
  const missing = missingGlyph();
  for (let code = 0; code < 256; code++) {
    let g: Canvas | undefined;
    if (code >= FIRST_ASCII && code < FIRST_ASCII + ASCII_ROWS.length) g = parseRows(ASCII_ROWS[code - FIRST_ASCII]);
    else if (BLANK_CODES.includes(code)) g = new Uint8Array(GLYPH_HEIGHT);
    else if (SINGLE_BOX[code]) g = singleBox(SINGLE_BOX[code]);
    else g = doubleBox(code) ?? block(code) ?? missing;
    font.set(g, code * GLYPH_HEIGHT);
  }
  return font;
}

export const FONT_8X16: Uint8Array = buildFont();

/** The 16 rows of one glyph (a view into the font). */
export function glyphRows(code: number): Uint8Array {
  const c = code & 0xff;
  return FONT_8X16.subarray(c * GLYPH_HEIGHT, (c + 1) * GLYPH_HEIGHT);
}
