// Checks that a guest image has the on-disk shape of its declared boot format; returns the problems found.
import { EM_386, EM_X86_64, PT_LOAD, hasElfMagic, readElf, type ElfImage } from './elfReader';

export type GuestFormat = 'bootsector' | 'multiboot' | 'pvh' | 'elf64' | 'bzimage';
export const GUEST_FORMATS: readonly GuestFormat[] = ['bootsector', 'multiboot', 'pvh', 'elf64', 'bzimage'];

const BOOT_SECTOR_SIZE = 512;
const BOOT_SIGNATURE = 0xaa55;
const MULTIBOOT_HEADER_MAGIC = 0x1badb002;
const MULTIBOOT_SEARCH_BYTES = 8192;
const XEN_ELFNOTE_PHYS32_ENTRY = 18;
const HIGH_MEM_START = 0x100000;

/** Linux boot-protocol setup header fields (file offsets). */
const SETUP_SECTS = 0x1f1;
const SYSSIZE = 0x1f4;
const BOOT_FLAG = 0x1fe;
const HEADER_MAGIC = 0x202;
const PROTOCOL_VERSION = 0x206;
const LOADFLAGS = 0x211;
const CODE32_START = 0x214;
const XLOADFLAGS = 0x236;
const PREF_ADDRESS = 0x258;
const KERNEL_INFO_OFFSET = 0x268;
const HDRS = 0x53726448;
const LTOP = 0x506f544c;
const MIN_PROTOCOL = 0x020f;
const LOADED_HIGH = 0x01;
const XLF_KERNEL_64 = 0x01;

