// ELF .symtab/.dynsym reading and an address-to-symbol index that honours a load bias.
import { ByteReader, stringAt } from '../byteReader';
import { SymbolsError } from '../errors';
import { ElfFile, ElfSection } from './elfFile';
import {
  SHN_ABS, SHN_COMMON, SHN_LORESERVE, SHN_UNDEF, SHN_XINDEX, SHT_DYNSYM, SHT_SYMTAB, SHT_SYMTAB_SHNDX,
  STB_GLOBAL, STB_GNU_UNIQUE, STB_LOCAL, STB_WEAK, STT_COMMON, STT_FILE, STT_FUNC, STT_GNU_IFUNC,
  STT_NOTYPE, STT_OBJECT, STT_SECTION, STT_TLS, SYM_SIZE,
} from './elfConstants';

export type SymbolType = 'notype' | 'object' | 'func' | 'section' | 'file' | 'common' | 'tls' | 'ifunc' | 'other';
export type SymbolBinding = 'local' | 'global' | 'weak' | 'unique' | 'other';

export interface ElfSymbol {
  name: string;
  /** st_value as stored in the file (no bias). */
  value: bigint;
  size: number;
  type: SymbolType;
  binding: SymbolBinding;
  visibility: number;
  /** Section index, or SHN_ABS / SHN_COMMON / SHN_UNDEF. */
  shndx: number;
  /** Which table it came from. */
  table: '.symtab' | '.dynsym';
}

/** Result of an address lookup; `address` is the symbol start with the bias applied. */
export interface SymbolMatch {
  name: string;
  address: bigint;
  offset: bigint;
  size: number;
  type: SymbolType;
  binding: SymbolBinding;
}

const TYPE_NAMES: Record<number, SymbolType> = {
  [STT_NOTYPE]: 'notype', [STT_OBJECT]: 'object', [STT_FUNC]: 'func', [STT_SECTION]: 'section',
  [STT_FILE]: 'file', [STT_COMMON]: 'common', [STT_TLS]: 'tls', [STT_GNU_IFUNC]: 'ifunc',
};
const BIND_NAMES: Record<number, SymbolBinding> = {
  [STB_LOCAL]: 'local', [STB_GLOBAL]: 'global', [STB_WEAK]: 'weak', [STB_GNU_UNIQUE]: 'unique',
};

/** Reads every symbol of one SYMTAB or DYNSYM section. */
export function readSymbolSection(elf: ElfFile, section: ElfSection): ElfSymbol[] {
  const cls = elf.is64 ? 2 : 1;
  const entsize = section.entsize >= SYM_SIZE[cls] ? section.entsize : SYM_SIZE[cls];
  const data = elf.sectionData(section);
  const strSection = elf.sections[section.link];
  if (!strSection) throw new SymbolsError(`${section.name}: string table index ${section.link} does not exist`);
  const strings = elf.sectionData(strSection);
  const xindex = elf.sections.find((s) => s.type === SHT_SYMTAB_SHNDX && s.link === section.index);
  const xdata = xindex ? elf.sectionData(xindex) : undefined;
  const table = section.type === SHT_DYNSYM ? '.dynsym' : '.symtab';
  const count = Math.floor(data.length / entsize);
  const out: ElfSymbol[] = [];
  for (let i = 0; i < count; i++) {
    const r = new ByteReader(data, section.name, i * entsize);
    let nameOff: number; let value: bigint; let size: number; let info: number; let other: number; let shndx: number;
    if (elf.is64) {
      nameOff = r.u32(); info = r.u8(); other = r.u8(); shndx = r.u16();
      value = r.u64(); size = r.offset(8);
    } else {
      nameOff = r.u32(); value = BigInt(r.u32()); size = r.u32(); info = r.u8(); other = r.u8(); shndx = r.u16();
    }
    if (shndx === SHN_XINDEX && xdata && (i + 1) * 4 <= xdata.length) {
      shndx = new DataView(xdata.buffer, xdata.byteOffset, xdata.byteLength).getUint32(i * 4, true);
    }
    let name = '';
    if (nameOff !== 0) {
      try { name = stringAt(strings, nameOff, `${section.name} names`); } catch { name = ''; }
    }
    out.push({
      name, value, size, shndx, table, visibility: other & 3,
      type: TYPE_NAMES[info & 0xf] ?? 'other',
      binding: BIND_NAMES[info >> 4] ?? 'other',
    });
  }
  return out;
}

interface Candidate {
  sym: ElfSymbol;
  start: bigint;
  end: bigint; // == start when unsized
  /** Lower wins between overlapping symbols: sized before unsized, then global, then func. */
  rank: number;
  sectionEnd?: bigint;
}

/** Every symbol usable for address lookups and name queries, with a constant load bias. */
export class SymbolTable {
  readonly symbols: ElfSymbol[];
  private readonly sorted: Candidate[];
  /** maxEnd[i] = the largest `end` among sorted[0..i], so containment scans can stop early. */
  private readonly maxEnd: bigint[];
  private readonly names = new Map<string, ElfSymbol[]>();

