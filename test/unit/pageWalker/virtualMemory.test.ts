// Unit tests of page-by-page virtual reads and writes: page crossings, wrap-around and all-or-nothing failures.
import * as assert from 'node:assert/strict';
import { GuestMemory } from '../../../debug-adapter/src/vmm/memory/guestMemory';
import { readVirtual, writeVirtual } from '../../../debug-adapter/src/vmm/memory/virtualMemory';
import { MIB2, P, PageTableBuilder, RW } from './tableBuilder';

const ARENA = 0x100000;

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed) & 0xff;
  return b;
}

describe('virtualMemory: readVirtual / writeVirtual', () => {
  it('reads across two virtual pages mapped to distant frames', () => {
    const mem = GuestMemory.ofSize(4 * 1024 * 1024);
    const b = new PageTableBuilder(mem, 'long4', ARENA);
    b.map(0x40_0000n, 0x30_0000n);
    b.map(0x40_1000n, 0x20_0000n);
    mem.write(0x30_0ff0, pattern(16, 1));
    mem.write(0x20_0000, pattern(16, 2));
    const r = readVirtual(0x40_0ff0n, 32, b.cpu(), mem);
    assert.ok(r.ok);
    assert.deepEqual(r.bytes.subarray(0, 16), pattern(16, 1));
    assert.deepEqual(r.bytes.subarray(16), pattern(16, 2));
  });

  it('writes across pages and reads back the same bytes', () => {
    const mem = GuestMemory.ofSize(4 * 1024 * 1024);
    const b = new PageTableBuilder(mem, 'pae', ARENA);
    b.map(0x8000_0000n, 0x20_0000n, { pageSize: MIB2 });
    b.map(0x8020_0000n, 0x8_0000n);
    const data = pattern(0x1000, 9);
    const at = 0x801f_f800n;
    assert.deepEqual(writeVirtual(at, data, b.cpu(), mem), { ok: true });
    assert.deepEqual(mem.read(0x20_0000 + 0x1f_f800, 0x800), data.subarray(0, 0x800));
    assert.deepEqual(mem.read(0x8_0000, 0x800), data.subarray(0x800, 0x1000));
    const r = readVirtual(at, 0x1000, b.cpu(), mem);
    assert.ok(r.ok);
    assert.deepEqual(r.bytes, data);
  });

  it('fails as a whole when a later page is missing and writes nothing', () => {
    const mem = GuestMemory.ofSize(4 * 1024 * 1024);
    const b = new PageTableBuilder(mem, 'long4', ARENA);
    b.map(0x40_0000n, 0x30_0000n);
    const r = readVirtual(0x40_0ffcn, 8, b.cpu(), mem);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.gva, 0x40_1000n);
    assert.equal(!r.ok && r.fault?.kind, 'not-present');
    const w = writeVirtual(0x40_0ffcn, new Uint8Array(8).fill(0xaa), b.cpu(), mem);
    assert.equal(w.ok, false);
    assert.deepEqual(mem.read(0x30_0ffc, 4), new Uint8Array(4));
  });

  it('refuses to write a read-only page when CR0.WP is set', () => {
    const mem = GuestMemory.ofSize(4 * 1024 * 1024);
    const b = new PageTableBuilder(mem, 'long4', ARENA);
    b.map(0x40_0000n, 0x30_0000n, { flags: P });
    const w = writeVirtual(0x40_0000n, new Uint8Array([1]), b.cpu(), mem);
    assert.equal(!w.ok && w.fault?.kind, 'protection');
    assert.equal(readVirtual(0x40_0000n, 1, b.cpu(), mem).ok, true);
    const user = readVirtual(0x40_0000n, 1, b.cpu(), mem, { user: true });
    assert.equal(!user.ok && user.fault?.kind, 'protection');
  });

  it('wraps at 4 GiB outside long mode', () => {
    const mem = GuestMemory.ofSize(4 * 1024 * 1024);
    const b = new PageTableBuilder(mem, 'legacy32', ARENA);
    b.map(0xffff_f000n, 0x30_0000n, { flags: P | RW });
    b.map(0x0n, 0x20_0000n, { flags: P | RW });
    mem.write(0x30_0ffe, new Uint8Array([1, 2]));
    mem.write(0x20_0000, new Uint8Array([3, 4]));
    const r = readVirtual(0xffff_fffen, 4, b.cpu(), mem);
    assert.ok(r.ok);
    assert.deepEqual(r.bytes, new Uint8Array([1, 2, 3, 4]));
  });

  it('reads physical memory directly with paging off and reports unbacked memory', () => {
    const mem = GuestMemory.ofSize(0x10000);
    mem.write(0xfff0, pattern(16, 3));
    const cpu = { cr0: 1n, cr3: 0n, cr4: 0n, efer: 0n };
    const r = readVirtual(0xfff0n, 16, cpu, mem);
    assert.ok(r.ok);
    assert.deepEqual(r.bytes, pattern(16, 3));
    const past = readVirtual(0xfff8n, 16, cpu, mem);
    assert.equal(past.ok, false);
    assert.equal(!past.ok && past.gva, 0x10000n);
    assert.match(!past.ok ? past.reason : '', /not backed/);
  });

  it('treats a zero-length access as success', () => {
    const mem = GuestMemory.ofSize(0x1000);
    const cpu = { cr0: 1n << 31n, cr3: 0x100000n, cr4: 0n, efer: 0n };
    const r = readVirtual(0x5000n, 0, cpu, mem);
    assert.ok(r.ok);
    assert.equal(r.bytes.length, 0);
  });
});
