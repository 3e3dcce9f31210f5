// An address-range dispatcher for port I/O or MMIO exits: owns range ownership, overlap checks and unhandled-access accounting.
import type { AccessContext, BusAccessEvent, BusDevice, BusKind } from './busDevice';
import { hex } from '../../common/hex';

/** One past the highest address of each bus: 16-bit port space; 52-bit physical addresses (x86-64 architectural maximum). */
const ADDRESS_LIMIT: Record<BusKind, number> = { pio: 0x10000, mmio: 2 ** 52 };
/** What an empty data bus reads as on a PC (pull-ups on every data line). */
const FLOATING_BUS_BYTE = 0xff;

/** The widest single access a vCPU makes (a 64-bit MMIO access). */
const MAX_ACCESS_BYTES = 8;

export type BusErrorReason = 'zeroLength' | 'overflow' | 'badBase' | 'overlap';

export class BusError extends Error {
  constructor(readonly reason: BusErrorReason, message: string) {
    super(message);
    this.name = 'BusError';
  }
}

export interface BusRange {
  readonly base: number;
  readonly length: number;
  readonly device: BusDevice;
}

export interface UnhandledEntry {
  readonly address: number;
  readonly count: number;
}

export type UnhandledHandler = (e: BusAccessEvent, first: boolean) => void;

export { hex };

function describe(label: string, base: number, length: number): string {
  return `${label} [${hex(base)}..${hex(base + length - 1)}]`;
}

export class Bus {
  /** Parallel arrays sorted by base: plain number arrays keep lookups allocation-free. */
  private readonly bases: number[] = [];
  private readonly ends: number[] = [];
  private readonly devices: BusDevice[] = [];
  /** Where an access starting in the range may end: the range end, or further for start-decoded ports. */
  private readonly accessEnds: number[] = [];
  /** Index of the last range hit; guests hammer one port (a UART, a FIFO) in loops, so this usually answers. */
  private lastHit = -1;
  private readonly unhandled = new Map<number, number>();
  private unhandledTotal = 0;

  /** Tracer for every handled access (inspector views, tests). Left unset on the hot path it costs one branch. */
  onAccess?: (e: BusAccessEvent) => void;

  constructor(readonly kind: BusKind, private readonly onUnhandled?: UnhandledHandler) {}

  /**
   * `decodeByStart`: the device decodes an access by its first address whatever its width, as a one-port device
   * such as the VMware backdoor (a 32-bit IN at 0x5658, next to the 0x5659 port) does on real hardware.
   */
  insert(device: BusDevice, base: number, length: number, opts: { decodeByStart?: boolean } = {}): void {
    const limit = ADDRESS_LIMIT[this.kind];
    const what = `${this.kind} bus: cannot insert ${device.label}`;
    if (!Number.isInteger(length) || length < 1) {
      throw new BusError('zeroLength', `${what} at ${hex(base)}: length is ${length}, expected a positive integer`);
    }
    if (!Number.isInteger(base) || base < 0 || base >= limit) {
      throw new BusError('badBase', `${what}: base ${base} is not an address in [0, ${hex(limit - 1)}]`);
    }
    if (base + length > limit) {
      throw new BusError('overflow', `${what}: ${describe(device.label, base, length)} runs past the end of the bus (${hex(limit - 1)})`);
    }
    const at = this.upperBound(base); // first range with a base above ours
    const clash = [at - 1, at].find((i) => i >= 0 && i < this.bases.length
      && this.bases[i] < base + length && base < this.ends[i]);
    if (clash !== undefined) {
      const other = describe(this.devices[clash].label, this.bases[clash], this.ends[clash] - this.bases[clash]);
      throw new BusError('overlap', `${this.kind} bus: ${describe(device.label, base, length)} overlaps ${other}`);
    }
    this.bases.splice(at, 0, base);
    this.ends.splice(at, 0, base + length);
    this.accessEnds.splice(at, 0, base + length + (opts.decodeByStart ? MAX_ACCESS_BYTES - 1 : 0));
    this.devices.splice(at, 0, device);
    this.lastHit = -1;
  }

