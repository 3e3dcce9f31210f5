// Shared plan assembly for kernels that receive a boot-info structure: fixed boot areas, module naming and placement.
import {
  BOOT_INFO_ADDR, BOOT_STACK_TOP, CMDLINE_ADDR, CMDLINE_MAX, ZERO_PAGE_ADDR,
} from '../vmm/layout';
import type { LoadSegment } from './loadPlan';
import { BootArea } from './bootArea';
import { PAGE_SIZE, alignDown, hex } from './bytes';
import type { BootModule } from './options';
import { placeModules, rangeOf, type Range } from './placement';

/** The page holding the boot stack (stack pointers start at BOOT_STACK_TOP and grow down inside it). */
export const BOOT_STACK_RANGE: Range = {
  gpa: alignDown(BOOT_STACK_TOP, PAGE_SIZE), length: PAGE_SIZE, what: 'boot stack',
};

/** The boot information window (multiboot_info or hvm_start_info and their tables), up to the zero page. */
export function bootInfoArea(): BootArea {
  return new BootArea(BOOT_INFO_ADDR, ZERO_PAGE_ADDR - BOOT_INFO_ADDR, 'boot information area');
}

/** The command line goes first, so it sits exactly at CMDLINE_ADDR; module strings follow it. */
export function stringArea(): BootArea {
  return new BootArea(CMDLINE_ADDR, CMDLINE_MAX, 'command line area');
}

/** The whole boot-info window is reserved, since its final size is only known after module placement. */
export function bootInfoReserved(): Range {
  return { gpa: BOOT_INFO_ADDR, length: ZERO_PAGE_ADDR - BOOT_INFO_ADDR, what: 'boot information area' };
}

export function areaReserved(area: BootArea): Range {
  return { gpa: area.base, length: area.size, what: area.what };
}

export interface PlacedModule {
  name: string;
  bytes: Uint8Array;
  gpa: number;
  stringGpa: number;
}

/** Write every module string into the string area first, so its final extent is known before placement. */
export function nameModules(modules: BootModule[], strings: BootArea): { module: BootModule; stringGpa: number }[] {
  return modules.map((module) => ({ module, stringGpa: strings.putString(module.string) }));
}

export function placeNamedModules(named: { module: BootModule; stringGpa: number }[], kernelEnd: number,
  ramSize: number, reserved: Range[]): PlacedModule[] {
  const addrs = placeModules(named.map((n) => ({ what: `module ${n.module.name}`, length: n.module.bytes.length })),
    kernelEnd, ramSize, reserved);
  return named.map((n, i) => ({ name: n.module.name, bytes: n.module.bytes, gpa: addrs[i], stringGpa: n.stringGpa }));
}

export function moduleSegments(placed: PlacedModule[]): LoadSegment[] {
  return placed.filter((m) => m.bytes.length > 0).map((m) => ({ gpa: m.gpa, bytes: m.bytes, what: `module ${m.name}` }));
}

export function moduleNotes(placed: PlacedModule[]): string[] {
  return placed.map((m) => `module ${m.name} at ${hex(m.gpa)} (+${m.bytes.length} bytes)`);
}

/** Drop empty boot segments (an unused string area) so plans list only bytes that are really written. */
export function nonEmpty(segments: LoadSegment[]): LoadSegment[] {
  return segments.filter((s) => s.bytes.length > 0);
}

export function reservedOf(segments: LoadSegment[]): Range[] {
  return nonEmpty(segments).map(rangeOf);
}
