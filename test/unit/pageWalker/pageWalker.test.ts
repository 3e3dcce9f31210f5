// Unit tests of the page walker: every paging mode, large pages, reserved bits, permissions and fault reports.
import * as assert from 'node:assert/strict';
import { GuestMemory } from '../../../debug-adapter/src/vmm/memory/guestMemory';
import {
  translate, pagingMode, PF_FETCH, PF_PRESENT, PF_RSVD, PF_USER, PF_WRITE, type Translation, type TranslationOk,
} from '../../../debug-adapter/src/vmm/memory/pageWalker';
import { GIB1, KIB4, MIB2, MIB4, NX, P, PageTableBuilder, PS, RW, US } from './tableBuilder';

const ARENA = 0x100000;

function ok(t: Translation): TranslationOk {
  if (!t.ok) assert.fail(`expected a translation, got: ${t.reason}`);
  return t;
}

function fresh(): GuestMemory { return GuestMemory.ofSize(8 * 1024 * 1024); }

describe('pageWalker: mode selection and paging off', () => {
  it('derives the mode from CR0, CR4 and EFER', () => {
    assert.equal(pagingMode({ cr0: 1n, cr3: 0n, cr4: 0n, efer: 0n }), 'off');
    assert.equal(pagingMode({ cr0: 1n << 31n, cr3: 0n, cr4: 0n, efer: 0n }), 'legacy32');
    assert.equal(pagingMode({ cr0: 1n << 31n, cr3: 0n, cr4: 1n << 5n, efer: 0n }), 'pae');
    assert.equal(pagingMode({ cr0: 1n << 31n, cr3: 0n, cr4: 1n << 5n, efer: 1n << 10n }), 'long4');
    assert.equal(pagingMode({ cr0: 1n << 31n, cr3: 0n, cr4: (1n << 5n) | (1n << 12n), efer: 1n << 10n }), 'long5');
  });

  it('maps identically with paging off and wraps at 4 GiB', () => {
    const mem = fresh();
    const cpu = { cr0: 1n, cr3: 0n, cr4: 0n, efer: 0n };
    const a = ok(translate(0x1234n, cpu, mem));
    assert.equal(a.gpa, 0x1234);
    assert.deepEqual(a.levels, []);
    assert.deepEqual(a.permissions, { writable: true, user: true, executable: true });
    assert.equal(ok(translate(0x1_0000_5678n, cpu, mem)).gpa, 0x5678);
    assert.equal(ok(translate(0xffff_fff0n, cpu, mem)).gpa, 0xffff_fff0);
  });
});

