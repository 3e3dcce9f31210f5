// Linux bzImage loader (boot protocol 2.06+): protected-mode kernel at 1 MiB, zero page, entered at its 64-bit entry.
import { BOOT_STACK_TOP, HIGH_MEM_START, PML4_ADDR, ZERO_PAGE_ADDR } from '../vmm/layout';
import { ImageFormatError, type ImageLoader, type LoadPlan, type LoaderOptions } from './loadPlan';
import { PAGE_SIZE, alignUp, formatSize, hex, isPowerOfTwo } from './bytes';
import { BOOT_STACK_RANGE, areaReserved, nonEmpty, reservedOf, stringArea } from './bootLayout';
import { longModeEntry, protectedModeEntry, type FlatEntry } from './cpuState';
import { buildE820 } from './e820';
import { identityPageTables } from './pageTables';
import { rejectModules } from './options';
import { checkKernelFits, placeHigh, rangeOf } from './placement';
import {
  XLF_KERNEL_64, hasHdrS, parseSetupHeader, prefAddressNumber, protocolName, type SetupHeader,
} from './setupHeader';
import { buildZeroPage, ZERO_PAGE_SIZE } from './zeroPage';

/**
 * Load address of the protected-mode kernel. We always use 1 MiB, the protocol's historical address that QEMU and
 * most loaders use, rather than pref_address: a relocatable kernel moves itself to pref_address when it
 * decompresses, so the init_size window is reserved from there instead.
 */
export const BZIMAGE_LOAD_ADDR = HIGH_MEM_START;
/** startup_64 sits 0x200 bytes into the protected-mode kernel. */
export const STARTUP_64_OFFSET = 0x200;
/** The protocol requires __BOOT_CS = 0x10 and __BOOT_DS = 0x18 in the GDT. */
export const BOOT_SELECTORS = { code: 0x10, data: 0x18 };

function fail(message: string): never {
  throw new ImageFormatError(message);
}

/** Where the kernel will run and decompress: the boot protocol's runtime_start, and the init_size window from it. */
function runtimeWindow(h: SetupHeader, ramSize: number): { start: number; end: number } {
  const pref = prefAddressNumber(h);
  if (pref === undefined || pref >= ramSize) {
    fail(`bzImage wants to run at pref_address ${hex(h.prefAddress)}, beyond the ${formatSize(ramSize)} of guest memory; use --memory`);
  }
  let start = pref;
  if (h.relocatable) {
    if (!isPowerOfTwo(h.kernelAlignment)) fail(`bzImage kernel_alignment ${hex(h.kernelAlignment)} is not a power of two`);
    start = alignUp(Math.max(BZIMAGE_LOAD_ADDR, pref), h.kernelAlignment);
  }
  const end = start + h.initSize;
  if (end > ramSize) {
    fail(`bzImage needs memory up to ${hex(end)} to decompress (init_size ${h.initSize} from ${hex(start)}), more than ` +
      `the ${formatSize(ramSize)} of guest memory; use --memory`);
  }
  return { start, end };
}

