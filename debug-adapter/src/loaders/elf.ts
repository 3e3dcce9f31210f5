// Just enough of an ELF reader to load kernels: little-endian ELF32/ELF64 headers and program headers, fully bounds-checked.
import { ImageFormatError, type LoadSegment } from './loadPlan';
import { bigToSafeNumber, getU16, getU32, getU64, getU8, hex } from './bytes';

export const EM_386 = 3;
export const EM_X86_64 = 62;
export const PT_LOAD = 1;
export const PT_NOTE = 4;
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;

const EI_CLASS = 4;
const EI_DATA = 5;
const ELFCLASS32 = 1;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const EHDR32_SIZE = 52;
const EHDR64_SIZE = 64;
const PHDR32_SIZE = 32;
const PHDR64_SIZE = 56;

const MACHINE_NAMES: Record<number, string> = {
  2: 'SPARC', 3: 'i386', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 'S390', 40: 'ARM',
  50: 'IA-64', 62: 'x86-64', 183: 'AArch64', 243: 'RISC-V', 258: 'LoongArch',
};

export function machineName(machine: number): string {
  return MACHINE_NAMES[machine] ?? `machine ${machine}`;
}

export interface ElfSegment {
  /** Index in the program header table, for error messages. */
  index: number;
  type: number;
  flags: number;
  offset: number;
  vaddr: bigint;
  paddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export interface ElfFile {
  bits: 32 | 64;
  type: number;
  machine: number;
  entry: bigint;
  segments: ElfSegment[];
}

export function hasElfMagic(image: Uint8Array): boolean {
  return image.length >= 4 && image[0] === 0x7f && image[1] === 0x45 && image[2] === 0x4c && image[3] === 0x46;
}

/** Cheap header peek for probes: class and machine, or undefined when the header is not a little-endian ELF. */
export function peekElf(image: Uint8Array): { bits: 32 | 64; machine: number } | undefined {
  if (!hasElfMagic(image) || image.length < EHDR32_SIZE || image[EI_DATA] !== ELFDATA2LSB) return undefined;
  const cls = image[EI_CLASS];
  if (cls !== ELFCLASS32 && cls !== ELFCLASS64) return undefined;
  return { bits: cls === ELFCLASS64 ? 64 : 32, machine: getU16(image, 18) };
}

function fail(message: string): never {
  throw new ImageFormatError(message);
}

/** A 64-bit size or offset as a number; anything past 2^53 cannot describe bytes we could load. */
function field(v: bigint, what: string, seg: number): number {
  const n = bigToSafeNumber(v);
  if (n === undefined) fail(`ELF segment ${seg}: ${what} ${hex(v)} is out of range`);
  return n;
}

/** Parse and structurally validate an ELF image (machine checks are the caller's, via requireMachine). */
export function parseElf(image: Uint8Array): ElfFile {
  if (!hasElfMagic(image)) fail('not an ELF file: expected the magic bytes 7f 45 4c 46 ("\\x7fELF") at offset 0');
  if (image.length < 16) fail(`ELF header is truncated: the file has ${image.length} bytes`);
  const cls = getU8(image, EI_CLASS);
  if (cls !== ELFCLASS32 && cls !== ELFCLASS64) fail(`ELF class ${cls} is invalid: expected 1 (32-bit) or 2 (64-bit)`);
  const data = getU8(image, EI_DATA);
  if (data !== ELFDATA2LSB) fail(`ELF data encoding ${data} is not supported: expected 1 (little-endian, as x86 kernels are)`);
  const bits: 32 | 64 = cls === ELFCLASS64 ? 64 : 32;
  const ehdrSize = bits === 64 ? EHDR64_SIZE : EHDR32_SIZE;
  if (image.length < ehdrSize) {
    fail(`ELF header is truncated: the file has ${image.length} bytes, a ${bits}-bit ELF header needs ${ehdrSize}`);
  }
  const type = getU16(image, 16);
  const machine = getU16(image, 18);
  if (type === ET_REL) fail('ELF file is a relocatable object (ET_REL), not an executable: link the kernel first');
  if (type !== ET_EXEC && type !== ET_DYN) fail(`ELF type ${type} is not loadable: expected an executable (ET_EXEC, 2)`);

  const entry = bits === 64 ? getU64(image, 24) : BigInt(getU32(image, 24));
  const phoffBig = bits === 64 ? getU64(image, 32) : BigInt(getU32(image, 28));
  const phentsize = getU16(image, bits === 64 ? 54 : 42);
  const phnum = getU16(image, bits === 64 ? 56 : 44);
  const minPhent = bits === 64 ? PHDR64_SIZE : PHDR32_SIZE;
  if (phnum === 0) fail('ELF file has no program headers: expected a linked executable with PT_LOAD segments');
  if (phentsize < minPhent) fail(`ELF program header size ${phentsize} is too small: expected at least ${minPhent}`);
  const tableEnd = phoffBig + BigInt(phnum) * BigInt(phentsize);
  if (tableEnd > BigInt(image.length)) {
    fail(`ELF program headers (${phnum} x ${phentsize} bytes at offset ${hex(phoffBig)}) run past the end of the ${image.length}-byte file`);
  }
  const phoff = Number(phoffBig);

  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    const seg = bits === 64 ? readPhdr64(image, p, i) : readPhdr32(image, p, i);
    if (seg.type === PT_LOAD || seg.type === PT_NOTE) checkSegment(seg, image.length);
    segments.push(seg);
  }
  return { bits, type, machine, entry, segments };
}

