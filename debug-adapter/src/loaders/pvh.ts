// PVH loader: an ELF kernel with a Xen PHYS32_ENTRY note, entered in flat 32-bit protected mode with EBX -> hvm_start_info.
import { BOOT_STACK_TOP } from '../vmm/layout';
import { ImageFormatError, type ImageLoader, type LoadPlan, type LoaderOptions } from './loadPlan';
import { hex } from './bytes';
import {
  BOOT_STACK_RANGE, areaReserved, bootInfoArea, bootInfoReserved, moduleNotes, moduleSegments, nameModules,
  nonEmpty, placeNamedModules, stringArea,
} from './bootLayout';
import { protectedModeEntry } from './cpuState';
import { buildE820 } from './e820';
import { EM_386, EM_X86_64, elfLoad, parseElf, insideLoad, peekElf, requireMachine } from './elf';
import { XEN_ELFNOTE_PHYS32_ENTRY, findPvhNote, pvhEntryOf } from './elfNotes';
import { writeHvmStartInfo } from './hvmStartInfo';
import { bootModules } from './options';
import { checkKernelFits, rangeOf } from './placement';

export const pvhLoader: ImageLoader = {
  format: 'pvh',

  probe(image: Uint8Array): boolean {
    const peek = peekElf(image);
    if (!peek || (peek.machine !== EM_386 && peek.machine !== EM_X86_64)) return false;
    try {
      return findPvhNote(parseElf(image), image) !== undefined;
    } catch (e) {
      if (e instanceof ImageFormatError) return false;
      throw e;
    }
  },

  plan(image: Uint8Array, opts: LoaderOptions): LoadPlan {
    const elf = parseElf(image);
    requireMachine(elf, [EM_386, EM_X86_64], 'PVH kernel');
    const note = findPvhNote(elf, image);
    if (!note) {
      throw new ImageFormatError(
        `ELF kernel has no PVH entry note: expected a note named "Xen" of type ${XEN_ELFNOTE_PHYS32_ENTRY} ` +
        '(XEN_ELFNOTE_PHYS32_ENTRY) in a PT_NOTE segment');
    }
    const load = elfLoad(elf, image);
    // The note holds a physical address already; it must land inside the loaded kernel.
    const entry = pvhEntryOf(note);
    if (!insideLoad(elf, BigInt(entry))) {
      throw new ImageFormatError(`PVH entry point ${hex(entry)} is not inside any loadable segment`);
    }

    const strings = stringArea();
    const cmdlineGpa = strings.putString(opts.cmdline);
    const named = nameModules(bootModules(opts), strings);

    const cpu = protectedModeEntry(entry, { rsp: BigInt(BOOT_STACK_TOP) });
    const reserved = [rangeOf(cpu.gdt), bootInfoReserved(), areaReserved(strings), BOOT_STACK_RANGE];
    checkKernelFits(load.ranges, reserved, opts.ramSize);
    const modules = placeNamedModules(named, load.end, opts.ramSize, reserved);

    const info = bootInfoArea();
    const startInfo = writeHvmStartInfo(info, { cmdlineGpa, memoryMap: buildE820(opts.ramSize), modules });
    cpu.state.regs.rbx = BigInt(startInfo);

    return {
      format: 'pvh',
      segments: [...load.segments, ...nonEmpty([cpu.gdt, info.segment(), strings.segment()]), ...moduleSegments(modules)],
      zeroFill: load.zeroFill,
      entry: cpu.state,
      notes: [
        `PVH entry note in a ${elf.bits}-bit ELF kernel`,
        `entry ${hex(entry)} in 32-bit protected mode, paging off; EBX=${hex(startInfo)} (hvm_start_info), ` +
          `ESP=${hex(BOOT_STACK_TOP)}; no ACPI tables (rsdp_paddr 0)`,
        ...moduleNotes(modules),
      ],
    };
  },
};
