// Parses an ELF32/ELF64 little-endian image: header, section headers with names, program headers.
import { inflateSync } from 'node:zlib';
import { ByteReader, stringAt } from '../byteReader';
import { SymbolsError, hex } from '../errors';
import {
  CHDR_SIZE, EHDR_SIZE, EI_CLASS, EI_DATA, EI_NIDENT, ELFCLASS32, ELFCLASS64, ELFCOMPRESS_ZLIB,
  ELFDATA2LSB, ELF_MAGIC, EM_386, EM_X86_64, PHDR_SIZE, SHDR_SIZE, SHF_COMPRESSED, SHN_UNDEF,
  SHN_XINDEX, SHT_NOBITS,
} from './elfConstants';

export type ElfClass = 32 | 64;

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  flags: number;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

export interface ElfSegment {
  type: number;
  flags: number;
  offset: number;
  vaddr: bigint;
  paddr: bigint;
  filesz: number;
  memsz: number;
  align: number;
}

/** Upper bound for a decompressed section: far above any real vmlinux debug section. */
const MAX_DECOMPRESSED_SIZE = 1 << 30;
/** Legacy GNU compressed sections (.zdebug_*) start with this tag and a big-endian size. */
const ZDEBUG_MAGIC = 'ZLIB';
const ZDEBUG_HEADER_SIZE = 12;

export class ElfFile {
  readonly elfClass: ElfClass;
  readonly type: number;
  readonly machine: number;
  readonly entry: bigint;
  readonly flags: number;
  readonly sections: ElfSection[] = [];
  readonly segments: ElfSegment[] = [];
  private readonly byName = new Map<string, ElfSection>();
  private readonly dataCache = new Map<number, Uint8Array>();

