// System control port A (0x92, "fast A20 and reset"): bit 0 resets the machine, bit 1 gates address line 20.
import type { AccessContext, BusDevice } from '../vmm/bus/busDevice';

/** Writing 1 requests a fast reset; the bit reads back 0 because the reset has already happened. */
export const SYSCTL_A_RESET = 0x01;
export const SYSCTL_A_A20 = 0x02;

export interface SysctlPortOptions {
  onReset: () => void;
  /** Told about each change of the A20 gate (KVM guests always see A20 enabled; this is for traces and views). */
  onA20?: (enabled: boolean) => void;
  /** State after power-on; firmware normally leaves A20 enabled before it hands over to a kernel. */
  a20Enabled?: boolean;
  label?: string;
}

export class SysctlPort implements BusDevice {
  readonly label: string;
  private a20: boolean;

  constructor(private readonly options: SysctlPortOptions) {
    this.label = options.label ?? 'sysctl-a';
    this.a20 = options.a20Enabled ?? true;
  }

  read(_offset: number, data: Uint8Array, _ctx?: AccessContext): void {
    data.fill(0);
    data[0] = this.a20 ? SYSCTL_A_A20 : 0;
  }

  write(_offset: number, data: Uint8Array, _ctx?: AccessContext): void {
    const value = data[0];
    const a20 = (value & SYSCTL_A_A20) !== 0;
    if (a20 !== this.a20) {
      this.a20 = a20;
      this.options.onA20?.(a20);
    }
    if (value & SYSCTL_A_RESET) this.options.onReset();
  }

  get a20Enabled(): boolean {
    return this.a20;
  }
}
