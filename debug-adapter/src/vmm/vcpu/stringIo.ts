// Whole-instruction handling of string port I/O (REP INS/OUTS) for devices that move a guest buffer in one go.
import { RUN } from '../../../../native/src/kvm/kvmRun';
import type { Vcpu } from '../../../../native/src/kvm/kvm';
import { consumePending, KICK_SIGNAL } from '../../../../native/src/signals';
import type { Regs, Sregs } from '../cpu/registers';
import { cpuMode, modeBitness } from '../cpu/registers';
import type { GuestMemory } from '../memory/guestMemory';
import { readVirtual } from '../memory/virtualMemory';

/** A device's handler: given the registers at the start of the instruction, perform the transfer, return new registers. */
export type StringIoDevice = (dir: 'in' | 'out', regs: Readonly<Regs>, sregs: Readonly<Sregs>) => Partial<Regs>;

const PREFIXES = new Set([0x66, 0x67, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]);
const INSB = 0x6c;
const OUTSD = 0x6f;
const MAX_INSTRUCTION = 15;

/** Length of the INS/OUTS instruction at CS:RIP, or 0 when the instruction there is not string I/O. */
export function stringIoLength(code: Uint8Array, bits: 16 | 32 | 64): number {
  for (let i = 0; i < code.length && i < MAX_INSTRUCTION; i++) {
    const b = code[i];
    if (PREFIXES.has(b) || (bits === 64 && b >= 0x40 && b <= 0x4f)) continue;
    return b >= INSB && b <= OUTSD ? i + 1 : 0;
  }
  return 0;
}

export interface StringIoExit {
  port: number;
  dir: 'in' | 'out';
  /** Items and item size of the chunk KVM delivered with this exit. */
  count: number;
  size: number;
  regs: Readonly<Regs>;
  sregs: Readonly<Sregs>;
}

const RFLAGS_DF = 1n << 10n;

/**
 * For OUTS, KVM has already read the chunk from guest memory and advanced RSI and RCX past it when it exits;
 * for INS nothing has moved yet. The device must see the instruction's starting registers either way.
 */
export function registersAtInstructionStart(exit: Pick<StringIoExit, 'dir' | 'count' | 'size' | 'regs'>): Regs {
  const regs = { ...exit.regs };
  if (exit.dir === 'out') {
    const bytes = BigInt(exit.count * exit.size);
    regs.rsi = BigInt.asUintN(64, (regs.rflags & RFLAGS_DF) !== 0n ? regs.rsi + bytes : regs.rsi - bytes);
    regs.rcx = BigInt.asUintN(64, regs.rcx + BigInt(exit.count));
  }
  return regs;
}

/**
 * Takes over a string I/O exit: KVM delivers REP INS/OUTS a chunk at a time, but the VMware high-bandwidth port
 * moves the whole buffer per instruction. The chunk in flight is completed first (immediate_exit, so KVM's
 * emulator state is settled), then the device runs on the registers from the start of the instruction, and the
 * result is written with SET_REGS, RIP past the instruction. Returns false when the exit is not string I/O.
 */
export function completeStringIo(exit: StringIoExit, device: StringIoDevice, vcpu: Vcpu, memory: GuestMemory): boolean {
  const sregs = exit.sregs;
  const regs = registersAtInstructionStart(exit);
  const bits = modeBitness(cpuMode(sregs, regs.rflags));
  const linear = bits === 64 ? regs.rip : sregs.cs.base + (regs.rip & (bits === 16 ? 0xffffn : 0xffffffffn));
  const code = readVirtual(linear, MAX_INSTRUCTION, sregs, memory, { fetch: true });
  const length = code.ok ? stringIoLength(code.bytes, bits) : 0;
  if (length === 0) return false;

  const run = vcpu.run;
  run[RUN.immediateExit] = 1;
  vcpu.runOnce();
  run[RUN.immediateExit] = 0;
  consumePending(KICK_SIGNAL);
  const patch = device(exit.dir, regs, sregs);
  const ipMask = bits === 64 ? (1n << 64n) - 1n : bits === 32 ? 0xffffffffn : 0xffffn;
  vcpu.setRegs({ ...patch, rip: (regs.rip + BigInt(length)) & ipMask });
  // Registers were set directly; stale sync_regs copies must not be applied on the next entry.
  run.writeBigUInt64LE(0n, RUN.dirtyRegs);
  return true;
}
