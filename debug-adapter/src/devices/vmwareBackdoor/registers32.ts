// The 32-bit view of the backdoor's argument registers, and conversion to and from the vCPU register file.
import type { Regs } from '../../vmm/cpu/registers';

/** EAX..EBP as unsigned 32-bit numbers: the backdoor looks at the low halves only, even for 64-bit guests. */
export interface Regs32 { eax: number; ebx: number; ecx: number; edx: number; esi: number; edi: number; ebp: number }

/** Registers a command writes back; anything absent is left as the guest had it. */
export type Out32 = Partial<Regs32>;

const LOW32 = 0xffffffffn;

export function regs32(r: Readonly<Regs>): Regs32 {
  return {
    eax: Number(r.rax & LOW32), ebx: Number(r.rbx & LOW32), ecx: Number(r.rcx & LOW32), edx: Number(r.rdx & LOW32),
    esi: Number(r.rsi & LOW32), edi: Number(r.rdi & LOW32), ebp: Number(r.rbp & LOW32),
  };
}

/** A register patch with every written value zero-extended (the upper 32 bits become 0, as a 32-bit write does). */
export function outToPatch(out: Out32): Partial<Regs> {
  const p: Partial<Regs> = {};
  if (out.eax !== undefined) p.rax = BigInt(out.eax >>> 0);
  if (out.ebx !== undefined) p.rbx = BigInt(out.ebx >>> 0);
  if (out.ecx !== undefined) p.rcx = BigInt(out.ecx >>> 0);
  if (out.edx !== undefined) p.rdx = BigInt(out.edx >>> 0);
  if (out.esi !== undefined) p.rsi = BigInt(out.esi >>> 0);
  if (out.edi !== undefined) p.rdi = BigInt(out.edi >>> 0);
  if (out.ebp !== undefined) p.rbp = BigInt(out.ebp >>> 0);
  return p;
}

/** The value of an output register after the call (the input when the command left it alone). */
export function after(r: Regs32, out: Out32, name: keyof Regs32): number {
  return (out[name] ?? r[name]) >>> 0;
}
