// Turns KVM_EXIT_IO and KVM_EXIT_MMIO into bus accesses; allocation-free for the common single-item case.
import { KVM_EXIT_IO_OUT } from '../../../../native/src/kvm/constants';
import { RUN } from '../../../../native/src/kvm/kvmRun';
import type { Bus } from '../bus/bus';
import type { AccessContext } from '../bus/busDevice';
import type { Vcpu } from '../../../../native/src/kvm/kvm';
import type { GuestMemory } from '../memory/guestMemory';
import { completeStringIo, type StringIoDevice } from './stringIo';
import type { SyncRegs } from './syncRegs';

/** Ports whose string I/O a device completes as a whole instruction (the VMware high-bandwidth port). */
export interface StringIoPorts {
  devices: ReadonlyMap<number, StringIoDevice>;
  vcpu: Vcpu;
  memory: GuestMemory;
}

/** Mutable context reused for every access of one vCPU (devices must not keep it). */
export class ExitContext implements AccessContext {
  address = 0;
  constructor(readonly vcpuId: number, readonly regs: SyncRegs) {}
}

export class IoExitHandler {
  /** Cached subarray views of the kvm_run page by (offset, size), so the hot path does not allocate. */
  private readonly views = new Map<number, Uint8Array>();

  constructor(
    private readonly run: Buffer, private readonly pio: Bus, private readonly mmio: Bus,
    private readonly strings?: StringIoPorts,
  ) {}

  private lastKey = -1;
  private lastView: Uint8Array = new Uint8Array(0);

  private view(offset: number, size: number): Uint8Array {
    const key = offset * 16 + size;
    // Guests hammer one port with one access size: a one-entry cache answers most exits without a map lookup.
    if (key === this.lastKey) return this.lastView;
    let v = this.views.get(key);
    if (!v) {
      v = new Uint8Array(this.run.buffer, this.run.byteOffset + offset, size);
      this.views.set(key, v);
    }
    this.lastKey = key;
    this.lastView = v;
    return v;
  }

  /** Returns true when KVM still has to complete the instruction on the next KVM_RUN. */
  handleIo(ctx: ExitContext): boolean {
    const run = this.run;
    const out = run[RUN.io.direction] === KVM_EXIT_IO_OUT;
    const size = run[RUN.io.size];
    const port = run.readUInt16LE(RUN.io.port);
    const strings = this.strings;
    if (strings !== undefined && strings.devices.size !== 0) {
      const device = strings.devices.get(port);
      const count = run.readUInt32LE(RUN.io.count);
      if (device && completeStringIo({ port, dir: out ? 'out' : 'in', count, size, regs: ctx.regs.get(), sregs: ctx.regs.sregs() },
        device, strings.vcpu, strings.memory)) {
        ctx.regs.invalidate();
        return false;
      }
    }
    const count = run.readUInt32LE(RUN.io.count);
    // data_offset is a u64 but always inside the mapped page.
    const base = run.readUInt32LE(RUN.io.dataOffset);
    ctx.address = port;
    for (let i = 0; i < count; i++) {
      const data = this.view(base + i * size, size);
      if (out) this.pio.write(port, data, ctx);
      else { data.fill(0); this.pio.read(port, data, ctx); }
    }
    return true;
  }

  handleMmio(ctx: ExitContext): void {
    const run = this.run;
    // Two 32-bit halves: a guest-physical address fits in a double, and this avoids a BigInt per exit.
    const gpa = run.readUInt32LE(RUN.mmio.physAddr) + run.readUInt32LE(RUN.mmio.physAddr + 4) * 0x1_0000_0000;
    const len = Math.min(8, run.readUInt32LE(RUN.mmio.len));
    const data = this.view(RUN.mmio.data, len);
    ctx.address = gpa;
    if (run[RUN.mmio.isWrite]) this.mmio.write(gpa, data, ctx);
    else { data.fill(0); this.mmio.read(gpa, data, ctx); }
  }
}