export function checkImageShape(format: GuestFormat, bytes: Uint8Array): string[] {
  switch (format) {
    case 'bootsector':
      return checkBootSector(bytes);
    case 'multiboot':
      return checkMultiboot(bytes);
    case 'pvh':
      return checkPvh(bytes);
    case 'elf64':
      return checkElf64(bytes);
    case 'bzimage':
      return checkBzImage(bytes);
  }
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** File offset of a valid Multiboot v1 header (magic + flags + checksum = 0, 4-aligned, first 8 KiB), or -1. */
export function findMultibootHeader(bytes: Uint8Array): number {
  const v = view(bytes);
  const limit = Math.min(bytes.length, MULTIBOOT_SEARCH_BYTES);
  for (let at = 0; at + 12 <= limit; at += 4) {
    if (v.getUint32(at, true) !== MULTIBOOT_HEADER_MAGIC) continue;
    if (((v.getUint32(at, true) + v.getUint32(at + 4, true) + v.getUint32(at + 8, true)) >>> 0) === 0) return at;
  }
  return -1;
}

function pvhEntry(elf: ElfImage): number | undefined {
  const note = elf.notes.find((n) => n.name === 'Xen' && n.type === XEN_ELFNOTE_PHYS32_ENTRY);
  if (!note || (note.desc.length !== 4 && note.desc.length !== 8)) return undefined;
  return view(note.desc).getUint32(0, true);
}

function insideLoad(elf: ElfImage, address: number): boolean {
  return elf.programHeaders.some((p) => p.type === PT_LOAD && address >= p.paddr && address < p.paddr + p.memsz);
}

function parseElf(bytes: Uint8Array, problems: string[]): ElfImage | undefined {
  try {
    return readElf(bytes);
  } catch (err) {
    problems.push((err as Error).message);
    return undefined;
  }
}

function checkLoadable(elf: ElfImage, entry: number, problems: string[]): void {
  const loads = elf.programHeaders.filter((p) => p.type === PT_LOAD);
  if (loads.length === 0) problems.push('no PT_LOAD segment');
  if (loads.some((p) => p.paddr < HIGH_MEM_START)) problems.push('a PT_LOAD segment lies below 1 MiB');
  if (!insideLoad(elf, entry)) problems.push(`entry 0x${entry.toString(16)} is outside every PT_LOAD segment`);
}

function checkBootSector(bytes: Uint8Array): string[] {
  const problems: string[] = [];
  if (bytes.length !== BOOT_SECTOR_SIZE) problems.push(`boot sector is ${bytes.length} bytes, expected ${BOOT_SECTOR_SIZE}`);
  else if (view(bytes).getUint16(510, true) !== BOOT_SIGNATURE) problems.push('boot sector does not end with 55 AA');
  return problems;
}

function checkMultiboot(bytes: Uint8Array): string[] {
  const problems: string[] = [];
  if (findMultibootHeader(bytes) < 0) problems.push('no valid Multiboot header in the first 8 KiB');
  const elf = parseElf(bytes, problems);
  if (!elf) return problems;
  if (elf.bits !== 32 || elf.machine !== EM_386) problems.push('a Multiboot kernel here must be ELF32 for i386');
  checkLoadable(elf, elf.entry, problems);
  return problems;
}

function checkPvh(bytes: Uint8Array): string[] {
  const problems: string[] = [];
  // A Multiboot header would make the probe pick the Multiboot loader first.
  if (findMultibootHeader(bytes) >= 0) problems.push('a PVH image must not carry a Multiboot header');
  const elf = parseElf(bytes, problems);
  if (!elf) return problems;
  const entry = pvhEntry(elf);
  if (entry === undefined) problems.push('no Xen PHYS32_ENTRY note (type 18) with a 4- or 8-byte address');
  else checkLoadable(elf, entry, problems);
  return problems;
}

function checkElf64(bytes: Uint8Array): string[] {
  const problems: string[] = [];
  if (findMultibootHeader(bytes) >= 0) problems.push('a plain ELF64 image must not carry a Multiboot header');
  const elf = parseElf(bytes, problems);
  if (!elf) return problems;
  if (elf.bits !== 64 || elf.machine !== EM_X86_64) problems.push('not an ELF64 x86-64 file');
  if (pvhEntry(elf) !== undefined) problems.push('a plain ELF64 image must not carry a PVH entry note');
  checkLoadable(elf, elf.entry, problems);
  return problems;
}

function checkBzImage(bytes: Uint8Array): string[] {
  if (bytes.length < 0x400 || hasElfMagic(bytes)) return ['not a bzImage: too short or an ELF file'];
  const v = view(bytes);
  const problems: string[] = [];
  if (v.getUint16(BOOT_FLAG, true) !== BOOT_SIGNATURE) problems.push('boot_flag at 0x1fe is not 0xaa55');
  if (v.getUint32(HEADER_MAGIC, true) !== HDRS) problems.push('no "HdrS" at 0x202');
  if (v.getUint16(PROTOCOL_VERSION, true) < MIN_PROTOCOL) problems.push('boot protocol older than 2.15');
  if ((bytes[LOADFLAGS] & LOADED_HIGH) === 0) problems.push('loadflags lacks LOADED_HIGH');
  if ((v.getUint16(XLOADFLAGS, true) & XLF_KERNEL_64) === 0) problems.push('xloadflags lacks XLF_KERNEL_64');
  if (v.getUint32(CODE32_START, true) !== HIGH_MEM_START) problems.push('code32_start is not 0x100000');
  if (Number(v.getBigUint64(PREF_ADDRESS, true)) !== HIGH_MEM_START) problems.push('pref_address is not 0x100000');
  const setupBytes = ((bytes[SETUP_SECTS] || 4) + 1) * 512;
  const payloadBytes = v.getUint32(SYSSIZE, true) * 16;
  if (bytes.length !== setupBytes + payloadBytes) {
    problems.push(`file is ${bytes.length} bytes, but setup_sects and syssize say ${setupBytes + payloadBytes}`);
  }
  const kernelInfo = setupBytes + v.getUint32(KERNEL_INFO_OFFSET, true);
  if (kernelInfo + 4 > bytes.length || v.getUint32(kernelInfo, true) !== LTOP) problems.push('kernel_info_offset does not point at "LToP"');
  return problems;
}
