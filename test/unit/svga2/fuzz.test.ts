// Random register, port and FIFO traffic against the SVGA II device: no exceptions, and every piece of state stays bounded.
import { strict as assert } from 'node:assert';
import { Cmd, Fifo, PALETTE_BASE, Reg, SCRATCH_BASE } from '../../../debug-adapter/src/devices/svga2/svgaConstants';
import { DEFAULT_MAX_RECTS } from '../../../debug-adapter/src/display/dirtyTracker';
import { RecordingIrq, ctx, makeRig, type Rig } from './svgaTestKit';
import { mulberry32 } from '../../support/mulberry32';

const OPERATIONS = 100_000;
const MAX_DIM = 512;
const COMMAND_IDS = Object.values(Cmd);

class Fuzzer {
  private readonly rnd: () => number;
  readonly rig: Rig;
  readonly irq = new RecordingIrq();
  /** How often each command id reached its handler. */
  readonly seen = new Map<number, number>();
  private readonly dv: DataView;

  constructor(seed: number) {
    this.rnd = mulberry32(seed);
    this.rig = makeRig({ vramSize: 1024 * 1024, fifoSize: 64 * 1024, maxWidth: MAX_DIM, maxHeight: MAX_DIM, irq: this.irq, onCommand: (id) => { this.seen.set(id, (this.seen.get(id) ?? 0) + 1); } });
    this.dv = this.rig.fifoWords;
  }

