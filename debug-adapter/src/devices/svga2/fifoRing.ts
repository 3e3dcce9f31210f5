// Word access to the command FIFO in BAR2: control words, bounds checks and reads that wrap from MAX back to MIN.
import { Fifo } from './svgaConstants';

/** The smallest ring the device accepts (MAX - MIN), so a driver's largest ordinary command always fits. */
export const MIN_RING_BYTES = 10 * 1024;
/** The first ring byte a driver may use without overlapping the four basic control words. */
export const MIN_RING_START = 16;

export interface RingPointers {
  min: number;
  max: number;
  nextCmd: number;
  stop: number;
}

export class FifoRing {
  private readonly dv: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get size(): number { return this.bytes.length; }

  word(index: number): number { return this.dv.getUint32(index * 4, true); }
  setWord(index: number, value: number): void { this.dv.setUint32(index * 4, value >>> 0, true); }

  pointers(): RingPointers {
    return { min: this.word(Fifo.MIN), max: this.word(Fifo.MAX), nextCmd: this.word(Fifo.NEXT_CMD), stop: this.word(Fifo.STOP) };
  }

  /** True when MIN leaves room for every extended register, so the device may write them. */
  extendedRegistersUsable(p: RingPointers = this.pointers()): boolean {
    return p.min >= Fifo.NUM_REGS * 4;
  }

  /** Why the pointers cannot describe a ring in this FIFO, or undefined when they can. */
  validate(p: RingPointers): string | undefined {
    const { min, max, nextCmd, stop } = p;
    if ((min | max | nextCmd | stop) & 3) {
      return 'FIFO pointers are not 4-byte aligned';
    }
    if (min < MIN_RING_START) return `FIFO MIN 0x${hex(min)} overlaps the control words; expected at least 0x${hex(MIN_RING_START)}`;
    if (max > this.size) return `FIFO MAX 0x${hex(max)} is past the end of the ${this.size}-byte FIFO`;
    if (max < min + MIN_RING_BYTES) return `FIFO ring MIN 0x${hex(min)}..MAX 0x${hex(max)} is smaller than ${MIN_RING_BYTES} bytes`;
    if (nextCmd < min || nextCmd >= max) return `FIFO NEXT_CMD 0x${hex(nextCmd)} is outside the ring MIN..MAX`;
    if (stop < min || stop >= max) return `FIFO STOP 0x${hex(stop)} is outside the ring MIN..MAX`;
    return undefined;
  }

  /** Words written by the guest and not yet consumed. */
  available(p: RingPointers): number {
    const bytes = p.nextCmd >= p.stop ? p.nextCmd - p.stop : (p.max - p.stop) + (p.nextCmd - p.min);
    return bytes >>> 2;
  }

  /** The largest command the ring can hold: one word always stays free to tell full from empty. */
  capacityWords(p: RingPointers): number {
    return ((p.max - p.min) >>> 2) - 1;
  }

  /** The byte offset `words` words after `offset`, wrapping at MAX. */
  advance(p: RingPointers, offset: number, words: number): number {
    let o = offset + words * 4;
    const span = p.max - p.min;
    if (o >= p.max) o = p.min + ((o - p.min) % span);
    return o;
  }

  /** Copy `count` words starting at byte `offset`, wrapping at MAX, so guest writes cannot change them mid-command. */
  readWords(p: RingPointers, offset: number, count: number): Uint32Array {
    const out = new Uint32Array(count);
    let o = offset;
    for (let i = 0; i < count; i++) {
      out[i] = this.dv.getUint32(o, true);
      o += 4;
      if (o >= p.max) o = p.min;
    }
    return out;
  }
}

export function hex(v: number): string {
  return (v >>> 0).toString(16);
}