  constructor(symbols: ElfSymbol[], readonly bias = 0n, sections: ElfSection[] = []) {
    this.symbols = symbols;
    const cands: Candidate[] = [];
    for (const sym of symbols) {
      if (sym.name) {
        const list = this.names.get(sym.name);
        if (list) list.push(sym); else this.names.set(sym.name, [sym]);
      }
      if (!isAddressSymbol(sym)) continue;
      const sec = sym.shndx < SHN_LORESERVE ? sections[sym.shndx] : undefined;
      const sectionEnd = sec && sec.addr !== 0n ? sec.addr + BigInt(sec.size) : undefined;
      const rank = (sym.size > 0 ? 0 : 8) + (sym.binding === 'global' ? 0 : sym.binding === 'weak' ? 2 : 4) + (sym.type === 'func' ? 0 : 1);
      cands.push({ sym, start: sym.value, end: sym.value + BigInt(sym.size), rank, sectionEnd });
    }
    cands.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.rank - b.rank));
    // Drop exact duplicates (.symtab and .dynsym often list the same symbol).
    this.sorted = cands.filter((c, i) => i === 0 || !(c.start === cands[i - 1].start && c.sym.name === cands[i - 1].sym.name));
    this.maxEnd = [];
    let running = -1n;
    for (const c of this.sorted) {
      if (c.end > running) running = c.end;
      this.maxEnd.push(running);
    }
  }

  /** Builds the table from .symtab and .dynsym of an ELF file. */
  static fromElf(elf: ElfFile, bias = 0n): SymbolTable {
    const all: ElfSymbol[] = [];
    for (const s of elf.sections) {
      if (s.type === SHT_SYMTAB || s.type === SHT_DYNSYM) all.push(...readSymbolSection(elf, s));
    }
    return new SymbolTable(all, bias, elf.sections);
  }

  /**
   * The symbol covering `address` (biased): the innermost sized function/object symbol that
   * contains it, else the nearest preceding symbol in the same section.
   */
  lookup(address: bigint): SymbolMatch | undefined {
    const addr = address - this.bias;
    const idx = this.lastAtOrBefore(addr);
    if (idx < 0) return undefined;
    let best: Candidate | undefined;
    for (let i = idx; i >= 0 && this.maxEnd[i] > addr; i--) {
      const c = this.sorted[i];
      if (c.end > addr && c.start <= addr && (!best || c.start > best.start || (c.start === best.start && c.rank < best.rank))) best = c;
    }
    if (!best) {
      const c = this.sorted[idx];
      let first = idx;
      while (first > 0 && this.sorted[first - 1].start === c.start) first--;
      const pick = this.sorted[first];
      if (pick.sectionEnd !== undefined && addr >= pick.sectionEnd) return undefined;
      best = pick;
    }
    return this.toMatch(best, addr);
  }

  /** The preferred symbol with this exact name (global before weak before local). */
  byName(name: string): SymbolMatch | undefined {
    const list = this.names.get(name)?.filter(isAddressSymbol);
    if (!list || list.length === 0) return undefined;
    const order = (s: ElfSymbol) => (s.binding === 'global' ? 0 : s.binding === 'weak' ? 1 : 2);
    const sym = [...list].sort((a, b) => order(a) - order(b))[0];
    return this.toMatch({ sym, start: sym.value, end: sym.value + BigInt(sym.size), rank: 0 }, sym.value);
  }

  /** Every symbol with this name, including locals from different files. */
  allByName(name: string): ElfSymbol[] {
    return this.names.get(name) ?? [];
  }

  /** All function symbols sorted by (biased) address. */
  functions(): SymbolMatch[] {
    return this.sorted.filter((c) => c.sym.type === 'func' || c.sym.type === 'ifunc').map((c) => this.toMatch(c, c.start));
  }

  private lastAtOrBefore(addr: bigint): number {
    let lo = 0;
    let hi = this.sorted.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid].start <= addr) { ans = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return ans;
  }

  private toMatch(c: Candidate, addr: bigint): SymbolMatch {
    return {
      name: c.sym.name, address: c.start + this.bias, offset: addr - c.start,
      size: c.sym.size, type: c.sym.type, binding: c.sym.binding,
    };
  }
}

/** Symbols that name a place in the image: functions, objects and plain labels in a section. */
function isAddressSymbol(sym: ElfSymbol): boolean {
  if (!sym.name || sym.shndx === SHN_UNDEF || sym.shndx === SHN_COMMON) return false;
  if (sym.type === 'func' || sym.type === 'object' || sym.type === 'ifunc') return true;
  // Labels from hand-written assembly (boot code, entry stubs) are untyped; compiler-local
  // labels (.L*) and absolute constants are not places.
  return sym.type === 'notype' && sym.shndx !== SHN_ABS && !sym.name.startsWith('.L') && !sym.name.startsWith('$');
}
