// Indexes the units of .debug_info/.debug_types and resolves strings, addresses and references lazily.
import { ByteReader, stringAt } from '../byteReader';
import { ProblemLog, SymbolsError, hex } from '../errors';
import { AbbrevTable, parseAbbrevTable } from './abbrev';
import { AttrValue, numberOf } from './attrValue';
import { DW_UT } from './constants';
import { DwarfSections } from './sections';
import { DW_AT } from './tagsAndAttributes';
import { Die, InfoSection, ParsedUnit, Unit, parseRootDie, parseUnitDies, parseUnitHeader, unitExtent } from './unit';

/** abstract_origin/specification chains longer than this are cycles in corrupt data. */
const MAX_ORIGIN_HOPS = 8;

export class DwarfReader {
  /** Units of .debug_info in file order, then those of .debug_types. */
  readonly units: Unit[] = [];
  private readonly abbrevCache = new Map<number, AbbrevTable>();
  private signatures: Map<bigint, Unit> | undefined;

  constructor(readonly sections: DwarfSections, readonly problems: ProblemLog) {
    this.indexUnits(sections.info, 'info');
    this.indexUnits(sections.types, 'types');
  }

  /** The units that can describe code: compile, partial and skeleton units. */
  compileUnits(): Unit[] {
    return this.units.filter((u) => u.header.section === 'info' && u.header.unitType !== DW_UT.type && u.header.unitType !== DW_UT.split_type);
  }

  /** Parses (once) and returns the DIE tree of a unit; undefined if its root cannot be read. */
  root(unit: Unit): Die | undefined {
    return this.parse(unit).root;
  }

  parse(unit: Unit): ParsedUnit {
    if (unit.parsed) return unit.parsed;
    const bytes = unit.header.section === 'info' ? this.sections.info : this.sections.types;
    let parsed: ParsedUnit;
    try {
      const abbrevs = this.abbrevs(unit.header.abbrevOffset);
      parsed = parseUnitDies(bytes, unit, abbrevs);
    } catch (err) {
      if (!(err instanceof SymbolsError)) throw err;
      parsed = { root: undefined, byOffset: new Map(), error: err.message };
    }
    if (parsed.error) this.problems.add(parsed.error);
    unit.parsed = parsed;
    if (parsed.root) this.fillBases(unit, parsed.root);
    return parsed;
  }

  /**
   * The root DIE with its attributes, without decoding the rest of the unit unless it already
   * was; enough for names, bases, ranges and the line table offset.
   */
  rootDie(unit: Unit): Die | undefined {
    if (unit.parsed) return unit.parsed.root;
    if (unit.rootOnly) return unit.rootOnly;
    const bytes = unit.header.section === 'info' ? this.sections.info : this.sections.types;
    try {
      unit.rootOnly = parseRootDie(bytes, unit, this.abbrevs(unit.header.abbrevOffset));
    } catch (err) {
      if (!(err instanceof SymbolsError)) throw err;
      this.problems.add(err.message);
      return undefined;
    }
    this.fillBases(unit, unit.rootOnly);
    return unit.rootOnly;
  }

