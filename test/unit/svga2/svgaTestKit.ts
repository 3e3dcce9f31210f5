// Test fixtures for the SVGA II device: a device with plain-buffer memory, a FIFO writer, port helpers, an IRQ recorder.
import { Svga2, type Svga2Options } from '../../../debug-adapter/src/devices/svga2/svga2';
import { Fifo, PORT_INDEX, PORT_VALUE, Reg } from '../../../debug-adapter/src/devices/svga2/svgaConstants';
import { fakeRegisterAccess, type AccessContext, type IrqLine } from '../../../debug-adapter/src/vmm/bus/busDevice';

export class RecordingIrq implements IrqLine {
  readonly levels: boolean[] = [];
  set(level: boolean): void { this.levels.push(level); }
  get level(): boolean { return this.levels.length > 0 && this.levels[this.levels.length - 1]; }
}

export interface Rig {
  svga: Svga2;
  vram: Uint8Array;
  fifo: Uint8Array;
  fifoWords: DataView;
}

export function makeRig(opts: Svga2Options = {}): Rig {
  const svga = new Svga2(opts);
  const vram = new Uint8Array(svga.vramSize);
  const fifo = new Uint8Array(svga.fifoSize);
  svga.attachMemory({ vram, fifo });
  return { svga, vram, fifo, fifoWords: new DataView(fifo.buffer) };
}

export const ctx: AccessContext = { vcpuId: 0, address: 0, regs: fakeRegisterAccess() };

export function outl(svga: Svga2, offset: number, value: number): void {
  const data = new Uint8Array(4);
  new DataView(data.buffer).setUint32(0, value >>> 0, true);
  svga.io.write(offset, data, ctx);
}

export function inl(svga: Svga2, offset: number): number {
  const data = new Uint8Array(4);
  svga.io.read(offset, data, ctx);
  return new DataView(data.buffer).getUint32(0, true);
}

/** Register write/read through the index and value ports, as a guest driver does it. */
export function writeReg(svga: Svga2, index: number, value: number): void {
  outl(svga, PORT_INDEX, index);
  outl(svga, PORT_VALUE, value);
}

export function readReg(svga: Svga2, index: number): number {
  outl(svga, PORT_INDEX, index);
  return inl(svga, PORT_VALUE);
}

/** Plays the driver's side of the command FIFO. */
export class FifoWriter {
  /** MIN defaults to what vmwgfx uses: the register area rounded up to a page. */
  constructor(private readonly rig: Rig, readonly min = 4096, readonly max = rig.fifo.length) {}

  word(index: number): number { return this.rig.fifoWords.getUint32(index * 4, true); }
  setWord(index: number, value: number): void { this.rig.fifoWords.setUint32(index * 4, value >>> 0, true); }

  /** Driver FIFO set-up: ring bounds, empty ring, doorbell flag clear, then CONFIG_DONE. */
  init(): this {
    this.setWord(Fifo.MIN, this.min);
    this.setWord(Fifo.MAX, this.max);
    this.setWord(Fifo.NEXT_CMD, this.min);
    this.setWord(Fifo.STOP, this.min);
    this.setWord(Fifo.BUSY, 0);
    writeReg(this.rig.svga, Reg.CONFIG_DONE, 1);
    return this;
  }

  get next(): number { return this.word(Fifo.NEXT_CMD); }
  get stop(): number { return this.word(Fifo.STOP); }

  /** Write words at NEXT_CMD (wrapping at MAX) without publishing them. */
  stage(words: number[], at = this.next): number {
    let o = at;
    for (const w of words) {
      this.rig.fifoWords.setUint32(o, w >>> 0, true);
      o += 4;
      if (o >= this.max) o = this.min;
    }
    return o;
  }

  /** Write words and advance NEXT_CMD past them. */
  push(...words: number[]): this {
    this.setWord(Fifo.NEXT_CMD, this.stage(words));
    return this;
  }

  /** Commit and ring the doorbell the way vmwgfx does (FIFO BUSY = 1, then SYNC). */
  sync(): this {
    this.setWord(Fifo.BUSY, 1);
    writeReg(this.rig.svga, Reg.SYNC, 1);
    return this;
  }
}

/** Blue, green, red of the pixel at (x, y) in a 32 bpp framebuffer with the given pitch, as 0xRRGGBB. */
export function pixelAt(vram: Uint8Array, pitch: number, x: number, y: number): number {
  const o = y * pitch + x * 4;
  return (vram[o + 2] << 16) | (vram[o + 1] << 8) | vram[o];
}

/** Paint a deterministic pattern so copies can be checked pixel by pixel. */
export function paintPattern(vram: Uint8Array, pitch: number, width: number, height: number): void {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) new DataView(vram.buffer).setUint32(y * pitch + x * 4, patternAt(x, y), true);
  }
}

export function patternAt(x: number, y: number): number {
  return ((x * 7 + y * 131) & 0xff) | (((x ^ y) & 0xff) << 8) | ((y & 0xff) << 16);
}

/** Set a small legacy mode and enable it. */
export function setMode(svga: Svga2, width: number, height: number): void {
  writeReg(svga, Reg.ENABLE, 0);
  writeReg(svga, Reg.WIDTH, width);
  writeReg(svga, Reg.HEIGHT, height);
  writeReg(svga, Reg.ENABLE, 1);
}
