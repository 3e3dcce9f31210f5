// Reading C values and moving through them: members, array elements, dereference, address-of.
import { stripTypedefs, typeName, typeSize, type DwarfType, type Member, type StructType } from '../symbols';
import { ATE, pointerTo, targetOf } from './cTypes';
import { storageSize, toLittleEndian, ValueError, type CValue } from './cValue';
import { hex } from '../../common/hex';

/** What reading a value needs from the stopped machine. */
export interface ValueReader {
  readonly addressSize: 4 | 8;
  /** Guest-virtual memory; undefined when any byte cannot be read. */
  readMemory(address: bigint, size: number): Promise<Uint8Array | undefined>;
  /** A register of a stack frame by DWARF number; undefined when that frame's value is not known. */
  readRegister(frame: number, reg: number): bigint | undefined;
  /** The full definition of a forward-declared struct, union or enum. */
  complete(t: DwarfType): DwarfType;
}

/** Values larger than this are not read whole; their parts are read one by one when expanded. */
export const MAX_WHOLE_VALUE = 64 * 1024;

export { hex };

/** The bytes of a value; throws ValueError with a one-line reason when they cannot be had. */
export async function loadBytes(v: CValue, r: ValueReader): Promise<Uint8Array> {
  if (v.problem) throw new ValueError(v.problem);
  if (v.bytes) return v.bytes;
  const size = storageSize(v);
  if (size === undefined) throw new ValueError(`a value of type ${typeName(v.type)} has no known size`);
  if (size > MAX_WHOLE_VALUE) throw new ValueError(`a value of ${size} bytes is too large to read at once`);
  const place = v.place;
  if (!place) throw new ValueError('the value has no contents');
  if (place.kind === 'memory') {
    const b = await r.readMemory(place.address, size);
    if (!b) throw new ValueError(`<unreadable at ${hex(place.address)}>`);
    return b;
  }
  const reg = r.readRegister(place.frame, place.reg);
  if (reg === undefined) throw new ValueError('<not available in this frame>');
  return toLittleEndian(reg, size);
}

/** A part of `parent` at a byte offset, as memory when the parent is in memory and as bytes otherwise. */
async function part(parent: CValue, offset: number, type: DwarfType, r: ValueReader): Promise<CValue> {
  if (parent.problem) return { type, problem: parent.problem };
  if (parent.place?.kind === 'memory' && !parent.bytes) return { type, place: { kind: 'memory', address: parent.place.address + BigInt(offset) } };
  const bytes = await loadBytes(parent, r);
  const size = typeSize(type) ?? 0;
  if (offset + size > bytes.length) throw new ValueError(`a part at offset ${offset} lies outside its ${bytes.length}-byte value`);
  return { type, bytes: bytes.subarray(offset, offset + size) };
}

export function structOf(t: DwarfType, r: ValueReader): StructType | undefined {
  const s = r.complete(stripTypedefs(t));
  return s.kind === 'struct' || s.kind === 'union' || s.kind === 'class' ? s : undefined;
}

export async function memberValue(parent: CValue, m: Member, r: ValueReader): Promise<CValue> {
  if (m.bitSize === undefined) return part(parent, m.offset, m.type, r);
  const bitStart = m.bitOffset ?? m.offset * 8;
  const byte = Math.floor(bitStart / 8);
  const field = { bitOffset: bitStart % 8, bitSize: m.bitSize };
  const span = Math.ceil((field.bitOffset + field.bitSize) / 8);
  const holder = await part(parent, byte, { kind: 'array', element: { kind: 'base', name: 'unsigned char', size: 1, encoding: ATE.unsignedChar, id: 'byte' }, dims: [{ lower: 0n, count: span }], id: `bits${span}` }, r);
  return { ...holder, type: m.type, bitField: field };
}

/** A member by name, looking inside anonymous struct and union members as C does. */
export async function namedMember(parent: CValue, name: string, r: ValueReader): Promise<CValue | undefined> {
  const s = structOf(parent.type, r);
  if (!s) throw new ValueError(`'${name}' is not a member: the value is not a struct or union (type ${typeName(parent.type)})`);
  for (const m of s.members) {
    if (m.name === name) return memberValue(parent, m, r);
  }
  for (const m of s.members) {
    if (m.name !== undefined) continue;
    const inner = await namedMember(await memberValue(parent, m, r), name, r).catch(() => undefined);
    if (inner) return inner;
  }
  return undefined;
}

/** Element `index` of an array value (C does not check bounds, and neither does this). */
export async function elementValue(parent: CValue, index: bigint, r: ValueReader): Promise<CValue> {
  const s = stripTypedefs(parent.type);
  if (s.kind !== 'array') throw new ValueError(`cannot index a value of type ${typeName(parent.type)}`);
  const elem = targetOf(s)!;
  const stride = BigInt(s.dims.length > 1 ? typeSize(elem) ?? 0 : s.byteStride ?? typeSize(elem) ?? 0);
  const offset = index * stride;
  if (parent.place?.kind === 'memory' && !parent.bytes && !parent.problem) {
    return { type: elem, place: { kind: 'memory', address: BigInt.asUintN(r.addressSize * 8, parent.place.address + offset) } };
  }
  return part(parent, Number(offset), elem, r);
}

/** The object a pointer value points at. */
export function derefAt(pointer: DwarfType, address: bigint, r: ValueReader): CValue {
  const target = targetOf(pointer);
  if (!target) throw new ValueError(`cannot dereference a value of type ${typeName(pointer)}`);
  const t = r.complete(target);
  if (stripTypedefs(t).kind === 'void') throw new ValueError(`cannot dereference a void pointer (${hex(address)}): cast it first`);
  return { type: t, place: { kind: 'memory', address } };
}

/** `&v`: a pointer value to an lvalue in memory. */
export function addressOf(v: CValue, r: ValueReader): CValue {
  if (v.bitField) throw new ValueError('cannot take the address of a bitfield');
  if (v.place?.kind !== 'memory') {
    throw new ValueError(v.place?.kind === 'register' ? 'the value lives in a register and has no address' : 'the value has no address');
  }
  const t = pointerTo(v.type, r.addressSize);
  return { type: t, bytes: toLittleEndian(v.place.address, r.addressSize) };
}

export function isAggregate(t: DwarfType): boolean {
  const k = stripTypedefs(t).kind;
  return k === 'struct' || k === 'union' || k === 'class' || k === 'array';
}

