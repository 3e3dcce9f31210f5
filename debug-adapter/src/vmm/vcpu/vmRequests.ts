// Requests the owner may make while the vCPU is out of KVM_RUN (paused): state reads and writes, memory access.
import type { Regs, Sregs } from '../cpu/registers';
import type { Machine } from '../machine/machine';

type Handler = (m: Machine, args: any) => unknown;

const handlers: Record<string, Handler> = {
  getRegs: (m) => m.vcpu.getRegs(),
  setRegs: (m, a: { regs: Partial<Regs> }) => { m.vcpu.setRegs(a.regs); return true; },
  getSregs: (m) => m.vcpu.getSregs(),
  setSregs: (m, a: { sregs: Partial<Sregs> }) => { m.vcpu.setSregs(a.sregs); return true; },
  readPhys: (m, a: { gpa: number; length: number }) => m.memory.read(a.gpa, a.length),
  writePhys: (m, a: { gpa: number; bytes: Uint8Array }) => { m.memory.write(a.gpa, a.bytes); return true; },
  busSummary: (m) => ({ pio: m.pio.unhandledSummary(), mmio: m.mmio.unhandledSummary() }),
};

/** Registers more request handlers (the debugger stub adds its own). */
export function registerRequestHandlers(more: Record<string, Handler>): void {
  Object.assign(handlers, more);
}

export function handleRequest(m: Machine, op: string, args: unknown): unknown {
  const h = handlers[op];
  if (!h) throw new Error(`unknown VM request '${op}'`);
  return h(m, args);
}
