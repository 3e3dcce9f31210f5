// The linear address of the next instruction (CS base + RIP, wrapped outside long mode): what breakpoints are set on.
import { cpuMode, type Regs, type Sregs } from '../cpu/registers';

const MASK32 = 0xffffffffn;

export function linearPc(regs: Regs, sregs: Sregs): bigint {
  const la = sregs.cs.base + regs.rip;
  return cpuMode(sregs, regs.rflags) === 'long64' ? BigInt.asUintN(64, la) : la & MASK32;
}