describe('pageWalker: 32-bit two-level paging', () => {
  it('translates a 4 KiB page and reports both levels', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'legacy32', ARENA);
    b.map(0x0804_8000n, 0x0030_0000n);
    const t = ok(translate(0x0804_8abcn, b.cpu(), mem));
    assert.equal(t.mode, 'legacy32');
    assert.equal(t.gpa, 0x0030_0abc);
    assert.equal(t.pageSize, KIB4);
    assert.deepEqual(t.levels.map((l) => [l.level, l.index]), [['PD', 0x20], ['PT', 0x48]]);
    assert.equal(t.levels[0].tableGpa, b.root);
    assert.equal(t.levels[0].entryGpa, b.root + 0x20 * 4);
    assert.deepEqual(t.levels[1].flags, ['P', 'RW', 'US']);
    assert.equal(t.levels[1].entry, 0x0030_0000n | P | RW | US);
    assert.deepEqual(t.permissions, { writable: true, user: true, executable: true });
  });

  it('maps 4 MiB pages with PSE and ignores PS when CR4.PSE is clear', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'legacy32', ARENA);
    b.map(0xc000_0000n, 0x0040_0000n, { pageSize: MIB4 });
    const t = ok(translate(0xc012_3456n, b.cpu(), mem));
    assert.equal(t.gpa, 0x0052_3456);
    assert.equal(t.pageSize, MIB4);
    assert.deepEqual(t.levels[0].flags, ['P', 'RW', 'US', 'PS']);
    // Without PSE the same entry points at a page table at 0x400000, whose entries are zero.
    const noPse = translate(0xc012_3456n, b.cpu({ cr4: 0n }), mem);
    assert.equal(noPse.ok, false);
    assert.equal(!noPse.ok && noPse.kind, 'not-present');
    assert.equal(!noPse.ok && noPse.faultLevel, 'PT');
  });

  it('places PSE-36 high physical bits above 4 GiB', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'legacy32', ARENA);
    b.map(0x0080_0000n, 0x3_0040_0000n, { pageSize: MIB4 });
    assert.equal(ok(translate(0x0080_0010n, b.cpu(), mem)).gpa, 0x3_0040_0010);
  });

  it('reports reserved bits of a 4 MiB entry and beyond MAXPHYADDR', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'legacy32', ARENA);
    const ea = b.map(0x0080_0000n, 0x0040_0000n, { pageSize: MIB4 });
    mem.writeU32(ea, mem.readU32(ea) | (1 << 21));
    const t = translate(0x0080_0000n, b.cpu(), mem);
    assert.equal(t.ok, false);
    if (t.ok) return;
    assert.equal(t.kind, 'reserved-bits');
    assert.equal(t.levels[0].reservedBits, 1n << 21n);
    assert.equal(t.errorCode, PF_PRESENT | PF_RSVD);
    b.map(0x00c0_0000n, 0x10_0000_0000n, { pageSize: MIB4 });
    const narrow = translate(0x00c0_0000n, b.cpu(), mem, {}, { maxPhysAddrBits: 36 });
    assert.equal(!narrow.ok && narrow.kind, 'reserved-bits');
    assert.equal(ok(translate(0x00c0_0000n, b.cpu(), mem)).gpa, 0x10_0000_0000);
  });

  it('applies U/S and R/W with CR0.WP', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'legacy32', ARENA);
    b.map(0x1000n, 0x2000n, { flags: P });
    const cpu = b.cpu();
    const t = ok(translate(0x1000n, cpu, mem));
    assert.deepEqual(t.permissions, { writable: false, user: false, executable: true });
    const user = translate(0x1000n, cpu, mem, { user: true });
    assert.equal(!user.ok && user.kind, 'protection');
    assert.equal(!user.ok && user.errorCode, PF_PRESENT | PF_USER);
    const write = translate(0x1000n, cpu, mem, { write: true });
    assert.equal(!write.ok && write.errorCode, PF_PRESENT | PF_WRITE);
    // With CR0.WP clear the supervisor may write read-only pages.
    assert.equal(translate(0x1000n, { ...cpu, cr0: cpu.cr0 & ~(1n << 16n) }, mem, { write: true }).ok, true);
  });

  it('reports a missing page directory entry with a #PF error code', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'legacy32', ARENA);
    const t = translate(0x4000_0000n, b.cpu(), mem, { write: true, user: true });
    assert.equal(t.ok, false);
    if (t.ok) return;
    assert.equal(t.faultLevel, 'PD');
    assert.equal(t.levels.length, 1);
    assert.equal(t.errorCode, PF_WRITE | PF_USER);
    assert.match(t.reason, /PD\[256\].*not present/);
  });
});

