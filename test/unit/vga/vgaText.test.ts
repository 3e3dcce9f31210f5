// VGA text mode: CRTC ports, the built-in font, and rendering the text buffer with colours and the cursor.
import { strict as assert } from 'node:assert';
import { FONT_8X16, GLYPH_HEIGHT, glyphRows } from '../../../debug-adapter/src/devices/vga/font8x16';
import { CGA_PALETTE, renderTextMode, textModeLines } from '../../../debug-adapter/src/devices/vga/textRenderer';
import { CrtcReg, VgaCrtc, type TextModeState } from '../../../debug-adapter/src/devices/vga/vgaCrtc';
import { readPixelRgb, type Framebuffer } from '../../../debug-adapter/src/display/framebuffer';
import { fakeRegisterAccess, type AccessContext } from '../../../debug-adapter/src/vmm/bus/busDevice';

const ctx: AccessContext = { vcpuId: 0, address: 0x3d4, regs: fakeRegisterAccess() };

function out(crtc: VgaCrtc, offset: number, ...bytes: number[]): void {
  crtc.write(offset, Uint8Array.from(bytes), ctx);
}

function inb(crtc: VgaCrtc, offset: number): number {
  const d = new Uint8Array(1);
  crtc.read(offset, d, ctx);
  return d[0];
}

function textBuffer(lines: [row: number, col: number, text: string, attr: number][]): Uint8Array {
  const buf = new Uint8Array(0x8000);
  for (const [row, col, text, attr] of lines) {
    for (let i = 0; i < text.length; i++) {
      const o = (row * 80 + col + i) * 2;
      buf[o] = text.charCodeAt(i);
      buf[o + 1] = attr;
    }
  }
  return buf;
}

/** True when the glyph pixel (gx, gy) of cell (col, row) has the colour `rgb`. */
function cellPixel(fb: Framebuffer, col: number, row: number, gx: number, gy: number): number {
  return readPixelRgb(fb, col * 8 + gx, row * 16 + gy);
}

const state = (startAddress: number, location: number, startLine = 14, endLine = 15, enabled = true): TextModeState => ({
  startAddress, cursor: { enabled, location, startLine, endLine },
});

describe('vga CRTC', () => {
  it('selects registers through the index port and reads them back through the data port', () => {
    const crtc = new VgaCrtc();
    out(crtc, 0, CrtcReg.CURSOR_LOCATION_HIGH);
    out(crtc, 1, 0x01);
    out(crtc, 0, CrtcReg.CURSOR_LOCATION_LOW);
    out(crtc, 1, 0x40);
    assert.equal(inb(crtc, 0), CrtcReg.CURSOR_LOCATION_LOW);
    assert.equal(inb(crtc, 1), 0x40);
    assert.equal(crtc.cursor.location, 0x140);
  });

  it('accepts a 16-bit write of index and value at once', () => {
    const crtc = new VgaCrtc();
    out(crtc, 0, CrtcReg.START_ADDRESS_HIGH, 0x02);
    out(crtc, 0, CrtcReg.START_ADDRESS_LOW, 0x80);
    assert.equal(crtc.startAddress, 0x280);
  });

  it('decodes the cursor shape and its disable bit, starting from the BIOS underline', () => {
    const crtc = new VgaCrtc();
    assert.deepEqual(crtc.cursor, { enabled: true, location: 0, startLine: 13, endLine: 14 });
    out(crtc, 0, CrtcReg.CURSOR_START, 0x20 | 0x02);
    assert.equal(crtc.cursor.enabled, false);
    assert.equal(crtc.cursor.startLine, 2);
    const gen = crtc.generation;
    out(crtc, 0, CrtcReg.CURSOR_END, 0x0f);
    assert.equal(crtc.generation, gen + 1);
  });

  it('masks the index to the register range and reads unknown registers as 0xff', () => {
    const crtc = new VgaCrtc();
    const before = [...crtc.regs];
    out(crtc, 0, 0x3e);
    assert.equal(crtc.index, 0x1e);
    assert.equal(inb(crtc, 1), 0xff);
    out(crtc, 1, 0x12);
    assert.deepEqual([...crtc.regs], before);
  });
});

describe('vga font', () => {
  it('has a distinct, non-empty glyph for every printable ASCII character except space', () => {
    const seen = new Set<string>();
    for (let c = 0x21; c < 0x7f; c++) {
      const rows = glyphRows(c);
      assert.ok(rows.some((r) => r !== 0), `glyph 0x${c.toString(16)} is empty`);
      const key = [...rows].join(',');
      assert.ok(!seen.has(key), `glyph 0x${c.toString(16)} duplicates another`);
      seen.add(key);
    }
    assert.ok(glyphRows(0x20).every((r) => r === 0));
    assert.ok(glyphRows(0).every((r) => r === 0));
    assert.equal(FONT_8X16.length, 256 * GLYPH_HEIGHT);
  });

  it('keeps rows 0-1 and 15 free so lines of text do not touch', () => {
    for (let c = 0x20; c < 0x7f; c++) {
      const rows = glyphRows(c);
      assert.deepEqual([rows[0], rows[1], rows[15]], [0, 0, 0], `glyph 0x${c.toString(16)}`);
    }
  });

  it('draws box lines that meet the neighbouring cells at the edges', () => {
    const horizontal = glyphRows(0xc4);
    const vertical = glyphRows(0xb3);
    const cross = glyphRows(0xc5);
    assert.equal(horizontal.filter((r) => r === 0xff).length, 1);
    assert.ok(vertical.every((r) => r === vertical[0] && r !== 0));
    assert.ok(cross[0] !== 0 && cross[15] !== 0 && cross.some((r) => r === 0xff));
    assert.ok(glyphRows(0xdb).every((r) => r === 0xff));
    assert.ok(glyphRows(0xc9)[15] !== 0 && glyphRows(0xc9)[0] === 0);
  });

  it('shows a hollow box for codes without a glyph', () => {
    const g = glyphRows(0x01);
    assert.equal(g[2], 0x7e);
    assert.equal(g[7], 0x42);
  });
});

