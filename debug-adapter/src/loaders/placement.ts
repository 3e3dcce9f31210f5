// Where things go in guest RAM: the fit and overlap check for kernel segments, and placement of modules and initrds.
import { HIGH_MEM_START, LOW_MEM_END, MODULES_MIN_ADDR } from '../vmm/layout';
import { ImageFormatError, type LoadSegment } from './loadPlan';
import { PAGE_SIZE, alignDown, alignUp, formatSize, hex } from './bytes';

export interface Range {
  gpa: number;
  length: number;
  what: string;
}

/** The e820 hole between low RAM and 1 MiB (EBDA, VGA window, BIOS area): nothing is loaded there. */
export const LEGACY_RESERVED: Range = {
  gpa: LOW_MEM_END, length: HIGH_MEM_START - LOW_MEM_END, what: 'reserved legacy area (EBDA, VGA and BIOS)',
};

export function overlaps(a: { gpa: number; length: number }, b: { gpa: number; length: number }): boolean {
  return a.length > 0 && b.length > 0 && a.gpa < b.gpa + b.length && b.gpa < a.gpa + a.length;
}

export function rangeOf(seg: LoadSegment): Range {
  return { gpa: seg.gpa, length: seg.bytes.length, what: seg.what };
}

function span(r: Range): string {
  return `${hex(r.gpa)}-${hex(r.gpa + r.length - 1)}`;
}

/**
 * Every kernel range must lie inside RAM, clear of the loader's boot structures and the legacy hole, and not
 * overlap another kernel range. Checked before any bytes are copied, so a hostile image cannot make us allocate.
 */
export function checkKernelFits(kernel: Range[], reserved: Range[], ramSize: number): void {
  const live = kernel.filter((r) => r.length > 0);
  for (const k of live) {
    if (k.gpa < 0 || k.gpa + k.length > ramSize) {
      throw new ImageFormatError(
        `${k.what} at ${hex(k.gpa)} (+${k.length} bytes) does not fit in ${formatSize(ramSize)} of guest memory; use --memory`);
    }
    for (const r of [...reserved, LEGACY_RESERVED]) {
      if (overlaps(k, r)) {
        throw new ImageFormatError(
          `${k.what} at ${hex(k.gpa)} (+${k.length} bytes) overlaps the ${r.what} at ${span(r)}; ` +
          `expected the kernel to be linked at or above 1 MiB (${hex(HIGH_MEM_START)})`);
      }
    }
  }
  // Sorting makes the pairwise check linear, which matters for images with thousands of program headers.
  const sorted = [...live].sort((a, b) => a.gpa - b.gpa);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur.gpa < prev.gpa + prev.length) {
      throw new ImageFormatError(`${prev.what} (${span(prev)}) and ${cur.what} (${span(cur)}) overlap in guest memory`);
    }
    if (cur.gpa + cur.length < prev.gpa + prev.length) sorted[i] = prev;
  }
}

/** Move `gpa` up past any reserved range that `length` bytes starting there would overlap. */
function skipReserved(gpa: number, length: number, reserved: Range[]): number {
  let addr = gpa;
  for (let moved = true; moved;) {
    moved = false;
    for (const r of reserved) {
      if (overlaps({ gpa: addr, length: Math.max(length, 1) }, r)) {
        addr = alignUp(r.gpa + r.length, PAGE_SIZE);
        moved = true;
      }
    }
  }
  return addr;
}

/**
 * Modules (and a Multiboot/PVH initrd) go page-aligned, one after another, above the kernel's highest byte:
 * from MODULES_MIN_ADDR when they all fit below the end of RAM there, otherwise straight after the kernel.
 */
export function placeModules(blobs: { what: string; length: number }[], kernelEnd: number, ramSize: number,
  reserved: Range[]): number[] {
  const all = [...reserved, LEGACY_RESERVED];
  const total = blobs.reduce((sum, b) => sum + alignUp(b.length, PAGE_SIZE), 0);
  const afterKernel = alignUp(kernelEnd, PAGE_SIZE);
  let cursor = Math.max(afterKernel, MODULES_MIN_ADDR) + total <= ramSize
    ? Math.max(afterKernel, MODULES_MIN_ADDR) : afterKernel;
  const out: number[] = [];
  for (const b of blobs) {
    const gpa = skipReserved(alignUp(cursor, PAGE_SIZE), b.length, all);
    if (gpa + b.length > ramSize) {
      throw new ImageFormatError(
        `${b.what} (${b.length} bytes) does not fit in ${formatSize(ramSize)} of guest memory above the kernel ` +
        `(it would end at ${hex(gpa + b.length)}); use --memory`);
    }
    out.push(gpa);
    cursor = gpa + b.length;
  }
  return out;
}

/**
 * The highest page-aligned address where `length` bytes end at or below `limitEnd`, not below `lowest` and clear
 * of the reserved ranges (the Linux initrd convention: as high as the kernel allows).
 */
export function placeHigh(what: string, length: number, lowest: number, limitEnd: number, reserved: Range[]): number {
  let gpa = alignDown(limitEnd - length, PAGE_SIZE);
  for (let moved = true; moved && gpa >= lowest;) {
    moved = false;
    for (const r of [...reserved, LEGACY_RESERVED]) {
      if (overlaps({ gpa, length: Math.max(length, 1) }, r)) {
        gpa = alignDown(r.gpa - length, PAGE_SIZE);
        moved = true;
      }
    }
  }
  if (gpa < lowest || gpa < 0) {
    throw new ImageFormatError(
      `${what} (${length} bytes) does not fit between ${hex(lowest)} and ${hex(limitEnd)}; use --memory`);
  }
  return gpa;
}
