// Applies REL/RELA relocations to the debug and unwind sections of relocatable objects (.o, .ko).
import { ByteReader } from '../byteReader';
import { ProblemLog, SymbolsError } from '../errors';
import { ElfFile } from './elfFile';
import {
  ET_REL, R_386_32, R_386_NONE, R_386_PC32, R_X86_64_32, R_X86_64_32S, R_X86_64_64, R_X86_64_NONE,
  R_X86_64_PC32, R_X86_64_PC64, SHN_LORESERVE, SHT_REL, SHT_RELA,
} from './elfConstants';
import { readSymbolSection } from './symbolTable';

/** TLS offsets inside debug info are written as plain symbol values. */
const R_X86_64_DTPOFF64 = 17;
const R_X86_64_DTPOFF32 = 21;
const R_386_TLS_LDO_32 = 32;

const U32 = 0xffffffffn;

const relocated = new WeakSet<ElfFile>();

/** Sections whose contents are relocated; code and data sections are the loader's business. */
function wantsRelocation(name: string): boolean {
  return name.startsWith('.debug_') || name === '.eh_frame';
}

/**
 * In an ET_REL file, debug sections hold zeros where other sections are referenced and the
 * real values live in relocation records. Patch copies of those sections in place so the DWARF
 * readers see linked-like values (section-relative addresses). Problems are logged, not thrown.
 */
export function applyDebugRelocations(elf: ElfFile, problems: ProblemLog): void {
  // REL addends live in the patched bytes, so applying twice would add the symbol twice.
  if (elf.type !== ET_REL || relocated.has(elf)) return;
  relocated.add(elf);
  const is64 = elf.is64;
  for (const relSec of elf.sections) {
    if (relSec.type !== SHT_RELA && relSec.type !== SHT_REL) continue;
    const target = elf.sections[relSec.info];
    const symSec = elf.sections[relSec.link];
    if (!target || !symSec || !wantsRelocation(target.name)) continue;
    problems.guard(() => {
      const symbols = readSymbolSection(elf, symSec);
      const data = elf.sectionData(target).slice();
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      const isRela = relSec.type === SHT_RELA;
      const entSize = (is64 ? 16 : 8) + (isRela ? (is64 ? 8 : 4) : 0);
      const raw = elf.sectionData(relSec);
      const count = Math.floor(raw.length / entSize);
      const r = new ByteReader(raw, relSec.name);
      for (let i = 0; i < count; i++) {
        r.pos = i * entSize;
        const offset = is64 ? r.offset(8) : r.u32();
        const info = is64 ? r.u64() : BigInt(r.u32());
        const addend = isRela ? (is64 ? r.i64() : BigInt(r.i32())) : undefined;
        const symIndex = Number(is64 ? info >> 32n : info >> 8n);
        const type = Number(is64 ? info & U32 : info & 0xffn);
        const sym = symbols[symIndex];
        if (!sym) throw new SymbolsError(`${relSec.name}: relocation ${i} names symbol ${symIndex}, which does not exist`);
        const symSection = sym.shndx < SHN_LORESERVE ? elf.sections[sym.shndx] : undefined;
        const s = sym.value + (symSection ? symSection.addr : 0n);
        const place = target.addr + BigInt(offset);
        applyOne(view, offset, is64, type, s, addend, place, relSec.name);
      }
      elf.overrideSectionData(target, data);
    }, undefined);
  }
}

function applyOne(view: DataView, offset: number, is64: boolean, type: number, s: bigint, addend: bigint | undefined, place: bigint, what: string): void {
  const width = relocationWidth(is64, type);
  if (width === 0) return;
  if (offset + width > view.byteLength) {
    throw new SymbolsError(`${what}: relocation at ${offset} lies outside its target section`);
  }
  const a = addend ?? (width === 8 ? view.getBigInt64(offset, true) : BigInt(view.getInt32(offset, true)));
  const pcRelative = is64 ? type === R_X86_64_PC32 || type === R_X86_64_PC64 : type === R_386_PC32;
  const value = s + a - (pcRelative ? place : 0n);
  if (width === 8) view.setBigUint64(offset, BigInt.asUintN(64, value), true);
  else view.setUint32(offset, Number(BigInt.asUintN(32, value)), true);
}

/** Bytes patched by a relocation type, 0 for no-ops; unknown types are an error. */
function relocationWidth(is64: boolean, type: number): number {
  if (is64) {
    switch (type) {
      case R_X86_64_NONE: return 0;
      case R_X86_64_64: case R_X86_64_PC64: case R_X86_64_DTPOFF64: return 8;
      case R_X86_64_32: case R_X86_64_32S: case R_X86_64_PC32: case R_X86_64_DTPOFF32: return 4;
    }
  } else {
    switch (type) {
      case R_386_NONE: return 0;
      case R_386_32: case R_386_PC32: case R_386_TLS_LDO_32: return 4;
    }
  }
  throw new SymbolsError(`relocation type ${type} in a debug section is not supported (expected absolute or PC-relative data relocations)`);
}
