// Puts a loader's plan into the VM: guest memory contents, CPUID table and the initial vCPU state.
import type { Vcpu, CpuidEntry } from '../../../../native/src/kvm/kvm';
import type { LoadPlan } from '../../loaders/loadPlan';
import type { GuestMemory } from '../memory/guestMemory';

export function writePlanToMemory(plan: LoadPlan, memory: GuestMemory): void {
  for (const z of plan.zeroFill) memory.fill(z.gpa, z.length, 0);
  for (const s of plan.segments) memory.write(s.gpa, s.bytes);
}

/** Leaf 1 ECX bit 31: "running under a hypervisor", which guests test before looking at 0x40000000. */
const CPUID1_ECX_HYPERVISOR = 1 << 31;

/**
 * The guest's CPUID table: what KVM supports, with the hypervisor bit set, and `overrides` (e.g. the VMware leaves)
 * replacing or adding entries. KVM refuses long mode (EFER.LME) unless the table advertises it, so a table is mandatory.
 */
export function buildCpuidTable(supported: readonly CpuidEntry[], overrides: readonly CpuidEntry[] = []): CpuidEntry[] {
  const table = supported.map((e) => ({ ...e }));
  for (const e of table) if (e.function === 1) e.ecx = (e.ecx | CPUID1_ECX_HYPERVISOR) >>> 0;
  for (const o of overrides) {
    const i = table.findIndex((e) => e.function === o.function && e.index === o.index);
    if (i >= 0) table[i] = { ...o }; else table.push({ ...o });
  }
  return table;
}

export function applyEntryState(vcpu: Vcpu, plan: LoadPlan): void {
  vcpu.setSregs(plan.entry.sregs);
  vcpu.setRegs({ rflags: 2n, ...plan.entry.regs });
}
