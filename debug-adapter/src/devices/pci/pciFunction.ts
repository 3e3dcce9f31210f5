// The contract between a PCI function (a device such as SVGA II) and the PCI host bridge that exposes it.
import type { BusDevice, BusKind } from '../../vmm/bus/busDevice';

/** One base address register as the device declares it. Sizes are powers of two. */
export interface BarSpec {
  index: number;
  kind: 'io' | 'mem32';
  size: number;
  prefetchable?: boolean;
  /**
   * How the BAR is backed when mapped: a bus device (trapped accesses), or RAM the VMM maps as a
   * memslot (framebuffer, FIFO) identified by a region label known to the machine.
   */
  backing: { kind: 'device'; device: BusDevice } | { kind: 'ram'; label: string };
}

/** What a configuration write changed, for the machine to apply (move a BAR's device or memslot). */
export interface BarMapping {
  bar: number;
  bus: BusKind;
  base: number;
  length: number;
  backing: BarSpec['backing'];
}

export interface ConfigWriteEffect {
  unmap: BarMapping[];
  map: BarMapping[];
}

export interface PciIdentity {
  vendorId: number;
  deviceId: number;
  revision: number;
  /** class code, subclass and programming interface as one 24-bit value (0x030000 for VGA). */
  classCode: number;
  subsystemVendorId: number;
  subsystemId: number;
  /** Legacy interrupt pin (1 = INTA#, 0 = none) and the line number firmware would have assigned. */
  interruptPin: number;
  interruptLine: number;
}

/** A PCI function registered on the host bridge; config space decoding of the standard header is the bridge's job. */
export interface PciFunction {
  readonly label: string;
  readonly identity: PciIdentity;
  readonly bars: readonly BarSpec[];
  /** Device-specific config registers (offset >= 0x40), optional. */
  configReadExtra?(offset: number, size: number): number;
  configWriteExtra?(offset: number, size: number, value: number): void;
}
