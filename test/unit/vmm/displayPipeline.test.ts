// The worker's display pipeline without KVM: text screen diffs, SVGA FIFO and dirty-log updates, source switches, key frames.
import assert from 'node:assert/strict';
import { Cmd, Reg, SVGA_ID_2 } from '../../../debug-adapter/src/devices/svga2/svgaConstants';
import { GLYPH_HEIGHT, GLYPH_WIDTH } from '../../../debug-adapter/src/devices/vga/font8x16';
import { CrtcReg, VgaCrtc } from '../../../debug-adapter/src/devices/vga/vgaCrtc';
import { DIRTY_PAGE_SIZE } from '../../../debug-adapter/src/display/dirtyTracker';
import { decodeFrameUpdate } from '../../../debug-adapter/src/display/frameDecoder';
import { readPixelRgb } from '../../../debug-adapter/src/display/framebuffer';
import { DisplayPipeline } from '../../../debug-adapter/src/vmm/display/displayPipeline';
import { TextScreen } from '../../../debug-adapter/src/vmm/display/textScreen';
import { FifoWriter, makeRig, writeReg, type Rig } from '../svga2/svgaTestKit';

const TEXT_BYTES = 0x8000;

function textRig() {
  const text = new Uint8Array(TEXT_BYTES);
  const crtc = new VgaCrtc();
  const screen = new TextScreen(() => text, crtc);
  return { text, crtc, screen };
}

function putChar(text: Uint8Array, col: number, row: number, ch: string, attr: number): void {
  const o = (row * 80 + col) * 2;
  text[o] = ch.charCodeAt(0);
  text[o + 1] = attr;
}

function setCrtc(crtc: VgaCrtc, reg: number, value: number): void {
  crtc.regs[reg] = value;
  crtc.generation++;
}

/** The device enabled in a mode, FIFO set up (so only UPDATEs and fills report damage). */
function svgaRig(width = 320, height = 200): { rig: Rig; fifo: FifoWriter; dirtyLog: { next?: Uint8Array } } {
  const rig = makeRig({ vramSize: 1 << 20, fifoSize: 1 << 16 });
  writeReg(rig.svga, Reg.ID, SVGA_ID_2);
  writeReg(rig.svga, Reg.WIDTH, width);
  writeReg(rig.svga, Reg.HEIGHT, height);
  writeReg(rig.svga, Reg.ENABLE, 1);
  const fifo = new FifoWriter(rig).init();
  return { rig, fifo, dirtyLog: {} };
}

function pipelineFor(rig: Rig, dirtyLog: { next?: Uint8Array }, text = textRig()) {
  return new DisplayPipeline({
    svga: rig.svga,
    readVramDirtyLog: () => { const b = dirtyLog.next; dirtyLog.next = undefined; return b; },
    text: text.screen,
  });
}

describe('display pipeline: VGA text', () => {
  it('sends the whole 640x400 screen first, then nothing until the text changes, then just the changed cell', () => {
    const t = textRig();
    const p = new DisplayPipeline({ text: t.screen });
    putChar(t.text, 0, 0, 'A', 0x1f);
    const first = decodeFrameUpdate(p.tick()!);
    assert.deepEqual([first.width, first.height, first.modeChanged, first.sequence], [640, 400, true, 0]);
    assert.deepEqual(first.rects.map(({ x, y, width, height }) => ({ x, y, width, height })), [{ x: 0, y: 0, width: 640, height: 400 }]);
    assert.equal(p.tick(), undefined);

    putChar(t.text, 10, 3, 'Z', 0x1f);
    const u = decodeFrameUpdate(p.tick()!);
    assert.equal(u.modeChanged, false);
    assert.equal(u.sequence, 1);
    assert.equal(u.rects.length, 1);
    const r = u.rects[0];
    // The diff is pixel-tight, so it lies inside the cell at column 10, row 3.
    assert.ok(r.x >= 10 * GLYPH_WIDTH && r.x + r.width <= 11 * GLYPH_WIDTH, JSON.stringify(r));
    assert.ok(r.y >= 3 * GLYPH_HEIGHT && r.y + r.height <= 4 * GLYPH_HEIGHT, JSON.stringify(r));
  });

  it('redraws when only the CRTC changed (the cursor moved)', () => {
    const t = textRig();
    const p = new DisplayPipeline({ text: t.screen });
    for (let c = 0; c < 80; c++) putChar(t.text, c, 5, ' ', 0x07);
    p.tick();
    const at = 5 * 80 + 7;
    setCrtc(t.crtc, CrtcReg.CURSOR_LOCATION_HIGH, at >> 8);
    setCrtc(t.crtc, CrtcReg.CURSOR_LOCATION_LOW, at & 0xff);
    const u = decodeFrameUpdate(p.tick()!);
    assert.equal(u.rects.length, 1);
    assert.ok(u.rects[0].y >= 5 * GLYPH_HEIGHT && u.rects[0].x >= 7 * GLYPH_WIDTH);
  });

  it('screenshot() is a private copy of the current text screen', () => {
    const t = textRig();
    const p = new DisplayPipeline({ text: t.screen });
    putChar(t.text, 0, 0, ' ', 0x10);
    const shot = p.screenshot()!;
    assert.equal(readPixelRgb(shot, 0, 0), 0x0000aa);
    putChar(t.text, 0, 0, ' ', 0x40);
    assert.equal(readPixelRgb(shot, 0, 0), 0x0000aa, 'the copy does not follow the guest');
    assert.equal(readPixelRgb(p.screenshot()!, 0, 0), 0xaa0000);
  });
});

