// PCI configuration mechanism #1 on ports 0xCF8..0xCFF (with the reset control register at 0xCF9) for bus 0.
import type { AccessContext, BusDevice } from '../../vmm/bus/busDevice';
import { PCI_IO_BAR_BASE, PCI_MMIO_BAR_BASE } from '../../vmm/layout';
import { planBarAddresses } from './barAssignment';
import { PciConfigSpace, type ConfigAccessSize } from './configSpace';
import { createHostBridgeFunction } from './hostBridgeFunction';
import type { BarMapping, ConfigWriteEffect, PciFunction, PciIdentity } from './pciFunction';
import * as P from './pciRegisters';

export interface PciHostBridgeOptions {
  /** A write to the reset control register requested a reset. */
  onReset: () => void;
  /** BAR mappings changed (a BAR moved, or decoding was switched): the machine moves bus devices and memslots. */
  onMappingChange?: (effect: ConfigWriteEffect) => void;
  label?: string;
}

/** One registered function, for a devices view. */
export interface PciFunctionInfo {
  device: number;
  function: number;
  label: string;
  identity: PciIdentity;
  mappings: BarMapping[];
}

function isEmpty(effect: ConfigWriteEffect): boolean {
  return effect.unmap.length === 0 && effect.map.length === 0;
}

export class PciHostBridge implements BusDevice {
  readonly label: string;
  /** Bus 0, function 0 of each device slot (no multi-function devices). */
  private readonly slots: (PciConfigSpace | undefined)[] = new Array(P.DEVICES_PER_BUS).fill(undefined);
  private configAddress = 0;
  private resetControl = 0;

  constructor(private readonly options: PciHostBridgeOptions) {
    this.label = options.label ?? 'pci-host';
    this.slots[0] = new PciConfigSpace(createHostBridgeFunction());
  }

  /** Places a function at function 0 of the lowest free device slot on bus 0. */
  registerFunction(fn: PciFunction): { device: number } {
    const device = this.slots.indexOf(undefined);
    if (device < 0) {
      throw new RangeError(`PCI: no free slot for ${fn.label}: all ${P.DEVICES_PER_BUS} device slots on bus 0 are taken`);
    }
    this.slots[device] = new PciConfigSpace(fn);
    return { device };
  }

  read(offset: number, data: Uint8Array, _ctx?: AccessContext): void {
    const size = data.length;
    let value: number;
    if (offset === P.PORT_OFFSET_CONFIG_ADDRESS && size === 4) value = this.configAddress;
    else if (offset === P.PORT_OFFSET_RESET_CONTROL && size === 1) value = this.resetControl;
    else if (this.inDataWindow(offset, size)) value = this.readData(offset - P.PORT_OFFSET_CONFIG_DATA, size as ConfigAccessSize);
    else {
      data.fill(P.ABSENT_BYTE); // byte/word accesses to 0xCF8..0xCFB other than 0xCF9 are not decoded here
      return;
    }
    for (let i = 0; i < size; i++) data[i] = Math.floor(value / 256 ** i) & 0xff;
  }

  write(offset: number, data: Uint8Array, _ctx?: AccessContext): void {
    const size = data.length;
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = value * 256 + data[i];
    if (offset === P.PORT_OFFSET_CONFIG_ADDRESS && size === 4) {
      this.configAddress = (value & P.CONFIG_ADDRESS_WRITABLE) >>> 0;
    } else if (offset === P.PORT_OFFSET_RESET_CONTROL && size === 1) {
      this.writeResetControl(value);
    } else if (this.inDataWindow(offset, size)) {
      this.writeData(offset - P.PORT_OFFSET_CONFIG_DATA, size as ConfigAccessSize, value);
    }
  }

  /** Reads a configuration register of bus 0 directly (debug views, tests); absent functions read all-ones. */
  configRead(device: number, fn: number, offset: number, size: ConfigAccessSize): number {
    const space = this.functionAt(0, device, fn);
    return space ? space.read(offset, size) : 2 ** (8 * size) - 1;
  }

  /** Writes a configuration register of bus 0 directly; mapping changes also go to onMappingChange. */
  configWrite(device: number, fn: number, offset: number, size: ConfigAccessSize, value: number): ConfigWriteEffect {
    const space = this.functionAt(0, device, fn);
    if (!space) return { unmap: [], map: [] };
    const effect = space.write(offset, size, value);
    if (!isEmpty(effect)) this.options.onMappingChange?.(effect);
    return effect;
  }

