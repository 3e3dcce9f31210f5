// A bump allocator over one fixed guest-physical window where a loader writes its boot structures or strings.
import { ImageFormatError, type LoadSegment } from './loadPlan';
import { alignUp, cString, formatSize, putU16, putU32, putU64, putU8 } from './bytes';

export class BootArea {
  private buffer = new Uint8Array(256);
  private used = 0;

  /** `capacity` is the size of the window; exceeding it is a user error (too many modules, too long a command line). */
  constructor(readonly base: number, readonly capacity: number, readonly what: string) {}

  /** Reserve `size` zeroed bytes aligned to `align` and return their guest-physical address. */
  alloc(size: number, align = 1): number {
    const offset = alignUp(this.used, align);
    if (offset + size > this.capacity) {
      throw new ImageFormatError(
        `the ${this.what} needs more than its ${formatSize(this.capacity)} at 0x${this.base.toString(16)}; ` +
        'expected fewer modules or shorter command lines');
    }
    this.used = offset + size;
    if (this.used > this.buffer.length) {
      const grown = new Uint8Array(Math.min(this.capacity, Math.max(this.used, this.buffer.length * 2)));
      grown.set(this.buffer);
      this.buffer = grown;
    }
    return this.base + offset;
  }

  /** Copy a zero-terminated string in and return its address. */
  putString(s: string): number {
    const bytes = cString(s);
    const gpa = this.alloc(bytes.length);
    this.buffer.set(bytes, gpa - this.base);
    return gpa;
  }

  u8(gpa: number, v: number): void { putU8(this.buffer, gpa - this.base, v); }
  u16(gpa: number, v: number): void { putU16(this.buffer, gpa - this.base, v); }
  u32(gpa: number, v: number): void { putU32(this.buffer, gpa - this.base, v); }
  u64(gpa: number, v: number | bigint): void { putU64(this.buffer, gpa - this.base, v); }

  get size(): number { return this.used; }

  /** The bytes written so far, as a segment (empty areas give a zero-length segment the caller may drop). */
  segment(): LoadSegment {
    return { gpa: this.base, bytes: this.buffer.slice(0, this.used), what: this.what };
  }
}