  /** The unit whose byte range contains `offset` in the given section. */
  unitAt(offset: number, section: InfoSection = 'info'): Unit | undefined {
    let lo = 0;
    let hi = this.units.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const h = this.units[mid].header;
      if (h.section !== section) {
        if (section === 'info') hi = mid - 1; else lo = mid + 1;
        continue;
      }
      if (offset < h.offset) hi = mid - 1;
      else if (offset >= h.end) lo = mid + 1;
      else return this.units[mid];
    }
    return undefined;
  }

  dieAt(offset: number, section: InfoSection = 'info'): Die | undefined {
    const unit = this.unitAt(offset, section);
    return unit ? this.parse(unit).byOffset.get(offset) : undefined;
  }

  /** The DIE a reference attribute points at (same unit, .debug_info, or a type unit). */
  ref(value: AttrValue | undefined, from: Die): Die | undefined {
    if (!value) return undefined;
    switch (value.kind) {
      case 'ref': return this.dieAt(value.offset, from.unit.header.section);
      case 'refAddr': return this.dieAt(value.offset, 'info');
      case 'refSig8': {
        const unit = this.typeUnit(value.signature);
        const off = unit?.header.typeOffset;
        return unit && off !== undefined ? this.parse(unit).byOffset.get(off) : undefined;
      }
      default: return undefined;
    }
  }

  /** Resolves any string form; undefined when the value is not a string or cannot be found. */
  string(value: AttrValue | undefined, unit: Unit): string | undefined {
    if (!value) return undefined;
    try {
      switch (value.kind) {
        case 'string': return value.value;
        case 'strp':
          if (value.section === 'sup') return undefined;
          return stringAt(value.section === 'str' ? this.sections.str : this.sections.lineStr, value.offset, value.section === 'str' ? '.debug_str' : '.debug_line_str');
        case 'strx': return stringAt(this.sections.str, this.strOffset(unit, value.index), '.debug_str');
        default: return undefined;
      }
    } catch (err) {
      if (err instanceof SymbolsError) { this.problems.add(err.message); return undefined; }
      throw err;
    }
  }

  /** Offset into .debug_str of string index `index` of a unit (DW_FORM_strx*). */
  strOffset(unit: Unit, index: number): number {
    const size = unit.header.offsetSize;
    const r = new ByteReader(this.sections.strOffsets, '.debug_str_offsets', 0);
    r.pos = unit.strOffsetsBase + index * size;
    return r.offset(size);
  }

  /** An address attribute (DW_FORM_addr or addrx*) as an unbiased file address. */
  address(value: AttrValue | undefined, unit: Unit): bigint | undefined {
    if (!value) return undefined;
    if (value.kind === 'address') return value.value;
    if (value.kind === 'addrx') return this.addrIndex(unit, value.index);
    return undefined;
  }

  /** Entry `index` of the unit's .debug_addr contribution. */
  addrIndex(unit: Unit, index: number): bigint | undefined {
    const size = unit.header.addressSize;
    const at = unit.addrBase + index * size;
    if (at + size > this.sections.addr.length) {
      this.problems.add(`.debug_addr: index ${index} of unit ${hex(unit.offset)} lies outside the section`);
      return undefined;
    }
    return new ByteReader(this.sections.addr, '.debug_addr', at).uint(size);
  }

  /** An attribute of the DIE or, failing that, of its abstract origin or specification. */
  inherited(die: Die, at: number): { value: AttrValue; owner: Die } | undefined {
    let cur: Die | undefined = die;
    for (let hop = 0; cur && hop <= MAX_ORIGIN_HOPS; hop++) {
      const v = cur.attr(at);
      if (v) return { value: v, owner: cur };
      cur = this.ref(cur.attr(DW_AT.abstract_origin) ?? cur.attr(DW_AT.specification), cur);
    }
    return undefined;
  }

  /** The name of a DIE, looking through abstract_origin and specification. */
  name(die: Die): string | undefined {
    const found = this.inherited(die, DW_AT.name);
    return found ? this.string(found.value, found.owner.unit) : undefined;
  }

  /** The unit holding the type with this 8-byte signature (DWARF 4 .debug_types or DWARF 5 type units). */
  typeUnit(signature: bigint): Unit | undefined {
    if (!this.signatures) {
      this.signatures = new Map();
      for (const u of this.units) {
        if (u.header.typeSignature !== undefined && !this.signatures.has(u.header.typeSignature)) {
          this.signatures.set(u.header.typeSignature, u);
        }
      }
    }
    return this.signatures.get(signature);
  }

  private abbrevs(offset: number): AbbrevTable {
    let t = this.abbrevCache.get(offset);
    if (!t) {
      t = parseAbbrevTable(this.sections.abbrev, offset);
      this.abbrevCache.set(offset, t);
    }
    return t;
  }

  private indexUnits(bytes: Uint8Array, section: InfoSection): void {
    const what = section === 'info' ? '.debug_info' : '.debug_types';
    let offset = 0;
    while (offset < bytes.length) {
      let end: number;
      try {
        end = unitExtent(bytes, offset, what);
      } catch (err) {
        if (!(err instanceof SymbolsError)) throw err;
        this.problems.add(err.message);
        return; // without a length the next unit cannot be found
      }
      try {
        this.units.push(new Unit(parseUnitHeader(bytes, offset, section)));
      } catch (err) {
        if (!(err instanceof SymbolsError)) throw err;
        this.problems.add(err.message);
      }
      if (end <= offset) return;
      offset = end;
    }
  }

  private fillBases(unit: Unit, root: Die): void {
    const h = unit.header;
    const isSplit = h.unitType === DW_UT.split_compile || h.unitType === DW_UT.split_type;
    // Split units have no base attributes: their contributions start right after the header.
    const headerSize = h.offsetSize === 8 ? 16 : 8;
    unit.strOffsetsBase = numberOf(root.attr(DW_AT.str_offsets_base)) ?? secOffset(root.attr(DW_AT.str_offsets_base)) ?? (isSplit && h.version >= 5 ? headerSize : 0);
    unit.addrBase = secOffset(root.attr(DW_AT.addr_base) ?? root.attr(DW_AT.GNU_addr_base)) ?? 0;
    unit.rnglistsBase = secOffset(root.attr(DW_AT.rnglists_base) ?? root.attr(DW_AT.GNU_ranges_base)) ?? (isSplit ? headerSize + 4 : 0);
    unit.loclistsBase = secOffset(root.attr(DW_AT.loclists_base)) ?? (isSplit ? headerSize + 4 : 0);
    const low = root.attr(DW_AT.low_pc);
    unit.baseAddress = (low && this.address(low, unit)) ?? 0n;
    unit.compDir = this.string(root.attr(DW_AT.comp_dir), unit);
    unit.name = this.string(root.attr(DW_AT.name), unit);
    unit.stmtList = secOffset(root.attr(DW_AT.stmt_list));
    unit.language = numberOf(root.attr(DW_AT.language));
  }
}

/** Section offsets come as sec_offset (DWARF 4+) or data4/data8 (DWARF 2/3). */
export function secOffset(v: AttrValue | undefined): number | undefined {
  if (!v) return undefined;
  if (v.kind === 'secOffset') return v.value;
  if (v.kind === 'udata' && v.size !== 0) return numberOf(v);
  return undefined;
}