describe('vga text renderer', () => {
  it('renders a 640x400 screen with glyph pixels in the attribute colours', () => {
    const text = textBuffer([[0, 0, 'Hi', 0x1e], [24, 79, 'Z', 0x4f]]);
    const fb = renderTextMode(text, state(0, 2000));
    assert.deepEqual([fb.width, fb.height, fb.format], [640, 400, 'bgrx8888']);
    const yellow = CGA_PALETTE[0x0e];
    const blue = CGA_PALETTE[0x01];
    // 'H': left stem at columns 1-2 from row 2 to row 11, crossbar on row 6, background elsewhere.
    const h = glyphRows(0x48);
    for (let gy = 0; gy < 16; gy++) {
      for (let gx = 0; gx < 8; gx++) {
        assert.equal(cellPixel(fb, 0, 0, gx, gy), h[gy] & (0x80 >> gx) ? yellow : blue, `H pixel ${gx},${gy}`);
      }
    }
    assert.equal(cellPixel(fb, 0, 0, 1, 2), yellow);
    assert.equal(cellPixel(fb, 0, 0, 3, 6), yellow);
    assert.equal(cellPixel(fb, 0, 0, 3, 5), blue);
    assert.equal(cellPixel(fb, 1, 0, 3, 5), yellow, "the dot of 'i'");
    assert.equal(cellPixel(fb, 79, 24, 1, 2), CGA_PALETTE[0x0f]);
    assert.equal(cellPixel(fb, 79, 24, 0, 0), CGA_PALETTE[0x04]);
    assert.equal(cellPixel(fb, 2, 0, 3, 5), 0, 'empty cells are black');
  });

  it('treats attribute bit 7 as bright background, or as blink when asked', () => {
    const text = textBuffer([[0, 0, 'A', 0x9c]]);
    assert.equal(cellPixel(renderTextMode(text, state(0, 9999)), 0, 0, 0, 0), CGA_PALETTE[0x09]);
    const blinkOff = renderTextMode(text, state(0, 9999), { blink: true, blinkOn: false });
    assert.equal(cellPixel(blinkOff, 0, 0, 0, 0), CGA_PALETTE[0x01]);
    assert.equal(cellPixel(blinkOff, 0, 0, 3, 2), CGA_PALETTE[0x01], 'the glyph is hidden in the off phase');
    const blinkOn = renderTextMode(text, state(0, 9999), { blink: true, blinkOn: true });
    assert.equal(cellPixel(blinkOn, 0, 0, 3, 2), CGA_PALETTE[0x0c]);
  });

  it('draws the cursor over its scan lines in the cell foreground colour', () => {
    const text = textBuffer([[2, 5, ' ', 0x0a]]);
    const fb = renderTextMode(text, state(0, 2 * 80 + 5, 13, 14));
    for (let gx = 0; gx < 8; gx++) {
      assert.equal(cellPixel(fb, 5, 2, gx, 12), 0);
      assert.equal(cellPixel(fb, 5, 2, gx, 13), CGA_PALETTE[0x0a]);
      assert.equal(cellPixel(fb, 5, 2, gx, 14), CGA_PALETTE[0x0a]);
      assert.equal(cellPixel(fb, 5, 2, gx, 15), 0);
    }
    const none = (s: TextModeState, opts = {}) => cellPixel(renderTextMode(text, s, opts), 5, 2, 0, 13);
    assert.equal(none(state(0, 165, 13, 14, false)), 0, 'disabled');
    assert.equal(none(state(0, 165, 14, 13)), 0, 'start after end');
    assert.equal(none(state(0, 165, 13, 14), { cursorVisible: false }), 0, 'blink phase off');
  });

  it('scrolls with the start address and places the cursor relative to it', () => {
    const text = textBuffer([[1, 0, 'Top', 0x07], [26, 0, 'Low', 0x07]]);
    const s = state(80, 80 + 2);
    assert.deepEqual(textModeLines(text, s).slice(0, 1), ['Top']);
    assert.equal(textModeLines(text, s)[24], '');
    const fb = renderTextMode(text, s);
    assert.equal(cellPixel(fb, 2, 0, 0, 14), CGA_PALETTE[0x07], "the cursor on 'p' of the first screen row");
    assert.equal(cellPixel(fb, 2, 1, 0, 14), 0);
    assert.equal(cellPixel(fb, 0, 0, 1, 2), CGA_PALETTE[0x07], "'T' on the first screen row");
    assert.deepEqual(textModeLines(text, state(2 * 80, 0))[24], 'Low');
  });

  it('wraps cell addresses inside the 32 KiB window and reads short buffers as blank', () => {
    const text = new Uint8Array(0x8000);
    text[0] = 0x41;
    text[1] = 0x07;
    assert.equal(textModeLines(text, state(0x4000, 0))[0][0], 'A');
    const short = renderTextMode(new Uint8Array(10), state(0, 0));
    assert.equal(short.width, 640);
  });
});
