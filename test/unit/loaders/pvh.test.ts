// Tests for the PVH loader: note-driven entry, hvm_start_info with memory map and modules, 32-bit entry state, errors.
import assert from 'node:assert/strict';
import { planImage } from '../../../debug-adapter/src/loaders/probe';
import { buildElf, code, elfNote, PT_NOTE, pvhNote, u32Bytes } from './imageBuilders';
import { MiB, RAM, baseOptions, bytesAt, cStringAt, expectImageError, u32At, u64At } from './planReader';

function pvhKernel(opts: { bits?: 32 | 64; entry?: number; noteSize?: 4 | 8; machine?: number; note?: Uint8Array } = {}) {
  return buildElf({
    bits: opts.bits ?? 64, machine: opts.machine, entry: 0xffffffff81000000n,
    segments: [
      { paddr: 0x1000000, vaddr: 0xffffffff81000000n, data: code(0x400), memsz: 0x3000 },
      { type: PT_NOTE, paddr: 0, data: opts.note ?? pvhNote(opts.entry ?? 0x1000100, opts.noteSize ?? 4) },
    ],
  });
}

describe('loaders/pvh', () => {
  it('loads PT_LOAD at physical addresses and enters at the note address in 32-bit protected mode', () => {
    const plan = planImage(pvhKernel(), baseOptions());
    assert.equal(plan.format, 'pvh');
    assert.equal(plan.segments[0].gpa, 0x1000000);
    assert.equal(plan.segments[0].bytes.length, 0x400);
    assert.deepEqual(plan.zeroFill, [{ gpa: 0x1000400, length: 0x2c00 }]);
    const { mode, regs, sregs } = plan.entry;
    assert.equal(mode, 32);
    assert.equal(regs.rip, 0x1000100n);
    assert.equal(regs.rbx, 0x6000n);
    assert.equal(regs.rflags, 2n);
    assert.equal(regs.rax, undefined, 'PVH does not define EAX');
    assert.equal(sregs.cr0, 0x11n);
    assert.equal(sregs.cr4, 0n);
    assert.equal(sregs.efer, 0n);
    assert.equal(sregs.cs!.selector, 8);
    assert.equal(sregs.cs!.db, 1);
    assert.equal(sregs.cs!.limit, 0xffffffff);
    assert.equal(sregs.ss!.selector, 0x10);
    assert.equal(sregs.ss!.type, 3);
  });

  it('accepts ELF32 kernels and 8-byte note values', () => {
    assert.equal(planImage(pvhKernel({ bits: 32, machine: 3 }), baseOptions()).entry.regs.rip, 0x1000100n);
    assert.equal(planImage(pvhKernel({ noteSize: 8 }), baseOptions()).entry.regs.rip, 0x1000100n);
  });

  it('writes hvm_start_info version 1 with command line, memory map and module list', () => {
    const initrd = { name: 'initrd', bytes: code(300, 4) };
    const mod = { name: 'm', bytes: code(20, 5), cmdline: 'x=1' };
    const plan = planImage(pvhKernel(), baseOptions({ cmdline: 'console=ttyS0 pvh', initrd, modules: [mod] }));
    const si = 0x6000;
    assert.equal(u32At(plan, si), 0x336ec578);
    assert.equal(u32At(plan, si + 4), 1);
    assert.equal(u32At(plan, si + 8), 0, 'flags');
    assert.equal(u32At(plan, si + 12), 2);
    assert.equal(cStringAt(plan, Number(u64At(plan, si + 24))), 'console=ttyS0 pvh');
    assert.equal(u64At(plan, si + 24), 0x20000n);
    assert.equal(u64At(plan, si + 32), 0n, 'no RSDP');
    assert.equal(u32At(plan, si + 48), 3);
    assert.equal(u32At(plan, si + 52), 0);
    const memmap = Number(u64At(plan, si + 40));
    const expected: [number, number, number][] = [[0, 0x9fc00, 1], [0x9fc00, 0x60400, 2], [0x100000, RAM - MiB, 1]];
    expected.forEach(([addr, size, type], i) => {
      const e = memmap + i * 24;
      assert.equal(u64At(plan, e), BigInt(addr));
      assert.equal(u64At(plan, e + 8), BigInt(size));
      assert.equal(u32At(plan, e + 16), type);
      assert.equal(u32At(plan, e + 20), 0);
    });
    const modlist = Number(u64At(plan, si + 16));
    // Modules go above the kernel's highest byte (0x1003000), not over it.
    assert.equal(u64At(plan, modlist), 0x1003000n);
    assert.equal(u64At(plan, modlist + 8), 300n);
    assert.equal(cStringAt(plan, Number(u64At(plan, modlist + 16))), 'initrd');
    assert.equal(u64At(plan, modlist + 24), 0n);
    assert.equal(u64At(plan, modlist + 32), 0x1004000n);
    assert.equal(u64At(plan, modlist + 40), 20n);
    assert.equal(cStringAt(plan, Number(u64At(plan, modlist + 48))), 'm x=1');
    assert.deepEqual([...bytesAt(plan, 0x1003000, 300)], [...initrd.bytes]);
  });

  it('leaves modlist_paddr zero without modules', () => {
    const plan = planImage(pvhKernel(), baseOptions());
    assert.equal(u32At(plan, 0x6000 + 12), 0);
    assert.equal(u64At(plan, 0x6000 + 16), 0n);
  });

  describe('errors', () => {
    it('an entry outside the loaded segments', () => {
      expectImageError(() => planImage(pvhKernel({ entry: 0x2000000 }), baseOptions()),
        /PVH entry point 0x2000000 is not inside any loadable segment/);
    });
    it('an explicit PVH request for an ELF without the note', () => {
      const image = pvhKernel({ note: elfNote('GNU', 3, u32Bytes(0)) });
      expectImageError(() => planImage(image, baseOptions(), 'pvh'),
        /no PVH entry note: expected a note named "Xen" of type 18/);
    });
    it('a PVH ELF for another machine is not probed as PVH, and is refused explicitly', () => {
      const image = pvhKernel({ machine: 183 });
      expectImageError(() => planImage(image, baseOptions(), 'pvh'), /PVH kernel is for AArch64/);
      expectImageError(() => planImage(image, baseOptions()), /kernel is for AArch64 \(e_machine 183\): expected x86-64/);
    });
    it('a note value of the wrong size', () => {
      const image = pvhKernel({ note: elfNote('Xen', 18, new Uint8Array(6)) });
      expectImageError(() => planImage(image, baseOptions()), /6-byte value: expected 4 or 8 bytes/);
    });
  });
});
