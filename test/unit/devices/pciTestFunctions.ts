// PCI functions for host-bridge tests: a configurable one and an SVGA-like one with I/O, framebuffer and FIFO BARs.
import type { BarSpec, PciFunction } from '../../../debug-adapter/src/devices/pci/pciFunction';
import type { BusDevice } from '../../../debug-adapter/src/vmm/bus/busDevice';

export const nullDevice: BusDevice = { label: 'regs', read: () => undefined, write: () => undefined };

export function testFunction(label: string, bars: BarSpec[], extra?: Partial<PciFunction>): PciFunction {
  return {
    label,
    identity: {
      vendorId: 0x15ad, deviceId: 0x0405, revision: 0x01, classCode: 0x030000,
      subsystemVendorId: 0x15ad, subsystemId: 0x0406, interruptPin: 1, interruptLine: 11,
    },
    bars,
    ...extra,
  };
}

/** An SVGA-like function: I/O registers, a prefetchable framebuffer and a small FIFO. */
export function svgaLike(): PciFunction {
  return testFunction('svga', [
    { index: 0, kind: 'io', size: 0x10, backing: { kind: 'device', device: nullDevice } },
    { index: 1, kind: 'mem32', size: 16 * 1024 * 1024, prefetchable: true, backing: { kind: 'ram', label: 'vram' } },
    { index: 2, kind: 'mem32', size: 0x2000, backing: { kind: 'ram', label: 'fifo' } },
  ]);
}
