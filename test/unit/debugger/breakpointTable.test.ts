// Unit tests for the worker's breakpoint table: planting and restoring bytes, verification, hardware slot limits.
import assert from 'node:assert/strict';
import { BreakpointTable, INT3 } from '../../../debug-adapter/src/vmm/debugStub/breakpointTable';
import type { PagingRegisters } from '../../../debug-adapter/src/vmm/memory/pageWalker';
import { GuestMemory } from '../../../debug-adapter/src/vmm/memory/guestMemory';

const NO_PAGING: PagingRegisters = { cr0: 1n, cr3: 0n, cr4: 0n, efer: 0n };
const RAM = 0x10000;

function setup() {
  const mem = GuestMemory.ofSize(RAM);
  for (let i = 0; i < 0x100; i++) mem.writeU8(0x1000 + i, i);
  return { mem, table: new BreakpointTable(mem) };
}

describe('breakpoint table', () => {
  it('plants int3 and restores the original bytes', () => {
    const { mem, table } = setup();
    const status = table.set([{ id: 1, address: 0x1010n, mode: 'software' }, { id: 2, address: 0x1020n, mode: 'software' }], NO_PAGING);
    assert.deepEqual(status, [{ id: 1, verified: true }, { id: 2, verified: true }]);
    table.plant(table.softwareAddresses(), NO_PAGING);
    assert.equal(mem.readU8(0x1010), INT3);
    assert.equal(mem.readU8(0x1020), INT3);
    assert.ok(table.isPlanted(0x1010n));
    table.unplant(0x1010n);
    assert.equal(mem.readU8(0x1010), 0x10);
    table.unplantAll();
    assert.equal(mem.readU8(0x1020), 0x20);
    assert.equal(table.plantedCount, 0);
  });

  it('hides planted bytes from copies of memory, by linear or physical address', () => {
    const { mem, table } = setup();
    table.set([{ id: 1, address: 0x1010n, mode: 'software' }], NO_PAGING);
    table.plant([0x1010n], NO_PAGING);
    const copy = mem.read(0x1008, 16);
    assert.equal(copy[8], INT3);
    table.hideIn(copy, 0x1008n, false);
    assert.equal(copy[8], 0x10);
    const phys = mem.read(0x1010, 1);
    table.hideIn(phys, 0x1010n, true);
    assert.equal(phys[0], 0x10);
    const outside = mem.read(0x1000, 8);
    table.hideIn(outside, 0x1000n, false);
    assert.deepEqual([...outside], [0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps a byte the guest rewrote while the breakpoint was planted', () => {
    const { mem, table } = setup();
    table.set([{ id: 1, address: 0x1010n, mode: 'software' }], NO_PAGING);
    table.plant([0x1010n], NO_PAGING);
    mem.writeU8(0x1010, 0x90);
    table.unplantAll();
    assert.equal(mem.readU8(0x1010), 0x90);
  });

  it('plants again over code the guest wrote on top of an int3, keeping the new code as the original', () => {
    const { mem, table } = setup();
    table.set([{ id: 1, address: 0x1010n, mode: 'software' }, { id: 2, address: 0x1020n, mode: 'software' }], NO_PAGING);
    table.plant([0x1010n, 0x1020n], NO_PAGING);
    assert.deepEqual(table.replantOverwritten(), []);
    mem.writeU8(0x1010, 0x55);
    assert.deepEqual(table.replantOverwritten(), [0x1010n]);
    assert.equal(mem.readU8(0x1010), INT3);
    const copy = mem.read(0x1010, 1);
    table.hideIn(copy, 0x1010n, false);
    assert.equal(copy[0], 0x55);
    table.unplantAll();
    assert.equal(mem.readU8(0x1010), 0x55);
    assert.equal(mem.readU8(0x1020), 0x20);
  });

  it('never saves its own int3 when two breakpoints share a byte', () => {
    const { mem, table } = setup();
    table.set([{ id: 1, address: 0x1010n, mode: 'software' }, { id: 2, address: 0x1010n, mode: 'software', condition: 'rax' }], NO_PAGING);
    table.plant([0x1010n, 0x1010n], NO_PAGING);
    table.unplantAll();
    assert.equal(mem.readU8(0x1010), 0x10);
    assert.equal(table.at(0x1010n).length, 2);
  });

  it('refuses bad conditions and a fifth hardware slot', () => {
    const { table } = setup();
    const status = table.set([
      { id: 2, address: 0x1000n, mode: 'software', condition: '(rax' },
      { id: 3, address: 0x1000n, mode: 'software', hitCondition: 'sometimes' },
      ...[0, 1, 2, 3, 4].map((i) => ({ id: 10 + i, address: 0x1000n + BigInt(i), mode: 'hardware' as const })),
    ], NO_PAGING);
    assert.match(status[0].message ?? '', /expected '\)'|ends early/);
    assert.match(status[1].message ?? '', /hit condition 'sometimes'/);
    assert.deepEqual(status.slice(2).map((s) => s.verified), [true, true, true, true, false]);
    assert.deepEqual(table.debugSlots().map((s) => s.address), [0x1000n, 0x1001n, 0x1002n, 0x1003n]);
  });

  it('lets a debug register watch a software breakpoint whose address does not translate yet', () => {
    const { mem, table } = setup();
    const unmapped = BigInt(RAM + 0x1000);
    const status = table.set([
      { id: 1, address: unmapped, mode: 'software' },
      { id: 2, address: 0x1010n, mode: 'software' },
      { id: 3, address: 0x1000n, mode: 'hardware' },
    ], NO_PAGING);
    assert.equal(status[0].verified, true);
    assert.match(status[0].message ?? '', /not backed by guest RAM now: a debug register watches it/);
    table.plant(table.softwareAddresses(), NO_PAGING);
    assert.deepEqual(table.debugSlots().map((s) => s.address), [0x1000n, unmapped]);
    assert.ok(table.isWaiting(unmapped) && !table.isWaiting(0x1010n));
    assert.equal(mem.readU8(0x1010), INT3);
    assert.equal(table.plantedAtPhysical(0x1010), 0x1010n);
    assert.equal(table.plantedAtPhysical(0x1011), undefined);
    table.unplantAll();
    assert.deepEqual(table.debugSlots().map((s) => s.address), [0x1000n]);
    assert.equal(table.active, false);
  });

  it('refuses an untranslatable software breakpoint when every debug register is taken', () => {
    const { table } = setup();
    const status = table.set([
      ...[0, 1, 2, 3].map((i) => ({ id: 10 + i, address: 0x1000n + BigInt(i), mode: 'hardware' as const })),
      { id: 1, address: BigInt(RAM + 0x1000), mode: 'software' },
    ], NO_PAGING);
    assert.equal(status[4].verified, false);
    assert.match(status[4].message ?? '', /not backed by guest RAM now, and no debug register is free/);
  });

  it('gives data watches debug registers between hardware breakpoints and waiting ones, sharing equal watches', () => {
    const { table } = setup();
    const status = table.set([
      { id: 1, address: 0x1000n, mode: 'hardware' },
      { id: 2, address: 0x2000n, mode: 'data', length: 4, access: 'write' },
      { id: 3, address: 0x2000n, mode: 'data', length: 4, access: 'write', condition: 'rax' },
      { id: 4, address: 0x3000n, mode: 'data', length: 8, access: 'readWrite' },
      { id: 5, address: 0x4000n, mode: 'data', length: 2, access: 'write' },
      { id: 6, address: 0x5000n, mode: 'data', length: 1, access: 'write' },
      { id: 7, address: 0x2001n, mode: 'data', length: 4, access: 'write' },
    ], NO_PAGING);
    assert.deepEqual(status.map((s) => s.verified), [true, true, true, true, true, false, false]);
    assert.match(status[5].message ?? '', /all 4 debug registers .* are in use/);
    assert.match(status[6].message ?? '', /not aligned to 4 bytes/);
    assert.deepEqual(table.debugSlots().map((s) => [s.address, s.kind, s.length]),
      [[0x1000n, 'exec', 1], [0x2000n, 'write', 4], [0x3000n, 'readWrite', 8], [0x4000n, 'write', 2]]);
    assert.deepEqual(table.execAddresses(), [0x1000n]);
    assert.deepEqual(table.dataAt(1).map((a) => a.spec.id), [2, 3]);
    assert.deepEqual(table.dataAt(0), []);
    assert.deepEqual(table.softwareAddresses(), []);
  });

  it('keeps hit counts for breakpoints that stay across a new set', () => {
    const { table } = setup();
    table.set([{ id: 1, address: 0x1010n, mode: 'software' }], NO_PAGING);
    table.at(0x1010n)[0].hits = 4;
    table.set([{ id: 1, address: 0x1010n, mode: 'software' }, { id: 2, address: 0x1010n, mode: 'software' }], NO_PAGING);
    assert.deepEqual(table.at(0x1010n).map((a) => a.hits), [4, 0]);
  });
});
