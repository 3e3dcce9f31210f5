// RegisterAccess over kvm_run's sync_regs copy: registers read straight from the page, writes flagged dirty for the next KVM_RUN.
import { decodeSregs, encodeRegs, REG_OFFSET } from '../../../../native/src/kvm/codec';
import { KVM_SYNC_X86 } from '../../../../native/src/kvm/constants';
import { RUN } from '../../../../native/src/kvm/kvmRun';
import type { RegisterAccess } from '../bus/busDevice';
import type { Regs, Sregs } from '../cpu/registers';

const DIRTY_REGS = BigInt(KVM_SYNC_X86.REGS);

export class SyncRegs implements RegisterAccess {
  /**
   * A live view: each register is read from the kvm_run page when asked for. A device usually needs a handful of
   * registers per exit, so decoding all eighteen as BigInts every time would be most of its cost.
   */
  private readonly view: Regs;
  private cachedSregs: Sregs | undefined;

  constructor(private readonly run: Buffer) {
    // Ask KVM to copy registers and system registers out on every exit (same cost as regs alone here).
    run.writeBigUInt64LE(BigInt(KVM_SYNC_X86.REGS | KVM_SYNC_X86.SREGS), RUN.validRegs);
    const view = {} as Regs;
    for (const [name, offset] of Object.entries(REG_OFFSET)) {
      const at = RUN.syncRegs + offset;
      // Own enumerable accessors, so `{ ...view }` takes a snapshot of the values.
      Object.defineProperty(view, name, { enumerable: true, get: () => run.readBigUInt64LE(at) });
    }
    this.view = view;
  }

  /** Called after every exit: the copy in kvm_run is new. */
  invalidate(): void {
    this.cachedSregs = undefined;
  }

  /** Live registers of the last exit (a later `set` shows through); spread it for a snapshot. */
  get(): Readonly<Regs> {
    return this.view;
  }

  sregs(): Readonly<Sregs> {
    return (this.cachedSregs ??= decodeSregs(this.run, RUN.syncSregs));
  }

  set(patch: Partial<Regs>): void {
    encodeRegs(this.run, patch, RUN.syncRegs);
    this.run.writeBigUInt64LE(this.run.readBigUInt64LE(RUN.dirtyRegs) | DIRTY_REGS, RUN.dirtyRegs);
  }
}
