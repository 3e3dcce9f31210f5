// Plain x86-64 ELF loader: PT_LOAD at physical addresses, entered directly in identity-mapped 64-bit long mode.
import { BOOT_STACK_TOP, PML4_ADDR } from '../vmm/layout';
import { ImageFormatError, type ImageLoader, type LoadPlan, type LoaderOptions } from './loadPlan';
import { hex } from './bytes';
import {
  BOOT_STACK_RANGE, areaReserved, bootInfoArea, bootInfoReserved, moduleNotes, moduleSegments, nameModules,
  nonEmpty, placeNamedModules, reservedOf, stringArea,
} from './bootLayout';
import { longModeEntry } from './cpuState';
import { buildE820 } from './e820';
import { EM_386, EM_X86_64, elfLoad, parseElf, peekElf, physicalEntry, requireMachine } from './elf';
import { writeHvmStartInfo } from './hvmStartInfo';
import { findMultibootHeader } from './multibootHeader';
import { bootModules } from './options';
import { identityPageTables } from './pageTables';
import { checkKernelFits, rangeOf } from './placement';

/*
 * Entry state for a plain ELF64 kernel (our own convention; there is no standard for this one):
 *   - 64-bit long mode, CPL0, interrupts off (RFLAGS = 0x2);
 *   - CR0 = 0x80050033 (PE MP ET NE WP AM PG), CR4 = 0x620 (PAE OSFXSR OSXMMEXCPT), EFER = LME|LMA (no NXE);
 *   - CR3 = PML4_ADDR: an identity map of at least the low 4 GiB in 2 MiB pages;
 *   - CS = 0x08 (64-bit code), DS/ES/FS/GS/SS = 0x10 (flat data), GDT at BOOT_GDT_ADDR;
 *   - RSP = BOOT_STACK_TOP, a small stack below the page tables;
 *   - RDI = physical address of an hvm_start_info (the PVH structure: magic, command line, memory map, modules),
 *     so a C entry point `void kmain(struct hvm_start_info *)` gets it as its first argument.
 */
export const elf64Loader: ImageLoader = {
  format: 'elf64',

  probe(image: Uint8Array): boolean {
    const peek = peekElf(image);
    return peek !== undefined && peek.bits === 64 && peek.machine === EM_X86_64;
  },

  plan(image: Uint8Array, opts: LoaderOptions): LoadPlan {
    const elf = parseElf(image);
    // A foreign machine is the more useful thing to report than the class, so check it first.
    if (elf.machine !== EM_386) requireMachine(elf, [EM_X86_64], 'kernel');
    if (elf.bits !== 64) {
      const hint = findMultibootHeader(image) !== undefined ? ' (it has a Multiboot header: use the multiboot format)' : '';
      throw new ImageFormatError(
        `32-bit ELF kernel cannot be entered in long mode${hint}: expected an ELF64 x86-64 kernel, ` +
        'a Multiboot header or a PVH entry note');
    }
    requireMachine(elf, [EM_X86_64], 'kernel');
    const load = elfLoad(elf, image);
    const entry = physicalEntry(elf);

    const strings = stringArea();
    const cmdlineGpa = strings.putString(opts.cmdline);
    const named = nameModules(bootModules(opts), strings);

    const cpu = longModeEntry(entry, { rsp: BigInt(BOOT_STACK_TOP) });
    const tables = identityPageTables(opts.ramSize);
    const reserved = [
      rangeOf(cpu.gdt), bootInfoReserved(), areaReserved(strings), BOOT_STACK_RANGE, ...reservedOf(tables),
    ];
    checkKernelFits(load.ranges, reserved, opts.ramSize);
    const modules = placeNamedModules(named, load.end, opts.ramSize, reserved);

    const info = bootInfoArea();
    const startInfo = writeHvmStartInfo(info, { cmdlineGpa, memoryMap: buildE820(opts.ramSize), modules });
    cpu.state.regs.rdi = BigInt(startInfo);

    return {
      format: 'elf64',
      segments: [
        ...load.segments, ...nonEmpty([cpu.gdt, ...tables, info.segment(), strings.segment()]), ...moduleSegments(modules),
      ],
      zeroFill: load.zeroFill,
      entry: cpu.state,
      notes: [
        `entry ${hex(entry)} in 64-bit long mode, identity-mapped (CR3=${hex(PML4_ADDR)}); ` +
          `RDI=${hex(startInfo)} (hvm_start_info: command line, memory map, modules), RSP=${hex(BOOT_STACK_TOP)}`,
        ...moduleNotes(modules),
      ],
    };
  },
};
