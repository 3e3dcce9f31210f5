// A C value: its DWARF type, where it lives (memory, a frame's register) and its bytes; scalar decoding and encoding.
import { stripTypedefs, typeSize, type DwarfType } from '../symbols';
import { isSigned, scalarClass } from './cTypes';

/** Where an lvalue lives. Register places belong to one stack frame (caller frames have their own register values). */
export type Place =
  | { kind: 'memory'; address: bigint }
  | { kind: 'register'; reg: number; frame: number };

export interface BitField {
  /** First bit, counted from the least significant bit of the first storage byte. */
  bitOffset: number;
  bitSize: number;
}

export interface CValue {
  type: DwarfType;
  /** Set for lvalues: assignment, `&` and memory references use it. */
  place?: Place;
  /** The contents when already known (computed values, registers, pieces); memory values are read when needed. */
  bytes?: Uint8Array;
  bitField?: BitField;
  /** Why there is no value: optimised out, unavailable in this frame. */
  problem?: string;
}

export class ValueError extends Error {}

/** Bytes the value occupies (for bitfields: the bytes holding its bits); undefined for incomplete types. */
export function storageSize(v: CValue): number | undefined {
  if (v.bitField) return Math.ceil((v.bitField.bitOffset + v.bitField.bitSize) / 8);
  return typeSize(v.type);
}

export function littleEndian(bytes: Uint8Array, size = bytes.length): bigint {
  let v = 0n;
  for (let i = Math.min(size, bytes.length) - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

export function toLittleEndian(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}

/** The integer in a scalar's bytes: sign-extended for signed types, bitfields extracted. */
export function integerOf(v: CValue, bytes: Uint8Array): bigint {
  if (v.bitField) {
    const raw = littleEndian(bytes) >> BigInt(v.bitField.bitOffset);
    const bits = v.bitField.bitSize;
    const field = BigInt.asUintN(bits, raw);
    return isSigned(v.type) ? BigInt.asIntN(bits, field) : field;
  }
  const size = typeSize(v.type) ?? bytes.length;
  const raw = littleEndian(bytes, size);
  return isSigned(v.type) ? BigInt.asIntN(size * 8, raw) : raw;
}

/** IEEE float or double in the bytes; NaN when the size is neither. */
export function floatOf(bytes: Uint8Array, size: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 4 && bytes.length >= 4) return view.getFloat32(0, true);
  if (size === 8 && bytes.length >= 8) return view.getFloat64(0, true);
  return Number.NaN;
}

export function floatBytes(value: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  if (size === 4) view.setFloat32(0, value, true);
  else if (size === 8) view.setFloat64(0, value, true);
  else throw new ValueError(`a ${size}-byte floating-point value cannot be written: expected 4 or 8 bytes`);
  return out;
}

/** A number of either kind as the value of a scalar type, for arithmetic. */
export type Scalar = bigint | number;

export function scalarOf(v: CValue, bytes: Uint8Array): Scalar {
  const cls = scalarClass(v.type);
  if (cls === undefined) throw new ValueError(`a value of type ${describeKind(v.type)} is not a number`);
  if (cls === 'float') return floatOf(bytes, typeSize(v.type) ?? bytes.length);
  return integerOf(v, bytes);
}

/** Bytes holding `value` converted to the scalar type `t` (C conversion: truncation, float to integer). */
export function encodeScalar(t: DwarfType, value: Scalar): Uint8Array {
  const size = typeSize(t);
  const cls = scalarClass(t);
  if (size === undefined || cls === undefined) throw new ValueError(`cannot store a number in a value of type ${describeKind(t)}`);
  if (cls === 'float') return floatBytes(typeof value === 'number' ? value : Number(value), size);
  const int = typeof value === 'bigint' ? value : truncate(value);
  if (cls === 'bool') return toLittleEndian(int !== 0n ? 1n : 0n, size);
  return toLittleEndian(int, size);
}

/** A floating-point number converted to an integer as C does (toward zero); NaN and infinities have no integer. */
export function truncate(x: number): bigint {
  if (!Number.isFinite(x)) throw new ValueError(`${x} cannot be converted to an integer`);
  return BigInt(Math.trunc(x));
}

/** Writes `field`'s bits of `value` into a copy of the storage bytes. */
export function insertBits(storage: Uint8Array, field: BitField, value: bigint): Uint8Array {
  const word = littleEndian(storage);
  const mask = ((1n << BigInt(field.bitSize)) - 1n) << BigInt(field.bitOffset);
  const merged = (word & ~mask) | ((BigInt.asUintN(field.bitSize, value) << BigInt(field.bitOffset)) & mask);
  return toLittleEndian(merged, storage.length);
}

function describeKind(t: DwarfType): string {
  const s = stripTypedefs(t);
  return s.kind === 'base' || s.kind === 'void' ? s.name : s.kind;
}
