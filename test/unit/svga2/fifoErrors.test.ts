// Malformed FIFO contents: each one stops processing in an error state with a recorded reason, never an exception.
import { strict as assert } from 'node:assert';
import { Cmd, Fifo, Reg, ScreenFlag } from '../../../debug-adapter/src/devices/svga2/svgaConstants';
import { FifoWriter, makeRig, pixelAt, readReg, setMode, writeReg, type Rig } from './svgaTestKit';

const W = 64;
const H = 48;

function ready(): { rig: Rig; fifo: FifoWriter } {
  const rig = makeRig({ vramSize: 1024 * 1024, fifoSize: 64 * 1024 });
  setMode(rig.svga, W, H);
  return { rig, fifo: new FifoWriter(rig).init() };
}

interface Case {
  name: string;
  /** Sets up the bad FIFO; returns the expected command offset, if the fault is in a command. */
  make(fifo: FifoWriter): number | undefined;
  what: RegExp;
}

const at = (fifo: FifoWriter) => fifo.next;

const CASES: Case[] = [
  { name: 'misaligned NEXT_CMD', make: (f) => { f.setWord(Fifo.NEXT_CMD, f.min + 2); return undefined; }, what: /not 4-byte aligned/ },
  { name: 'MIN inside the control words', make: (f) => { f.setWord(Fifo.MIN, 8); return undefined; }, what: /MIN 0x8 overlaps the control words/ },
  { name: 'MAX past the FIFO', make: (f) => { f.setWord(Fifo.MAX, 128 * 1024); return undefined; }, what: /MAX 0x20000 is past the end/ },
  { name: 'ring too small', make: (f) => { f.setWord(Fifo.MAX, f.min + 4096); return undefined; }, what: /smaller than 10240 bytes/ },
  { name: 'MAX below MIN', make: (f) => { f.setWord(Fifo.MAX, f.min - 4); return undefined; }, what: /smaller than/ },
  { name: 'NEXT_CMD outside the ring', make: (f) => { f.setWord(Fifo.NEXT_CMD, f.max); return undefined; }, what: /NEXT_CMD 0x10000 is outside the ring/ },
  { name: 'STOP outside the ring', make: (f) => { f.setWord(Fifo.STOP, 16); return undefined; }, what: /STOP 0x10 is outside the ring/ },
  { name: 'unknown command', make: (f) => { const o = at(f); f.push(77); return o; }, what: /unknown or unsupported command 77/ },
  { name: 'INVALID_CMD (0)', make: (f) => { const o = at(f); f.push(0); return o; }, what: /unknown or unsupported command 0/ },
  { name: 'command larger than the ring', make: (f) => { const o = at(f); f.push(Cmd.ESCAPE, 0, 0x100000); return o; }, what: /needs 1048588 bytes but the ring holds at most/ },
  { name: 'cursor too large', make: (f) => { const o = at(f); f.push(Cmd.DEFINE_CURSOR, 0, 0, 0, 300, 2, 1, 1); return o; }, what: /cursor 300x2 exceeds 256x256/ },
  { name: 'cursor mask depth', make: (f) => { const o = at(f); f.push(Cmd.DEFINE_CURSOR, 0, 0, 0, 2, 2, 8, 1); return o; }, what: /mask depths 8\/1 are not supported/ },
  { name: 'alpha cursor too large', make: (f) => { const o = at(f); f.push(Cmd.DEFINE_ALPHA_CURSOR, 0, 0, 0, 2, 1000); return o; }, what: /alpha cursor 2x1000 exceeds/ },
  { name: 'UPDATE outside the screen', make: (f) => { const o = at(f); f.push(Cmd.UPDATE, 60, 0, 5, 1); return o; }, what: /UPDATE rectangle \(60,0 5x1\) lies outside the 64x48 screen/ },
  { name: 'UPDATE with wrapped-around size', make: (f) => { const o = at(f); f.push(Cmd.UPDATE, 0, 0, 0xffffffff, 1); return o; }, what: /lies outside/ },
  { name: 'RECT_FILL outside the screen', make: (f) => { const o = at(f); f.push(Cmd.RECT_FILL, 1, 0, 47, 1, 2); return o; }, what: /RECT_FILL rectangle \(0,47 1x2\) lies outside/ },
  { name: 'RECT_COPY source outside', make: (f) => { const o = at(f); f.push(Cmd.RECT_COPY, 63, 0, 0, 0, 2, 2); return o; }, what: /RECT_COPY source \(63,0 2x2\) lies outside/ },
  { name: 'RECT_COPY destination outside', make: (f) => { const o = at(f); f.push(Cmd.RECT_COPY, 0, 0, 0, 47, 2, 2); return o; }, what: /RECT_COPY destination \(0,47 2x2\) lies outside/ },
  { name: 'screen structure size', make: (f) => { const o = at(f); f.push(Cmd.DEFINE_SCREEN, 32, 0, 1, 8, 8, 0, 0, 0); return o; }, what: /structure size 32 is not supported/ },
  { name: 'screen without the must-be-set flag', make: (f) => { const o = at(f); f.push(Cmd.DEFINE_SCREEN, 28, 0, ScreenFlag.IS_PRIMARY, 8, 8, 0, 0); return o; }, what: /lack the must-be-set bit/ },
  { name: 'screen backed by a guest GMR', make: (f) => { const o = at(f); f.push(Cmd.DEFINE_SCREEN, 44, 0, 1, 8, 8, 0, 0, 5, 0, 32, 0); return o; }, what: /backing store GMR 0x5 is not supported/ },
  { name: 'destroying a missing screen', make: (f) => { const o = at(f); f.push(Cmd.DESTROY_SCREEN, 4); return o; }, what: /screen 4, which does not exist/ },
  { name: 'GMRFB in a guest GMR', make: (f) => { const o = at(f); f.push(Cmd.DEFINE_GMRFB, 3, 0, 256, 32); return o; }, what: /DEFINE_GMRFB GMR 0x3 is not supported/ },
  { name: 'GMRFB at 16 bpp', make: (f) => { const o = at(f); f.push(Cmd.DEFINE_GMRFB, 0xfffffffe, 0, 256, 16); return o; }, what: /format 16 bpp is not supported/ },
  { name: 'blit before DEFINE_GMRFB', make: (f) => { const o = at(f); f.push(Cmd.BLIT_GMRFB_TO_SCREEN, 0, 0, 0, 0, 1, 1, 0); return o; }, what: /comes before any DEFINE_GMRFB/ },
  {
    name: 'blit outside the screen',
    make: (f) => {
      f.push(Cmd.DEFINE_SCREEN, 28, 0, 3, 8, 8, 0, 0, Cmd.DEFINE_GMRFB, 0xfffffffe, 0, 256, 32);
      const o = at(f);
      f.push(Cmd.BLIT_GMRFB_TO_SCREEN, 0, 0, 4, 4, 9, 5, 0);
      return o;
    },
    what: /rectangle \(4,4 5x1\) lies outside screen 0 \(8x8\)/,
  },
  {
    name: 'blit source past VRAM',
    make: (f) => {
      f.push(Cmd.DEFINE_SCREEN, 28, 0, 3, 8, 8, 0, 0, Cmd.DEFINE_GMRFB, 0xfffffffe, 1024 * 1024 - 256, 256, 32);
      const o = at(f);
      f.push(Cmd.BLIT_GMRFB_TO_SCREEN, 0, 0, 0, 0, 2, 2, 0);
      return o;
    },
    what: /source \(0,0 2x2\) lies outside the GMR framebuffer/,
  },
  { name: 'inverted blit rectangle', make: (f) => { const o = at(f); f.push(Cmd.BLIT_GMRFB_TO_SCREEN, 0, 0, 5, 5, 4, 6, 0); return o; }, what: /is inverted/ },
];

