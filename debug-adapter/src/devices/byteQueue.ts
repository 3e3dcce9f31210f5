// A fixed-capacity byte FIFO (ring buffer) for device receive paths: never grows, never allocates after construction.

export class ByteQueue {
  private readonly buf: Uint8Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ByteQueue capacity is ${capacity}, expected a positive integer`);
    }
    this.buf = new Uint8Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  get isFull(): boolean {
    return this.count === this.capacity;
  }

  /** Appends one byte; returns false (and keeps the queue unchanged) when full. */
  push(byte: number): boolean {
    if (this.count === this.capacity) return false;
    this.buf[(this.head + this.count) % this.capacity] = byte;
    this.count++;
    return true;
  }

  /** Removes and returns the oldest byte, or -1 when empty. */
  shift(): number {
    if (this.count === 0) return -1;
    const byte = this.buf[this.head];
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return byte;
  }

  /** The oldest byte without removing it, or -1 when empty. */
  peek(): number {
    return this.count === 0 ? -1 : this.buf[this.head];
  }

  /** Discards up to `n` of the oldest bytes. */
  drop(n: number): void {
    const k = Math.min(n, this.count);
    this.head = (this.head + k) % this.capacity;
    this.count -= k;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}
