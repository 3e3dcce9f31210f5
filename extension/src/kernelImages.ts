// Recognises bootable kernel images among workspace files, with the same probes the loaders use (no vscode imports).
import { detectFormat } from '../../debug-adapter/src/loaders/probe';
import type { FormatTemplate } from './launchTemplates';

/** File names worth probing: build outputs and the usual Linux kernel names. */
export const KERNEL_GLOB = '**/{*.elf,*.bin,*.img,*.efi,bzImage,vmlinux,vmlinuz*,kernel}';
export const KERNEL_EXCLUDE = '{**/node_modules/**,**/.git/**,**/*.o}';
/** Images bigger than this are not read to probe them (a bzImage is well below it). */
export const MAX_PROBE_BYTES = 64 * 1024 * 1024;
/** Enough candidates for a quick pick; a huge tree would otherwise be read in full. */
export const MAX_CANDIDATES = 40;

export function kernelFormat(image: Uint8Array): FormatTemplate['format'] | undefined {
  const f = detectFormat(image);
  return f === 'flat' ? undefined : f;
}

/** Object files and shared libraries are ELF too, but only executables (ET_EXEC) are kernels the loaders take. */
const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const ELF_TYPE_OFFSET = 16;
const ET_EXEC = 2;

export function isBootableCandidate(image: Uint8Array): boolean {
  const elf = ELF_MAGIC.every((b, i) => image[i] === b);
  if (elf && image.length > ELF_TYPE_OFFSET + 1 && (image[ELF_TYPE_OFFSET] | (image[ELF_TYPE_OFFSET + 1] << 8)) !== ET_EXEC) return false;
  return kernelFormat(image) !== undefined;
}
