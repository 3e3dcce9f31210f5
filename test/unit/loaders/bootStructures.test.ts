// Tests for the shared boot structures: e820 map, GDT descriptors, identity page tables, CPU entry states.
import assert from 'node:assert/strict';
import { buildE820, E820_RAM, E820_RESERVED } from '../../../debug-adapter/src/loaders/e820';
import { buildGdt, descriptorBytes, flatCode32, flatCode64, flatData } from '../../../debug-adapter/src/loaders/gdt';
import { identityPageTables, identityMapCoverage } from '../../../debug-adapter/src/loaders/pageTables';
import { longModeEntry, protectedModeEntry, realModeEntry } from '../../../debug-adapter/src/loaders/cpuState';
import { getU64 } from '../../../debug-adapter/src/loaders/bytes';
import { cpuMode, segment } from '../../../debug-adapter/src/vmm/cpu/registers';
import { MiB } from './planReader';

const GiB = 1024 * MiB;

function descriptor(bytes: Uint8Array, index: number): bigint {
  return getU64(bytes, index * 8);
}

describe('loaders/boot structures', () => {
  describe('e820', () => {
    it('reports low RAM, the legacy hole and RAM from 1 MiB', () => {
      assert.deepEqual(buildE820(128 * MiB), [
        { addr: 0, size: 0x9fc00, type: E820_RAM },
        { addr: 0x9fc00, size: 0x100000 - 0x9fc00, type: E820_RESERVED },
        { addr: 0x100000, size: 127 * MiB, type: E820_RAM },
      ]);
    });
  });

  describe('GDT', () => {
    it('encodes flat 32-bit code, data and 64-bit code like every x86 boot loader', () => {
      assert.equal(descriptor(descriptorBytes(flatCode32(8)), 0), 0x00cf9b000000ffffn);
      assert.equal(descriptor(descriptorBytes(flatData(0x10)), 0), 0x00cf93000000ffffn);
      assert.equal(descriptor(descriptorBytes(flatCode64(8)), 0), 0x00af9b000000ffffn);
    });

    it('encodes base, byte-granular limit and DPL', () => {
      const seg = segment({ base: 0x12345678n, limit: 0x67, type: 0xb, s: 0, dpl: 3, g: 0, db: 0 });
      assert.equal(descriptor(descriptorBytes(seg), 0), 0x12008b345678_0067n | (3n << 45n));
    });

    it('places each segment at the slot its selector names, with null descriptors elsewhere', () => {
      const gdt = buildGdt([flatCode64(0x10), flatData(0x18)]);
      assert.equal(gdt.length, 32);
      assert.equal(descriptor(gdt, 0), 0n);
      assert.equal(descriptor(gdt, 1), 0n);
      assert.equal(descriptor(gdt, 2), 0x00af9b000000ffffn);
      assert.equal(descriptor(gdt, 3), 0x00cf93000000ffffn);
    });
  });

  describe('identity page tables', () => {
    it('maps at least 4 GiB in 2 MiB pages from PML4 0x9000, PDPT 0xa000, PDs 0xb000', () => {
      const [pml4, pdpt, pd] = identityPageTables(128 * MiB);
      assert.deepEqual([pml4.gpa, pdpt.gpa, pd.gpa], [0x9000, 0xa000, 0xb000]);
      assert.equal(getU64(pml4.bytes, 0), 0xa003n);
      assert.equal(getU64(pml4.bytes, 8), 0n);
      for (let i = 0; i < 4; i++) assert.equal(getU64(pdpt.bytes, i * 8), BigInt(0xb003 + i * 0x1000));
      assert.equal(getU64(pdpt.bytes, 32), 0n);
      assert.equal(pd.bytes.length, 4 * 4096);
      assert.equal(getU64(pd.bytes, 0), 0x83n);
      assert.equal(getU64(pd.bytes, 8), 0x200083n);
      assert.equal(getU64(pd.bytes, 2047 * 8), BigInt(4 * GiB - 2 * MiB) | 0x83n);
    });

    it('covers whole GiB above 4 GiB of RAM', () => {
      assert.equal(identityMapCoverage(128 * MiB), 4 * GiB);
      assert.equal(identityMapCoverage(4 * GiB + 1), 5 * GiB);
      assert.equal(identityPageTables(4 * GiB + 1)[2].bytes.length, 5 * 4096);
    });
  });

  describe('entry states', () => {
    it('protected mode: flat segments from the boot GDT, PE on, paging off', () => {
      const { state, gdt } = protectedModeEntry(0x100000, { rax: 1n });
      assert.equal(state.mode, 32);
      assert.equal(state.regs.rip, 0x100000n);
      assert.equal(state.regs.rax, 1n);
      assert.equal(state.regs.rflags, 2n);
      const s = state.sregs;
      assert.equal(s.cr0, 0x11n);
      assert.equal(s.cr4, 0n);
      assert.equal(s.efer, 0n);
      assert.deepEqual(s.gdt, { base: 0x500n, limit: 23 });
      assert.equal(gdt.gpa, 0x500);
      assert.deepEqual(s.cs, segment({ selector: 8, limit: 0xffffffff, type: 0xb, db: 1, g: 1 }));
      for (const r of ['ds', 'es', 'fs', 'gs', 'ss'] as const) {
        assert.deepEqual(s[r], segment({ selector: 0x10, limit: 0xffffffff, type: 3, db: 1, g: 1 }));
      }
      assert.equal(cpuMode({ cr0: s.cr0!, efer: s.efer!, cs: s.cs! }), 'protected32');
    });

    it('long mode: 64-bit CS, CR0 0x80050033, CR4 0x620, EFER LME|LMA, CR3 at the PML4', () => {
      const { state } = longModeEntry(0x200000, {});
      const s = state.sregs;
      assert.equal(state.mode, 64);
      assert.equal(s.cr0, 0x80050033n);
      assert.equal(s.cr4, 0x620n);
      assert.equal(s.efer, 0x500n);
      assert.equal(s.cr3, 0x9000n);
      assert.equal(s.cs!.l, 1);
      assert.equal(s.cs!.db, 0);
      assert.equal(cpuMode({ cr0: s.cr0!, efer: s.efer!, cs: s.cs! }), 'long64');
    });

    it('real mode: base = selector * 16 with 64 KiB limits', () => {
      const state = realModeEntry(0x1000, 0x234, 0x1000, { rsp: 0n });
      assert.equal(state.mode, 16);
      assert.equal(state.sregs.cs!.base, 0x10000n);
      assert.equal(state.sregs.cs!.type, 0xb);
      assert.equal(state.sregs.ss!.selector, 0x1000);
      assert.equal(state.sregs.ds!.limit, 0xffff);
      assert.equal(state.sregs.cr0, 0x10n);
      assert.equal(state.regs.rip, 0x234n);
      assert.equal(cpuMode({ cr0: state.sregs.cr0!, efer: state.sregs.efer!, cs: state.sregs.cs! }), 'real');
    });
  });
});
