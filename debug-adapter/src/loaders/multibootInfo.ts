// Writes struct multiboot_info with its memory map and module list, as a Multiboot v1 kernel reads them from EBX.
import { HIGH_MEM_START, LOW_MEM_END } from '../vmm/layout';
import type { BootArea } from './bootArea';
import { KiB } from './bytes';
import type { E820Entry } from './e820';
import type { PlacedModule } from './bootLayout';

export const MULTIBOOT_BOOTLOADER_MAGIC = 0x2badb002;
export const BOOT_LOADER_NAME = 'KVM Lab';

/** multiboot_info.flags bits: which fields below are valid. */
export const MBI_FLAG_MEMORY = 1 << 0;
export const MBI_FLAG_CMDLINE = 1 << 2;
export const MBI_FLAG_MODS = 1 << 3;
export const MBI_FLAG_MMAP = 1 << 6;
export const MBI_FLAG_BOOT_LOADER_NAME = 1 << 9;

/** Field offsets in struct multiboot_info. */
export const MBI_FLAGS = 0;
export const MBI_MEM_LOWER = 4;
export const MBI_MEM_UPPER = 8;
export const MBI_CMDLINE = 16;
export const MBI_MODS_COUNT = 20;
export const MBI_MODS_ADDR = 24;
export const MBI_MMAP_LENGTH = 44;
export const MBI_MMAP_ADDR = 48;
export const MBI_BOOT_LOADER_NAME = 64;
/** Size up to and including the framebuffer fields (spec 0.6.96); unused fields stay zero. */
export const MBI_SIZE = 116;

/** Each mmap entry starts with its own size (20), which does not count the size field itself. */
export const MMAP_ENTRY_SIZE = 24;
const MMAP_ENTRY_BODY_SIZE = 20;
export const MODULE_ENTRY_SIZE = 16;

export interface MultibootInfoInput {
  ramSize: number;
  cmdlineGpa: number;
  bootLoaderNameGpa: number;
  memoryMap: E820Entry[];
  modules: PlacedModule[];
}

/** Writes the structure at the start of `area` (so at its base address) and returns that address. */
export function writeMultibootInfo(area: BootArea, input: MultibootInfoInput): number {
  const mbi = area.alloc(MBI_SIZE, 8);
  const mmap = area.alloc(input.memoryMap.length * MMAP_ENTRY_SIZE, 8);
  input.memoryMap.forEach((e, i) => {
    const p = mmap + i * MMAP_ENTRY_SIZE;
    area.u32(p, MMAP_ENTRY_BODY_SIZE);
    area.u64(p + 4, e.addr);
    area.u64(p + 12, e.size);
    area.u32(p + 20, e.type);
  });
  const mods = area.alloc(input.modules.length * MODULE_ENTRY_SIZE, 8);
  input.modules.forEach((m, i) => {
    const p = mods + i * MODULE_ENTRY_SIZE;
    area.u32(p, m.gpa);
    area.u32(p + 4, m.gpa + m.bytes.length);
    area.u32(p + 8, m.stringGpa);
  });
  area.u32(mbi + MBI_FLAGS,
    MBI_FLAG_MEMORY | MBI_FLAG_CMDLINE | MBI_FLAG_MODS | MBI_FLAG_MMAP | MBI_FLAG_BOOT_LOADER_NAME);
  // Lower memory counts from 0, upper memory from 1 MiB up to the first hole; both in KiB.
  area.u32(mbi + MBI_MEM_LOWER, LOW_MEM_END / KiB);
  area.u32(mbi + MBI_MEM_UPPER, Math.floor((input.ramSize - HIGH_MEM_START) / KiB));
  area.u32(mbi + MBI_CMDLINE, input.cmdlineGpa);
  area.u32(mbi + MBI_MODS_COUNT, input.modules.length);
  area.u32(mbi + MBI_MODS_ADDR, mods);
  area.u32(mbi + MBI_MMAP_LENGTH, input.memoryMap.length * MMAP_ENTRY_SIZE);
  area.u32(mbi + MBI_MMAP_ADDR, mmap);
  area.u32(mbi + MBI_BOOT_LOADER_NAME, input.bootLoaderNameGpa);
  return mbi;
}
