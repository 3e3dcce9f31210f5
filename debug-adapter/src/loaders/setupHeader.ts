// Decodes the Linux boot protocol setup header (at 0x1F1 in a bzImage) and checks what this loader relies on.
import { ImageFormatError } from './loadPlan';
import { bigToSafeNumber, getU16, getU32, getU64, getU8, hex } from './bytes';

/** Offsets in the bzImage file, which are also the offsets in struct boot_params (the header is copied in place). */
export const HDR_SETUP_SECTS = 0x1f1;
export const HDR_SYSSIZE = 0x1f4;
export const HDR_JUMP = 0x200;
export const HDR_MAGIC = 0x202;
export const HDR_VERSION = 0x206;
export const HDR_TYPE_OF_LOADER = 0x210;
export const HDR_LOADFLAGS = 0x211;
export const HDR_CODE32_START = 0x214;
export const HDR_RAMDISK_IMAGE = 0x218;
export const HDR_RAMDISK_SIZE = 0x21c;
export const HDR_HEAP_END_PTR = 0x224;
export const HDR_CMD_LINE_PTR = 0x228;
export const HDR_INITRD_ADDR_MAX = 0x22c;
export const HDR_KERNEL_ALIGNMENT = 0x230;
export const HDR_RELOCATABLE_KERNEL = 0x234;
export const HDR_XLOADFLAGS = 0x236;
export const HDR_CMDLINE_SIZE = 0x238;
export const HDR_PREF_ADDRESS = 0x258;
export const HDR_INIT_SIZE = 0x260;
/** First byte of boot_params after the setup header: copies of the header never reach past it. */
export const BOOT_PARAMS_HDR_LIMIT = 0x290;

/** "HdrS", little-endian. */
export const HDRS_MAGIC = 0x53726448;
export const LOADED_HIGH = 0x01;
export const CAN_USE_HEAP = 0x80;
export const XLF_KERNEL_64 = 0x01;

export const MIN_PROTOCOL = 0x206;
const PROTOCOL_RELOCATABLE = 0x205;
const PROTOCOL_PREF_ADDRESS = 0x20a;
const PROTOCOL_XLOADFLAGS = 0x20c;
const SECTOR_SIZE = 512;
/** setup_sects = 0 means 4, for compatibility with ancient kernels. */
const DEFAULT_SETUP_SECTS = 4;
const SYSSIZE_UNIT = 16;
/** Before pref_address existed, kernels ran where they were loaded: 1 MiB. */
const LEGACY_LOAD_ADDRESS = 0x100000;

export interface SetupHeader {
  version: number;
  /** Bytes of real-mode setup (boot sector included); the protected-mode kernel follows. */
  setupSize: number;
  /** End (exclusive) of the header bytes to copy into the zero page. */
  headerEnd: number;
  loadflags: number;
  xloadflags: number;
  relocatable: boolean;
  kernelAlignment: number;
  /** Where the kernel wants to run; the legacy 1 MiB before protocol 2.10. */
  prefAddress: bigint;
  /** Memory the kernel needs from its runtime start to decompress; 0 when the protocol predates the field. */
  initSize: number;
  cmdlineSize: number;
  initrdAddrMax: number;
  syssize: number;
}

export function protocolName(version: number): string {
  return `${version >> 8}.${(version & 0xff).toString().padStart(2, '0')}`;
}

export function hasHdrS(image: Uint8Array): boolean {
  return image.length >= HDR_MAGIC + 4 && getU32(image, HDR_MAGIC) === HDRS_MAGIC;
}

function fail(message: string): never {
  throw new ImageFormatError(message);
}

export function parseSetupHeader(image: Uint8Array): SetupHeader {
  if (!hasHdrS(image)) fail(`not a Linux bzImage: expected the signature "HdrS" at offset ${hex(HDR_MAGIC)}`);
  if (image.length < BOOT_PARAMS_HDR_LIMIT) {
    fail(`bzImage is truncated: the file has ${image.length} bytes, less than its ${BOOT_PARAMS_HDR_LIMIT}-byte setup header`);
  }
  const version = getU16(image, HDR_VERSION);
  if (version < MIN_PROTOCOL) {
    fail(`Linux boot protocol ${protocolName(version)} is too old: expected ${protocolName(MIN_PROTOCOL)} or newer (Linux 2.6.22+)`);
  }
  const loadflags = getU8(image, HDR_LOADFLAGS);
  if ((loadflags & LOADED_HIGH) === 0) fail('image is a zImage (loaded low), not a bzImage: expected loadflags bit 0 (LOADED_HIGH)');
  const setupSects = getU8(image, HDR_SETUP_SECTS) || DEFAULT_SETUP_SECTS;
  const setupSize = (setupSects + 1) * SECTOR_SIZE;
  if (image.length <= setupSize) {
    fail(`bzImage is truncated: its setup code takes ${setupSize} bytes but the file has ${image.length}`);
  }
  const syssize = getU32(image, HDR_SYSSIZE);
  if (syssize * SYSSIZE_UNIT > image.length - setupSize) {
    fail(`bzImage is truncated: the header says the kernel is ${syssize * SYSSIZE_UNIT} bytes (syssize) but only ` +
      `${image.length - setupSize} follow the setup code`);
  }
  // The header's own length is encoded in the jump instruction at 0x200: it ends at 0x202 + the jump offset.
  const headerEnd = Math.min(Math.max(HDR_MAGIC + getU8(image, HDR_JUMP + 1), HDR_MAGIC + 4), BOOT_PARAMS_HDR_LIMIT);
  const relocatable = version >= PROTOCOL_RELOCATABLE && getU8(image, HDR_RELOCATABLE_KERNEL) !== 0;
  const hasPref = version >= PROTOCOL_PREF_ADDRESS;
  return {
    version, setupSize, headerEnd, loadflags, relocatable, syssize,
    xloadflags: version >= PROTOCOL_XLOADFLAGS ? getU16(image, HDR_XLOADFLAGS) : 0,
    kernelAlignment: getU32(image, HDR_KERNEL_ALIGNMENT),
    prefAddress: hasPref ? getU64(image, HDR_PREF_ADDRESS) : BigInt(LEGACY_LOAD_ADDRESS),
    initSize: hasPref ? getU32(image, HDR_INIT_SIZE) : 0,
    cmdlineSize: getU32(image, HDR_CMDLINE_SIZE),
    initrdAddrMax: getU32(image, HDR_INITRD_ADDR_MAX),
  };
}

/** pref_address as a number, or undefined when it is beyond anything a guest here could have. */
export function prefAddressNumber(h: SetupHeader): number | undefined {
  return bigToSafeNumber(h.prefAddress);
}
