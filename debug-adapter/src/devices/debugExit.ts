// QEMU's isa-debug-exit port: a guest write ends the VM with status (value << 1) | 1, so test guests report pass/fail.
import type { AccessContext, BusDevice } from '../vmm/bus/busDevice';

/**
 * Called with the exit status the guest requested. It is `value * 2 + 1` computed without 32-bit wrap-around (up to
 * 2^33 - 1); a process that uses it as its own exit code keeps the low 8 bits, as QEMU's exit() does.
 */
export type DebugExitHandler = (status: number) => void;

export class DebugExit implements BusDevice {
  readonly label: string;
  private lastStatus: number | undefined;

  constructor(private readonly onExit: DebugExitHandler, label = 'debug-exit') {
    this.label = label;
  }

  /** Reads return 0, as in QEMU; a guest can therefore not tell the port from a floating bus only by reading it. */
  read(_offset: number, data: Uint8Array, _ctx?: AccessContext): void {
    data.fill(0);
  }

  /** Any offset and any access size: the value is the little-endian data of the write, as QEMU ignores the offset. */
  write(_offset: number, data: Uint8Array, _ctx?: AccessContext): void {
    let value = 0;
    for (let i = data.length - 1; i >= 0; i--) value = value * 256 + data[i];
    this.lastStatus = value * 2 + 1;
    this.onExit(this.lastStatus);
  }

  /** The status of the last exit request, if any. */
  get requestedStatus(): number | undefined {
    return this.lastStatus;
  }
}
