// The vCPU states loaders start guests in: real mode, flat 32-bit protected mode and identity-mapped long mode.
import {
  CR0_AM, CR0_ET, CR0_MP, CR0_NE, CR0_PE, CR0_PG, CR0_WP, CR4_OSFXSR, CR4_OSXMMEXCPT, CR4_PAE, EFER_LMA, EFER_LME, segment,
  type Regs, type Segment, type Sregs,
} from '../vmm/cpu/registers';
import { BOOT_GDT_ADDR, PML4_ADDR } from '../vmm/layout';
import type { InitialCpuState, LoadSegment } from './loadPlan';
import { buildGdt, flatCode32, flatCode64, flatData, SEG_TYPE_CODE_EXEC_READ_ACCESSED } from './gdt';

/** Only bit 1 is set: interrupts off, as every boot protocol here requires. */
export const RFLAGS_BOOT = 2n;

/** 32-bit entries: protection on, paging off. */
export const PROTECTED_MODE_CR0 = CR0_PE | CR0_ET;
/** 0x80050033: the value Linux itself runs with, so SSE, write protection and native FPU errors work at once. */
export const LONG_MODE_CR0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_PG;
/** 0x620: PAE for 4-level paging, plus OSFXSR/OSXMMEXCPT so compiler-generated SSE does not fault. */
export const LONG_MODE_CR4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
/** LME|LMA without NXE: the boot page tables never set NX, and kernels enable NXE themselves when they use it. */
export const LONG_MODE_EFER = EFER_LME | EFER_LMA;

export interface FlatEntry {
  state: InitialCpuState;
  /** The GDT the segment registers were loaded from, to be written at BOOT_GDT_ADDR. */
  gdt: LoadSegment;
}

export interface Selectors {
  code: number;
  data: number;
}

export const DEFAULT_SELECTORS: Selectors = { code: 0x08, data: 0x10 };

function dataSegments(data: Segment): Pick<Sregs, 'ds' | 'es' | 'fs' | 'gs' | 'ss'> {
  return { ds: { ...data }, es: { ...data }, fs: { ...data }, gs: { ...data }, ss: { ...data } };
}

function flatEntry(mode: 32 | 64, entry: number, regs: Partial<Regs>, sel: Selectors): FlatEntry {
  const cs = mode === 64 ? flatCode64(sel.code) : flatCode32(sel.code);
  const ds = flatData(sel.data);
  const gdt = buildGdt([cs, ds]);
  const control: Partial<Sregs> = mode === 64
    ? { cr0: LONG_MODE_CR0, cr3: BigInt(PML4_ADDR), cr4: LONG_MODE_CR4, efer: LONG_MODE_EFER }
    : { cr0: PROTECTED_MODE_CR0, cr3: 0n, cr4: 0n, efer: 0n };
  return {
    gdt: { gpa: BOOT_GDT_ADDR, bytes: gdt, what: 'boot GDT' },
    state: {
      mode,
      regs: { rflags: RFLAGS_BOOT, ...regs, rip: BigInt(entry) },
      sregs: {
        cs, ...dataSegments(ds),
        gdt: { base: BigInt(BOOT_GDT_ADDR), limit: gdt.length - 1 },
        ...control,
      },
    },
  };
}

/** Flat 4 GiB code and data segments, CR0.PE only; the caller writes the returned GDT. */
export function protectedModeEntry(entry: number, regs: Partial<Regs>, sel: Selectors = DEFAULT_SELECTORS): FlatEntry {
  return flatEntry(32, entry, regs, sel);
}

/** 64-bit code segment, paging on with CR3 at the identity map (the caller writes the page tables and the GDT). */
export function longModeEntry(entry: number, regs: Partial<Regs>, sel: Selectors = DEFAULT_SELECTORS): FlatEntry {
  return flatEntry(64, entry, regs, sel);
}

/** A real-mode segment register: base = selector * 16, 64 KiB limit, as after a real-mode segment load. */
export function realModeSegment(selector: number, code = false): Segment {
  return segment({
    selector, base: BigInt(selector) << 4n, limit: 0xffff, db: 0, g: 0, l: 0,
    ...(code ? { type: SEG_TYPE_CODE_EXEC_READ_ACCESSED } : {}),
  });
}

/** Real mode at CS:IP with every data segment register set to `dataSelector`. */
export function realModeEntry(cs: number, ip: number, dataSelector: number, regs: Partial<Regs>): InitialCpuState {
  const ds = realModeSegment(dataSelector);
  return {
    mode: 16,
    regs: { rflags: RFLAGS_BOOT, ...regs, rip: BigInt(ip) },
    sregs: { cs: realModeSegment(cs, true), ...dataSegments(ds), cr0: CR0_ET, cr3: 0n, cr4: 0n, efer: 0n },
  };
}
