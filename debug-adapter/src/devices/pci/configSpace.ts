// The configuration space of one PCI function: the type-0 header emulated from its identity and BARs, the rest delegated to it.
import type { BarMapping, BarSpec, ConfigWriteEffect, PciFunction } from './pciFunction';
import * as P from './pciRegisters';

/** A configuration access of 1, 2 or 4 bytes. */
export type ConfigAccessSize = 1 | 2 | 4;

const BYTE_MASK = 0xff;

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

function validateBar(label: string, bar: BarSpec, seen: Set<number>): void {
  const what = `PCI function ${label}: BAR${bar.index}`;
  if (!Number.isInteger(bar.index) || bar.index < 0 || bar.index >= P.BAR_COUNT) {
    throw new RangeError(`PCI function ${label}: BAR index ${bar.index} is invalid, expected 0..${P.BAR_COUNT - 1}`);
  }
  if (seen.has(bar.index)) throw new RangeError(`${what} is declared twice, expected one BarSpec per index`);
  seen.add(bar.index);
  const min = bar.kind === 'io' ? P.BAR_MIN_IO_SIZE : P.BAR_MIN_MEM_SIZE;
  const limit = bar.kind === 'io' ? P.IO_SPACE_LIMIT : P.MEM32_SPACE_LIMIT / 2;
  if (!isPowerOfTwo(bar.size) || bar.size < min || bar.size > limit) {
    throw new RangeError(`${what} size is ${bar.size}, expected a power of two from ${min} to ${limit}`);
  }
}

export class PciConfigSpace {
  /** The header as the guest reads it, and per byte which bits a write may change. */
  private readonly header = new Uint8Array(P.HEADER_SIZE);
  private readonly writable = new Uint8Array(P.HEADER_SIZE);
  private readonly barByIndex: (BarSpec | undefined)[] = new Array(P.BAR_COUNT).fill(undefined);
  private readonly mapped: (BarMapping | undefined)[] = new Array(P.BAR_COUNT).fill(undefined);

  constructor(readonly fn: PciFunction) {
    const seen = new Set<number>();
    for (const bar of fn.bars) {
      validateBar(fn.label, bar, seen);
      this.barByIndex[bar.index] = bar;
    }
    const id = fn.identity;
    this.put(P.CFG_VENDOR_ID, 2, id.vendorId);
    this.put(P.CFG_DEVICE_ID, 2, id.deviceId);
    this.put(P.CFG_REVISION, 1, id.revision);
    this.put(P.CFG_CLASS_CODE, 3, id.classCode);
    this.put(P.CFG_HEADER_TYPE, 1, P.HEADER_TYPE_NORMAL);
    this.put(P.CFG_SUBSYSTEM_VENDOR_ID, 2, id.subsystemVendorId);
    this.put(P.CFG_SUBSYSTEM_ID, 2, id.subsystemId);
    this.put(P.CFG_INTERRUPT_LINE, 1, id.interruptLine);
    this.put(P.CFG_INTERRUPT_PIN, 1, id.interruptPin);
    this.allow(P.CFG_COMMAND, 2, P.COMMAND_WRITABLE);
    this.allow(P.CFG_CACHE_LINE_SIZE, 1, BYTE_MASK);
    this.allow(P.CFG_LATENCY_TIMER, 1, BYTE_MASK);
    this.allow(P.CFG_INTERRUPT_LINE, 1, BYTE_MASK);
    for (const bar of fn.bars) {
      const at = P.CFG_BAR0 + 4 * bar.index;
      this.put(at, 4, this.typeBits(bar));
      // Address bits below the size are hardwired to 0: that is what makes the all-ones sizing probe work.
      this.allow(at, 4, (this.addressMask(bar) & ~(bar.size - 1)) >>> 0);
    }
  }

  get label(): string {
    return this.fn.label;
  }

  get command(): number {
    return this.get(P.CFG_COMMAND, 2);
  }

  /** The address programmed into a BAR (type bits removed), or undefined for an unimplemented BAR. */
  barAddress(index: number): number | undefined {
    const bar = this.barByIndex[index];
    return bar && (this.get(P.CFG_BAR0 + 4 * index, 4) & this.addressMask(bar)) >>> 0;
  }

