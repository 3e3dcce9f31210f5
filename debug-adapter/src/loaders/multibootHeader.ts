// Finds and decodes the Multiboot (v1) header: magic, flags, checksum, and the optional address and video fields.
import { ImageFormatError } from './loadPlan';
import { getU32, hex } from './bytes';

export const MULTIBOOT_HEADER_MAGIC = 0x1badb002;
/** The header must start in the first 8 KiB of the image, on a 4-byte boundary. */
export const MULTIBOOT_SEARCH_LIMIT = 8192;
export const MULTIBOOT_HEADER_ALIGN = 4;

/** Header flags 0-15 are requirements the loader must honour or refuse; 16-31 are optional information. */
export const MB_HEADER_PAGE_ALIGN_MODULES = 1 << 0;
export const MB_HEADER_MEMORY_INFO = 1 << 1;
export const MB_HEADER_VIDEO_MODE = 1 << 2;
export const MB_HEADER_ADDRESS_FIELDS = 1 << 16;
const REQUIRED_MASK = 0xffff;
export const SUPPORTED_REQUIRED_FLAGS = MB_HEADER_PAGE_ALIGN_MODULES | MB_HEADER_MEMORY_INFO | MB_HEADER_VIDEO_MODE;

const BASE_SIZE = 12;
const ADDRESS_FIELDS_END = 32;
const VIDEO_FIELDS_END = 48;

export interface MultibootAddresses {
  headerAddr: number;
  loadAddr: number;
  loadEndAddr: number;
  bssEndAddr: number;
  entryAddr: number;
}

export interface MultibootVideo {
  modeType: number;
  width: number;
  height: number;
  depth: number;
}

export interface MultibootHeader {
  /** File offset of the magic. */
  offset: number;
  flags: number;
  addresses?: MultibootAddresses;
  video?: MultibootVideo;
}

/** File offset of the first valid header (magic plus a checksum that makes the three words sum to zero). */
export function findMultibootHeader(image: Uint8Array): number | undefined {
  const limit = Math.min(MULTIBOOT_SEARCH_LIMIT, image.length);
  for (let off = 0; off + BASE_SIZE <= limit; off += MULTIBOOT_HEADER_ALIGN) {
    if (getU32(image, off) !== MULTIBOOT_HEADER_MAGIC) continue;
    const flags = getU32(image, off + 4);
    const checksum = getU32(image, off + 8);
    if (((MULTIBOOT_HEADER_MAGIC + flags + checksum) >>> 0) === 0) return off;
  }
  return undefined;
}

export function parseMultibootHeader(image: Uint8Array): MultibootHeader {
  const offset = findMultibootHeader(image);
  if (offset === undefined) {
    throw new ImageFormatError(
      `no Multiboot header: expected the magic ${hex(MULTIBOOT_HEADER_MAGIC)} with a valid checksum at a 4-byte ` +
      `aligned offset in the first ${MULTIBOOT_SEARCH_LIMIT} bytes`);
  }
  const flags = getU32(image, offset + 4);
  const unsupported = flags & REQUIRED_MASK & ~SUPPORTED_REQUIRED_FLAGS;
  if (unsupported !== 0) {
    throw new ImageFormatError(
      `Multiboot header requires unsupported features (flags ${hex(unsupported)}): expected only bits 0-2 ` +
      '(module alignment, memory information, video mode) among the required bits 0-15');
  }
  const header: MultibootHeader = { offset, flags };
  if (flags & MB_HEADER_ADDRESS_FIELDS) {
    if (offset + ADDRESS_FIELDS_END > image.length) {
      throw new ImageFormatError(
        `Multiboot header at offset ${hex(offset)} is truncated: flag 16 needs address fields up to byte ` +
        `${hex(offset + ADDRESS_FIELDS_END)} but the file has ${image.length} bytes`);
    }
    header.addresses = {
      headerAddr: getU32(image, offset + 12), loadAddr: getU32(image, offset + 16),
      loadEndAddr: getU32(image, offset + 20), bssEndAddr: getU32(image, offset + 24),
      entryAddr: getU32(image, offset + 28),
    };
  }
  // The video fields only feed a note (the request is ignored), so a header cut short before them is tolerated.
  if ((flags & MB_HEADER_VIDEO_MODE) && offset + VIDEO_FIELDS_END <= image.length) {
    header.video = {
      modeType: getU32(image, offset + 32), width: getU32(image, offset + 36),
      height: getU32(image, offset + 40), depth: getU32(image, offset + 44),
    };
  }
  return header;
}
