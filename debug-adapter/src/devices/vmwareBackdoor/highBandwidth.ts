// High-bandwidth GuestRPC payloads (REP OUTSB/INSB on port 0x5659, or VMCALL with the HB flag) in one transfer.
import type { Regs } from '../../vmm/cpu/registers';
import type { GuestMemory } from '../../vmm/memory/guestMemory';
import type { PagingRegisters } from '../../vmm/memory/pageWalker';
import { readVirtual, writeVirtual } from '../../vmm/memory/virtualMemory';
import { hbCommandName } from './commands';
import { BDOOR_MAGIC, BDOORHB_CMD_MESSAGE, MAX_MESSAGE_BYTES } from './constants';
import type { GuestRpc } from './guestRpc';
import type { DecodedCall } from './records';
import { regs32, type Out32, type Regs32 } from './registers32';

/** Guest-virtual memory of the calling vCPU, as the string instruction sees it. */
export interface VirtualMemoryAccess {
  read(gva: bigint, length: number): { ok: true; bytes: Uint8Array } | { ok: false; reason: string };
  write(gva: bigint, bytes: Uint8Array): { ok: true } | { ok: false; reason: string };
  /** Address size of the instruction (64 in 64-bit code, 32 in 32-bit code, 16 in 16-bit code); default 64. */
  readonly addressBits?: 16 | 32 | 64;
}

/** VirtualMemoryAccess through the page walker, with the vCPU's CR0/CR3/CR4/EFER. */
export function pagedMemoryAccess(
  cpu: PagingRegisters, mem: GuestMemory, opts: { user?: boolean; addressBits?: 16 | 32 | 64 } = {},
): VirtualMemoryAccess {
  const access = { user: opts.user ?? false };
  return {
    addressBits: opts.addressBits ?? 64,
    read: (gva, length) => readVirtual(gva, length, cpu, mem, access),
    write: (gva, bytes) => writeVirtual(gva, bytes, cpu, mem, access),
  };
}

export type HbDirection = 'in' | 'out';

export interface HbTransfer {
  /** Registers to apply when the instruction completes. */
  patch: Partial<Regs>;
  in32: Regs32;
  out: Out32;
  command: number;
  name: string;
  decoded: DecodedCall;
}

const RFLAGS_DF = 1n << 10n;
const LOW16 = 0xffff;
const MASK16 = 0xffffn;

function addressMask(bits: 16 | 32 | 64): bigint { return (1n << BigInt(bits)) - 1n; }

/**
 * Move one HB payload. With `stringOp` the registers are completed as the REP instruction would leave them
 * (count register 0, pointer advanced), whatever the outcome, so the VMM can skip the instruction; the status
 * in EBX high 16 tells the guest whether the payload went through. Without it (hypercall) only EBX changes.
 */
export function hbTransfer(
  dir: HbDirection, regs: Readonly<Regs>, mem: VirtualMemoryAccess, rpc: GuestRpc, stringOp: boolean,
): HbTransfer {
  const r = regs32(regs);
  const bits = mem.addressBits ?? 64;
  const mask = addressMask(bits);
  const countBig = regs.rcx & mask;
  const pointerName = dir === 'out' ? 'rsi' : 'rdi';
  const pointer = regs[pointerName] & mask;
  const backwards = (regs.rflags & RFLAGS_DF) !== 0n;
  const command = r.ebx & LOW16;
  const decoded: DecodedCall = {};
  let status: number | undefined;

  if (r.eax !== BDOOR_MAGIC) decoded.note = 'wrong magic';
  else if (command !== BDOORHB_CMD_MESSAGE) { status = 0; decoded.note = 'unsupported HB command'; }
  else if (backwards) { status = 0; decoded.note = 'direction flag set'; }
  else if (countBig > BigInt(MAX_MESSAGE_BYTES)) { status = 0; decoded.note = `count ${countBig} exceeds ${MAX_MESSAGE_BYTES}`; }
  else {
    const count = Number(countBig);
    const id = r.edx >>> 16;
    const outcome = dir === 'out'
      ? rpc.hbSend(id, r.ebp, r.edi, count, (n) => { const m = mem.read(pointer, n); return m.ok ? m.bytes : m.reason; })
      : rpc.hbRecv(id, r.esi, r.ebp, count, (bytes) => { const m = mem.write(pointer, bytes); return m.ok ? undefined : m.reason; });
    status = outcome.status;
    Object.assign(decoded, outcome.decoded);
  }

  const out: Out32 = {};
  const patch: Partial<Regs> = {};
  if (status !== undefined) {
    out.ebx = ((status << 16) | command) >>> 0;
    patch.rbx = BigInt(out.ebx);
  }
  if (stringOp) {
    const moved = backwards ? (pointer - countBig) & mask : (pointer + countBig) & mask;
    patch[pointerName] = bits === 16 ? (regs[pointerName] & ~MASK16) | moved : moved;
    patch.rcx = bits === 16 ? regs.rcx & ~MASK16 : 0n;
    out.ecx = Number(patch.rcx & 0xffffffffn);
    if (dir === 'out') out.esi = Number(patch.rsi! & 0xffffffffn); else out.edi = Number(patch.rdi! & 0xffffffffn);
  }
  return { patch, in32: r, out, command, name: hbCommandName(command), decoded };
}
