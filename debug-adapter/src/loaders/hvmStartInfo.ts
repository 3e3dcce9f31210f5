// Writes struct hvm_start_info (version 1) with its memory map and module list, per Xen's PVH start_info.h layout.
import type { BootArea } from './bootArea';
import type { E820Entry } from './e820';
import type { PlacedModule } from './bootLayout';

export const HVM_START_MAGIC = 0x336ec578;
/** Version 1 adds memmap_paddr/memmap_entries, which is how the guest learns its memory map without ACPI or e820. */
export const HVM_START_VERSION = 1;

/** Field offsets in struct hvm_start_info. */
export const HSI_MAGIC = 0;
export const HSI_VERSION = 4;
export const HSI_FLAGS = 8;
export const HSI_NR_MODULES = 12;
export const HSI_MODLIST_PADDR = 16;
export const HSI_CMDLINE_PADDR = 24;
export const HSI_RSDP_PADDR = 32;
export const HSI_MEMMAP_PADDR = 40;
export const HSI_MEMMAP_ENTRIES = 48;
export const HVM_START_INFO_SIZE = 56;

/** hvm_modlist_entry: paddr, size, cmdline_paddr, reserved (all u64). */
export const HVM_MODLIST_ENTRY_SIZE = 32;
/** hvm_memmap_table_entry: addr u64, size u64, type u32, reserved u32. */
export const HVM_MEMMAP_ENTRY_SIZE = 24;

export interface StartInfoInput {
  cmdlineGpa: number;
  memoryMap: E820Entry[];
  modules: PlacedModule[];
}

/** Writes the structure first in `area` (at its base) and returns its address; there are no ACPI tables (rsdp 0). */
export function writeHvmStartInfo(area: BootArea, input: StartInfoInput): number {
  const info = area.alloc(HVM_START_INFO_SIZE, 8);
  const memmap = area.alloc(input.memoryMap.length * HVM_MEMMAP_ENTRY_SIZE, 8);
  input.memoryMap.forEach((e, i) => {
    const p = memmap + i * HVM_MEMMAP_ENTRY_SIZE;
    area.u64(p, e.addr);
    area.u64(p + 8, e.size);
    area.u32(p + 16, e.type);
  });
  const modlist = area.alloc(input.modules.length * HVM_MODLIST_ENTRY_SIZE, 8);
  input.modules.forEach((m, i) => {
    const p = modlist + i * HVM_MODLIST_ENTRY_SIZE;
    area.u64(p, m.gpa);
    area.u64(p + 8, m.bytes.length);
    area.u64(p + 16, m.stringGpa);
  });
  area.u32(info + HSI_MAGIC, HVM_START_MAGIC);
  area.u32(info + HSI_VERSION, HVM_START_VERSION);
  area.u32(info + HSI_NR_MODULES, input.modules.length);
  area.u64(info + HSI_MODLIST_PADDR, input.modules.length > 0 ? modlist : 0);
  area.u64(info + HSI_CMDLINE_PADDR, input.cmdlineGpa);
  area.u64(info + HSI_MEMMAP_PADDR, memmap);
  area.u32(info + HSI_MEMMAP_ENTRIES, input.memoryMap.length);
  return info;
}
