// The host bridge at 00:00.0, identified as an Intel 440FX so guests recognise a plain PC chipset.
import type { PciFunction } from './pciFunction';

export const I440FX_VENDOR_ID = 0x8086;
export const I440FX_DEVICE_ID = 0x1237;
export const I440FX_REVISION = 0x02;
/** Bridge device, host bridge subclass. */
export const CLASS_HOST_BRIDGE = 0x060000;

export function createHostBridgeFunction(): PciFunction {
  return {
    label: 'host-bridge',
    identity: {
      vendorId: I440FX_VENDOR_ID,
      deviceId: I440FX_DEVICE_ID,
      revision: I440FX_REVISION,
      classCode: CLASS_HOST_BRIDGE,
      subsystemVendorId: 0,
      subsystemId: 0,
      interruptPin: 0,
      interruptLine: 0,
    },
    bars: [],
  };
}
