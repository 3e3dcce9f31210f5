// Address ranges of DIEs: low_pc/high_pc pairs, DWARF 5 .debug_rnglists and DWARF 2-4 .debug_ranges.
import { ByteReader } from '../byteReader';
import { SymbolsError, hex } from '../errors';
import { AttrValue, constantOf } from './attrValue';
import { DW_RLE } from './constants';
import { DwarfReader, secOffset } from './dwarfReader';
import { DW_AT } from './tagsAndAttributes';
import { Die, Unit } from './unit';

/** A half-open range [low, high) of unbiased file addresses. */
export interface AddressRange {
  low: bigint;
  high: bigint;
}

export function addressMask(addressSize: number): bigint {
  return (1n << BigInt(addressSize * 8)) - 1n;
}

/** Every range a DIE covers; empty when it has no code (declarations, abstract instances). */
export function dieRanges(reader: DwarfReader, die: Die): AddressRange[] {
  const unit = die.unit;
  const lowV = die.attr(DW_AT.low_pc);
  const highV = die.attr(DW_AT.high_pc);
  if (lowV && highV) {
    const low = reader.address(lowV, unit);
    if (low === undefined) return [];
    // DWARF 4+: a constant high_pc is a length; an address form is the end address.
    const len = constantOf(highV);
    const high = len !== undefined ? (low + len) & addressMask(unit.header.addressSize) : reader.address(highV, unit);
    return high !== undefined && high > low ? [{ low, high }] : [];
  }
  const rangesV = die.attr(DW_AT.ranges);
  if (rangesV) {
    // Offset pairs are relative to the unit's base address (the root's low_pc).
    return reader.problems.guard(() => readRanges(reader, unit, rangesV, unit.baseAddress), []);
  }
  return [];
}

/** Reads the range list a DW_AT_ranges value designates. */
export function readRanges(reader: DwarfReader, unit: Unit, value: AttrValue, base: bigint): AddressRange[] {
  const s = reader.sections;
  if (unit.header.version >= 5) {
    let offset: number | undefined;
    if (value.kind === 'rnglistx') offset = listIndexOffset(s.rnglists, '.debug_rnglists', unit.rnglistsBase, value.index, unit.header.offsetSize);
    else offset = secOffset(value);
    if (offset === undefined) return [];
    return readRngList(reader, unit, offset, base);
  }
  const offset = secOffset(value);
  if (offset === undefined) return [];
  return readDebugRanges(s.ranges, offset + unit.rnglistsBase, unit.header.addressSize, base);
}

/** Entry `index` of the offset array that follows a DWARF 5 list table header, made absolute. */
export function listIndexOffset(bytes: Uint8Array, what: string, base: number, index: number, offsetSize: 4 | 8): number {
  const r = new ByteReader(bytes, what, 0);
  r.pos = base + index * offsetSize;
  if (r.pos < 0) throw new SymbolsError(`${what}: list index ${index} is out of range`);
  return base + r.offset(offsetSize);
}

function readRngList(reader: DwarfReader, unit: Unit, offset: number, initialBase: bigint): AddressRange[] {
  const bytes = reader.sections.rnglists;
  if (offset >= bytes.length) throw new SymbolsError(`.debug_rnglists: list offset ${hex(offset)} is outside the section`);
  const r = new ByteReader(bytes, '.debug_rnglists', offset);
  const size = unit.header.addressSize;
  const mask = addressMask(size);
  const out: AddressRange[] = [];
  let base = initialBase;
  const addrx = (i: number): bigint => {
    const a = reader.addrIndex(unit, i);
    if (a === undefined) throw new SymbolsError(`.debug_rnglists: address index ${i} at ${hex(r.pos)} is invalid`);
    return a;
  };
  const push = (low: bigint, high: bigint) => {
    if (high > low) out.push({ low: low & mask, high: high > mask + 1n ? mask + 1n : high });
  };
  for (;;) {
    const kind = r.u8();
    switch (kind) {
      case DW_RLE.end_of_list: return out;
      case DW_RLE.base_addressx: base = addrx(r.ulebNum()); break;
      case DW_RLE.startx_endx: { const a = addrx(r.ulebNum()); push(a, addrx(r.ulebNum())); break; }
      case DW_RLE.startx_length: { const a = addrx(r.ulebNum()); push(a, a + r.uleb()); break; }
      case DW_RLE.offset_pair: { const a = r.uleb(); const b = r.uleb(); push(base + a, base + b); break; }
      case DW_RLE.base_address: base = r.uint(size); break;
      case DW_RLE.start_end: { const a = r.uint(size); push(a, r.uint(size)); break; }
      case DW_RLE.start_length: { const a = r.uint(size); push(a, a + r.uleb()); break; }
      default: throw new SymbolsError(`.debug_rnglists: unknown entry kind ${hex(kind)} at ${hex(r.pos - 1)}`);
    }
  }
}

/** DWARF 2-4 .debug_ranges: address pairs, a max-address pair selects a new base, 0/0 ends. */
export function readDebugRanges(bytes: Uint8Array, offset: number, addressSize: number, initialBase: bigint): AddressRange[] {
  if (offset >= bytes.length) throw new SymbolsError(`.debug_ranges: list offset ${hex(offset)} is outside the section`);
  const r = new ByteReader(bytes, '.debug_ranges', offset);
  const mask = addressMask(addressSize);
  const out: AddressRange[] = [];
  let base = initialBase;
  for (;;) {
    const a = r.uint(addressSize);
    const b = r.uint(addressSize);
    if (a === 0n && b === 0n) return out;
    if (a === mask) { base = b; continue; }
    const low = (base + a) & mask;
    const high = (base + b) & mask;
    if (high > low) out.push({ low, high });
  }
}

export function rangesContain(ranges: AddressRange[], addr: bigint): boolean {
  for (const r of ranges) if (addr >= r.low && addr < r.high) return true;
  return false;
}
