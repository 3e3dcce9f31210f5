// SVGA II FIFO commands: pixel-exact fills and copies, update rectangles, cursors, escapes, screens, SYNC/BUSY.
import { strict as assert } from 'node:assert';
import { Cmd, Fifo, GMR_FRAMEBUFFER, Reg, ScreenFlag, SCREEN_ID_VIRTUAL } from '../../../debug-adapter/src/devices/svga2/svgaConstants';
import { FifoWriter, makeRig, paintPattern, patternAt, pixelAt, readReg, setMode, writeReg, type Rig } from './svgaTestKit';

const W = 64;
const H = 48;
const PITCH = W * 4;

function ready(): { rig: Rig; fifo: FifoWriter } {
  const rig = makeRig({ vramSize: 1024 * 1024, fifoSize: 64 * 1024 });
  setMode(rig.svga, W, H);
  const fifo = new FifoWriter(rig).init();
  rig.svga.collectUpdate();
  return { rig, fifo };
}

describe('svga2 FIFO commands', () => {
  describe('RECT_FILL', () => {
    it('fills exactly the rectangle with the raw pixel value', () => {
      const { rig, fifo } = ready();
      fifo.push(Cmd.RECT_FILL, 0x00ff8040, 3, 5, 4, 2).sync();
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const inside = x >= 3 && x < 7 && y >= 5 && y < 7;
          assert.equal(pixelAt(rig.vram, PITCH, x, y), inside ? 0xff8040 : 0, `pixel ${x},${y}`);
        }
      }
      assert.deepEqual([...rig.vram.subarray(5 * PITCH + 12, 5 * PITCH + 16)], [0x40, 0x80, 0xff, 0x00]);
      assert.equal(rig.svga.commandCount, 1);
    });

    it('fills the whole screen and a one-pixel rectangle at the last corner', () => {
      const { rig, fifo } = ready();
      fifo.push(Cmd.RECT_FILL, 0x123456, 0, 0, W, H, Cmd.RECT_FILL, 0xabcdef, W - 1, H - 1, 1, 1).sync();
      assert.equal(pixelAt(rig.vram, PITCH, 0, 0), 0x123456);
      assert.equal(pixelAt(rig.vram, PITCH, W - 2, H - 1), 0x123456);
      assert.equal(pixelAt(rig.vram, PITCH, W - 1, H - 1), 0xabcdef);
      assert.equal(rig.vram[H * PITCH], 0, 'nothing written past the frame');
    });
  });

  describe('RECT_COPY', () => {
    const cases: [string, number, number, number, number, number, number][] = [
      ['disjoint', 0, 0, 30, 20, 10, 8],
      ['overlapping down-right', 4, 4, 7, 6, 20, 15],
      ['overlapping up-left', 7, 6, 4, 4, 20, 15],
      ['same rows, shifted right', 2, 10, 5, 10, 30, 3],
      ['same rows, shifted left', 5, 10, 2, 10, 30, 3],
      ['one row down, full width', 0, 0, 0, 1, W, H - 1],
    ];
    for (const [name, sx, sy, dx, dy, w, h] of cases) {
      it(`copies like memmove (${name})`, () => {
        const { rig, fifo } = ready();
        paintPattern(rig.vram, PITCH, W, H);
        fifo.push(Cmd.RECT_COPY, sx, sy, dx, dy, w, h).sync();
        assert.equal(rig.svga.inErrorState, false, rig.svga.errors()[0]?.message);
        for (let y = 0; y < H; y++) {
          for (let x = 0; x < W; x++) {
            const inDst = x >= dx && x < dx + w && y >= dy && y < dy + h;
            const want = inDst ? patternAt(x - dx + sx, y - dy + sy) : patternAt(x, y);
            assert.equal(pixelAt(rig.vram, PITCH, x, y), want, `pixel ${x},${y}`);
          }
        }
        assert.deepEqual(rig.svga.collectUpdate()?.rects, [{ x: dx, y: dy, width: w, height: h }]);
      });
    }
  });

  describe('UPDATE', () => {
    it('collects update rectangles, merging touching ones', () => {
      const { rig, fifo } = ready();
      fifo.push(Cmd.UPDATE, 0, 0, 10, 10, Cmd.UPDATE, 10, 0, 10, 10, Cmd.UPDATE, 40, 30, 4, 4).sync();
      const u = rig.svga.collectUpdate();
      assert.ok(u);
      assert.equal(u.modeChanged, false);
      assert.deepEqual(u.rects, [{ x: 0, y: 0, width: 20, height: 10 }, { x: 40, y: 30, width: 4, height: 4 }]);
      assert.equal(u.framebuffer.width, W);
      assert.equal(u.framebuffer.stride, PITCH);
      assert.equal(rig.svga.collectUpdate(), undefined);
    });

    it('reads five words for UPDATE_VERBOSE, keeping the ring in step', () => {
      const { rig, fifo } = ready();
      fifo.push(Cmd.UPDATE_VERBOSE, 1, 2, 3, 4, 0xcafe, Cmd.RECT_FILL, 0xff, 0, 0, 1, 1).sync();
      assert.equal(rig.svga.commandCount, 2);
      assert.equal(pixelAt(rig.vram, PITCH, 0, 0), 0xff);
      assert.deepEqual(rig.svga.collectUpdate()?.rects, [{ x: 1, y: 2, width: 3, height: 4 }, { x: 0, y: 0, width: 1, height: 1 }]);
    });

    it('reports a full-screen mode change after WIDTH/HEIGHT change', () => {
      const { rig } = ready();
      writeReg(rig.svga, Reg.WIDTH, 32);
      const u = rig.svga.collectUpdate();
      assert.equal(u?.modeChanged, true);
      assert.deepEqual(u?.rects, [{ x: 0, y: 0, width: 32, height: H }]);
    });
  });

  describe('ring mechanics', () => {
    it('reads a command that wraps from MAX back to MIN', () => {
      const { rig, fifo } = ready();
      const start = fifo.max - 8;
      fifo.setWord(Fifo.NEXT_CMD, start);
      fifo.setWord(Fifo.STOP, start);
      fifo.push(Cmd.RECT_FILL, 0x00aa00, 1, 1, 2, 2).sync();
      assert.equal(fifo.stop, fifo.min + 16);
      assert.equal(pixelAt(rig.vram, PITCH, 2, 2), 0x00aa00);
    });

    it('waits for a partly written command and runs it once complete', () => {
      const { rig, fifo } = ready();
      fifo.push(Cmd.RECT_FILL, 0x0000ff, 0);
      const r = rig.svga.processFifo();
      assert.deepEqual([r.processed, r.pending, r.drained, !!r.error], [0, true, false, false]);
      assert.equal(readReg(rig.svga, Reg.BUSY), 1);
      assert.equal(fifo.stop, fifo.min);
      fifo.push(0, 5, 5);
      assert.equal(readReg(rig.svga, Reg.BUSY), 0);
      assert.equal(pixelAt(rig.vram, PITCH, 4, 4), 0xff);
    });

    it('processes on SYNC, clears the FIFO BUSY doorbell flag and drains on BUSY reads', () => {
      const { rig, fifo } = ready();
      fifo.push(Cmd.UPDATE, 0, 0, 1, 1).sync();
      assert.equal(fifo.word(Fifo.BUSY), 0);
      assert.equal(fifo.stop, fifo.next);
      fifo.push(Cmd.NOP);
      assert.equal(readReg(rig.svga, Reg.BUSY), 0);
      assert.equal(rig.svga.commandCount, 2);
    });

    it('bounds one pass and resumes in the next', () => {
      const rig = makeRig({ vramSize: 1024 * 1024, fifoSize: 64 * 1024, maxCommandsPerRun: 3 });
      const fifo = new FifoWriter(rig).init();
      for (let i = 0; i < 5; i++) fifo.push(Cmd.NOP);
      assert.deepEqual([rig.svga.processFifo().processed, rig.svga.processFifo().processed], [3, 2]);
    });

    it('does nothing before CONFIG_DONE', () => {
      const rig = makeRig({ vramSize: 1024 * 1024 });
      const r = rig.svga.processFifo();
      assert.equal(r.skipped, 'not-configured');
    });
  });

  describe('cursor', () => {
    it('decodes a 1-bit AND/XOR cursor (transparent, black, white)', () => {
      const { rig, fifo } = ready();
      // 4x2 cursor: row 0 AND = 1100 (transparent, transparent, opaque, opaque), XOR = 0110
      // row 1 AND = 0000, XOR = 1010. Mono masks are MSB first in each byte, one word per row.
      fifo.push(Cmd.DEFINE_CURSOR, 0, 1, 0, 4, 2, 1, 1, 0xc0, 0x00, 0x60, 0xa0).sync();
      const c = rig.svga.cursor();
      assert.ok(c.image);
      assert.deepEqual([c.image.width, c.image.height, c.image.hotspotX, c.image.hotspotY], [4, 2, 1, 0]);
      const alpha = (x: number, y: number) => c.image!.bgra[(y * 4 + x) * 4 + 3];
      const rgb = (x: number, y: number) => c.image!.bgra[(y * 4 + x) * 4];
      assert.deepEqual([alpha(0, 0), alpha(1, 0), alpha(2, 0), alpha(3, 0)], [0, 255, 255, 255]);
      assert.deepEqual([rgb(1, 0), rgb(2, 0), rgb(3, 0)], [255, 255, 0]);
      assert.deepEqual([rgb(0, 1), rgb(1, 1), rgb(2, 1), rgb(3, 1)], [255, 0, 255, 0]);
    });

    it('decodes a 32-bit XOR cursor and keeps the ring in step', () => {
      const { rig, fifo } = ready();
      fifo.push(Cmd.DEFINE_CURSOR, 0, 0, 0, 2, 1, 1, 32, 0x00000040, 0x112233, 0, Cmd.NOP).sync();
      const img = rig.svga.cursor().image!;
      assert.deepEqual([...img.bgra], [0x33, 0x22, 0x11, 255, 0, 0, 0, 0]);
      assert.equal(rig.svga.commandCount, 2);
    });

    it('takes premultiplied BGRA for the alpha cursor', () => {
      const { rig, fifo } = ready();
      fifo.push(Cmd.DEFINE_ALPHA_CURSOR, 0, 1, 1, 2, 1, 0x80402010, 0xff0000ff).sync();
      const img = rig.svga.cursor().image!;
      assert.deepEqual([...img.bgra], [0x10, 0x20, 0x40, 0x80, 0xff, 0x00, 0x00, 0xff]);
    });

    it('follows FIFO cursor bypass 3 when CURSOR_COUNT changes, and composites into snapshots', () => {
      const { rig, fifo } = ready();
      fifo.push(Cmd.DEFINE_ALPHA_CURSOR, 0, 0, 0, 1, 1, 0xff00ff00).sync();
      fifo.setWord(Fifo.CURSOR_ON, 1);
      fifo.setWord(Fifo.CURSOR_X, 5);
      fifo.setWord(Fifo.CURSOR_Y, 6);
      fifo.setWord(Fifo.CURSOR_COUNT, 1);
      rig.svga.processFifo();
      const c = rig.svga.cursor();
      assert.deepEqual([c.x, c.y, c.visible], [5, 6, true]);
      assert.equal(fifo.word(Fifo.CURSOR_LAST_UPDATED), 1);
      const shot = rig.svga.snapshot({ withCursor: true })!;
      assert.equal(pixelAt(shot.bytes, shot.stride, 5, 6), 0x00ff00);
      assert.equal(pixelAt(rig.svga.snapshot()!.bytes, PITCH, 5, 6), 0);
    });
  });

  it('records ESCAPE payloads', () => {
    const { rig, fifo } = ready();
    fifo.push(Cmd.ESCAPE, 0, 6, 0x00020001, 0x0000beef, Cmd.NOP).sync();
    assert.equal(rig.svga.escapes().length, 1);
    const e = rig.svga.escapes()[0];
    assert.deepEqual([e.nsid, e.size, [...e.payload]], [0, 6, [1, 0, 2, 0, 0xef, 0xbe]]);
    assert.equal(rig.svga.commandCount, 2);
  });

  describe('screen objects and the GMR framebuffer', () => {
    it('defines a host-backed primary screen and blits from VRAM into it', () => {
      const { rig, fifo } = ready();
      paintPattern(rig.vram, PITCH, W, H);
      fifo.push(Cmd.DEFINE_SCREEN, 28, 7, ScreenFlag.MUST_BE_SET | ScreenFlag.IS_PRIMARY, 16, 8, 0, 0);
      fifo.push(Cmd.DEFINE_GMRFB, GMR_FRAMEBUFFER, 0, PITCH, (24 << 8) | 32);
      fifo.push(Cmd.ANNOTATION_FILL, 0, Cmd.BLIT_GMRFB_TO_SCREEN, 3, 4, 2, 1, 6, 3, 7).sync();
      assert.equal(rig.svga.inErrorState, false, rig.svga.errors()[0]?.message);
      const sc = rig.svga.scanout();
      assert.deepEqual([sc.source, sc.width, sc.height, sc.screenId], ['screen', 16, 8, 7]);
      const fb = rig.svga.framebufferView()!;
      assert.equal(pixelAt(fb.bytes, fb.stride, 2, 1), patternAt(3, 4));
      assert.equal(pixelAt(fb.bytes, fb.stride, 5, 2), patternAt(6, 5));
      assert.equal(pixelAt(fb.bytes, fb.stride, 6, 2), 0);
      const u = rig.svga.collectUpdate();
      assert.equal(u?.modeChanged, true);
    });

    it('blits in virtual coordinates across screens, and back to VRAM', () => {
      const { rig, fifo } = ready();
      paintPattern(rig.vram, PITCH, W, H);
      fifo.push(Cmd.DEFINE_SCREEN, 28, 0, ScreenFlag.MUST_BE_SET | ScreenFlag.IS_PRIMARY, 8, 8, 0, 0);
      fifo.push(Cmd.DEFINE_SCREEN, 28, 1, ScreenFlag.MUST_BE_SET, 8, 8, 8, 0);
      fifo.push(Cmd.DEFINE_GMRFB, GMR_FRAMEBUFFER, 0, PITCH, 32);
      fifo.push(Cmd.BLIT_GMRFB_TO_SCREEN, 0, 0, 6, 0, 10, 2, SCREEN_ID_VIRTUAL).sync();
      const s0 = rig.svga.screens.get(0)!.surface;
      const s1 = rig.svga.screens.get(1)!.surface;
      assert.equal(pixelAt(s0.bytes, s0.pitch, 7, 1), patternAt(1, 1));
      assert.equal(pixelAt(s1.bytes, s1.pitch, 0, 0), patternAt(2, 0));
      assert.equal(pixelAt(s1.bytes, s1.pitch, 1, 1), patternAt(3, 1));
      // Copy screen 1's top-left 2x2 to VRAM (40, 40).
      fifo.push(Cmd.BLIT_SCREEN_TO_GMRFB, 40, 40, 0, 0, 2, 2, 1).sync();
      assert.equal(pixelAt(rig.vram, PITCH, 41, 41), patternAt(3, 1));
      fifo.push(Cmd.DESTROY_SCREEN, 1).sync();
      assert.equal(rig.svga.screens.size, 1);
    });

    it('shows a version 2 screen backed by VRAM', () => {
      const { rig, fifo } = ready();
      paintPattern(rig.vram, PITCH, W, H);
      fifo.push(Cmd.DEFINE_SCREEN, 44, 3, ScreenFlag.MUST_BE_SET | ScreenFlag.IS_PRIMARY, 4, 4, 0, 0, GMR_FRAMEBUFFER, PITCH + 8, PITCH, 0).sync();
      const fb = rig.svga.framebufferView()!;
      assert.equal(pixelAt(fb.bytes, fb.stride, 0, 0), patternAt(2, 1));
    });
  });
});
