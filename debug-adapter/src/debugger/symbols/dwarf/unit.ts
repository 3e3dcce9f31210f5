// Unit headers of .debug_info/.debug_types (DWARF 2-5) and the DIE tree of one unit.
import { ByteReader } from '../byteReader';
import { SymbolsError, hex } from '../errors';
import { AbbrevTable } from './abbrev';
import { Attr, AttrValue, FormContext, readAttrValue } from './attrValue';
import { DW_UT } from './constants';

export type InfoSection = 'info' | 'types';

export interface UnitHeader {
  section: InfoSection;
  offset: number;
  /** First byte after the unit. */
  end: number;
  version: number;
  /** DW_UT_* from a DWARF 5 header; compile or type for older versions. */
  unitType: number;
  offsetSize: 4 | 8;
  addressSize: number;
  abbrevOffset: number;
  firstDieOffset: number;
  typeSignature?: bigint;
  /** Absolute offset of the type DIE of a type unit. */
  typeOffset?: number;
  dwoId?: bigint;
}

const DWARF64_ESCAPE = 0xffffffff;
const RESERVED_LENGTH_START = 0xfffffff0;

/** Reads a 32- or 64-bit DWARF initial length; returns the length and the offset size. */
export function readInitialLength(r: ByteReader): { length: number; offsetSize: 4 | 8 } {
  const first = r.u32();
  if (first === DWARF64_ESCAPE) return { length: r.offset(8), offsetSize: 8 };
  if (first >= RESERVED_LENGTH_START) {
    throw new SymbolsError(`${r.what}: reserved unit length ${hex(first)} at ${hex(r.pos - 4)}`);
  }
  return { length: first, offsetSize: 4 };
}

/** Unit length only, so a reader can skip to the next unit even when the header is bad. */
export function unitExtent(bytes: Uint8Array, offset: number, what: string): number {
  const r = new ByteReader(bytes, what, offset);
  const { length } = readInitialLength(r);
  const end = r.pos + length;
  if (end > bytes.length) {
    throw new SymbolsError(`${what}: unit at ${hex(offset)} claims ${length} bytes but only ${bytes.length - r.pos} remain`);
  }
  return end;
}

export function parseUnitHeader(bytes: Uint8Array, offset: number, section: InfoSection): UnitHeader {
  const what = section === 'info' ? '.debug_info' : '.debug_types';
  const end = unitExtent(bytes, offset, what);
  const r = new ByteReader(bytes, what, offset, end);
  const { offsetSize } = readInitialLength(r);
  const version = r.u16();
  if (version < 2 || version > 5) {
    throw new SymbolsError(`${what}: unit at ${hex(offset)} has DWARF version ${version} (expected 2 to 5)`);
  }
  let unitType: number = section === 'types' ? DW_UT.type : DW_UT.compile;
  let abbrevOffset: number;
  let addressSize: number;
  const h: Partial<UnitHeader> = {};
  if (version >= 5) {
    unitType = r.u8();
    addressSize = r.u8();
    abbrevOffset = r.offset(offsetSize);
    switch (unitType) {
      case DW_UT.type:
      case DW_UT.split_type:
        h.typeSignature = r.u64();
        h.typeOffset = offset + r.offset(offsetSize);
        break;
      case DW_UT.skeleton:
      case DW_UT.split_compile:
        h.dwoId = r.u64();
        break;
      case DW_UT.compile:
      case DW_UT.partial:
        break;
      default:
        throw new SymbolsError(`${what}: unit at ${hex(offset)} has unknown unit type ${hex(unitType)}`);
    }
  } else {
    abbrevOffset = r.offset(offsetSize);
    addressSize = r.u8();
    if (section === 'types') {
      h.typeSignature = r.u64();
      h.typeOffset = offset + r.offset(offsetSize);
    }
  }
  if (addressSize !== 2 && addressSize !== 4 && addressSize !== 8) {
    throw new SymbolsError(`${what}: unit at ${hex(offset)} has address size ${addressSize} (expected 4 or 8)`);
  }
  return { ...h, section, offset, end, version, unitType, offsetSize, addressSize, abbrevOffset, firstDieOffset: r.pos };
}

/**
 * A unit plus the values its root DIE provides to every other DIE (string/address/list bases,
 * base address, compilation directory). Filled in by the reader when the tree is first parsed.
 */
export class Unit {
  strOffsetsBase = 0;
  addrBase = 0;
  rnglistsBase = 0;
  loclistsBase = 0;
  /** DW_AT_low_pc of the root: the base of location and range list offsets. */
  baseAddress = 0n;
  compDir: string | undefined;
  name: string | undefined;
  stmtList: number | undefined;
  language: number | undefined;
  parsed: ParsedUnit | undefined;
  /** The root DIE alone (no children), read when only unit-level facts are needed. */
  rootOnly: Die | undefined;

