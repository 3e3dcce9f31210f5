// Bounds-checked little-endian cursor over a byte array: the only way the readers touch raw bytes.
import { SymbolsError, hex } from './errors';

const TWO_POW_64 = 1n << 64n;
const U64_MASK = TWO_POW_64 - 1n;
/** More than this many LEB128 bytes cannot encode a 64-bit value; the rest is padding or garbage. */
const MAX_LEB_BYTES = 10;

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/**
 * Reads integers, LEB128 numbers and strings from `bytes[start, end)`. Every read checks the end
 * and throws a SymbolsError naming `what` (usually the section) instead of reading past it.
 */
export class ByteReader {
  pos: number;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly what: string,
    start = 0,
    readonly end = bytes.length,
  ) {
    if (start < 0 || end > bytes.length || start > end) {
      throw new SymbolsError(`${what}: range ${hex(start)}..${hex(end)} lies outside ${bytes.length} bytes`);
    }
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** A reader over the next `length` bytes, which this reader skips. */
  sub(length: number, what = this.what): ByteReader {
    this.need(length);
    const r = new ByteReader(this.bytes, what, this.pos, this.pos + length);
    this.pos += length;
    return r;
  }

  /** A reader over `[start, end)` of the same bytes, independent of this cursor. */
  at(start: number, end = this.end): ByteReader {
    if (start < 0 || start > end || end > this.bytes.length) {
      throw new SymbolsError(`${this.what}: offset ${hex(start)} is outside the section (size ${hex(this.bytes.length)})`);
    }
    return new ByteReader(this.bytes, this.what, start, end);
  }

  need(count: number): void {
    if (!(count >= 0) || this.pos + count > this.end) {
      throw new SymbolsError(`${this.what}: truncated at offset ${hex(this.pos)} (needed ${count} more bytes, ${Math.max(0, this.end - this.pos)} left)`);
    }
  }

  skip(count: number): void {
    this.need(count);
    this.pos += count;
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }

  i8(): number {
    this.need(1);
    return this.view.getInt8(this.pos++);
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  i16(): number {
    this.need(2);
    const v = this.view.getInt16(this.pos, true);
    this.pos += 2;
    return v;
  }

  /** Three-byte unsigned integer (DW_FORM_strx3 / addrx3). */
  u24(): number {
    this.need(3);
    const b = this.bytes;
    const v = b[this.pos] | (b[this.pos + 1] << 8) | (b[this.pos + 2] << 16);
    this.pos += 3;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  i64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** An unsigned integer of 1, 2, 4 or 8 bytes as bigint (addresses and data forms). */
  uint(size: number): bigint {
    switch (size) {
      case 1: return BigInt(this.u8());
      case 2: return BigInt(this.u16());
      case 4: return BigInt(this.u32());
      case 8: return this.u64();
      default: throw new SymbolsError(`${this.what}: unsupported integer size ${size} at ${hex(this.pos)} (expected 1, 2, 4 or 8)`);
    }
  }

  /** A signed integer of 1, 2, 4 or 8 bytes as bigint. */
  sint(size: number): bigint {
    switch (size) {
      case 1: return BigInt(this.i8());
      case 2: return BigInt(this.i16());
      case 4: return BigInt(this.i32());
      case 8: return this.i64();
      default: throw new SymbolsError(`${this.what}: unsupported integer size ${size} at ${hex(this.pos)} (expected 1, 2, 4 or 8)`);
    }
  }

  /** A 4- or 8-byte section offset as a JS number; offsets beyond 2^53 cannot index a real file. */
  offset(size: number): number {
    if (size === 4) return this.u32();
    const v = this.u64();
    return toSafeNumber(v, this.what, this.pos - 8);
  }

  /** Unsigned LEB128, wrapped to 64 bits. */
  uleb(): bigint {
    let result = 0n;
    let shift = 0n;
    let count = 0;
    for (;;) {
      const byte = this.u8();
      if (count < MAX_LEB_BYTES) result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      count++;
      if ((byte & 0x80) === 0) break;
    }
    return result & U64_MASK;
  }

  /** Signed LEB128, wrapped to a signed 64-bit value. */
  sleb(): bigint {
    let result = 0n;
    let shift = 0n;
    let count = 0;
    let byte = 0;
    for (;;) {
      byte = this.u8();
      if (count < MAX_LEB_BYTES) result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      count++;
      if ((byte & 0x80) === 0) break;
    }
    if (shift < 64n && (byte & 0x40) !== 0) result -= 1n << shift;
    return BigInt.asIntN(64, result);
  }

  /** Unsigned LEB128 that must fit a JS number (counts, indexes, lengths, offsets). */
  ulebNum(): number {
    // Fast path: the overwhelming majority of LEB128 values fit in 4 bytes.
    const b = this.bytes;
    let result = 0;
    let shift = 0;
    const start = this.pos;
    while (shift < 28) {
      if (this.pos >= this.end) this.need(1);
      const byte = b[this.pos++];
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
    this.pos = start;
    return toSafeNumber(this.uleb(), this.what, start);
  }

  /** Signed LEB128 that must fit a JS number. */
  slebNum(): number {
    const start = this.pos;
    const v = this.sleb();
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new SymbolsError(`${this.what}: value at ${hex(start)} is too large`);
    }
    return Number(v);
  }

  /** NUL-terminated UTF-8 string; the terminator must lie inside the range. */
  cstring(): string {
    const start = this.pos;
    const nul = this.bytes.indexOf(0, start);
    if (nul < 0 || nul >= this.end) {
      throw new SymbolsError(`${this.what}: unterminated string at offset ${hex(start)}`);
    }
    this.pos = nul + 1;
    return decodeUtf8(this.bytes.subarray(start, nul));
  }

  /** The next `count` bytes without copying. */
  bytesView(count: number): Uint8Array {
    this.need(count);
    const v = this.bytes.subarray(this.pos, this.pos + count);
    this.pos += count;
    return v;
  }
}

export function toSafeNumber(v: bigint, what: string, at: number): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new SymbolsError(`${what}: value ${hex(v)} at offset ${hex(at)} is too large to be an offset or count`);
  }
  return Number(v);
}

/** Reads a NUL-terminated string at `offset` of a string section, or throws naming the section. */
export function stringAt(bytes: Uint8Array, offset: number, what: string): string {
  if (!(offset >= 0) || offset >= bytes.length) {
    throw new SymbolsError(`${what}: string offset ${hex(offset)} is outside the section (size ${hex(bytes.length)})`);
  }
  return new ByteReader(bytes, what, offset).cstring();
}
