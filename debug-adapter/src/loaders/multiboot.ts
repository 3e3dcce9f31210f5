// Multiboot v1 loader: ELF32 kernels or the a.out kludge, entered in flat 32-bit protected mode with EAX/EBX set.
import { BOOT_STACK_TOP } from '../vmm/layout';
import { ImageFormatError, type ImageLoader, type LoadPlan } from './loadPlan';
import { hex } from './bytes';
import {
  BOOT_STACK_RANGE, areaReserved, bootInfoArea, bootInfoReserved, moduleNotes, moduleSegments, nameModules,
  nonEmpty, placeNamedModules, stringArea,
} from './bootLayout';
import { protectedModeEntry } from './cpuState';
import { buildE820 } from './e820';
import { EM_386, elfLoad, hasElfMagic, parseElf, physicalEntry, requireMachine, type ElfLoad } from './elf';
import {
  MB_HEADER_ADDRESS_FIELDS, MB_HEADER_PAGE_ALIGN_MODULES, findMultibootHeader, parseMultibootHeader,
  type MultibootHeader,
} from './multibootHeader';
import { BOOT_LOADER_NAME, MULTIBOOT_BOOTLOADER_MAGIC, writeMultibootInfo } from './multibootInfo';
import { bootModules, type PlanOptions } from './options';
import { checkKernelFits, rangeOf } from './placement';

function fail(message: string): never {
  throw new ImageFormatError(message);
}

/** The a.out kludge: the header's address fields say which file bytes go where and where to jump. */
function aoutLoad(image: Uint8Array, header: MultibootHeader): { load: ElfLoad; entry: number } {
  const a = header.addresses!;
  if (a.headerAddr < a.loadAddr) {
    fail(`Multiboot header_addr ${hex(a.headerAddr)} is below load_addr ${hex(a.loadAddr)}: expected header_addr >= load_addr`);
  }
  const fileOffset = header.offset - (a.headerAddr - a.loadAddr);
  if (fileOffset < 0) {
    fail(`Multiboot load_addr ${hex(a.loadAddr)} would start ${-fileOffset} bytes before the beginning of the file`);
  }
  const loadEnd = a.loadEndAddr === 0 ? a.loadAddr + (image.length - fileOffset) : a.loadEndAddr;
  if (loadEnd <= a.loadAddr) {
    fail(`Multiboot load_end_addr ${hex(loadEnd)} is not above load_addr ${hex(a.loadAddr)}`);
  }
  const size = loadEnd - a.loadAddr;
  if (fileOffset + size > image.length) {
    fail(`Multiboot image is truncated: load_addr..load_end_addr needs ${size} bytes from file offset ` +
      `${hex(fileOffset)} but the file has ${image.length} bytes`);
  }
  const bssEnd = a.bssEndAddr === 0 ? loadEnd : a.bssEndAddr;
  if (bssEnd < loadEnd) fail(`Multiboot bss_end_addr ${hex(bssEnd)} is below load_end_addr ${hex(loadEnd)}`);
  if (a.entryAddr < a.loadAddr || a.entryAddr >= loadEnd) {
    fail(`Multiboot entry_addr ${hex(a.entryAddr)} is outside the loaded image ${hex(a.loadAddr)}-${hex(loadEnd - 1)}`);
  }
  const what = 'kernel image';
  return {
    entry: a.entryAddr,
    load: {
      segments: [{ gpa: a.loadAddr, bytes: image.subarray(fileOffset, fileOffset + size), what }],
      zeroFill: bssEnd > loadEnd ? [{ gpa: loadEnd, length: bssEnd - loadEnd }] : [],
      ranges: [{ gpa: a.loadAddr, length: bssEnd - a.loadAddr, what }],
      end: bssEnd,
    },
  };
}

function elf32Load(image: Uint8Array): { load: ElfLoad; entry: number } {
  if (!hasElfMagic(image)) {
    fail('Multiboot kernel is neither ELF nor described by address fields: expected an ELF32 file or header flag 16');
  }
  const elf = parseElf(image);
  if (elf.bits !== 32) {
    fail('Multiboot kernel is a 64-bit ELF: expected ELF32 (build for i386) or a header with address fields (flag 16)');
  }
  requireMachine(elf, [EM_386], 'Multiboot kernel');
  return { load: elfLoad(elf, image), entry: physicalEntry(elf) };
}

export const multibootLoader: ImageLoader = {
  format: 'multiboot',

  probe(image: Uint8Array): boolean {
    return findMultibootHeader(image) !== undefined;
  },

  plan(image: Uint8Array, opts: PlanOptions): LoadPlan {
    const header = parseMultibootHeader(image);
    // Flag 16 wins over the ELF headers, as in GRUB and QEMU.
    const { load, entry } = header.flags & MB_HEADER_ADDRESS_FIELDS ? aoutLoad(image, header) : elf32Load(image);

    const strings = stringArea();
    const name = opts.kernelName;
    // QEMU writes "<file> <cmdline>" even when the command line is empty; guests may rely on the space.
    const cmdlineGpa = strings.putString(name ? `${name} ${opts.cmdline}` : opts.cmdline);
    const bootLoaderNameGpa = strings.putString(BOOT_LOADER_NAME);
    const named = nameModules(bootModules(opts), strings);

    const cpu = protectedModeEntry(entry, {
      rax: BigInt(MULTIBOOT_BOOTLOADER_MAGIC), rsp: BigInt(BOOT_STACK_TOP),
    });
    const reserved = [rangeOf(cpu.gdt), bootInfoReserved(), areaReserved(strings), BOOT_STACK_RANGE];
    checkKernelFits(load.ranges, reserved, opts.ramSize);
    // Modules are always page-aligned, which satisfies header flag 0 whether or not it is set.
    const modules = placeNamedModules(named, load.end, opts.ramSize, reserved);

    const info = bootInfoArea();
    const mbi = writeMultibootInfo(info, {
      ramSize: opts.ramSize, cmdlineGpa, bootLoaderNameGpa, memoryMap: buildE820(opts.ramSize), modules,
    });
    cpu.state.regs.rbx = BigInt(mbi);

    const notes = [
      `Multiboot header at file offset ${hex(header.offset)}, flags ${hex(header.flags)}` +
        (header.flags & MB_HEADER_ADDRESS_FIELDS ? ' (a.out address fields)' : ' (ELF32)'),
      `entry ${hex(entry)} in 32-bit protected mode, paging off; EAX=${hex(MULTIBOOT_BOOTLOADER_MAGIC)}, ` +
        `EBX=${hex(mbi)} (multiboot_info), ESP=${hex(BOOT_STACK_TOP)}`,
      ...moduleNotes(modules),
    ];
    if (header.video) {
      const v = header.video;
      notes.push(`video mode request (type ${v.modeType}, ${v.width}x${v.height}x${v.depth}) ignored: the guest starts in text mode`);
    }
    if ((header.flags & MB_HEADER_PAGE_ALIGN_MODULES) === 0 && modules.length > 0) {
      notes.push('modules are page-aligned even though the header does not ask for it');
    }
    return {
      format: 'multiboot',
      segments: [...load.segments, ...nonEmpty([cpu.gdt, info.segment(), strings.segment()]), ...moduleSegments(modules)],
      zeroFill: load.zeroFill,
      entry: cpu.state,
      notes,
    };
  },
};