describe('pageWalker: PAE three-level paging', () => {
  it('translates 4 KiB and 2 MiB pages', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'pae', ARENA);
    b.map(0xc000_1000n, 0x0020_3000n);
    b.map(0x8020_0000n, 0x0060_0000n, { pageSize: MIB2 });
    const small = ok(translate(0xc000_1004n, b.cpu(), mem));
    assert.equal(small.gpa, 0x0020_3004);
    assert.deepEqual(small.levels.map((l) => [l.level, l.index]), [['PDPT', 3], ['PD', 0], ['PT', 1]]);
    const big = ok(translate(0x8021_2345n, b.cpu(), mem));
    assert.equal(big.gpa, 0x0061_2345);
    assert.equal(big.pageSize, MIB2);
    assert.equal(big.levels.length, 2);
  });

  it('honours NX with EFER.NXE and treats it as reserved without', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'pae', ARENA);
    b.map(0x1000n, 0x5000n, { flags: P | RW | NX });
    const cpu = b.cpu();
    const t = ok(translate(0x1000n, cpu, mem));
    assert.equal(t.permissions.executable, false);
    assert.ok(t.levels[2].flags.includes('NX'));
    const fetch = translate(0x1000n, cpu, mem, { fetch: true });
    assert.equal(!fetch.ok && fetch.kind, 'protection');
    assert.equal(!fetch.ok && fetch.errorCode, PF_PRESENT | PF_FETCH);
    const noNxe = translate(0x1000n, { ...cpu, efer: 0n }, mem);
    assert.equal(!noNxe.ok && noNxe.kind, 'reserved-bits');
    assert.equal(!noNxe.ok && noNxe.levels[2].reservedBits, NX);
  });

  it('reports PDPTE reserved bits (R/W is reserved in a PAE PDPTE)', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'pae', ARENA);
    b.map(0x1000n, 0x5000n);
    b.setEntry(0x1000n, 0, b.getEntry(0x1000n, 0) | RW);
    const t = translate(0x1000n, b.cpu(), mem);
    assert.equal(!t.ok && t.kind, 'reserved-bits');
    assert.equal(!t.ok && t.faultLevel, 'PDPT');
  });

  it('reports reserved bits in a 2 MiB entry', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'pae', ARENA);
    b.map(0x0020_0000n, 0x0040_0000n, { pageSize: MIB2 });
    b.setEntry(0x0020_0000n, 1, b.getEntry(0x0020_0000n, 1) | (1n << 13n));
    const t = translate(0x0020_0000n, b.cpu(), mem);
    assert.equal(!t.ok && t.kind, 'reserved-bits');
    assert.equal(!t.ok && t.levels[1].reservedBits, 1n << 13n);
  });

  it('truncates a 64-bit address to 32 bits', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'pae', ARENA);
    b.map(0x2000n, 0x7000n);
    assert.equal(ok(translate(0xdead_0000_2010n, b.cpu(), mem)).gpa, 0x7010);
  });
});

