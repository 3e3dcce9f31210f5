// Keeps RAM-backed PCI BARs (SVGA VRAM and FIFO) mapped as KVM memslots wherever the guest programs them.
import type { BarMapping, ConfigWriteEffect } from '../../devices/pci/pciFunction';
import type { GuestMemory } from '../memory/guestMemory';

/** The one VM call this needs, so tests can record it without KVM. */
export interface MemslotApi {
  setUserMemoryRegion(slot: number, flags: number, gpa: number, size: number, hostAddress: number): void;
}

/** Host memory behind one RAM-backed BAR, and the memslot it occupies while mapped. */
export interface RamBarBacking {
  /** The BarSpec backing label ('svga-vram', 'svga-fifo'). */
  label: string;
  slot: number;
  /** KVM_MEM_* flags, e.g. dirty logging for VRAM. */
  flags: number;
  bytes: Uint8Array;
  hostAddress: number;
  /** Told the new guest-physical base, or undefined when the BAR stops decoding. */
  onMove?: (gpa: number | undefined) => void;
}

export class RamBarSlots {
  private readonly backings = new Map<string, RamBarBacking>();
  private readonly mapped = new Map<string, number>();

  constructor(
    private readonly vm: MemslotApi,
    private readonly memory: GuestMemory,
    private readonly warn: (text: string) => void,
  ) {}

  add(backing: RamBarBacking): void {
    if ([...this.backings.values()].some((b) => b.slot === backing.slot)) {
      throw new RangeError(`memslot ${backing.slot} for ${backing.label} is already used by another BAR`);
    }
    this.backings.set(backing.label, backing);
  }

  /** Where a backing is mapped now, if anywhere. */
  where(label: string): number | undefined { return this.mapped.get(label); }

  /** The memslot number and flags of a backing (for the dirty log). */
  backing(label: string): RamBarBacking | undefined { return this.backings.get(label); }

  /** Applies the RAM-backed part of a PCI mapping change: unmaps first, so a moved BAR never overlaps itself. */
  apply(effect: ConfigWriteEffect): void {
    for (const u of effect.unmap) if (u.backing.kind === 'ram') this.unmap(u.backing.label);
    for (const m of effect.map) if (m.backing.kind === 'ram') this.map(m.backing.label, m);
  }

  private unmap(label: string): void {
    const b = this.backings.get(label);
    const gpa = this.mapped.get(label);
    if (!b || gpa === undefined) return;
    // KVM deletes a slot when it is set again with memory_size 0.
    this.vm.setUserMemoryRegion(b.slot, b.flags, gpa, 0, b.hostAddress);
    this.memory.removeRegion(label);
    this.mapped.delete(label);
    b.onMove?.(undefined);
  }

  private map(label: string, m: BarMapping): void {
    const b = this.backings.get(label);
    if (!b) {
      this.warn(`PCI BAR ${m.bar} is backed by '${label}', which this machine does not provide; it stays unmapped`);
      return;
    }
    if (this.mapped.has(label)) this.unmap(label);
    // The BAR may be larger than the host memory only if a device declared it so; map what exists.
    const length = Math.min(m.length, b.bytes.length);
    try {
      this.memory.addRegion({ gpa: m.base, bytes: b.bytes.subarray(0, length), label });
    } catch (e) {
      this.warn(`PCI BAR ${m.bar} (${label}) at 0x${m.base.toString(16)} not mapped: ${e instanceof Error ? e.message : e}`);
      return;
    }
    try {
      this.vm.setUserMemoryRegion(b.slot, b.flags, m.base, length, b.hostAddress);
    } catch (e) {
      this.memory.removeRegion(label);
      this.warn(`PCI BAR ${m.bar} (${label}) at 0x${m.base.toString(16)} not mapped: ${e instanceof Error ? e.message : e}`);
      return;
    }
    this.mapped.set(label, m.base);
    b.onMove?.(m.base);
  }
}
