// Location lists: DWARF 5 .debug_loclists and DWARF 2-4 .debug_loc, decoded into address-ranged expressions.
import { ByteReader } from '../byteReader';
import { SymbolsError, hex } from '../errors';
import { AttrValue } from './attrValue';
import { DW_LLE } from './constants';
import { DwarfReader, secOffset } from './dwarfReader';
import { addressMask, listIndexOffset } from './ranges';
import { Unit } from './unit';

export interface LocListEntry {
  /** [low, high) in unbiased file addresses; a default entry covers every address. */
  low: bigint;
  high: bigint;
  expr: Uint8Array;
  isDefault?: boolean;
  /** Offset of the entry in its section (for diagnostics and comparison with dump tools). */
  offset: number;
}

/** True when a location attribute refers to a list rather than holding an expression. */
export function isLocationList(v: AttrValue | undefined): boolean {
  if (!v) return false;
  return v.kind === 'loclistx' || v.kind === 'secOffset' || (v.kind === 'udata' && (v.size === 4 || v.size === 8));
}

/** Decodes the location list a DW_AT_location (or frame_base) value designates. */
export function readLocationList(reader: DwarfReader, unit: Unit, value: AttrValue): LocListEntry[] {
  const s = reader.sections;
  if (unit.header.version >= 5) {
    const offset = value.kind === 'loclistx'
      ? listIndexOffset(s.loclists, '.debug_loclists', unit.loclistsBase, value.index, unit.header.offsetSize)
      : secOffset(value);
    if (offset === undefined) return [];
    return readLocLists(reader, unit, offset);
  }
  const offset = secOffset(value);
  return offset === undefined ? [] : readDebugLoc(s.loc, offset, unit.header.addressSize, unit.baseAddress);
}

function readLocLists(reader: DwarfReader, unit: Unit, offset: number): LocListEntry[] {
  const bytes = reader.sections.loclists;
  if (offset >= bytes.length) throw new SymbolsError(`.debug_loclists: list offset ${hex(offset)} is outside the section`);
  const r = new ByteReader(bytes, '.debug_loclists', offset);
  const size = unit.header.addressSize;
  const mask = addressMask(size);
  const out: LocListEntry[] = [];
  let base = unit.baseAddress;
  const addrx = (i: number): bigint => {
    const a = reader.addrIndex(unit, i);
    if (a === undefined) throw new SymbolsError(`.debug_loclists: address index ${i} at ${hex(r.pos)} is invalid`);
    return a;
  };
  for (;;) {
    const at = r.pos;
    const kind = r.u8();
    let low: bigint | undefined;
    let high: bigint | undefined;
    let isDefault = false;
    switch (kind) {
      case DW_LLE.end_of_list: return out;
      case DW_LLE.base_addressx: base = addrx(r.ulebNum()); continue;
      case DW_LLE.base_address: base = r.uint(size); continue;
      case DW_LLE.GNU_view_pair: r.uleb(); r.uleb(); continue;
      case DW_LLE.startx_endx: low = addrx(r.ulebNum()); high = addrx(r.ulebNum()); break;
      case DW_LLE.startx_length: low = addrx(r.ulebNum()); high = low + r.uleb(); break;
      case DW_LLE.offset_pair: low = base + r.uleb(); high = base + r.uleb(); break;
      case DW_LLE.default_location: low = 0n; high = mask + 1n; isDefault = true; break;
      case DW_LLE.start_end: low = r.uint(size); high = r.uint(size); break;
      case DW_LLE.start_length: low = r.uint(size); high = low + r.uleb(); break;
      default: throw new SymbolsError(`.debug_loclists: unknown entry kind ${hex(kind)} at ${hex(at)}`);
    }
    const expr = r.bytesView(r.ulebNum());
    out.push({ low: isDefault ? low : low & mask, high, expr, offset: at, ...(isDefault ? { isDefault } : {}) });
  }
}

/** DWARF 2-4 .debug_loc: address pairs with a 2-byte expression length; max-address selects a base. */
export function readDebugLoc(bytes: Uint8Array, offset: number, addressSize: number, initialBase: bigint): LocListEntry[] {
  if (offset >= bytes.length) throw new SymbolsError(`.debug_loc: list offset ${hex(offset)} is outside the section`);
  const r = new ByteReader(bytes, '.debug_loc', offset);
  const mask = addressMask(addressSize);
  const out: LocListEntry[] = [];
  let base = initialBase;
  for (;;) {
    const at = r.pos;
    const a = r.uint(addressSize);
    const b = r.uint(addressSize);
    if (a === 0n && b === 0n) return out;
    if (a === mask) { base = b; continue; }
    const expr = r.bytesView(r.u16());
    out.push({ low: (base + a) & mask, high: (base + b) & mask, expr, offset: at });
  }
}

/** The expression in effect at `pc` (unbiased), the default entry, or undefined (not available). */
export function locationAt(entries: LocListEntry[], pc: bigint): Uint8Array | undefined {
  let fallback: Uint8Array | undefined;
  for (const e of entries) {
    if (e.isDefault) fallback = e.expr;
    else if (pc >= e.low && pc < e.high) return e.expr;
  }
  return fallback;
}
