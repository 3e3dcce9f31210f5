// CPUID entries for the VMware personality (and for KVM Lab's own when the backdoor is off), as plain data.
import { DEFAULT_BUS_KHZ } from './config';

/** The shape of one kvm_cpuid_entry2 (without padding). */
export interface CpuidEntry { function: number; index: number; flags: number; eax: number; ebx: number; ecx: number; edx: number }

export type HypercallMode = 'none' | 'vmcall' | 'vmmcall';
export type CpuidPersonality = 'vmware' | 'kvmlab';

export const HYPERVISOR_BASE_LEAF = 0x40000000;
/** VMware's timing leaf; the base leaf's EAX must reach it for guests to read it. */
export const VMWARE_TIMING_LEAF = 0x40000010;
/** Every leaf in this range belongs to some hypervisor interface. */
const HYPERVISOR_RANGE_END = 0x4fffffff;
export const VMWARE_SIGNATURE = 'VMwareVMware';
/** CPUID.1:ECX bit 31, "hypervisor present". */
export const CPUID1_ECX_HYPERVISOR = 0x80000000;
/** CPUID 0x40000010 ECX: which instruction the backdoor also accepts. */
export const VMWARE_ECX_VMMCALL = 1 << 0;
export const VMWARE_ECX_VMCALL = 1 << 1;

/** 4 signature characters as the little-endian register value CPUID returns. */
function sigWord(sig: string, offset: number): number {
  let v = 0;
  for (let i = 0; i < 4; i++) v |= sig.charCodeAt(offset + i) << (8 * i);
  return v >>> 0;
}

export interface VmwareCpuidOptions {
  tscKhz: number;
  busKhz?: number;
  /**
   * Advertise the VMCALL or VMMCALL backdoor. Keep 'none' unless the kernel forwards VMware hypercalls to the
   * VMM: stock KVM answers them itself with -ENOSYS. At most one bit is ever set (Linux falls back to the I/O
   * port when it sees both).
   */
  hypercall?: HypercallMode;
}

/** The two VMware hypervisor leaves: signature at 0x40000000, TSC and APIC bus kHz at 0x40000010. */
export function vmwareCpuidLeaves(opts: VmwareCpuidOptions): CpuidEntry[] {
  const hc = opts.hypercall ?? 'none';
  const ecx = hc === 'vmcall' ? VMWARE_ECX_VMCALL : hc === 'vmmcall' ? VMWARE_ECX_VMMCALL : 0;
  return [
    {
      function: HYPERVISOR_BASE_LEAF, index: 0, flags: 0, eax: VMWARE_TIMING_LEAF,
      ebx: sigWord(VMWARE_SIGNATURE, 0), ecx: sigWord(VMWARE_SIGNATURE, 4), edx: sigWord(VMWARE_SIGNATURE, 8),
    },
    { function: VMWARE_TIMING_LEAF, index: 0, flags: 0, eax: opts.tscKhz >>> 0, ebx: (opts.busKhz ?? DEFAULT_BUS_KHZ) >>> 0, ecx, edx: 0 },
  ];
}

/**
 * The CPUID table to give KVM, starting from KVM's supported table.
 * - 'vmware': every hypervisor leaf is replaced by the VMware ones. KVM's "KVMKVMKVM" leaves must go, because
 *   Linux picks the hypervisor with the highest detection value and KVM's would win, which switches off the
 *   VMware paths (GETHZ, vmwgfx messaging). The price is KVM's paravirtual features.
 * - 'kvmlab' (backdoor off): KVM's own leaves are kept unchanged, so guests get kvmclock and the other KVM
 *   paravirtual features; KVM Lab adds no signature of its own.
 * Both set the hypervisor-present bit in leaf 1 (the table is left without one if it has no leaf 1).
 */
export function personalityCpuid(supported: readonly CpuidEntry[], personality: CpuidPersonality, opts: VmwareCpuidOptions): CpuidEntry[] {
  const isHv = (e: CpuidEntry): boolean => e.function >= HYPERVISOR_BASE_LEAF && e.function <= HYPERVISOR_RANGE_END;
  const base = personality === 'vmware' ? supported.filter((e) => !isHv(e)) : supported.slice();
  const out = base.map((e) => (e.function === 1 ? { ...e, ecx: (e.ecx | CPUID1_ECX_HYPERVISOR) >>> 0 } : { ...e }));
  if (personality === 'vmware') out.push(...vmwareCpuidLeaves(opts));
  return out;
}
