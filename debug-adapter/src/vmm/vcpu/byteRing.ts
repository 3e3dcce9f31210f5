// A single-producer single-consumer byte ring in a SharedArrayBuffer: serial bytes cross threads without messages.

const HEAD = 0; // total bytes written (producer)
const TAIL = 1; // total bytes read (consumer)
const HEADER_BYTES = 8;

export class ByteRing {
  readonly counters: Int32Array;
  readonly data: Uint8Array;
  readonly capacity: number;

  /** `sab` from `ByteRing.allocate`, shared by both threads. */
  constructor(readonly sab: SharedArrayBuffer) {
    this.counters = new Int32Array(sab, 0, 2);
    this.data = new Uint8Array(sab, HEADER_BYTES);
    this.capacity = this.data.length;
  }

  static allocate(capacity = 1 << 16): SharedArrayBuffer {
    if ((capacity & (capacity - 1)) !== 0) throw new Error('ring capacity must be a power of two');
    return new SharedArrayBuffer(HEADER_BYTES + capacity);
  }

  /** Bytes waiting to be read. Counters wrap at 2^32; the difference stays correct in 32-bit arithmetic. */
  available(): number {
    return (Atomics.load(this.counters, HEAD) - Atomics.load(this.counters, TAIL)) | 0;
  }

  /**
   * Producer: appends as much of `bytes` as fits and returns the count written. The consumer polls every few
   * milliseconds, so a wake-up is sent only when the ring passes half full: a guest printing byte by byte
   * (one exit each) would otherwise pay a futex wake per byte and keep the consumer's thread busy.
   */
  write(bytes: Uint8Array): number {
    const head = Atomics.load(this.counters, HEAD);
    const used = (head - Atomics.load(this.counters, TAIL)) | 0;
    const n = Math.min(bytes.length, this.capacity - used);
    const mask = this.capacity - 1;
    for (let i = 0; i < n; i++) this.data[(head + i) & mask] = bytes[i];
    Atomics.store(this.counters, HEAD, (head + n) | 0);
    const half = this.capacity >> 1;
    if (used < half && used + n >= half) Atomics.notify(this.counters, HEAD);
    return n;
  }

  /** Producer: writes everything, waiting (bounded per round) for the consumer when the ring is full. */
  writeAll(bytes: Uint8Array, waitMs = 50, isCancelled: () => boolean = () => false): void {
    let off = 0;
    while (off < bytes.length) {
      off += this.write(bytes.subarray(off));
      if (off < bytes.length) {
        if (isCancelled()) return;
        Atomics.wait(this.counters, TAIL, Atomics.load(this.counters, TAIL), waitMs);
      }
    }
  }

  /** Consumer: takes everything available. */
  read(): Uint8Array {
    const tail = Atomics.load(this.counters, TAIL);
    const n = (Atomics.load(this.counters, HEAD) - tail) | 0;
    const out = new Uint8Array(n);
    const mask = this.capacity - 1;
    for (let i = 0; i < n; i++) out[i] = this.data[(tail + i) & mask];
    Atomics.store(this.counters, TAIL, (tail + n) | 0);
    if (n > 0) Atomics.notify(this.counters, TAIL);
    return out;
  }

  /** Consumer on an event loop: resolves when data may be available (never blocks the thread). */
  async waitForData(timeoutMs: number): Promise<void> {
    const head = Atomics.load(this.counters, HEAD);
    if (((head - Atomics.load(this.counters, TAIL)) | 0) !== 0) return;
    const r = Atomics.waitAsync(this.counters, HEAD, head, timeoutMs);
    if (r.async) await r.value;
  }
}