  /** Removes the range that starts exactly at `base`; returns its device, or undefined if none starts there. */
  remove(base: number): BusDevice | undefined {
    const i = this.upperBound(base) - 1;
    if (i < 0 || this.bases[i] !== base) return undefined;
    const [device] = this.devices.splice(i, 1);
    this.bases.splice(i, 1);
    this.ends.splice(i, 1);
    this.accessEnds.splice(i, 1);
    this.lastHit = -1;
    return device;
  }

  /** Dispatches a read; returns false (and fills 0xFF) when no single range holds the whole access. */
  read(address: number, data: Uint8Array, ctx: AccessContext): boolean {
    const i = this.find(address);
    if (i >= 0 && address + data.length <= this.accessEnds[i]) {
      const device = this.devices[i];
      data.fill(0); // the device contract promises a zeroed buffer; exit buffers are reused
      device.read(address - this.bases[i], data, ctx);
      if (this.onAccess) this.onAccess(this.event(address, data, false, device.label));
      return true;
    }
    data.fill(FLOATING_BUS_BYTE);
    this.noteUnhandled(address, data, false, i);
    return false;
  }

  write(address: number, data: Uint8Array, ctx: AccessContext): boolean {
    const i = this.find(address);
    if (i >= 0 && address + data.length <= this.accessEnds[i]) {
      const device = this.devices[i];
      device.write(address - this.bases[i], data, ctx);
      if (this.onAccess) this.onAccess(this.event(address, data, true, device.label));
      return true;
    }
    this.noteUnhandled(address, data, true, i);
    return false;
  }

  /** The range containing `address`, if any. */
  lookup(address: number): BusRange | undefined {
    const i = this.find(address);
    return i < 0 ? undefined : this.rangeAt(i);
  }

  /** All ranges in address order, for a devices view. */
  ranges(): BusRange[] {
    return this.devices.map((_, i) => this.rangeAt(i));
  }

  /** Unhandled accesses so far: all of them, or those at one address. */
  unhandledCount(address?: number): number {
    return address === undefined ? this.unhandledTotal : (this.unhandled.get(address) ?? 0);
  }

  /** Unhandled accesses per address, in address order. */
  unhandledSummary(): UnhandledEntry[] {
    return [...this.unhandled].sort((a, b) => a[0] - b[0]).map(([address, count]) => ({ address, count }));
  }

  private rangeAt(i: number): BusRange {
    return { base: this.bases[i], length: this.ends[i] - this.bases[i], device: this.devices[i] };
  }

  /** Index of the range containing `address`, or -1. */
  private find(address: number): number {
    const last = this.lastHit;
    if (last >= 0 && address >= this.bases[last] && address < this.ends[last]) return last;
    const i = this.upperBound(address) - 1;
    if (i >= 0 && address < this.ends[i]) {
      this.lastHit = i;
      return i;
    }
    return -1;
  }

  /** Number of ranges whose base is <= address (binary search). */
  private upperBound(address: number): number {
    let lo = 0;
    let hi = this.bases.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.bases[mid] <= address) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private noteUnhandled(address: number, data: Uint8Array, isWrite: boolean, partialOwner: number): void {
    const seen = this.unhandled.get(address) ?? 0;
    this.unhandled.set(address, seen + 1);
    this.unhandledTotal++;
    if (this.onUnhandled) {
      const owner = partialOwner >= 0 ? this.devices[partialOwner].label : undefined;
      this.onUnhandled(this.event(address, data, isWrite, owner), seen === 0);
    }
  }

  private event(address: number, data: Uint8Array, isWrite: boolean, device: string | undefined): BusAccessEvent {
    const e: BusAccessEvent = { bus: this.kind, address, size: data.length, isWrite, value: data.slice() };
    if (device !== undefined) e.device = device;
    return e;
  }
}
