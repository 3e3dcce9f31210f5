// Little-endian byte assembler for hand-built DWARF sections in tests.

export class Bytes {
  readonly out: number[] = [];

  get length(): number {
    return this.out.length;
  }

  u8(...v: number[]): this {
    for (const x of v) this.out.push(x & 0xff);
    return this;
  }

  u16(v: number): this {
    return this.u8(v, v >> 8);
  }

  u24(v: number): this {
    return this.u8(v, v >> 8, v >> 16);
  }

  u32(v: number): this {
    return this.u8(v, v >> 8, v >> 16, v >>> 24);
  }

  u64(v: bigint): this {
    for (let i = 0n; i < 8n; i++) this.out.push(Number((v >> (8n * i)) & 0xffn));
    return this;
  }

  uleb(v: number | bigint): this {
    let x = BigInt(v);
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x !== 0n) b |= 0x80;
      this.out.push(b);
    } while (x !== 0n);
    return this;
  }

  sleb(v: number | bigint): this {
    let x = BigInt(v);
    for (;;) {
      const b = Number(x & 0x7fn);
      x >>= 7n;
      const done = (x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0);
      this.out.push(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  str(s: string): this {
    for (const c of Buffer.from(s, 'utf8')) this.out.push(c);
    this.out.push(0);
    return this;
  }

  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.out.push(b[i]);
    return this;
  }

  /** Patches a 32-bit value at `at` (for lengths known only at the end). */
  patch32(at: number, v: number): this {
    this.out[at] = v & 0xff;
    this.out[at + 1] = (v >> 8) & 0xff;
    this.out[at + 2] = (v >> 16) & 0xff;
    this.out[at + 3] = (v >>> 24) & 0xff;
    return this;
  }

  build(): Uint8Array {
    return new Uint8Array(this.out);
  }
}

/** Wraps `body` in a 32-bit DWARF initial length. */
export function withLength(body: Bytes): Bytes {
  return new Bytes().u32(body.length).bytes(body.out);
}
