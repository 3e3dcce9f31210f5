// Minimal ELF32/ELF64 reader for the guest-shape tests: header, program headers, notes and symbol names.

export const PT_LOAD = 1;
export const PT_NOTE = 4;
export const EM_386 = 3;
export const EM_X86_64 = 62;
const SHT_SYMTAB = 2;
const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const ELFCLASS32 = 1;
const ELFCLASS64 = 2;

export interface ProgramHeader {
  type: number;
  offset: number;
  paddr: number;
  filesz: number;
  memsz: number;
}

export interface ElfNote {
  name: string;
  type: number;
  desc: Uint8Array;
}

export interface ElfImage {
  bits: 32 | 64;
  machine: number;
  entry: number;
  programHeaders: ProgramHeader[];
  notes: ElfNote[];
  symbols: Set<string>;
}

export function hasElfMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ELF_MAGIC.every((b, i) => bytes[i] === b);
}

/** Parses the parts of an ELF file the tests look at; throws with a one-line reason on malformed input. */
export function readElf(bytes: Uint8Array): ElfImage {
  if (!hasElfMagic(bytes)) throw new Error('not an ELF file (no 7f 45 4c 46 magic)');
  const cls = bytes[4];
  if (cls !== ELFCLASS32 && cls !== ELFCLASS64) throw new Error(`unknown ELF class ${cls}`);
  const is64 = cls === ELFCLASS64;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const word = (at: number) => (is64 ? Number(view.getBigUint64(at, true)) : u32(at));

  const machine = u16(18);
  const entry = word(24);
  const phoff = is64 ? word(32) : u32(28);
  const shoff = is64 ? word(40) : u32(32);
  const [phentsize, phnum, shentsize, shnum] = is64 ? [u16(54), u16(56), u16(58), u16(60)] : [u16(42), u16(44), u16(46), u16(48)];

  const programHeaders: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    programHeaders.push(is64
      ? { type: u32(at), offset: word(at + 8), paddr: word(at + 24), filesz: word(at + 32), memsz: word(at + 40) }
      : { type: u32(at), offset: u32(at + 4), paddr: u32(at + 12), filesz: u32(at + 16), memsz: u32(at + 20) });
  }

  const notes = programHeaders.filter((p) => p.type === PT_NOTE).flatMap((p) => readNotes(bytes, view, p.offset, p.filesz));
  return { bits: is64 ? 64 : 32, machine, entry, programHeaders, notes, symbols: readSymbols(bytes, shoff, shentsize, shnum, is64) };
}

const align4 = (n: number) => (n + 3) & ~3;

function readNotes(bytes: Uint8Array, view: DataView, offset: number, size: number): ElfNote[] {
  const notes: ElfNote[] = [];
  let at = offset;
  while (at + 12 <= offset + size) {
    const namesz = view.getUint32(at, true);
    const descsz = view.getUint32(at + 4, true);
    const type = view.getUint32(at + 8, true);
    const nameAt = at + 12;
    const descAt = nameAt + align4(namesz);
    // Note names include their terminating NUL.
    const name = new TextDecoder().decode(bytes.subarray(nameAt, nameAt + Math.max(0, namesz - 1)));
    notes.push({ name, type, desc: bytes.subarray(descAt, descAt + descsz) });
    at = descAt + align4(descsz);
  }
  return notes;
}

function readSymbols(bytes: Uint8Array, shoff: number, shentsize: number, shnum: number, is64: boolean): Set<string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number) => view.getUint32(at, true);
  const word = (at: number) => (is64 ? Number(view.getBigUint64(at, true)) : u32(at));
  const section = (i: number) => {
    const at = shoff + i * shentsize;
    return is64
      ? { type: u32(at + 4), offset: word(at + 24), size: word(at + 32), link: u32(at + 40), entsize: word(at + 56) }
      : { type: u32(at + 4), offset: u32(at + 16), size: u32(at + 20), link: u32(at + 24), entsize: u32(at + 36) };
  };
  const names = new Set<string>();
  for (let i = 0; i < shnum; i++) {
    const symtab = section(i);
    if (symtab.type !== SHT_SYMTAB || symtab.entsize === 0) continue;
    const strtab = section(symtab.link);
    for (let at = symtab.offset; at + symtab.entsize <= symtab.offset + symtab.size; at += symtab.entsize) {
      const nameOffset = u32(at);
      if (nameOffset === 0) continue;
      const start = strtab.offset + nameOffset;
      let end = start;
      while (end < bytes.length && bytes[end] !== 0) end++;
      names.add(new TextDecoder().decode(bytes.subarray(start, end)));
    }
  }
  return names;
}
