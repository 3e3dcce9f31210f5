// BAR0 of the SVGA II: the index, value, BIOS and IRQ-status ports as one bus device.
import type { AccessContext, BusDevice } from '../../vmm/bus/busDevice';
import { PORT_BIOS, PORT_INDEX, PORT_IRQSTATUS, PORT_VALUE } from './svgaConstants';

export interface SvgaPortHost {
  readRegister(index: number): number;
  writeRegister(index: number, value: number): void;
  irqStatus(): number;
  clearIrqStatus(bits: number): void;
}

/** Undecoded BAR0 bytes read as all ones, like an empty bus. */
const FLOATING_BUS = 0xff;

export class SvgaIoPorts implements BusDevice {
  /** The register selected by the last index-port write. */
  index = 0;

  constructor(readonly label: string, private readonly host: SvgaPortHost) {}

  read(offset: number, data: Uint8Array, _ctx: AccessContext): void {
    let value: number;
    switch (offset) {
      case PORT_INDEX: value = this.index; break;
      case PORT_VALUE: value = this.host.readRegister(this.index); break;
      // The BIOS port has no defined function for this device; it reads as zero.
      case PORT_BIOS: value = 0; break;
      case PORT_IRQSTATUS: value = this.host.irqStatus(); break;
      default: data.fill(FLOATING_BUS); return;
    }
    for (let i = 0; i < data.length && i < 4; i++) data[i] = (value >>> (8 * i)) & 0xff;
  }

  write(offset: number, data: Uint8Array, _ctx: AccessContext): void {
    let value = 0;
    for (let i = 0; i < data.length && i < 4; i++) value |= data[i] << (8 * i);
    value >>>= 0;
    switch (offset) {
      case PORT_INDEX: this.index = value; break;
      case PORT_VALUE: this.host.writeRegister(this.index, value); break;
      case PORT_IRQSTATUS: this.host.clearIrqStatus(value); break;
      default: break;
    }
  }
}