  int(n: number): number { return Math.floor(this.rnd() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }

  /** Values that hit edges more often than a uniform u32 would. */
  value(): number {
    switch (this.int(6)) {
      case 0: return this.int(4);
      case 1: return this.int(MAX_DIM + 64);
      case 2: return 0xffffffff - this.int(4);
      case 3: return (this.int(0x10000) * 4) >>> 0;
      case 4: return 0x90000000 + this.int(4);
      default: return this.int(0x100000000) >>> 0;
    }
  }

  register(): number {
    switch (this.int(5)) {
      case 0: return PALETTE_BASE + this.int(800);
      case 1: return SCRATCH_BASE + this.int(80);
      case 2: return this.int(0x100000000) >>> 0;
      default: return this.int(Reg.TOP + 4);
    }
  }

  step(): void {
    const { svga } = this.rig;
    const r = this.int(100);
    if (r < 20) svga.writeRegister(this.register(), this.value());
    else if (r < 26) svga.readRegister(this.register());
    else if (r < 50) this.pushCommand();
    else if (r < 56) this.dv.setUint32(this.int(this.rig.fifo.length / 4) * 4, this.value(), true);
    else if (r < 59) this.setPointers();
    else if (r < 72) svga.processFifo({ requireComplete: this.int(8) === 0 });
    else if (r < 79) this.portAccess();
    else if (r < 81) svga.writeRegister(Reg.CONFIG_DONE, this.int(2));
    else if (r < 90) this.reinitialise();
    else if (r < 94) svga.collectUpdate();
    else if (r < 96) svga.markDirtyPages(Uint8Array.from({ length: this.int(40) }, () => this.int(256)), this.int(2) ? 0 : this.value());
    else if (r < 97) svga.snapshot({ withCursor: true });
    else svga.writeRegister(Reg.ENABLE, this.int(4));
  }

  /** A plausible command at NEXT_CMD: a real id, small arguments, sometimes cut short or garbled. */
  private pushCommand(): void {
    const p = { min: this.word(Fifo.MIN), max: this.word(Fifo.MAX), next: this.word(Fifo.NEXT_CMD) };
    if (p.min >= p.max || p.max > this.rig.fifo.length || p.next >= p.max || p.next < p.min || (p.min | p.max | p.next) & 3) return;
    let words: number[];
    if (this.int(2)) {
      words = this.wellFormedCommand();
    } else {
      const id = this.int(10) === 0 ? this.value() : this.pick(COMMAND_IDS);
      words = [id, ...Array.from({ length: this.int(12) }, () => (this.int(3) ? this.int(80) : this.value()))];
    }
    let o = p.next;
    for (const w of words) {
      this.dv.setUint32(o, w >>> 0, true);
      o += 4;
      if (o >= p.max) o = p.min;
    }
    this.dv.setUint32(Fifo.NEXT_CMD * 4, o, true);
  }

  private setPointers(): void {
    if (this.int(3) === 0) {
      const min = this.pick([16, 4096, 1164, this.value() & ~3]);
      this.dv.setUint32(Fifo.MIN * 4, min, true);
      this.dv.setUint32(Fifo.MAX * 4, this.pick([this.rig.fifo.length, min + 12 * 1024, this.value()]), true);
      this.dv.setUint32(Fifo.NEXT_CMD * 4, min, true);
      this.dv.setUint32(Fifo.STOP * 4, min, true);
    } else {
      this.dv.setUint32(this.int(4) * 4, this.value(), true);
    }
  }

  /** A command with the right length and arguments that mostly fit the current mode. */
  private wellFormedCommand(): number[] {
    const m = this.rig.svga.mode();
    const rect = (): number[] => {
      const w = 1 + this.int(Math.min(m.width, 48));
      const h = 1 + this.int(Math.min(m.height, 48));
      return [this.int(m.width - w + 2), this.int(m.height - h + 2), w, h];
    };
    switch (this.int(12)) {
      case 0: return [Cmd.UPDATE, ...rect()];
      case 1: return [Cmd.UPDATE_VERBOSE, ...rect(), this.value()];
      case 2: return [Cmd.RECT_FILL, this.value(), ...rect()];
      case 3: { const [x, y, w, h] = rect(); return [Cmd.RECT_COPY, this.int(m.width - w + 1), this.int(m.height - h + 1), x, y, w, h]; }
      case 4: return [Cmd.FENCE, this.value()];
      case 5: { const w = this.int(5), h = this.int(5); return [Cmd.DEFINE_ALPHA_CURSOR, 0, this.int(4), this.int(4), w, h, ...Array.from({ length: w * h }, () => this.value())]; }
      case 6: { const w = 1 + this.int(40), h = 1 + this.int(3); return [Cmd.DEFINE_CURSOR, 0, 0, 0, w, h, 1, 1, ...Array.from({ length: 2 * h * Math.ceil(w / 32) }, () => this.value())]; }
      case 7: { const n = this.int(12); return [Cmd.ESCAPE, this.int(2), n, ...Array.from({ length: Math.ceil(n / 4) }, () => this.value())]; }
      case 8: return [Cmd.DEFINE_SCREEN, 28, this.int(3), 1 | (this.int(2) << 1), 1 + this.int(64), 1 + this.int(64), this.int(64), 0];
      case 9: return [Cmd.DESTROY_SCREEN, this.int(3)];
      case 10: return [Cmd.DEFINE_GMRFB, 0xfffffffe, this.int(1024) * 4, 4 * (1 + this.int(512)), 0x1820];
      default: return [Cmd.BLIT_GMRFB_TO_SCREEN, this.int(32), this.int(32), this.int(8), this.int(8), 8 + this.int(32), 8 + this.int(32), this.pick([0, 1, 0xffffffff])];
    }
  }

  /** What a driver does after an error: a clean ring and CONFIG_DONE 0 then 1. */
  private reinitialise(): void {
    const min = this.pick([4096, 1164, 16]);
    this.dv.setUint32(Fifo.MIN * 4, min, true);
    this.dv.setUint32(Fifo.MAX * 4, this.rig.fifo.length, true);
    this.dv.setUint32(Fifo.NEXT_CMD * 4, min, true);
    this.dv.setUint32(Fifo.STOP * 4, min, true);
    this.rig.svga.writeRegister(Reg.CONFIG_DONE, 0);
    this.rig.svga.writeRegister(Reg.CONFIG_DONE, 1);
  }

  private portAccess(): void {
    const data = new Uint8Array(this.pick([1, 2, 4]));
    const offset = this.int(16);
    if (this.int(2)) {
      new DataView(data.buffer).setUint8(0, this.int(256));
      this.rig.svga.io.write(offset, data, ctx);
    } else {
      this.rig.svga.io.read(offset, data, ctx);
    }
  }

  private word(i: number): number { return this.dv.getUint32(i * 4, true); }

  checkBounded(): void {
    const { svga } = this.rig;
    const regs = svga.registers;
    assert.ok(regs.width >= 1 && regs.width <= MAX_DIM, `width ${regs.width}`);
    assert.ok(regs.height >= 1 && regs.height <= MAX_DIM, `height ${regs.height}`);
    assert.ok(svga.errors().length <= 32);
    assert.ok(svga.escapes().length <= 32);
    assert.ok(svga.screens.size <= 8);
    assert.ok((svga.irqStatus() & ~0x1f) === 0);
    const img = svga.cursor().image;
    if (img) assert.ok(img.width <= 256 && img.height <= 256 && img.bgra.length === img.width * img.height * 4);
    const screen = svga.dirty.screen;
    const rects = svga.dirty.peek();
    assert.ok(rects.length <= DEFAULT_MAX_RECTS);
    for (const q of rects) {
      assert.ok(q.x >= 0 && q.y >= 0 && q.width > 0 && q.height > 0 && q.x + q.width <= screen.width && q.y + q.height <= screen.height, JSON.stringify(q));
    }
    const view = svga.framebufferView();
    if (view) assert.ok(view.width <= MAX_DIM && view.height <= MAX_DIM);
  }
}

describe('svga2 fuzz', () => {
  for (const seed of [0x5eed0001, 0xc0ffee]) {
    it(`survives ${OPERATIONS} random operations (seed 0x${seed.toString(16)})`, () => {
      const f = new Fuzzer(seed);
      let i = 0;
      try {
        for (; i < OPERATIONS; i++) {
          f.step();
          if (i % 64 === 0) f.checkBounded();
        }
        f.checkBounded();
      } catch (e) {
        throw new Error(`fuzz failed at operation ${i} with seed 0x${seed.toString(16)}: ${(e as Error).stack}`);
      }
      // The run must actually reach the command handlers, or it proves little.
      const missed = COMMAND_IDS.filter((id) => id !== Cmd.INVALID_CMD && !f.seen.has(id));
      assert.deepEqual(missed, [], 'every command handler is reached');
      assert.ok(f.rig.svga.commandCount > 100, `only ${f.rig.svga.commandCount} commands ran`);
      assert.ok(f.rig.svga.errorCount > 10, `only ${f.rig.svga.errorCount} FIFO errors were provoked`);
    });
  }
});
