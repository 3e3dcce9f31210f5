// Tests for format detection order, explicit formats and the top-level option checks of planImage.
import assert from 'node:assert/strict';
import { detectFormat, planImage, PROBE_ORDER } from '../../../debug-adapter/src/loaders/probe';
import { ImageFormatError } from '../../../debug-adapter/src/loaders/loadPlan';
import { aoutKernel, bootSector, buildBzImage, buildElf, code, multibootElf, multibootHeader, PT_NOTE, pvhNote } from './imageBuilders';
import { MiB, baseOptions, expectImageError, mulberry32 } from './planReader';

const UNRECOGNISED = 'not a recognised kernel image: expected a boot sector (512 bytes ending 55 AA), Multiboot, PVH or ' +
  'ELF64 kernel, or a Linux bzImage';

describe('loaders/probe', () => {
  it('probes in the fixed order bzImage, Multiboot, PVH, ELF64, boot sector', () => {
    assert.deepEqual(PROBE_ORDER, ['bzimage', 'multiboot', 'pvh', 'elf64', 'bootsector']);
  });

  it('recognises each format', () => {
    assert.equal(detectFormat(buildBzImage()), 'bzimage');
    assert.equal(detectFormat(multibootElf()), 'multiboot');
    assert.equal(detectFormat(aoutKernel()), 'multiboot');
    assert.equal(detectFormat(buildElf({ bits: 64, entry: 0x100000, segments: [{ paddr: 0x100000, data: code(8) }] })), 'elf64');
    assert.equal(detectFormat(bootSector()), 'bootsector');
    assert.equal(detectFormat(code(4096)), undefined);
  });

  it('a Multiboot ELF64 with a PVH note is Multiboot; an ELF64 with the note is PVH', () => {
    const body = new Uint8Array(64);
    body.set(multibootHeader({ flags: 0 }));
    const both = buildElf({
      bits: 64, entry: 0x100000,
      segments: [{ paddr: 0x100000, data: body }, { type: PT_NOTE, paddr: 0, data: pvhNote(0x100000) }],
    });
    assert.equal(detectFormat(both), 'multiboot');
    const pvh = buildElf({
      bits: 64, entry: 0x100000,
      segments: [{ paddr: 0x100000, data: code(64) }, { type: PT_NOTE, paddr: 0, data: pvhNote(0x100000) }],
    });
    assert.equal(detectFormat(pvh), 'pvh');
    assert.equal(planImage(pvh, baseOptions()).format, 'pvh');
    assert.equal(planImage(pvh, baseOptions(), 'elf64').format, 'elf64', 'an explicit format wins');
  });

  it('a bzImage that also carries a boot signature and a Multiboot magic is still a bzImage', () => {
    const image = buildBzImage();
    image.set(multibootHeader({ flags: 0 }), 0x400);
    assert.equal(detectFormat(image), 'bzimage');
  });

  it('a boot sector must be exactly 512 bytes to be detected', () => {
    const longer = new Uint8Array(1024);
    longer.set(bootSector());
    assert.equal(detectFormat(longer), undefined);
  });

  it('gives the one-line expectation for empty and random files', () => {
    expectImageError(() => planImage(new Uint8Array(0), baseOptions()), /^not a recognised kernel image: .* \(the file is empty\)$/);
    const rand = mulberry32(7);
    const noise = Uint8Array.from({ length: 3000 }, () => Math.floor(rand() * 256));
    assert.throws(() => planImage(noise, baseOptions()), (e: unknown) => e instanceof ImageFormatError && e.message === UNRECOGNISED);
  });

  it('routes unclaimed ELF files to a precise error', () => {
    expectImageError(() => planImage(multibootElf().subarray(0, 30), baseOptions()), /ELF header is truncated/);
    const arm = buildElf({ bits: 32, machine: 40, entry: 0, segments: [{ paddr: 0x100000, data: code(8) }] });
    expectImageError(() => planImage(arm, baseOptions()), /ARM/);
  });

  it('validates the guest memory size and option strings', () => {
    expectImageError(() => planImage(bootSector(), baseOptions({ ramSize: MiB })), /guest memory size 1048576 is not usable/);
    expectImageError(() => planImage(bootSector(), baseOptions({ ramSize: 2 * MiB + 1 })), /multiple of 4 KiB/);
    expectImageError(() => planImage(bootSector(), baseOptions({ cmdline: 'a\0b' })), /NUL character/);
    expectImageError(() => planImage(bootSector(), baseOptions(), 'elf32' as 'elf64'), /unknown image format "elf32"/);
  });

  it('reports a too-small --memory as a fit error', () => {
    const image = buildElf({ bits: 64, entry: 0x100000, segments: [{ paddr: 0x100000, data: code(8), memsz: 3 * MiB }] });
    expectImageError(() => planImage(image, baseOptions({ ramSize: 2 * MiB })),
      /^kernel segment at 0x100000 \(\+3145728 bytes\) does not fit in 2 MiB of guest memory; use --memory$/);
  });
});