  /** BARs currently decoded, in index order. */
  currentMappings(): BarMapping[] {
    return this.mapped.filter((m): m is BarMapping => m !== undefined);
  }

  read(offset: number, size: ConfigAccessSize): number {
    this.checkAccess(offset, size);
    if (offset + size <= P.HEADER_SIZE) return this.get(offset, size);
    if (offset >= P.HEADER_SIZE) return this.readExtra(offset, size);
    let value = 0; // straddles the end of the header: assemble byte by byte
    for (let i = size - 1; i >= 0; i--) value = value * 256 + this.read(offset + i, 1);
    return value;
  }

  /** Applies a configuration write and reports which BAR mappings it removed and created. */
  write(offset: number, size: ConfigAccessSize, value: number): ConfigWriteEffect {
    this.checkAccess(offset, size);
    for (let i = 0; i < size; i++) {
      const at = offset + i;
      const byte = Math.floor(value / 256 ** i) & BYTE_MASK;
      if (at < P.HEADER_SIZE) {
        const mask = this.writable[at];
        this.header[at] = (this.header[at] & ~mask) | (byte & mask);
      }
    }
    if (offset + size > P.HEADER_SIZE) {
      const start = Math.max(offset, P.HEADER_SIZE);
      const skipped = start - offset;
      const width = offset + size - start;
      this.fn.configWriteExtra?.(start, width, Math.floor(value / 256 ** skipped) % 256 ** width);
    }
    return this.refreshMappings();
  }

  private readExtra(offset: number, size: ConfigAccessSize): number {
    const raw = this.fn.configReadExtra?.(offset, size) ?? 0;
    return (raw >>> 0) % 256 ** size;
  }

  private refreshMappings(): ConfigWriteEffect {
    const effect: ConfigWriteEffect = { unmap: [], map: [] };
    for (let index = 0; index < P.BAR_COUNT; index++) {
      const bar = this.barByIndex[index];
      if (!bar) continue;
      const before = this.mapped[index];
      const after = this.decodedMapping(bar);
      if (before?.base === after?.base) continue;
      if (before) effect.unmap.push(before);
      if (after) effect.map.push(after);
      this.mapped[index] = after;
    }
    return effect;
  }

  /** Where the BAR decodes now: only with its space enabled and an address that is neither unset nor the sizing probe. */
  private decodedMapping(bar: BarSpec): BarMapping | undefined {
    const isIo = bar.kind === 'io';
    if (!(this.command & (isIo ? P.COMMAND_IO_SPACE : P.COMMAND_MEMORY_SPACE))) return undefined;
    const base = this.barAddress(bar.index) ?? 0;
    const probe = (this.addressMask(bar) & ~(bar.size - 1)) >>> 0;
    const limit = isIo ? P.IO_SPACE_LIMIT : P.MEM32_SPACE_LIMIT;
    if (base === 0 || base === probe || base + bar.size > limit) return undefined;
    return { bar: bar.index, bus: isIo ? 'pio' : 'mmio', base, length: bar.size, backing: bar.backing };
  }

  private typeBits(bar: BarSpec): number {
    if (bar.kind === 'io') return P.BAR_IO_SPACE;
    return bar.prefetchable ? P.BAR_MEM_PREFETCHABLE : 0; // 32-bit memory type is 00 in bits 2:1
  }

  private addressMask(bar: BarSpec): number {
    return bar.kind === 'io' ? P.BAR_IO_ADDRESS_MASK : P.BAR_MEM_ADDRESS_MASK;
  }

  private checkAccess(offset: number, size: number): void {
    if (![1, 2, 4].includes(size) || !Number.isInteger(offset) || offset < 0 || offset + size > P.CONFIG_SPACE_SIZE) {
      throw new RangeError(`PCI config access of ${size} bytes at ${offset} is invalid, expected 1, 2 or 4 bytes inside 0..255`);
    }
  }

  private get(offset: number, size: number): number {
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = value * 256 + this.header[offset + i];
    return value;
  }

  private put(offset: number, size: number, value: number): void {
    for (let i = 0; i < size; i++) this.header[offset + i] = Math.floor(value / 256 ** i) & BYTE_MASK;
  }

  private allow(offset: number, size: number, mask: number): void {
    for (let i = 0; i < size; i++) this.writable[offset + i] = Math.floor(mask / 256 ** i) & BYTE_MASK;
  }
}