describe('display pipeline: SVGA', () => {
  it('runs the FIFO on a tick and sends the filled rectangle in the mode the guest set', () => {
    const { rig, fifo, dirtyLog } = svgaRig();
    const p = pipelineFor(rig, dirtyLog);
    const first = decodeFrameUpdate(p.tick()!);
    assert.deepEqual([first.width, first.height, first.modeChanged], [320, 200, true]);
    fifo.push(Cmd.RECT_FILL, 0x00ff8000, 10, 20, 30, 40);
    const u = decodeFrameUpdate(p.tick()!);
    assert.equal(u.modeChanged, false);
    assert.deepEqual(u.rects.map(({ x, y, width, height }) => [x, y, width, height]), [[10, 20, 30, 40]]);
    // BGRX bytes of 0xff8000.
    assert.deepEqual([...u.rects[0].pixels.subarray(0, 4)], [0x00, 0x80, 0xff, 0x00]);
    assert.equal(p.tick(), undefined, 'nothing new');
  });

  it('folds the VRAM dirty log in while the FIFO is not configured, and ignores it once UPDATEs report damage', () => {
    const rig = makeRig({ vramSize: 1 << 20, fifoSize: 1 << 16 });
    writeReg(rig.svga, Reg.WIDTH, 1024);
    writeReg(rig.svga, Reg.HEIGHT, 100);
    writeReg(rig.svga, Reg.ENABLE, 1);
    const dirtyLog: { next?: Uint8Array } = {};
    const p = pipelineFor(rig, dirtyLog);
    p.tick();
    // Page 3 of VRAM holds row 3 (pitch 4096 = one page per row).
    const bitmap = new Uint8Array(32);
    bitmap[0] = 1 << 3;
    rig.vram.fill(0xff, 3 * DIRTY_PAGE_SIZE, 4 * DIRTY_PAGE_SIZE);
    dirtyLog.next = bitmap;
    const u = decodeFrameUpdate(p.tick()!);
    assert.deepEqual(u.rects.map(({ x, y, width, height }) => [x, y, width, height]), [[0, 3, 1024, 1]]);

    new FifoWriter(rig).init();
    p.tick();
    dirtyLog.next = bitmap;
    assert.equal(p.tick(), undefined, 'with the FIFO running, the guest reports its own damage');
  });

  it('switches between SVGA and text with a full-screen mode-changed frame each way', () => {
    const { rig, dirtyLog } = svgaRig(256, 128);
    const t = textRig();
    const p = pipelineFor(rig, dirtyLog, t);
    assert.equal(decodeFrameUpdate(p.tick()!).width, 256);
    writeReg(rig.svga, Reg.ENABLE, 0);
    const text = decodeFrameUpdate(p.tick()!);
    assert.deepEqual([text.width, text.height, text.modeChanged, text.rects.length], [640, 400, true, 1]);
    writeReg(rig.svga, Reg.ENABLE, 1);
    const back = decodeFrameUpdate(p.tick()!);
    assert.deepEqual([back.width, back.height, back.modeChanged], [256, 128, true]);
    assert.deepEqual(p.size, { width: 256, height: 128 });
  });

  it('keeps the last picture while the device is hidden; a key frame is the whole screen and leaves the stream alone', () => {
    const { rig, fifo, dirtyLog } = svgaRig(64, 64);
    const p = pipelineFor(rig, dirtyLog);
    assert.equal(decodeFrameUpdate(p.tick()!).sequence, 0);
    writeReg(rig.svga, Reg.ENABLE, 3);
    assert.equal(p.tick(), undefined);
    assert.equal(p.keyFrame(), undefined, 'nothing is shown while hidden');
    writeReg(rig.svga, Reg.ENABLE, 1);
    fifo.push(Cmd.RECT_FILL, 0x123456, 0, 0, 64, 64);
    const key = decodeFrameUpdate(p.keyFrame()!);
    assert.equal(key.modeChanged, true);
    assert.equal(key.sequence, 0, 'the number of the last update sent');
    assert.deepEqual(key.rects.map(({ x, y, width, height }) => [x, y, width, height]), [[0, 0, 64, 64]]);
    assert.deepEqual([...key.rects[0].pixels.subarray(0, 4)], [0x56, 0x34, 0x12, 0x00]);
    const next = decodeFrameUpdate(p.tick()!);
    assert.equal(next.sequence, 1, 'the stream goes on without a gap');
    assert.equal(readPixelRgb(p.screenshot()!, 63, 63), 0x123456);
  });

  it('the final frame closes the stream: whole screen, next sequence number, pending damage consumed', () => {
    const { rig, fifo, dirtyLog } = svgaRig(32, 16);
    const p = pipelineFor(rig, dirtyLog);
    p.tick();
    fifo.push(Cmd.RECT_FILL, 0xff0000, 1, 1, 2, 2);
    const last = decodeFrameUpdate(p.finalFrame()!);
    assert.deepEqual([last.sequence, last.modeChanged, last.rects.length, last.rects[0].width], [1, true, 1, 32]);
    assert.equal(p.tick(), undefined);
  });

  it('a text key frame does not hide a text change from the next tick', () => {
    const t = textRig();
    const p = new DisplayPipeline({ text: t.screen });
    p.tick();
    putChar(t.text, 2, 2, 'X', 0x0f);
    assert.equal(decodeFrameUpdate(p.keyFrame()!).width, 640);
    const u = decodeFrameUpdate(p.tick()!);
    assert.equal(u.rects.length, 1);
    assert.ok(u.rects[0].x >= 16 && u.rects[0].y >= 32);
  });
});
