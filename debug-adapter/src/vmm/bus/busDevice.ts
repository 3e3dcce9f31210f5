// The one device shape shared by the port-I/O bus and the MMIO bus: devices see offsets, never absolute addresses.
import type { Regs } from '../cpu/registers';

/** Register access for the vCPU that made the access (lazy; writes are applied before the guest resumes). */
export interface RegisterAccess {
  get(): Readonly<Regs>;
  set(patch: Partial<Regs>): void;
}

export interface AccessContext {
  /** Index of the vCPU that performed the access. */
  readonly vcpuId: number;
  /** The absolute port or physical address, for traces only; devices decode `offset`. */
  readonly address: number;
  readonly regs: RegisterAccess;
}

export interface BusDevice {
  /** Short name used in traces and error messages ("uart16550@0x3f8"). */
  readonly label: string;
  /** Fill `data` (arrives zeroed; its length is the access size). */
  read(offset: number, data: Uint8Array, ctx: AccessContext): void;
  write(offset: number, data: Uint8Array, ctx: AccessContext): void;
}

export type BusKind = 'pio' | 'mmio';

export interface BusAccessEvent {
  bus: BusKind;
  address: number;
  size: number;
  isWrite: boolean;
  value: Uint8Array;
  device?: string;
}

/** An interrupt line into the interrupt controller (KVM_IRQ_LINE in a VM, a recorder in tests). */
export interface IrqLine {
  set(level: boolean): void;
}

/** Where a device's byte output goes (stdout, a file, the Debug Console, a test buffer). */
export interface ByteSink {
  write(bytes: Uint8Array): void;
}

/** A register context for unit tests and for accesses that carry no vCPU state. */
export function fakeRegisterAccess(initial: Partial<Regs> = {}): RegisterAccess & { current: Regs } {
  const current: Regs = {
    rax: 0n, rbx: 0n, rcx: 0n, rdx: 0n, rsi: 0n, rdi: 0n, rsp: 0n, rbp: 0n,
    r8: 0n, r9: 0n, r10: 0n, r11: 0n, r12: 0n, r13: 0n, r14: 0n, r15: 0n,
    rip: 0n, rflags: 2n, ...initial,
  };
  return {
    current,
    get: () => current,
    set: (patch) => { Object.assign(current, patch); },
  };
}
