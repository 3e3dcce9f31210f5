// Tests for the boot sector and flat loaders: real-mode entry details, flat 16/32/64 states, and their errors.
import assert from 'node:assert/strict';
import { planImage } from '../../../debug-adapter/src/loaders/probe';
import { realModeCsIp } from '../../../debug-adapter/src/loaders/flat';
import { bootSector, code } from './imageBuilders';
import { baseOptions, expectImageError, segmentAt, u64At } from './planReader';

describe('loaders/bootSector', () => {
  it('loads the sector at 0x7C00 and enters 0000:7C00 in real mode with DL = 0x80', () => {
    const image = bootSector();
    const plan = planImage(image, baseOptions());
    assert.equal(plan.format, 'bootsector');
    assert.deepEqual(plan.segments.map((s) => [s.gpa, s.bytes.length]), [[0x7c00, 512]]);
    assert.deepEqual([...plan.segments[0].bytes], [...image]);
    const { mode, regs, sregs } = plan.entry;
    assert.equal(mode, 16);
    assert.equal(regs.rip, 0x7c00n);
    assert.equal(regs.rsp, 0x7c00n);
    assert.equal(regs.rdx, 0x80n);
    assert.equal(regs.rflags, 2n);
    assert.equal(sregs.cs!.selector, 0);
    assert.equal(sregs.cs!.base, 0n);
    assert.equal(sregs.cs!.limit, 0xffff);
    assert.equal(sregs.cs!.type, 0xb);
    for (const r of ['ds', 'es', 'ss', 'fs', 'gs'] as const) {
      assert.equal(sregs[r]!.selector, 0);
      assert.equal(sregs[r]!.base, 0n);
      assert.equal(sregs[r]!.type, 3);
    }
    assert.equal(sregs.cr0! & 1n, 0n, 'PE off');
  });

  it('rejects other sizes and a missing signature', () => {
    expectImageError(() => planImage(new Uint8Array(1024), baseOptions(), 'bootsector'),
      /a boot sector is exactly 512 bytes but this file has 1024/);
    const noSig = bootSector();
    noSig[511] = 0;
    expectImageError(() => planImage(noSig, baseOptions(), 'bootsector'), /bytes 510-511 are 55 00/);
    expectImageError(() => planImage(bootSector(), baseOptions({ initrd: { name: 'i', bytes: code(1) } })),
      /a boot sector takes neither an initrd nor modules/);
  });
});

describe('loaders/flat', () => {
  const flat = (loadAddress: number, entry: number, mode: 16 | 32 | 64) => baseOptions({ flat: { loadAddress, entry, mode } });

  it('derives real-mode CS:IP from the entry', () => {
    assert.deepEqual(realModeCsIp(0x7c00), { cs: 0, ip: 0x7c00 });
    assert.deepEqual(realModeCsIp(0x12345), { cs: 0x1000, ip: 0x2345 });
    assert.deepEqual(realModeCsIp(0x9ffff), { cs: 0x9000, ip: 0xffff });
  });

  it('16: loads the bytes and enters real mode with every segment = CS and SP = 0', () => {
    const image = code(0x800);
    const plan = planImage(image, flat(0x10000, 0x10010, 16), 'flat');
    assert.equal(plan.format, 'flat');
    assert.deepEqual(plan.segments.map((s) => [s.gpa, s.bytes.length]), [[0x10000, 0x800]]);
    const { mode, regs, sregs } = plan.entry;
    assert.equal(mode, 16);
    assert.equal(regs.rip, 0x10n);
    assert.equal(regs.rsp, 0n);
    assert.equal(sregs.cs!.selector, 0x1000);
    assert.equal(sregs.cs!.base, 0x10000n);
    assert.equal(sregs.ss!.selector, 0x1000);
    assert.equal(sregs.ds!.base, 0x10000n);
  });

  it('32: flat protected mode with the boot GDT and no Multiboot registers', () => {
    const plan = planImage(code(0x100), flat(0x100000, 0x100000, 32), 'flat');
    const { mode, regs, sregs } = plan.entry;
    assert.equal(mode, 32);
    assert.equal(regs.rip, 0x100000n);
    assert.equal(regs.rsp, 0x8ff0n);
    assert.equal(regs.rax, undefined);
    assert.equal(regs.rbx, undefined);
    assert.equal(sregs.cr0, 0x11n);
    assert.equal(sregs.cs!.db, 1);
    assert.equal(segmentAt(plan, 0x500).bytes.length, 24);
  });

  it('64: identity-mapped long mode like ELF64', () => {
    const plan = planImage(code(0x100), flat(0x200000, 0x200080, 64), 'flat');
    assert.equal(plan.entry.mode, 64);
    assert.equal(plan.entry.regs.rip, 0x200080n);
    assert.equal(plan.entry.sregs.cr3, 0x9000n);
    assert.equal(plan.entry.sregs.cs!.l, 1);
    assert.equal(u64At(plan, 0x9000), 0xa003n);
  });

  it('is never detected automatically', () => {
    expectImageError(() => planImage(code(0x100), flat(0x100000, 0x100000, 32)), /not a recognised kernel image/);
  });

  it('rejects missing options, bad entries and bad placement', () => {
    expectImageError(() => planImage(code(16), baseOptions(), 'flat'), /flat format needs a load address/);
    expectImageError(() => planImage(code(16), flat(0x100000, 0x100010, 32), 'flat'),
      /flat entry 0x100010 is outside the image loaded at 0x100000-0x10000f/);
    expectImageError(() => planImage(code(16), baseOptions({ flat: { loadAddress: 0x100000, entry: 0x100000, mode: 15 as 16 } }), 'flat'),
      /flat mode 15 is invalid/);
    expectImageError(() => planImage(code(0x20), flat(0x100000, 0x100000, 16), 'flat'), /not reachable in real mode/);
    expectImageError(() => planImage(code(0x2000), flat(0x7c00, 0x7c00, 32), 'flat'), /overlaps the boot stack at 0x8000-0x8fff/);
    expectImageError(() => planImage(new Uint8Array(0), flat(0x100000, 0x100000, 32), 'flat'), /flat image is empty/);
    expectImageError(() => planImage(code(0x20), flat(0x7fffff0, 0x7fffff0, 64), 'flat'),
      /flat image at 0x7fffff0 \(\+32 bytes\) does not fit in 128 MiB/);
  });
});
