// Boot sector loader: one 512-byte sector ending 55 AA, run at 0000:7C00 in real mode as a BIOS would.
import { BOOT_SECTOR_ADDR } from '../vmm/layout';
import { ImageFormatError, type ImageLoader, type LoadPlan, type LoaderOptions } from './loadPlan';
import { realModeEntry } from './cpuState';
import { rejectModules } from './options';
import { checkKernelFits } from './placement';

export const BOOT_SECTOR_SIZE = 512;
export const BOOT_SIGNATURE_OFFSET = 510;
export const BOOT_SIGNATURE = [0x55, 0xaa] as const;
/** DL holds the BIOS drive number the sector came from: 0x80 is the first hard disk. */
export const BOOT_DRIVE_FIRST_HARD_DISK = 0x80;

function hasSignature(image: Uint8Array): boolean {
  return image[BOOT_SIGNATURE_OFFSET] === BOOT_SIGNATURE[0] && image[BOOT_SIGNATURE_OFFSET + 1] === BOOT_SIGNATURE[1];
}

export const bootSectorLoader: ImageLoader = {
  format: 'bootsector',

  probe(image: Uint8Array): boolean {
    return image.length === BOOT_SECTOR_SIZE && hasSignature(image);
  },

  plan(image: Uint8Array, opts: LoaderOptions): LoadPlan {
    if (image.length !== BOOT_SECTOR_SIZE) {
      throw new ImageFormatError(
        `a boot sector is exactly ${BOOT_SECTOR_SIZE} bytes but this file has ${image.length}; ` +
        'expected one sector (use the flat format for larger real-mode programs)');
    }
    if (!hasSignature(image)) {
      const found = `${image[510].toString(16).padStart(2, '0')} ${image[511].toString(16).padStart(2, '0')}`;
      throw new ImageFormatError(`boot sector does not end with the signature 55 AA (bytes 510-511 are ${found})`);
    }
    rejectModules(opts, 'a boot sector');
    const what = 'boot sector';
    checkKernelFits([{ gpa: BOOT_SECTOR_ADDR, length: BOOT_SECTOR_SIZE, what }], [], opts.ramSize);
    return {
      format: 'bootsector',
      segments: [{ gpa: BOOT_SECTOR_ADDR, bytes: image, what }],
      zeroFill: [],
      // The stack grows down from just below the sector, the usual BIOS hand-over.
      entry: realModeEntry(0, BOOT_SECTOR_ADDR, 0, {
        rsp: BigInt(BOOT_SECTOR_ADDR), rdx: BigInt(BOOT_DRIVE_FIRST_HARD_DISK),
      }),
      notes: ['boot sector at 0x7c00, entry 0000:7c00 in real mode, DL=0x80, SS:SP=0000:7c00'],
    };
  },
};
