// Builds the Linux zero page (struct boot_params): a copy of the setup header, loader fields and the e820 table.
import { putU16, putU32, putU8 } from './bytes';
import { E820_ENTRY_SIZE, writeE820Entry, type E820Entry } from './e820';
import {
  CAN_USE_HEAP, HDR_CMD_LINE_PTR, HDR_CODE32_START, HDR_HEAP_END_PTR, HDR_LOADFLAGS, HDR_RAMDISK_IMAGE,
  HDR_RAMDISK_SIZE, HDR_SETUP_SECTS, HDR_TYPE_OF_LOADER, type SetupHeader,
} from './setupHeader';

export const ZERO_PAGE_SIZE = 4096;
export const BP_E820_ENTRIES = 0x1e8;
export const BP_E820_TABLE = 0x2d0;
export const E820_MAX_ENTRIES_ZEROPAGE = 128;
/** "Undefined" loader ID: we have no ID assigned by the boot protocol maintainers. */
export const LOADER_TYPE_UNDEFINED = 0xff;
/**
 * End of the setup heap, as an offset from the real-mode code minus 0x200. The real-mode setup code is never run
 * here (the kernel is entered at its protected- or long-mode entry), so this is the protocol's customary value
 * for a 64 KiB real-mode segment with the stack at 0xE000, kept only so CAN_USE_HEAP is consistent.
 */
export const HEAP_END_PTR = 0xe000 - 0x200;

export interface ZeroPageInput {
  image: Uint8Array;
  header: SetupHeader;
  loadAddress: number;
  cmdlineGpa: number;
  initrd?: { gpa: number; length: number };
  memoryMap: E820Entry[];
}

export function buildZeroPage(input: ZeroPageInput): Uint8Array {
  const zp = new Uint8Array(ZERO_PAGE_SIZE);
  zp.set(input.image.subarray(HDR_SETUP_SECTS, input.header.headerEnd), HDR_SETUP_SECTS);
  putU8(zp, HDR_TYPE_OF_LOADER, LOADER_TYPE_UNDEFINED);
  putU8(zp, HDR_LOADFLAGS, zp[HDR_LOADFLAGS] | CAN_USE_HEAP);
  putU16(zp, HDR_HEAP_END_PTR, HEAP_END_PTR);
  putU32(zp, HDR_CODE32_START, input.loadAddress);
  putU32(zp, HDR_CMD_LINE_PTR, input.cmdlineGpa);
  putU32(zp, HDR_RAMDISK_IMAGE, input.initrd?.gpa ?? 0);
  putU32(zp, HDR_RAMDISK_SIZE, input.initrd?.length ?? 0);
  const entries = input.memoryMap.slice(0, E820_MAX_ENTRIES_ZEROPAGE);
  putU8(zp, BP_E820_ENTRIES, entries.length);
  entries.forEach((e, i) => writeE820Entry(zp, BP_E820_TABLE + i * E820_ENTRY_SIZE, e));
  return zp;
}
