// The guest memory map every boot protocol reports: low RAM, the legacy hole, then RAM from 1 MiB to the end.
import { HIGH_MEM_START, LOW_MEM_END } from '../vmm/layout';
import { putU32, putU64 } from './bytes';

/** Memory types shared by e820, Multiboot mmap and hvm_memmap_table_entry (they use the same numbering). */
export const E820_RAM = 1;
export const E820_RESERVED = 2;

export interface E820Entry {
  addr: number;
  size: number;
  type: number;
}

/** The map for `ramSize` bytes of RAM at GPA 0 (ramSize is at least 2 MiB, so every range is non-empty). */
export function buildE820(ramSize: number): E820Entry[] {
  return [
    { addr: 0, size: LOW_MEM_END, type: E820_RAM },
    // The EBDA page, VGA window and BIOS area: RAM-backed here, but guests expect it unusable.
    { addr: LOW_MEM_END, size: HIGH_MEM_START - LOW_MEM_END, type: E820_RESERVED },
    { addr: HIGH_MEM_START, size: ramSize - HIGH_MEM_START, type: E820_RAM },
  ];
}

/** Linux's struct boot_e820_entry: addr u64, size u64, type u32 (packed, 20 bytes). */
export const E820_ENTRY_SIZE = 20;

export function writeE820Entry(b: Uint8Array, off: number, e: E820Entry): void {
  putU64(b, off, e.addr);
  putU64(b, off + 8, e.size);
  putU32(b, off + 16, e.type);
}
