// Picks the loader for an image (fixed probe order, or an explicit format) and runs it: the one entry point for callers.
import { ImageFormatError, type ImageFormat, type ImageLoader, type LoadPlan } from './loadPlan';
import { formatSize, hex } from './bytes';
import { bootSectorLoader } from './bootSector';
import { bzImageLoader } from './bzImage';
import { hasElfMagic } from './elf';
import { elf64Loader } from './elf64';
import { flatLoader } from './flat';
import { multibootLoader } from './multiboot';
import { validateOptions, type PlanOptions } from './options';
import { pvhLoader } from './pvh';

export const LOADERS: Readonly<Record<ImageFormat, ImageLoader>> = {
  bzimage: bzImageLoader,
  multiboot: multibootLoader,
  pvh: pvhLoader,
  elf64: elf64Loader,
  bootsector: bootSectorLoader,
  flat: flatLoader,
};

/**
 * Probe order matters: a bzImage is recognised by its header before anything else; a Multiboot kernel is usually
 * also an ELF file, and an ELF with a PVH note is also a plain ELF64, so the more specific formats go first.
 */
export const PROBE_ORDER: readonly ImageFormat[] = ['bzimage', 'multiboot', 'pvh', 'elf64', 'bootsector'];

export const UNRECOGNISED_IMAGE =
  'not a recognised kernel image: expected a boot sector (512 bytes ending 55 AA), Multiboot, PVH or ELF64 kernel, ' +
  'or a Linux bzImage';

export function detectFormat(image: Uint8Array): ImageFormat | undefined {
  return PROBE_ORDER.find((f) => LOADERS[f].probe(image));
}

/** Image bytes and options to a load plan; throws ImageFormatError (one line) for anything it cannot boot. */
export function planImage(image: Uint8Array, opts: PlanOptions, format: ImageFormat | 'auto' = 'auto'): LoadPlan {
  validateOptions(opts);
  let chosen: ImageFormat;
  if (format === 'auto') {
    const detected = detectFormat(image);
    if (detected) chosen = detected;
    // An ELF nobody claimed (wrong machine, 32-bit without a header, truncated) gets the ELF64 loader's precise error.
    else if (hasElfMagic(image)) chosen = 'elf64';
    else throw new ImageFormatError(image.length === 0 ? `${UNRECOGNISED_IMAGE} (the file is empty)` : UNRECOGNISED_IMAGE);
  } else {
    if (!(format in LOADERS)) throw new ImageFormatError(`unknown image format "${String(format)}": expected auto, ${Object.keys(LOADERS).join(', ')}`);
    chosen = format;
  }
  const plan = LOADERS[chosen].plan(image, opts);
  assertInsideRam(plan, opts.ramSize);
  return { ...plan, format: chosen };
}

/** The invariant every loader already keeps, checked once more at the boundary: nothing lands outside RAM. */
function assertInsideRam(plan: LoadPlan, ramSize: number): void {
  const ranges = [
    ...plan.segments.map((s) => ({ gpa: s.gpa, length: s.bytes.length, what: s.what })),
    ...plan.zeroFill.map((z) => ({ ...z, what: 'zero-filled range' })),
  ];
  for (const r of ranges) {
    if (r.gpa < 0 || r.gpa + r.length > ramSize) {
      throw new ImageFormatError(
        `${r.what} at ${hex(r.gpa)} (+${r.length} bytes) does not fit in ${formatSize(ramSize)} of guest memory; use --memory`);
    }
  }
}
