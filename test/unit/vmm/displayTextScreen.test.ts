// The text screen source: renders lazily, reports nothing when neither text nor CRTC changed, and a forced update is full.
import assert from 'node:assert/strict';
import { CrtcReg, VgaCrtc } from '../../../debug-adapter/src/devices/vga/vgaCrtc';
import { readPixelRgb } from '../../../debug-adapter/src/display/framebuffer';
import { TextScreen } from '../../../debug-adapter/src/vmm/display/textScreen';

describe('text screen source', () => {
  it('renders on first use and then only when the text window changed', () => {
    const text = new Uint8Array(0x8000);
    const screen = new TextScreen(() => text, new VgaCrtc());
    const first = screen.update()!;
    assert.deepEqual(first.rects, [{ x: 0, y: 0, width: 640, height: 400 }]);
    assert.equal(screen.update(), undefined);
    // Column 5 (away from the cursor the CRTC leaves at cell 0): a space on black over a NUL on black changes
    // bytes but no pixels, so it is rendered and diffs to nothing.
    text[5 * 2] = 0x20;
    assert.equal(screen.update(), undefined);
    text[5 * 2 + 1] = 0x40;
    const u = screen.update()!;
    assert.deepEqual(u.rects, [{ x: 40, y: 0, width: 8, height: 16 }]);
    assert.equal(readPixelRgb(screen.current(), 40, 0), 0xaa0000);
  });

  it('a forced update reports the whole screen even when nothing changed', () => {
    const text = new Uint8Array(0x8000);
    const screen = new TextScreen(() => text, new VgaCrtc());
    screen.update();
    assert.deepEqual(screen.update(true)!.rects, [{ x: 0, y: 0, width: 640, height: 400 }]);
  });

  it('follows the CRTC display start address (hardware scrolling)', () => {
    const text = new Uint8Array(0x8000);
    text[80 * 2 + 1] = 0x20; // row 1, column 0: green background
    const crtc = new VgaCrtc();
    const screen = new TextScreen(() => text, crtc);
    assert.equal(readPixelRgb(screen.current(), 0, 16), 0x00aa00);
    crtc.regs[CrtcReg.START_ADDRESS_LOW] = 80;
    crtc.generation++;
    const u = screen.update()!;
    assert.ok(u.rects.some((r) => r.y === 0));
    assert.equal(readPixelRgb(screen.current(), 0, 0), 0x00aa00);
  });
});
