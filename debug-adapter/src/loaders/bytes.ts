// Little-endian field access and number formatting shared by the image parsers and boot-structure writers.
import { hex } from '../common/hex';

export const KiB = 1024;
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
export const PAGE_SIZE = 4096;

/** Out-of-range reads and writes are loader bugs (parsers check bounds first), so they raise RangeError. */
function checkRange(b: Uint8Array, off: number, n: number): void {
  if (!Number.isInteger(off) || off < 0 || off + n > b.length) {
    throw new RangeError(`access of ${n} bytes at offset ${off} outside a ${b.length}-byte buffer`);
  }
}

export function getU8(b: Uint8Array, off: number): number {
  checkRange(b, off, 1);
  return b[off];
}

export function getU16(b: Uint8Array, off: number): number {
  checkRange(b, off, 2);
  return b[off] | (b[off + 1] << 8);
}

export function getU32(b: Uint8Array, off: number): number {
  checkRange(b, off, 4);
  return (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16)) + b[off + 3] * 0x1000000;
}

export function getU64(b: Uint8Array, off: number): bigint {
  return BigInt(getU32(b, off)) | (BigInt(getU32(b, off + 4)) << 32n);
}

export function putU8(b: Uint8Array, off: number, v: number): void {
  checkRange(b, off, 1);
  b[off] = v & 0xff;
}

export function putU16(b: Uint8Array, off: number, v: number): void {
  checkRange(b, off, 2);
  b[off] = v & 0xff;
  b[off + 1] = (v >>> 8) & 0xff;
}

export function putU32(b: Uint8Array, off: number, v: number): void {
  checkRange(b, off, 4);
  b[off] = v & 0xff;
  b[off + 1] = (v >>> 8) & 0xff;
  b[off + 2] = (v >>> 16) & 0xff;
  b[off + 3] = (v >>> 24) & 0xff;
}

export function putU64(b: Uint8Array, off: number, v: number | bigint): void {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) {
    putU32(b, off, v % 0x100000000);
    putU32(b, off + 4, Math.floor(v / 0x100000000));
    return;
  }
  const big = BigInt.asUintN(64, BigInt(v));
  putU32(b, off, Number(big & 0xffffffffn));
  putU32(b, off + 4, Number(big >> 32n));
}

/** Numbers below 2^53 stay exact; anything larger cannot be a guest-physical address here. */
export function bigToSafeNumber(v: bigint): number | undefined {
  return v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
}

export { hex };

/** "128 MiB", "640 KiB" or "1234 bytes": sizes in the unit users type on the command line. */
export function formatSize(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= KiB && bytes % KiB === 0) return `${bytes / KiB} KiB`;
  return `${bytes} bytes`;
}

export function alignUp(v: number, align: number): number {
  return Math.ceil(v / align) * align;
}

export function alignDown(v: number, align: number): number {
  return Math.floor(v / align) * align;
}

export function isPowerOfTwo(v: number): boolean {
  return Number.isInteger(v) && v > 0 && v <= 0x40000000 && (v & (v - 1)) === 0;
}

const encoder = new TextEncoder();

/** A zero-terminated UTF-8 string as the guest reads it. */
export function cString(s: string): Uint8Array {
  const body = encoder.encode(s);
  const out = new Uint8Array(body.length + 1);
  out.set(body);
  return out;
}