describe('pageWalker: 4-level long mode', () => {
  it('translates 4 KiB, 2 MiB and 1 GiB pages in the higher half', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'long4', ARENA);
    b.map(0xffff_8000_0000_1000n, 0x3000n);
    b.map(0xffff_ffff_8000_0000n, 0x0020_0000n, { pageSize: MIB2 });
    b.map(0x0000_0040_0000_0000n, 0x1_4000_0000n, { pageSize: GIB1 });
    const small = ok(translate(0xffff_8000_0000_1ff8n, b.cpu(), mem));
    assert.equal(small.gpa, 0x3ff8);
    assert.deepEqual(small.levels.map((l) => [l.level, l.index]), [['PML4', 256], ['PDPT', 0], ['PD', 0], ['PT', 1]]);
    const mid = ok(translate(0xffff_ffff_8010_0000n, b.cpu(), mem));
    assert.equal(mid.gpa, 0x0030_0000);
    assert.equal(mid.pageSize, MIB2);
    const huge = ok(translate(0x0000_0040_1234_5678n, b.cpu(), mem));
    assert.equal(huge.gpa, 0x1_5234_5678);
    assert.equal(huge.pageSize, GIB1);
    assert.deepEqual(huge.levels.map((l) => l.level), ['PML4', 'PDPT']);
  });

  it('rejects non-canonical addresses without reading tables', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'long4', ARENA);
    const t = translate(0x0000_8000_0000_0000n, b.cpu(), mem);
    assert.equal(t.ok, false);
    if (t.ok) return;
    assert.equal(t.kind, 'non-canonical');
    assert.equal(t.faultLevel, null);
    assert.equal(t.errorCode, undefined);
    assert.deepEqual(t.levels, []);
  });

  it('reports PS in a PML4 entry and 1 GiB reserved bits', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'long4', ARENA);
    b.map(0x1000n, 0x2000n);
    b.setEntry(0x1000n, 0, b.getEntry(0x1000n, 0) | PS);
    const t = translate(0x1000n, b.cpu(), mem);
    assert.equal(!t.ok && t.faultLevel, 'PML4');
    assert.equal(!t.ok && t.kind, 'reserved-bits');
    const mem2 = fresh();
    const b2 = new PageTableBuilder(mem2, 'long4', ARENA);
    b2.map(0n, 0x4000_0000n | (1n << 20n), { pageSize: GIB1 });
    const g = translate(0x10n, b2.cpu(), mem2);
    assert.equal(!g.ok && g.kind, 'reserved-bits');
    assert.equal(!g.ok && g.levels[1].reservedBits, 1n << 20n);
  });

  it('treats address bits above MAXPHYADDR as reserved only when asked', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'long4', ARENA);
    b.map(0x1000n, 0x0000_8000_0000_0000n);
    assert.equal(ok(translate(0x1000n, b.cpu(), mem)).gpa, 0x8000_0000_0000);
    const t = translate(0x1000n, b.cpu(), mem, {}, { maxPhysAddrBits: 46 });
    assert.equal(!t.ok && t.kind, 'reserved-bits');
  });

  it('combines permissions across levels and applies SMEP', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'long4', ARENA);
    b.map(0x40_0000n, 0x9000n, { flags: P | RW | US, tableFlags: P | US });
    const cpu = b.cpu({ cr4: (1n << 5n) | (1n << 20n) });
    const t = ok(translate(0x40_0000n, cpu, mem));
    assert.deepEqual(t.permissions, { writable: false, user: true, executable: true });
    const smep = translate(0x40_0000n, cpu, mem, { fetch: true });
    assert.equal(!smep.ok && smep.kind, 'protection');
    assert.equal(translate(0x40_0000n, cpu, mem, { fetch: true, user: true }).ok, true);
    const uw = translate(0x40_0000n, cpu, mem, { write: true, user: true });
    assert.equal(!uw.ok && uw.errorCode, PF_PRESENT | PF_WRITE | PF_USER);
  });

  it('ignores PCID bits in CR3 and reports unbacked tables', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'long4', ARENA);
    b.map(0x1000n, 0x2000n);
    assert.equal(ok(translate(0x1000n, b.cpu({ cr3: BigInt(b.root) | 0x5n }), mem)).gpa, 0x2000);
    b.setEntry(0x1000n, 0, 0x4000_0000n | P | RW);
    const t = translate(0x1000n, b.cpu(), mem);
    assert.equal(!t.ok && t.kind, 'unbacked-table');
    assert.equal(!t.ok && t.faultLevel, 'PDPT');
    assert.equal(!t.ok && t.errorCode, undefined);
  });

  it('names the PAT bit of a 4 KiB entry and the dirty/accessed/global bits', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'long4', ARENA);
    b.map(0x1000n, 0x2000n, { flags: P | RW | (1n << 5n) | (1n << 6n) | PS | (1n << 8n) });
    const t = ok(translate(0x1000n, b.cpu(), mem));
    assert.deepEqual(t.levels[3].flags, ['P', 'RW', 'A', 'D', 'PAT', 'G']);
  });
});

describe('pageWalker: 5-level paging (LA57)', () => {
  it('walks five levels and accepts 57-bit canonical addresses', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'long5', ARENA);
    const gva = 0x00ff_0000_0000_3000n;
    b.map(gva, 0x6000n);
    const t = ok(translate(gva + 0x10n, b.cpu(), mem));
    assert.equal(t.gpa, 0x6010);
    assert.deepEqual(t.levels.map((l) => [l.level, l.index]), [['PML5', 0xff], ['PML4', 0], ['PDPT', 0], ['PD', 0], ['PT', 3]]);
    const neg = 0xff00_0000_0000_0000n;
    b.map(neg, 0x8000n);
    assert.equal(ok(translate(neg, b.cpu(), mem)).levels[0].index, 0x100);
    const bad = translate(0x0100_0000_0000_0000n, b.cpu(), mem);
    assert.equal(!bad.ok && bad.kind, 'non-canonical');
    // The same address is non-canonical with 4-level paging.
    assert.equal(translate(gva, b.cpu({ cr4: 1n << 5n }), mem).ok, false);
  });

  it('reports PS in a PML5 entry as reserved', () => {
    const mem = fresh();
    const b = new PageTableBuilder(mem, 'long5', ARENA);
    b.map(0x1000n, 0x2000n);
    b.setEntry(0x1000n, 0, b.getEntry(0x1000n, 0) | PS);
    const t = translate(0x1000n, b.cpu(), mem);
    assert.equal(!t.ok && t.faultLevel, 'PML5');
    assert.equal(!t.ok && t.kind, 'reserved-bits');
  });
});
