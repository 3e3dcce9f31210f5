// RegisterAccess over kvm_run's sync_regs copy: decoded lazily once per exit, writes flagged dirty for the next KVM_RUN.
import { decodeRegs, encodeRegs, decodeSregs } from '../../../../native/src/kvm/codec';
import { KVM_SYNC_X86 } from '../../../../native/src/kvm/constants';
import { RUN } from '../../../../native/src/kvm/kvmRun';
import type { RegisterAccess } from '../bus/busDevice';
import type { Regs, Sregs } from '../cpu/registers';

export class SyncRegs implements RegisterAccess {
  private cached: Regs | undefined;
  private cachedSregs: Sregs | undefined;

  constructor(private readonly run: Buffer) {
    // Ask KVM to copy registers and system registers out on every exit (same cost as regs alone here).
    run.writeBigUInt64LE(BigInt(KVM_SYNC_X86.REGS | KVM_SYNC_X86.SREGS), RUN.validRegs);
  }

  /** Called after every exit: the copy in kvm_run is new. */
  invalidate(): void {
    this.cached = undefined;
    this.cachedSregs = undefined;
  }

  get(): Readonly<Regs> {
    return (this.cached ??= decodeRegs(this.run, RUN.syncRegs));
  }

  sregs(): Readonly<Sregs> {
    return (this.cachedSregs ??= decodeSregs(this.run, RUN.syncSregs));
  }

  set(patch: Partial<Regs>): void {
    encodeRegs(this.run, patch, RUN.syncRegs);
    if (this.cached) Object.assign(this.cached, patch);
    const dirty = this.run.readBigUInt64LE(RUN.dirtyRegs) | BigInt(KVM_SYNC_X86.REGS);
    this.run.writeBigUInt64LE(dirty, RUN.dirtyRegs);
  }
}
