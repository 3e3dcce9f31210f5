// Flat binary loader: raw bytes at a given address, entered in real, 32-bit protected or 64-bit long mode on request.
import { BOOT_STACK_TOP } from '../vmm/layout';
import { ImageFormatError, type ImageLoader, type InitialCpuState, type LoadPlan, type LoaderOptions } from './loadPlan';
import { hex } from './bytes';
import { BOOT_STACK_RANGE, nonEmpty, reservedOf } from './bootLayout';
import { longModeEntry, protectedModeEntry, realModeEntry } from './cpuState';
import { rejectModules } from './options';
import { identityPageTables } from './pageTables';
import { checkKernelFits, rangeOf, type Range } from './placement';
import type { LoadSegment } from './loadPlan';

/** Real mode reaches the first MiB only (ignoring the A20 wrap area). */
const REAL_MODE_LIMIT = 0x100000;
const REAL_MODE_SEGMENT_MASK = 0xf000;
const REAL_MODE_OFFSET_MASK = 0xffff;

function fail(message: string): never {
  throw new ImageFormatError(message);
}

/**
 * Real-mode CS:IP for a linear entry: CS is the 64 KiB-aligned segment holding it, IP the offset within.
 * Entries below 64 KiB therefore run with CS = 0 and IP = entry. All data segment registers equal CS and
 * SP = 0, so the first push lands at the top of that segment (the DOS .COM convention).
 */
export function realModeCsIp(entry: number): { cs: number; ip: number } {
  return { cs: (entry >>> 4) & REAL_MODE_SEGMENT_MASK, ip: entry & REAL_MODE_OFFSET_MASK };
}

export const flatLoader: ImageLoader = {
  format: 'flat',

  /** Raw bytes have no signature; the flat format is only ever chosen explicitly. */
  probe(): boolean {
    return false;
  },

  plan(image: Uint8Array, opts: LoaderOptions): LoadPlan {
    const f = opts.flat;
    if (!f) fail('the flat format needs a load address, an entry address and a mode (16, 32 or 64)');
    if (f.mode !== 16 && f.mode !== 32 && f.mode !== 64) fail(`flat mode ${String(f.mode)} is invalid: expected 16, 32 or 64`);
    if (!Number.isSafeInteger(f.loadAddress) || f.loadAddress < 0) fail(`flat load address ${f.loadAddress} is invalid`);
    if (image.length === 0) fail('flat image is empty: expected at least one byte of code');
    rejectModules(opts, 'a flat image');
    const end = f.loadAddress + image.length;
    if (!Number.isSafeInteger(f.entry) || f.entry < f.loadAddress || f.entry >= end) {
      fail(`flat entry ${hex(f.entry)} is outside the image loaded at ${hex(f.loadAddress)}-${hex(end - 1)}`);
    }
    if (f.mode === 16 && f.entry >= REAL_MODE_LIMIT) {
      fail(`flat entry ${hex(f.entry)} is not reachable in real mode: expected an address below 1 MiB`);
    }

    let state: InitialCpuState;
    let boot: LoadSegment[] = [];
    let reserved: Range[] = [];
    let modeNote: string;
    if (f.mode === 16) {
      const { cs, ip } = realModeCsIp(f.entry);
      state = realModeEntry(cs, ip, cs, { rsp: 0n });
      modeNote = `real mode at ${hex(cs)}:${hex(ip)}, DS=ES=SS=CS, SP=0`;
    } else if (f.mode === 32) {
      const cpu = protectedModeEntry(f.entry, { rsp: BigInt(BOOT_STACK_TOP) });
      state = cpu.state;
      boot = [cpu.gdt];
      reserved = [rangeOf(cpu.gdt), BOOT_STACK_RANGE];
      modeNote = `32-bit protected mode, paging off, ESP=${hex(BOOT_STACK_TOP)}`;
    } else {
      const cpu = longModeEntry(f.entry, { rsp: BigInt(BOOT_STACK_TOP) });
      const tables = identityPageTables(opts.ramSize);
      state = cpu.state;
      boot = [cpu.gdt, ...tables];
      reserved = [rangeOf(cpu.gdt), BOOT_STACK_RANGE, ...reservedOf(tables)];
      modeNote = `64-bit long mode, identity-mapped, RSP=${hex(BOOT_STACK_TOP)}`;
    }
    const what = 'flat image';
    checkKernelFits([{ gpa: f.loadAddress, length: image.length, what }], reserved, opts.ramSize);
    return {
      format: 'flat',
      segments: [{ gpa: f.loadAddress, bytes: image, what }, ...nonEmpty(boot)],
      zeroFill: [],
      entry: state,
      notes: [`flat image at ${hex(f.loadAddress)} (+${image.length} bytes), entry ${hex(f.entry)} in ${modeNote}`],
    };
  },
};
