// Tests for kernel fit checks and module/initrd placement.
import assert from 'node:assert/strict';
import { checkKernelFits, placeHigh, placeModules } from '../../../debug-adapter/src/loaders/placement';
import { expectImageError, MiB } from './planReader';

const RAM = 128 * MiB;
const gdt = { gpa: 0x500, length: 24, what: 'boot GDT' };

describe('loaders/placement', () => {
  it('accepts kernels in RAM clear of boot structures', () => {
    checkKernelFits([{ gpa: 0x100000, length: 0x1000, what: 'k' }, { gpa: 0x101000, length: 10, what: 'k2' }], [gdt], RAM);
  });

  it('rejects a kernel that does not fit in RAM with the --memory hint', () => {
    expectImageError(() => checkKernelFits([{ gpa: 0x100000, length: 128 * MiB, what: 'kernel segment' }], [], RAM),
      /^kernel segment at 0x100000 \(\+134217728 bytes\) does not fit in 128 MiB of guest memory; use --memory$/);
  });

  it('rejects overlap with a boot structure or the legacy hole', () => {
    expectImageError(() => checkKernelFits([{ gpa: 0x400, length: 0x200, what: 'kernel segment 0' }], [gdt], RAM),
      /kernel segment 0 at 0x400 \(\+512 bytes\) overlaps the boot GDT at 0x500-0x517/);
    expectImageError(() => checkKernelFits([{ gpa: 0xb8000, length: 0x10, what: 'k' }], [], RAM),
      /overlaps the reserved legacy area/);
  });

  it('rejects kernel ranges that overlap each other, even when not adjacent in the list', () => {
    expectImageError(() => checkKernelFits([
      { gpa: 0x100000, length: 0x10000, what: 'a' }, { gpa: 0x200000, length: 0x10, what: 'b' },
      { gpa: 0x108000, length: 0x10, what: 'c' },
    ], [], RAM), /a \(0x100000-0x10ffff\) and c \(0x108000-0x10800f\) overlap/);
    expectImageError(() => checkKernelFits([
      { gpa: 0x100000, length: 0x10000, what: 'a' }, { gpa: 0x101000, length: 0x10, what: 'b' },
      { gpa: 0x102000, length: 0x10, what: 'c' },
    ], [], RAM), /a .* and b .* overlap/);
  });

  it('places modules page-aligned from MODULES_MIN_ADDR when they fit there', () => {
    assert.deepEqual(placeModules([{ what: 'a', length: 10 }, { what: 'b', length: 0x1001 }], 0x180000, RAM, []),
      [0x1000000, 0x1001000]);
  });

  it('places modules right after the kernel when RAM is too small for MODULES_MIN_ADDR', () => {
    assert.deepEqual(placeModules([{ what: 'a', length: 0x100000 }], 0x180001, 16 * MiB, []), [0x181000]);
    assert.deepEqual(placeModules([{ what: 'a', length: 0x100 }], 0x2000000, RAM, []), [0x2000000]);
  });

  it('skips reserved ranges and fails clearly when modules do not fit', () => {
    assert.deepEqual(placeModules([{ what: 'a', length: 0x2000 }], 0x1f000, 4 * MiB,
      [{ gpa: 0x20000, length: 0x100, what: 'command line area' }]), [0x21000]);
    expectImageError(() => placeModules([{ what: 'module big', length: 4 * MiB }], 0x200000, 4 * MiB, []),
      /module big \(4194304 bytes\) does not fit in 4 MiB of guest memory above the kernel .*use --memory/);
  });

  it('places an initrd as high as allowed', () => {
    assert.equal(placeHigh('initrd', 0x1800, 0x200000, RAM, []), RAM - 0x2000);
    assert.equal(placeHigh('initrd', 0x1000, 0x200000, 0x3000001, []), 0x2fff000);
    expectImageError(() => placeHigh('initrd x', 0x10000000, 0x200000, RAM, []), /initrd x \(268435456 bytes\) does not fit/);
  });
});