  /** Throws SymbolsError when the bytes are not a little-endian ELF32/ELF64 file. */
  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < EI_NIDENT || ELF_MAGIC.some((b, i) => bytes[i] !== b)) {
      throw new SymbolsError('not an ELF file: the first bytes are not 0x7f "ELF"');
    }
    const cls = bytes[EI_CLASS];
    if (cls !== ELFCLASS32 && cls !== ELFCLASS64) {
      throw new SymbolsError(`ELF header: unknown class ${cls} (expected 1 for ELF32 or 2 for ELF64)`);
    }
    if (bytes[EI_DATA] !== ELFDATA2LSB) {
      throw new SymbolsError('ELF header: big-endian files are not supported (expected little-endian x86)');
    }
    this.elfClass = cls === ELFCLASS64 ? 64 : 32;
    const is64 = this.elfClass === 64;
    const r = new ByteReader(bytes, 'ELF header');
    r.need(EHDR_SIZE[cls]);
    r.pos = EI_NIDENT;
    this.type = r.u16();
    this.machine = r.u16();
    r.u32(); // e_version
    this.entry = is64 ? r.u64() : BigInt(r.u32());
    const phoff = is64 ? r.offset(8) : r.u32();
    const shoff = is64 ? r.offset(8) : r.u32();
    this.flags = r.u32();
    r.u16(); // e_ehsize
    const phentsize = r.u16();
    const phnum = r.u16();
    const shentsize = r.u16();
    let shnum = r.u16();
    let shstrndx = r.u16();

    if (shoff !== 0) {
      if (shentsize < SHDR_SIZE[cls]) {
        throw new SymbolsError(`ELF header: section header size ${shentsize} is too small (expected ${SHDR_SIZE[cls]})`);
      }
      // Extended numbering: counts too large for the header live in section header 0.
      if (shnum === 0 || shstrndx === SHN_XINDEX) {
        const first = this.readSectionHeader(shoff, 0);
        if (shnum === 0) shnum = first.size;
        if (shstrndx === SHN_XINDEX) shstrndx = first.link;
      }
      const maxCount = Math.floor(Math.max(0, bytes.length - shoff) / shentsize);
      if (shnum > maxCount) {
        throw new SymbolsError(`ELF header: ${shnum} section headers at ${hex(shoff)} do not fit in a ${bytes.length}-byte file`);
      }
      const nameOffsets: number[] = [];
      for (let i = 0; i < shnum; i++) {
        const { nameOffset, ...section } = this.readSectionHeader(shoff + i * shentsize, i);
        this.sections.push(section);
        nameOffsets.push(nameOffset);
      }
      const strtab = shstrndx !== SHN_UNDEF ? this.sections[shstrndx] : undefined;
      if (strtab && strtab.type !== SHT_NOBITS) {
        const names = this.rawData(strtab);
        for (const s of this.sections) {
          s.name = s.index === 0 ? '' : safeString(names, nameOffsets[s.index], 'section name table');
        }
      }
      for (const s of this.sections) if (s.name && !this.byName.has(s.name)) this.byName.set(s.name, s);
    }

    if (phoff !== 0 && phnum > 0) {
      if (phentsize < PHDR_SIZE[cls]) {
        throw new SymbolsError(`ELF header: program header size ${phentsize} is too small (expected ${PHDR_SIZE[cls]})`);
      }
      if (phoff + phnum * phentsize > bytes.length) {
        throw new SymbolsError(`ELF header: ${phnum} program headers at ${hex(phoff)} do not fit in a ${bytes.length}-byte file`);
      }
      for (let i = 0; i < phnum; i++) this.segments.push(this.readProgramHeader(phoff + i * phentsize));
    }
  }

  get is64(): boolean {
    return this.elfClass === 64;
  }

  get addressSize(): 4 | 8 {
    return this.elfClass === 64 ? 8 : 4;
  }

  /** 'x86-64', 'i386' or undefined for machines the debugger cannot unwind. */
  get arch(): 'x86-64' | 'i386' | undefined {
    if (this.machine === EM_X86_64) return 'x86-64';
    if (this.machine === EM_386) return 'i386';
    return undefined;
  }

  section(name: string): ElfSection | undefined {
    return this.byName.get(name);
  }

  /**
   * The bytes of a section, decompressed when SHF_COMPRESSED (zlib) or a legacy .zdebug section.
   * NOBITS sections are empty. Throws SymbolsError when the section does not fit in the file.
   */
  sectionData(section: ElfSection): Uint8Array {
    const cached = this.dataCache.get(section.index);
    if (cached) return cached;
    let data = this.rawData(section);
    if ((section.flags & SHF_COMPRESSED) !== 0) data = this.inflateChdr(section, data);
    else if (section.name.startsWith('.zdebug')) data = inflateZdebug(section, data);
    this.dataCache.set(section.index, data);
    return data;
  }

  /** Replaces a section's bytes (used after applying relocations to a relocatable object). */
  overrideSectionData(section: ElfSection, data: Uint8Array): void {
    this.dataCache.set(section.index, data);
  }

  /** The section whose address range contains `addr` (allocated sections only). */
  sectionContaining(addr: bigint): ElfSection | undefined {
    for (const s of this.sections) {
      if (s.addr === 0n || s.size === 0) continue;
      if (addr >= s.addr && addr < s.addr + BigInt(s.size)) return s;
    }
    return undefined;
  }

  private rawData(section: ElfSection): Uint8Array {
    if (section.type === SHT_NOBITS) return new Uint8Array(0);
    if (section.offset + section.size > this.bytes.length) {
      throw new SymbolsError(`section ${section.name || '#' + section.index}: ${section.size} bytes at ${hex(section.offset)} run past the end of the ${this.bytes.length}-byte file`);
    }
    return this.bytes.subarray(section.offset, section.offset + section.size);
  }

  private inflateChdr(section: ElfSection, data: Uint8Array): Uint8Array {
    const cls = this.is64 ? 2 : 1;
    const r = new ByteReader(data, `section ${section.name} compression header`);
    const type = r.u32();
    if (this.is64) r.u32(); // ch_reserved
    const size = this.is64 ? r.offset(8) : r.u32();
    if (type !== ELFCOMPRESS_ZLIB) {
      throw new SymbolsError(`section ${section.name}: compression type ${type} is not supported (expected zlib)`);
    }
    return inflate(section.name, data.subarray(CHDR_SIZE[cls]), size);
  }

  private readSectionHeader(at: number, index: number): ElfSection & { nameOffset: number } {
    const r = new ByteReader(this.bytes, `section header ${index}`, at);
    const is64 = this.is64;
    const nameOffset = r.u32();
    const type = r.u32();
    const flags = is64 ? Number(r.u64() & 0xffffffffn) : r.u32();
    const addr = is64 ? r.u64() : BigInt(r.u32());
    const offset = is64 ? r.offset(8) : r.u32();
    const size = is64 ? r.offset(8) : r.u32();
    const link = r.u32();
    const info = r.u32();
    const addralign = is64 ? r.offset(8) : r.u32();
    const entsize = is64 ? r.offset(8) : r.u32();
    return { index, name: '', nameOffset, type, flags, addr, offset, size, link, info, addralign, entsize };
  }

  private readProgramHeader(at: number): ElfSegment {
    const r = new ByteReader(this.bytes, 'program header', at);
    if (this.is64) {
      const type = r.u32();
      const flags = r.u32();
      const offset = r.offset(8);
      const vaddr = r.u64();
      const paddr = r.u64();
      const filesz = r.offset(8);
      const memsz = r.offset(8);
      const align = r.offset(8);
      return { type, flags, offset, vaddr, paddr, filesz, memsz, align };
    }
    const type = r.u32();
    const offset = r.u32();
    const vaddr = BigInt(r.u32());
    const paddr = BigInt(r.u32());
    const filesz = r.u32();
    const memsz = r.u32();
    const flags = r.u32();
    const align = r.u32();
    return { type, flags, offset, vaddr, paddr, filesz, memsz, align };
  }
}

function safeString(table: Uint8Array, offset: number, what: string): string {
  try {
    return stringAt(table, offset, what);
  } catch {
    return '';
  }
}

function inflateZdebug(section: ElfSection, data: Uint8Array): Uint8Array {
  const tag = String.fromCharCode(...data.subarray(0, 4));
  if (tag !== ZDEBUG_MAGIC || data.length < ZDEBUG_HEADER_SIZE) return data;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const size = view.getUint32(4, false) * 2 ** 32 + view.getUint32(8, false);
  return inflate(section.name, data.subarray(ZDEBUG_HEADER_SIZE), size);
}

function inflate(name: string, compressed: Uint8Array, size: number): Uint8Array {
  if (size > MAX_DECOMPRESSED_SIZE) {
    throw new SymbolsError(`section ${name}: decompressed size ${size} is implausibly large`);
  }
  try {
    const out = inflateSync(compressed, { maxOutputLength: Math.max(1, size) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    throw new SymbolsError(`section ${name}: zlib data is corrupt (${(err as Error).message.split('\n')[0]})`);
  }
}