function readPhdr32(b: Uint8Array, p: number, index: number): ElfSegment {
  return {
    index, type: getU32(b, p), offset: getU32(b, p + 4), vaddr: BigInt(getU32(b, p + 8)), paddr: getU32(b, p + 12),
    filesz: getU32(b, p + 16), memsz: getU32(b, p + 20), flags: getU32(b, p + 24), align: getU32(b, p + 28),
  };
}

function readPhdr64(b: Uint8Array, p: number, index: number): ElfSegment {
  const type = getU32(b, p);
  const raw = (off: number): bigint => getU64(b, p + off);
  // Only loaded and note segments need exact sizes; others may hold any value without making the file unusable.
  const strict = type === PT_LOAD || type === PT_NOTE;
  const num = (off: number, what: string): number =>
    strict ? field(raw(off), what, index) : bigToSafeNumber(raw(off)) ?? 0;
  return {
    index, type, flags: getU32(b, p + 4), offset: num(8, 'p_offset'), vaddr: raw(16), paddr: num(24, 'p_paddr'),
    filesz: num(32, 'p_filesz'), memsz: num(40, 'p_memsz'), align: num(48, 'p_align'),
  };
}

function checkSegment(seg: ElfSegment, fileLength: number): void {
  const i = seg.index;
  if (seg.offset + seg.filesz > fileLength) {
    fail(`ELF segment ${i} (file bytes ${hex(seg.offset)} +${seg.filesz}) lies beyond the end of the ${fileLength}-byte file`);
  }
  if (seg.type !== PT_LOAD) return;
  if (seg.filesz > seg.memsz) fail(`ELF segment ${i} has p_filesz ${seg.filesz} larger than p_memsz ${seg.memsz}`);
  if (seg.paddr + seg.memsz > Number.MAX_SAFE_INTEGER) {
    fail(`ELF segment ${i} at physical ${hex(seg.paddr)} (+${seg.memsz} bytes) overflows the address space`);
  }
}

export function requireMachine(elf: ElfFile, expected: number[], purpose: string): void {
  if (expected.includes(elf.machine)) return;
  const want = expected.map((m) => `${machineName(m)} (${m})`).join(' or ');
  fail(`ELF ${purpose} is for ${machineName(elf.machine)} (e_machine ${elf.machine}): expected ${want}`);
}

export interface ElfLoad {
  segments: LoadSegment[];
  zeroFill: { gpa: number; length: number }[];
  /** Physical ranges each PT_LOAD occupies, .bss included, for fit and overlap checks. */
  ranges: { gpa: number; length: number; what: string }[];
  /** One past the highest physical byte of the kernel. */
  end: number;
}

export function loadSegmentsOf(elf: ElfFile): ElfSegment[] {
  return elf.segments.filter((s) => s.type === PT_LOAD && s.memsz > 0);
}

/** The PT_LOAD layout at physical addresses; segment bytes are views into `image`, never copies. */
export function elfLoad(elf: ElfFile, image: Uint8Array): ElfLoad {
  const loads = loadSegmentsOf(elf);
  if (loads.length === 0) fail('ELF file has no loadable (PT_LOAD) segments');
  const out: ElfLoad = { segments: [], zeroFill: [], ranges: [], end: 0 };
  for (const s of loads) {
    const what = 'kernel segment';
    out.ranges.push({ gpa: s.paddr, length: s.memsz, what });
    if (s.filesz > 0) out.segments.push({ gpa: s.paddr, bytes: image.subarray(s.offset, s.offset + s.filesz), what });
    if (s.memsz > s.filesz) out.zeroFill.push({ gpa: s.paddr + s.filesz, length: s.memsz - s.filesz });
    out.end = Math.max(out.end, s.paddr + s.memsz);
  }
  return out;
}

/** Does a physical address fall inside a loaded segment (file bytes or .bss)? */
export function insideLoad(elf: ElfFile, phys: bigint): boolean {
  return loadSegmentsOf(elf).some((s) => phys >= BigInt(s.paddr) && phys < BigInt(s.paddr + s.memsz));
}

/**
 * The physical entry address. Higher-half kernels give a virtual e_entry; like GRUB, translate it through the
 * PT_LOAD that contains it. The result must lie inside a loaded segment, or the first instruction would be garbage.
 */
export function physicalEntry(elf: ElfFile): number {
  const entry = elf.entry;
  for (const s of loadSegmentsOf(elf)) {
    if (entry >= s.vaddr && entry < s.vaddr + BigInt(s.memsz)) return s.paddr + Number(entry - s.vaddr);
  }
  if (insideLoad(elf, entry)) return Number(entry);
  fail(`ELF entry point ${hex(entry)} is not inside any loadable segment`);
}
