// Puts a loader's plan into the VM: guest memory contents and the initial vCPU state.
import type { Vcpu } from '../../../../native/src/kvm/kvm';
import type { LoadPlan } from '../../loaders/loadPlan';
import type { GuestMemory } from '../memory/guestMemory';

export function writePlanToMemory(plan: LoadPlan, memory: GuestMemory): void {
  for (const z of plan.zeroFill) memory.fill(z.gpa, z.length, 0);
  for (const s of plan.segments) memory.write(s.gpa, s.bytes);
}

export function applyEntryState(vcpu: Vcpu, plan: LoadPlan): void {
  vcpu.setSregs(plan.entry.sregs);
  vcpu.setRegs({ rflags: 2n, ...plan.entry.regs });
}
