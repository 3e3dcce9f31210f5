// RAM-backed BARs as memslots: mapped where assigned, moved by delete-then-add, unmapped when decoding stops.
import assert from 'node:assert/strict';
import type { BarMapping, ConfigWriteEffect } from '../../../debug-adapter/src/devices/pci/pciFunction';
import { GuestMemory } from '../../../debug-adapter/src/vmm/memory/guestMemory';
import { RamBarSlots, type MemslotApi } from '../../../debug-adapter/src/vmm/display/ramBars';

const LOG_DIRTY = 1;
type Call = [slot: number, flags: number, gpa: number, size: number, host: number];

class RecordingVm implements MemslotApi {
  readonly calls: Call[] = [];
  refuse: ((gpa: number, size: number) => boolean) | undefined;
  setUserMemoryRegion(slot: number, flags: number, gpa: number, size: number, hostAddress: number): void {
    if (this.refuse?.(gpa, size)) throw new Error('KVM_SET_USER_MEMORY_REGION failed: EEXIST');
    this.calls.push([slot, flags, gpa, size, hostAddress]);
  }
}

const ram = (label: string, bar: number, base: number, length: number): BarMapping =>
  ({ bar, bus: 'mmio', base, length, backing: { kind: 'ram', label } });
const effect = (unmap: BarMapping[], map: BarMapping[]): ConfigWriteEffect => ({ unmap, map });

function setUp() {
  const vm = new RecordingVm();
  const memory = GuestMemory.ofSize(1 << 20);
  const warnings: string[] = [];
  const moves: (number | undefined)[] = [];
  const slots = new RamBarSlots(vm, memory, (t) => warnings.push(t));
  const vram = new Uint8Array(0x10000);
  slots.add({ label: 'svga-vram', slot: 1, flags: LOG_DIRTY, bytes: vram, hostAddress: 0x7f0000000000, onMove: (g) => moves.push(g) });
  return { vm, memory, warnings, moves, slots, vram };
}

describe('RAM-backed BAR memslots', () => {
  it('maps a BAR as a memslot with its flags and makes it visible in guest memory', () => {
    const { vm, memory, slots, moves, vram } = setUp();
    slots.apply(effect([], [ram('svga-vram', 1, 0xe0000000, 0x10000)]));
    assert.deepEqual(vm.calls, [[1, LOG_DIRTY, 0xe0000000, 0x10000, 0x7f0000000000]]);
    assert.equal(slots.where('svga-vram'), 0xe0000000);
    assert.deepEqual(moves, [0xe0000000]);
    memory.writeU32(0xe0000010, 0xdeadbeef);
    assert.equal(new DataView(vram.buffer).getUint32(0x10, true), 0xdeadbeef);
  });

  it('moves a BAR by deleting the slot (size 0) before adding it at the new base', () => {
    const { vm, memory, slots, moves } = setUp();
    slots.apply(effect([], [ram('svga-vram', 1, 0xe0000000, 0x10000)]));
    slots.apply(effect([ram('svga-vram', 1, 0xe0000000, 0x10000)], [ram('svga-vram', 1, 0xd0000000, 0x10000)]));
    assert.deepEqual(vm.calls.slice(1), [[1, LOG_DIRTY, 0xe0000000, 0, 0x7f0000000000], [1, LOG_DIRTY, 0xd0000000, 0x10000, 0x7f0000000000]]);
    assert.equal(slots.where('svga-vram'), 0xd0000000);
    assert.equal(memory.contains(0xe0000000), false);
    assert.equal(memory.contains(0xd0000000, 0x10000), true);
    assert.deepEqual(moves, [0xe0000000, undefined, 0xd0000000]);
  });

  it('a map without the unmap first (a direct BAR rewrite) still never leaves two slots', () => {
    const { vm, slots } = setUp();
    slots.apply(effect([], [ram('svga-vram', 1, 0xe0000000, 0x10000)]));
    slots.apply(effect([], [ram('svga-vram', 1, 0xe8000000, 0x10000)]));
    assert.deepEqual(vm.calls.map((c) => [c[2], c[3]]), [[0xe0000000, 0x10000], [0xe0000000, 0], [0xe8000000, 0x10000]]);
  });

  it('unmaps when decoding stops; device-backed mappings are left to the buses', () => {
    const { vm, slots, memory } = setUp();
    slots.apply(effect([], [ram('svga-vram', 1, 0xe0000000, 0x10000)]));
    const io: BarMapping = { bar: 0, bus: 'pio', base: 0xc000, length: 16, backing: { kind: 'device', device: { label: 'x', read: () => undefined, write: () => undefined } } };
    slots.apply(effect([ram('svga-vram', 1, 0xe0000000, 0x10000), io], []));
    assert.equal(vm.calls.length, 2);
    assert.equal(slots.where('svga-vram'), undefined);
    assert.equal(memory.list().some((r) => r.label === 'svga-vram'), false);
    slots.apply(effect([ram('svga-vram', 1, 0xe0000000, 0x10000)], []));
    assert.equal(vm.calls.length, 2, 'unmapping twice does nothing');
  });

  it('warns instead of failing for unknown backings, BARs over RAM and slots KVM refuses', () => {
    const { vm, slots, warnings } = setUp();
    slots.apply(effect([], [ram('nothing', 3, 0xe0000000, 0x1000)]));
    slots.apply(effect([], [ram('svga-vram', 1, 0x80000, 0x10000)]));
    assert.equal(vm.calls.length, 0, 'a BAR over guest RAM is not mapped');
    vm.refuse = () => true;
    slots.apply(effect([], [ram('svga-vram', 1, 0xe0000000, 0x10000)]));
    assert.equal(slots.where('svga-vram'), undefined);
    assert.equal(warnings.length, 3);
    assert.match(warnings[0], /BAR 3 is backed by 'nothing'/);
    assert.match(warnings[1], /BAR 1 \(svga-vram\) at 0x80000 not mapped: .*overlaps ram/);
    assert.match(warnings[2], /EEXIST/);
  });

  it('refuses two backings on one slot number', () => {
    const { slots } = setUp();
    assert.throws(() => slots.add({ label: 'svga-fifo', slot: 1, flags: 0, bytes: new Uint8Array(16), hostAddress: 0 }), /memslot 1/);
  });
});