  /**
   * Does what firmware would: gives every BAR a naturally aligned address from the I/O and memory windows and enables
   * decoding of the spaces each function uses. Returns every mapping change, unmaps first (also sent to onMappingChange).
   */
  assignDefaultBars(ioBase = PCI_IO_BAR_BASE, mmioBase = PCI_MMIO_BAR_BASE): ConfigWriteEffect {
    const all: ConfigWriteEffect = { unmap: [], map: [] };
    const collect = (e: ConfigWriteEffect): void => {
      all.unmap.push(...e.unmap);
      all.map.push(...e.map);
    };
    const present = this.slots.flatMap((space, device) => (space ? [{ device, bars: space.fn.bars }] : []));
    const plan = planBarAddresses(present.map((p) => ({ label: this.slots[p.device]!.label, bars: p.bars })), ioBase, mmioBase);
    const decode = P.COMMAND_IO_SPACE | P.COMMAND_MEMORY_SPACE;
    const commands = present.map(({ device }) => this.configRead(device, 0, P.CFG_COMMAND, 2));
    // Decoding goes off everywhere first, so moved BARs never overlap stale mappings while the machine applies effects.
    present.forEach(({ device, bars }, i) => {
      if (bars.length > 0 && commands[i] & decode) collect(this.configWrite(device, 0, P.CFG_COMMAND, 2, commands[i] & ~decode));
    });
    present.forEach(({ device, bars }, i) => {
      if (bars.length === 0) return;
      let enable = 0;
      for (const bar of bars) {
        collect(this.configWrite(device, 0, P.CFG_BAR0 + 4 * bar.index, 4, plan[i].get(bar.index)!));
        enable |= bar.kind === 'io' ? P.COMMAND_IO_SPACE : P.COMMAND_MEMORY_SPACE;
      }
      collect(this.configWrite(device, 0, P.CFG_COMMAND, 2, commands[i] | enable));
    });
    return all;
  }

  /** Registered functions with their decoded BARs, in slot order. */
  functions(): PciFunctionInfo[] {
    return this.slots.flatMap((space, device) => (space
      ? [{ device, function: 0, label: space.label, identity: space.fn.identity, mappings: space.currentMappings() }]
      : []));
  }

  /** The CONFIG_ADDRESS latch as the guest last wrote it. */
  get configAddressLatch(): number {
    return this.configAddress;
  }

  private inDataWindow(offset: number, size: number): boolean {
    return offset >= P.PORT_OFFSET_CONFIG_DATA && offset + size <= P.PORT_OFFSET_CONFIG_DATA + P.CONFIG_DATA_WIDTH
      && (size === 1 || size === 2 || size === 4);
  }

  /** The function CONFIG_ADDRESS selects, if the window is enabled and something answers there. */
  private selected(): PciConfigSpace | undefined {
    const a = this.configAddress;
    if (!(a & P.CONFIG_ADDRESS_ENABLE)) return undefined;
    return this.functionAt(
      (a >>> P.CONFIG_ADDRESS_BUS_SHIFT) & 0xff,
      (a >>> P.CONFIG_ADDRESS_DEVICE_SHIFT) & (P.DEVICES_PER_BUS - 1),
      (a >>> P.CONFIG_ADDRESS_FUNCTION_SHIFT) & (P.FUNCTIONS_PER_DEVICE - 1),
    );
  }

  private functionAt(bus: number, device: number, fn: number): PciConfigSpace | undefined {
    if (bus !== 0 || fn !== 0 || device < 0 || device >= P.DEVICES_PER_BUS) return undefined;
    return this.slots[device];
  }

  /** A data-port access reaches the selected dword's byte lanes: 0xCFC + k addresses byte k of the register. */
  private readData(lane: number, size: ConfigAccessSize): number {
    const space = this.selected();
    if (!space) return 2 ** (8 * size) - 1;
    return space.read((this.configAddress & P.CONFIG_ADDRESS_REGISTER_MASK) + lane, size);
  }

  private writeData(lane: number, size: ConfigAccessSize, value: number): void {
    const space = this.selected();
    if (!space) return;
    const effect = space.write((this.configAddress & P.CONFIG_ADDRESS_REGISTER_MASK) + lane, size, value);
    if (!isEmpty(effect)) this.options.onMappingChange?.(effect);
  }

  private writeResetControl(value: number): void {
    this.resetControl = value & P.RESET_CONTROL_STORED;
    // Bit 2 starts the reset; bit 1 picks a hard reset over a CPU-only one. Both restart the whole machine here.
    if (value & P.RESET_CONTROL_RESET_CPU) this.options.onReset();
  }
}
