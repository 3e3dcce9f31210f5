// Identity-mapped 4-level page tables in 2 MiB pages for entries that start in long mode.
import { PD_ADDR, PDPT_ADDR, PML4_ADDR } from '../vmm/layout';
import { GiB, PAGE_SIZE, alignUp, putU64 } from './bytes';
import type { LoadSegment } from './loadPlan';

export const PTE_PRESENT = 0x1;
export const PTE_WRITABLE = 0x2;
/** In a page-directory entry: this entry maps a 2 MiB page rather than pointing to a page table. */
export const PTE_LARGE_PAGE = 0x80;
export const LARGE_PAGE_SIZE = 2 * 1024 * 1024;
const ENTRY_SIZE = 8;
const ENTRIES_PER_TABLE = 512;
/** The low 4 GiB are always mapped so MMIO (LAPIC, IOAPIC, framebuffers) is reachable without new mappings. */
const MIN_COVERAGE = 4 * GiB;

/** Bytes identity-mapped for a guest with `ramSize` bytes of RAM: at least 4 GiB, whole GiB steps. */
export function identityMapCoverage(ramSize: number): number {
  return Math.max(MIN_COVERAGE, alignUp(ramSize, GiB));
}

/** Number of page directories (one per GiB), placed back to back from PD_ADDR. */
export function pageDirectoryCount(ramSize: number): number {
  return identityMapCoverage(ramSize) / GiB;
}

/** PML4 -> one PDPT -> N page directories of 2 MiB pages. NX is never set, so EFER.NXE is not needed. */
export function identityPageTables(ramSize: number): LoadSegment[] {
  const pds = pageDirectoryCount(ramSize);
  if (pds > ENTRIES_PER_TABLE) throw new RangeError(`cannot identity-map ${ramSize} bytes with one PDPT`);
  const table = PTE_PRESENT | PTE_WRITABLE;
  const pml4 = new Uint8Array(PAGE_SIZE);
  putU64(pml4, 0, PDPT_ADDR | table);
  const pdpt = new Uint8Array(PAGE_SIZE);
  const pd = new Uint8Array(pds * PAGE_SIZE);
  for (let i = 0; i < pds; i++) {
    putU64(pdpt, i * ENTRY_SIZE, PD_ADDR + i * PAGE_SIZE + table);
    for (let j = 0; j < ENTRIES_PER_TABLE; j++) {
      const n = i * ENTRIES_PER_TABLE + j;
      putU64(pd, n * ENTRY_SIZE, n * LARGE_PAGE_SIZE + (table | PTE_LARGE_PAGE));
    }
  }
  return [
    { gpa: PML4_ADDR, bytes: pml4, what: 'page tables (PML4)' },
    { gpa: PDPT_ADDR, bytes: pdpt, what: 'page tables (PDPT)' },
    { gpa: PD_ADDR, bytes: pd, what: 'page tables (page directories)' },
  ];
}
