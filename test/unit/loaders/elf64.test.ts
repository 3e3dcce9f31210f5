// Tests for the plain ELF64 loader: long-mode entry state, identity map, GDT, RDI -> hvm_start_info, errors.
import assert from 'node:assert/strict';
import { planImage } from '../../../debug-adapter/src/loaders/probe';
import { descriptorBytes, flatCode64, flatData } from '../../../debug-adapter/src/loaders/gdt';
import { segment } from '../../../debug-adapter/src/vmm/cpu/registers';
import { buildElf, code, multibootElf } from './imageBuilders';
import { MiB, baseOptions, bytesAt, cStringAt, expectImageError, segmentAt, u32At, u64At } from './planReader';

function elf64Kernel(over: { paddr?: number; memsz?: number; machine?: number; entry?: bigint } = {}) {
  const paddr = over.paddr ?? 0x100000;
  return buildElf({
    bits: 64, machine: over.machine, entry: over.entry ?? BigInt(paddr + 0x10),
    segments: [{ paddr, data: code(0x100), memsz: over.memsz }, { paddr: paddr + 0x1000, data: code(0x10, 1), memsz: 0x800 }],
  });
}

describe('loaders/elf64', () => {
  it('loads every PT_LOAD at p_paddr and zero-fills .bss', () => {
    const plan = planImage(elf64Kernel(), baseOptions());
    assert.equal(plan.format, 'elf64');
    assert.deepEqual(plan.segments.slice(0, 2).map((s) => [s.gpa, s.bytes.length]), [[0x100000, 0x100], [0x101000, 0x10]]);
    assert.deepEqual(plan.zeroFill, [{ gpa: 0x101010, length: 0x7f0 }]);
  });

  it('enters in identity-mapped long mode with RDI -> hvm_start_info', () => {
    const plan = planImage(elf64Kernel(), baseOptions({ cmdline: 'hello' }));
    const { mode, regs, sregs } = plan.entry;
    assert.equal(mode, 64);
    assert.equal(regs.rip, 0x100010n);
    assert.equal(regs.rsp, 0x8ff0n);
    assert.equal(regs.rdi, 0x6000n);
    assert.equal(regs.rflags, 2n);
    assert.equal(sregs.cr0, 0x80050033n);
    assert.equal(sregs.cr3, 0x9000n);
    assert.equal(sregs.cr4, 0x620n);
    assert.equal(sregs.efer, 0x500n);
    assert.deepEqual(sregs.cs, segment({ selector: 8, limit: 0xffffffff, type: 0xb, l: 1, db: 0, g: 1 }));
    assert.deepEqual(sregs.ds, segment({ selector: 0x10, limit: 0xffffffff, type: 3, db: 1, g: 1 }));
    assert.deepEqual(sregs.gdt, { base: 0x500n, limit: 23 });
    assert.deepEqual([...bytesAt(plan, 0x508, 8)], [...descriptorBytes(flatCode64(8))]);
    assert.deepEqual([...bytesAt(plan, 0x510, 8)], [...descriptorBytes(flatData(0x10))]);
    assert.equal(u64At(plan, 0x9000), 0xa003n);
    assert.equal(u64At(plan, 0xa000), 0xb003n);
    assert.equal(u64At(plan, 0xb000 + 8), 0x200083n);
    assert.equal(segmentAt(plan, 0xb000).bytes.length, 4 * 4096);
    assert.equal(u32At(plan, 0x6000), 0x336ec578);
    assert.equal(cStringAt(plan, Number(u64At(plan, 0x6000 + 24))), 'hello');
    assert.ok(plan.notes.some((n) => /RDI=0x6000 \(hvm_start_info/.test(n)));
  });

  it('translates a higher-half e_entry to the physical entry', () => {
    const image = buildElf({
      bits: 64, entry: 0xffffffff80100020n,
      segments: [{ paddr: 0x100000, vaddr: 0xffffffff80100000n, data: code(0x40) }],
    });
    assert.equal(planImage(image, baseOptions()).entry.regs.rip, 0x100020n);
  });

  describe('errors', () => {
    it('another machine', () => {
      expectImageError(() => planImage(elf64Kernel({ machine: 183 }), baseOptions()),
        /ELF kernel is for AArch64 \(e_machine 183\): expected x86-64 \(62\)/);
    });
    it('a 32-bit ELF without Multiboot header or PVH note', () => {
      const image = buildElf({ bits: 32, entry: 0x100000, segments: [{ paddr: 0x100000, data: code(16) }] });
      expectImageError(() => planImage(image, baseOptions()), /32-bit ELF kernel cannot be entered in long mode: expected/);
    });
    it('an explicit elf64 request for a Multiboot ELF32 names the right format', () => {
      expectImageError(() => planImage(multibootElf(), baseOptions(), 'elf64'), /use the multiboot format/);
    });
    it('a segment beyond guest memory', () => {
      expectImageError(() => planImage(elf64Kernel({ paddr: 0x10000000 }), baseOptions()),
        /^kernel segment at 0x10000000 \(\+256 bytes\) does not fit in 128 MiB of guest memory; use --memory$/);
    });
    it('a .bss larger than guest memory', () => {
      expectImageError(() => planImage(elf64Kernel({ memsz: 200 * MiB }), baseOptions()), /does not fit in 128 MiB/);
    });
    it('a segment over the page tables', () => {
      expectImageError(() => planImage(elf64Kernel({ paddr: 0x9000 }), baseOptions()), /overlaps the page tables \(PML4\)/);
    });
    it('overlapping segments', () => {
      const image = buildElf({
        bits: 64, entry: 0x100000,
        segments: [{ paddr: 0x100000, data: code(0x100), memsz: 0x2000 }, { paddr: 0x101000, data: code(0x10) }],
      });
      expectImageError(() => planImage(image, baseOptions()), /kernel segment \(0x100000-0x101fff\) and kernel segment \(0x101000-0x10100f\) overlap/);
    });
    it('no PT_LOAD segments', () => {
      const image = buildElf({ bits: 64, entry: 0, segments: [{ type: 6, paddr: 0, data: code(4) }] });
      expectImageError(() => planImage(image, baseOptions()), /no loadable \(PT_LOAD\) segments/);
    });
  });
});