  constructor(readonly header: UnitHeader) {}

  get offset(): number {
    return this.header.offset;
  }
}

/** One debugging information entry. Children are in file order. */
export class Die {
  parent: Die | undefined;
  readonly children: Die[] = [];

  constructor(
    readonly unit: Unit,
    readonly offset: number,
    readonly tag: number,
    readonly attrs: Attr[],
  ) {}

  attr(at: number): AttrValue | undefined {
    for (const a of this.attrs) if (a.at === at) return a.value;
    return undefined;
  }

  has(at: number): boolean {
    return this.attrs.some((a) => a.at === at);
  }
}

/** Maximum DIE nesting; real programs stay far below, corrupt data may not. */
const MAX_DEPTH = 512;
/** Zero-width forms (flag_present, implicit_const) could otherwise inflate a tiny unit enormously. */
const MAX_ATTRS_PER_BYTE = 8;

export interface ParsedUnit {
  root: Die | undefined;
  byOffset: Map<number, Die>;
  /** Set when decoding stopped early; the DIEs read before the fault are kept. */
  error?: string;
}

/** Decodes only the root DIE of a unit (its attributes; children are not read). */
export function parseRootDie(bytes: Uint8Array, unit: Unit, abbrevs: AbbrevTable): Die {
  const header = unit.header;
  const what = header.section === 'info' ? '.debug_info' : '.debug_types';
  const r = new ByteReader(bytes, what, header.firstDieOffset, header.end);
  const ctx: FormContext = { version: header.version, offsetSize: header.offsetSize, addressSize: header.addressSize, unitOffset: header.offset };
  const code = r.ulebNum();
  const abbrev = abbrevs.get(code);
  if (!abbrev) throw new SymbolsError(`${what}: root DIE of unit ${hex(header.offset)} uses undefined abbreviation ${code}`);
  const attrs = abbrev.specs.map((s) => ({ at: s.at, form: s.form, value: readAttrValue(r, s.form, ctx, s.implicitConst) }));
  return new Die(unit, header.firstDieOffset, abbrev.tag, attrs);
}

/** Decodes every DIE of a unit into a tree. Stops at the first undecodable entry. */
export function parseUnitDies(bytes: Uint8Array, unit: Unit, abbrevs: AbbrevTable): ParsedUnit {
  const header = unit.header;
  const what = header.section === 'info' ? '.debug_info' : '.debug_types';
  const r = new ByteReader(bytes, what, header.firstDieOffset, header.end);
  const ctx: FormContext = { version: header.version, offsetSize: header.offsetSize, addressSize: header.addressSize, unitOffset: header.offset };
  const byOffset = new Map<number, Die>();
  const attrBudget = MAX_ATTRS_PER_BYTE * (header.end - header.offset) + 64;
  let attrCount = 0;
  let root: Die | undefined;
  const stack: Die[] = [];
  try {
    while (!r.atEnd) {
      const dieOffset = r.pos;
      const code = r.ulebNum();
      if (code === 0) {
        // Null entry: closes the current sibling list, or is padding after the root.
        if (stack.length > 0) stack.pop();
        if (stack.length === 0 && root) break;
        continue;
      }
      const abbrev = abbrevs.get(code);
      if (!abbrev) throw new SymbolsError(`${what}: DIE at ${hex(dieOffset)} uses abbreviation ${code}, which the unit's table does not define`);
      attrCount += abbrev.specs.length;
      if (attrCount > attrBudget) throw new SymbolsError(`${what}: unit at ${hex(header.offset)} has implausibly many attributes`);
      const attrs: Attr[] = new Array(abbrev.specs.length);
      for (let i = 0; i < abbrev.specs.length; i++) {
        const s = abbrev.specs[i];
        attrs[i] = { at: s.at, form: s.form, value: readAttrValue(r, s.form, ctx, s.implicitConst) };
      }
      const die = new Die(unit, dieOffset, abbrev.tag, attrs);
      byOffset.set(dieOffset, die);
      const parent = stack[stack.length - 1];
      if (parent) {
        die.parent = parent;
        parent.children.push(die);
      } else if (!root) {
        root = die;
      } else {
        break; // a second top-level DIE: the unit is malformed, keep the first tree
      }
      if (abbrev.hasChildren) {
        if (stack.length >= MAX_DEPTH) throw new SymbolsError(`${what}: DIE nesting deeper than ${MAX_DEPTH} at ${hex(dieOffset)}`);
        stack.push(die);
      } else if (!parent) {
        break; // a childless root ends the unit
      }
    }
  } catch (err) {
    if (err instanceof SymbolsError) return { root, byOffset, error: err.message };
    throw err;
  }
  return { root, byOffset };
}