describe('svga2 malformed FIFO', () => {
  for (const c of CASES) {
    it(`enters the error state on ${c.name}`, () => {
      const { rig, fifo } = ready();
      const offset = c.make(fifo);
      // A command after the bad one must not run.
      const tailFill = [Cmd.RECT_FILL, 0xffffff, 0, 0, 1, 1];
      if (offset !== undefined) fifo.push(...tailFill);
      assert.doesNotThrow(() => writeReg(rig.svga, Reg.SYNC, 1));
      const errs = rig.svga.errors();
      assert.equal(rig.svga.inErrorState, true);
      assert.equal(errs.length, 1);
      assert.match(errs[0].what, c.what);
      assert.equal(errs[0].commandOffset, offset);
      assert.match(errs[0].message, /^SVGA FIFO: .*MIN 0x[0-9a-f]+ MAX 0x[0-9a-f]+ NEXT_CMD 0x[0-9a-f]+ STOP 0x[0-9a-f]+$/);
      if (offset !== undefined) assert.equal(fifo.stop, offset, 'STOP rests on the failing command');
      assert.equal(pixelAt(rig.vram, W * 4, 0, 0), 0);
      // The device stays stopped, and says it is idle rather than spinning the driver forever.
      assert.equal(rig.svga.processFifo().skipped, 'error-state');
      assert.equal(readReg(rig.svga, Reg.BUSY), 0);
    });
  }

  it('counts the commands completed before the failure', () => {
    const { rig, fifo } = ready();
    fifo.push(Cmd.NOP, Cmd.UPDATE, 0, 0, 1, 1, 1234).sync();
    assert.equal(rig.svga.commandCount, 2);
    assert.equal(rig.svga.errors()[0].commandId, 1234);
    assert.match(rig.svga.errors()[0].message, /CMD_1234 at FIFO offset 0x1018/);
  });

  it('treats a partly written command as truncated only when asked for a final drain', () => {
    const { rig, fifo } = ready();
    fifo.push(Cmd.RECT_FILL, 1, 2);
    assert.equal(rig.svga.processFifo().pending, true);
    assert.equal(rig.svga.inErrorState, false);
    const r = rig.svga.processFifo({ requireComplete: true });
    assert.match(r.error?.what ?? '', /truncated: 3 of 6 words present/);
    assert.equal(rig.svga.inErrorState, true);
  });

  it('recovers when the guest sets the FIFO up again (CONFIG_DONE 0 then 1)', () => {
    const { rig, fifo } = ready();
    fifo.push(4242).sync();
    assert.equal(rig.svga.inErrorState, true);
    writeReg(rig.svga, Reg.CONFIG_DONE, 0);
    const again = new FifoWriter(rig).init();
    again.push(Cmd.RECT_FILL, 0x0000ff, 0, 0, 1, 1).sync();
    assert.equal(rig.svga.inErrorState, false);
    assert.equal(pixelAt(rig.vram, W * 4, 0, 0), 0xff);
    assert.equal(rig.svga.errors().length, 1, 'the history keeps the old error');
  });

  it('refuses a host-backed screen beyond the screen memory budget', () => {
    const rig = makeRig({ vramSize: 64 * 1024, fifoSize: 64 * 1024 });
    const fifo = new FifoWriter(rig).init();
    fifo.push(Cmd.DEFINE_SCREEN, 28, 0, 1, 128, 129, 0, 0).sync();
    assert.match(rig.svga.errors()[0]?.what ?? '', /exceeds the 65536-byte screen memory/);
  });
});
