// Reads the bytes of a variable from an evaluated location, assembling composite (piece) locations.
import { SymbolsError } from '../../errors';
import { LocationResult, SimpleLocation } from './evaluator';

export interface ValueSource {
  readMemory?: (address: bigint, size: number) => Uint8Array | undefined;
  readReg?: (num: number) => bigint | undefined;
  /** Full register contents for registers wider than 8 bytes (vector registers). */
  readRegBytes?: (num: number, size: number) => Uint8Array | undefined;
}

export interface LocationBytes {
  bytes: Uint8Array;
  /** False when some piece was optimised out or unreadable; those bits read as zero. */
  complete: boolean;
}

/** Larger values (a corrupt array bound, a whole-memory struct) are refused rather than allocated. */
export const MAX_VALUE_BYTES = 1 << 24;

/** The `size` bytes of a value at `loc`, or undefined when nothing of it can be read. */
export function readLocationBytes(loc: LocationResult, size: number, src: ValueSource): LocationBytes | undefined {
  if (!(size >= 0) || size > MAX_VALUE_BYTES) {
    throw new SymbolsError(`a value of ${size} bytes is too large to read (limit ${MAX_VALUE_BYTES})`);
  }
  if (loc.kind !== 'composite') {
    const bytes = simpleBytes(loc, size, src);
    return bytes ? { bytes, complete: true } : undefined;
  }
  const out = new Uint8Array(size);
  let complete = true;
  let anything = false;
  let bitPos = 0;
  for (const p of loc.pieces) {
    const span = Math.ceil((p.offsetBits + p.sizeBits) / 8);
    const bytes = simpleBytes(p.location, span, src);
    if (!bytes) complete = false;
    else {
      anything = true;
      copyBits(bytes, p.offsetBits, out, bitPos, p.sizeBits);
    }
    bitPos += p.sizeBits;
  }
  if (bitPos < size * 8) complete = false;
  return anything ? { bytes: out, complete } : undefined;
}

function simpleBytes(loc: SimpleLocation, size: number, src: ValueSource): Uint8Array | undefined {
  switch (loc.kind) {
    case 'memory': {
      const b = src.readMemory?.(loc.address, size);
      return b && b.length >= size ? b.subarray(0, size) : undefined;
    }
    case 'register': {
      if (size > 8) return src.readRegBytes?.(loc.reg, size);
      const v = src.readReg?.(loc.reg);
      return v === undefined ? src.readRegBytes?.(loc.reg, size) : toBytes(v, size);
    }
    case 'value': return toBytes(loc.value, size);
    case 'implicit': {
      const out = new Uint8Array(size);
      out.set(loc.bytes.subarray(0, size));
      return out;
    }
    default: return undefined;
  }
}

export function toBytes(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = BigInt.asUintN(64, value);
  for (let i = 0; i < size && i < 8; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function copyBits(src: Uint8Array, srcBit: number, dst: Uint8Array, dstBit: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const s = srcBit + i;
    const d = dstBit + i;
    if ((d >> 3) >= dst.length) return;
    const bit = (src[s >> 3] >> (s & 7)) & 1;
    if (bit) dst[d >> 3] |= 1 << (d & 7);
    else dst[d >> 3] &= ~(1 << (d & 7));
  }
}
