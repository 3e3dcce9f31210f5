// The Bochs/QEMU debug console port (0xE9): every byte written goes to a ByteSink; reads answer the detection value.
import type { AccessContext, BusDevice, ByteSink } from '../vmm/bus/busDevice';

/** What a read returns: guests probe for the console by checking that the port reads back its own number. */
export const DEBUGCON_READBACK = 0xe9;

export class Debugcon implements BusDevice {
  readonly label: string;
  private written = 0;

  constructor(private readonly sink: ByteSink, label = 'debugcon') {
    this.label = label;
  }

  read(_offset: number, data: Uint8Array, _ctx?: AccessContext): void {
    data.fill(DEBUGCON_READBACK);
  }

  write(_offset: number, data: Uint8Array, _ctx?: AccessContext): void {
    this.written += data.length;
    this.sink.write(data.slice()); // a copy: the caller reuses its exit buffer
  }

  /** Bytes written by the guest so far. */
  get writtenCount(): number {
    return this.written;
  }
}