export const bzImageLoader: ImageLoader = {
  format: 'bzimage',

  probe(image: Uint8Array): boolean {
    return hasHdrS(image);
  },

  plan(image: Uint8Array, opts: LoaderOptions): LoadPlan {
    const h = parseSetupHeader(image);
    rejectModules(opts, 'a bzImage', true);
    const kernel = image.subarray(h.setupSize);
    const is64 = (h.xloadflags & XLF_KERNEL_64) !== 0;
    const cmdlineBytes = new TextEncoder().encode(opts.cmdline).length;
    if (cmdlineBytes > h.cmdlineSize) {
      fail(`command line is ${cmdlineBytes} bytes but this kernel accepts at most ${h.cmdlineSize} (cmdline_size)`);
    }

    const strings = stringArea();
    const cmdlineGpa = strings.putString(opts.cmdline);
    const cpu: FlatEntry = is64
      ? longModeEntry(BZIMAGE_LOAD_ADDR + STARTUP_64_OFFSET,
        { rsi: BigInt(ZERO_PAGE_ADDR), rsp: BigInt(BOOT_STACK_TOP) }, BOOT_SELECTORS)
      // The 32-bit protocol also requires EBP, EDI and EBX to be zero.
      : protectedModeEntry(BZIMAGE_LOAD_ADDR,
        { rsi: BigInt(ZERO_PAGE_ADDR), rsp: BigInt(BOOT_STACK_TOP), rbp: 0n, rdi: 0n, rbx: 0n }, BOOT_SELECTORS);
    const tables = is64 ? identityPageTables(opts.ramSize) : [];
    const zeroPageRange = { gpa: ZERO_PAGE_ADDR, length: ZERO_PAGE_SIZE, what: 'zero page' };
    const reserved = [rangeOf(cpu.gdt), zeroPageRange, areaReserved(strings), BOOT_STACK_RANGE, ...reservedOf(tables)];
    const kernelRange = { gpa: BZIMAGE_LOAD_ADDR, length: kernel.length, what: 'bzImage protected-mode kernel' };
    checkKernelFits([kernelRange], reserved, opts.ramSize);
    const runtime = runtimeWindow(h, opts.ramSize);
    // The kernel overwrites this window while decompressing, so the boot structures must lie outside it.
    checkKernelFits([{ gpa: runtime.start, length: runtime.end - runtime.start, what: 'bzImage decompression window' }],
      reserved, opts.ramSize);

    let initrd: { gpa: number; length: number } | undefined;
    if (opts.initrd) {
      // As high as the kernel allows, above both the loaded image and its decompression window.
      const lowest = alignUp(Math.max(BZIMAGE_LOAD_ADDR + kernel.length, runtime.end), PAGE_SIZE);
      const limitEnd = Math.min(opts.ramSize, h.initrdAddrMax + 1);
      const length = opts.initrd.bytes.length;
      initrd = { gpa: placeHigh(`initrd ${opts.initrd.name}`, length, lowest, limitEnd, reserved), length };
    }

    const zeroPage = buildZeroPage({
      image, header: h, loadAddress: BZIMAGE_LOAD_ADDR, cmdlineGpa, initrd, memoryMap: buildE820(opts.ramSize),
    });
    const segments = [
      { gpa: BZIMAGE_LOAD_ADDR, bytes: kernel, what: kernelRange.what },
      ...nonEmpty([cpu.gdt, ...tables, { gpa: ZERO_PAGE_ADDR, bytes: zeroPage, what: 'zero page' }, strings.segment()]),
    ];
    if (opts.initrd && initrd && initrd.length > 0) {
      segments.push({ gpa: initrd.gpa, bytes: opts.initrd.bytes, what: `initrd ${opts.initrd.name}` });
    }
    const entryNote = is64
      ? `entry ${hex(BZIMAGE_LOAD_ADDR + STARTUP_64_OFFSET)} (startup_64) in 64-bit long mode, CR3=${hex(PML4_ADDR)}`
      : `entry ${hex(BZIMAGE_LOAD_ADDR)} (startup_32) in 32-bit protected mode: the kernel has no 64-bit entry (XLF_KERNEL_64)`;
    return {
      format: 'bzimage',
      segments,
      zeroFill: [],
      entry: cpu.state,
      notes: [
        `Linux boot protocol ${protocolName(h.version)}, kernel ${kernel.length} bytes at ${hex(BZIMAGE_LOAD_ADDR)}; ` +
          `runs from ${hex(runtime.start)} with init_size ${h.initSize}`,
        `${entryNote}; RSI=${hex(ZERO_PAGE_ADDR)} (zero page), command line at ${hex(cmdlineGpa)}`,
        ...(initrd ? [`initrd ${opts.initrd!.name} at ${hex(initrd.gpa)} (+${initrd.length} bytes)`] : []),
      ],
    };
  },
};
