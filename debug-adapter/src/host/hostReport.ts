// Collects what this host's KVM can and cannot do for KVM Lab, as plain data shared by `kvmlab doctor` and the extension.
import { existsSync, readFileSync } from 'fs';
import { KVM_CAP } from '../../../native/src/kvm/constants';
import { KvmSystem } from '../../../native/src/kvm/kvm';
import { hostAdvice } from '../../../native/src/kvm/kvmError';

export type HostFlavour = 'vmx' | 'svm' | 'pvm' | 'unknown';

export interface HostCheck { name: string; ok: boolean; detail: string }

export interface HostReport {
  kvmUsable: boolean;
  flavour: HostFlavour;
  apiVersion?: number;
  checks: HostCheck[];
  /** Plain sentences about what will not work on this host, and why. */
  limitations: string[];
  advice?: string;
}

function readParam(path: string): string | undefined {
  try { return readFileSync(path, 'utf8').trim(); } catch { return undefined; }
}

export function detectFlavour(): HostFlavour {
  if (existsSync('/sys/module/kvm_pvm')) return 'pvm';
  if (existsSync('/sys/module/kvm_intel')) return 'vmx';
  if (existsSync('/sys/module/kvm_amd')) return 'svm';
  try {
    const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
    if (/\bvmx\b/.test(cpuinfo)) return 'vmx';
    if (/\bsvm\b/.test(cpuinfo)) return 'svm';
  } catch { /* not Linux */ }
  return 'unknown';
}

/** What the PVM flavour of KVM cannot do (measured); guests and the debugger adapt, and the user is told. */
export const PVM_LIMITATIONS = [
  'Guest kernel-mode, real-mode and 32-bit code runs in an instruction emulator, about 2000x slower than native: real OS kernels boot only partly.',
  'Software breakpoints arrive as emulation failures; KVM Lab handles them, but breakpoints in user-mode (CPL3) guest code do not fire.',
  'Data breakpoints (watchpoints) are never delivered on this host; they are shown unverified.',
  '32-bit and PAE paging are refused outside long mode; 32-bit iretd in kernel mode cannot be emulated.',
  'CPUID in guest user mode ignores the VM\'s CPUID table; the VMware signature is visible to guest kernels only.',
];

export function collectHostReport(): HostReport {
  const checks: HostCheck[] = [];
  const limitations: string[] = [];
  const flavour = detectFlavour();
  let sys: KvmSystem | undefined;
  try {
    sys = KvmSystem.open();
  } catch (e) {
    checks.push({ name: '/dev/kvm', ok: false, detail: e instanceof Error ? e.message : String(e) });
    return { kvmUsable: false, flavour, checks, limitations, advice: hostAdvice(e) };
  }
  try {
    const apiVersion = sys.apiVersion();
    checks.push({ name: '/dev/kvm', ok: true, detail: `opened read-write, API version ${apiVersion}` });
    checks.push({ name: 'virtualisation', ok: true, detail: { vmx: 'Intel VMX', svm: 'AMD SVM', pvm: 'PVM (KVM without VMX/SVM)', unknown: 'unknown' }[flavour] });
    const cap = (label: string, n: number, needed: boolean) => {
      const v = sys!.checkExtension(n);
      checks.push({ name: label, ok: v > 0 || !needed, detail: v > 0 ? `yes (${v})` : 'no' });
    };
    cap('in-kernel irqchip', KVM_CAP.IRQCHIP, true);
    cap('sync_regs', KVM_CAP.SYNC_REGS, true);
    cap('immediate_exit', KVM_CAP.IMMEDIATE_EXIT, true);
    cap('guest debugging', KVM_CAP.SET_GUEST_DEBUG, true);
    cap('debug registers', KVM_CAP.DEBUGREGS, false);
    cap('read-only memory', KVM_CAP.READONLY_MEM, false);
    const backdoor = readParam('/sys/module/kvm/parameters/enable_vmware_backdoor');
    checks.push({
      name: 'kvm.enable_vmware_backdoor', ok: true,
      detail: backdoor === 'Y' ? 'Y: guest user mode can reach the backdoor ports'
        : 'N: only guest kernel code can use the VMware backdoor (set kvm.enable_vmware_backdoor=1 for user-mode tools)',
    });
    if (flavour === 'pvm') limitations.push(...PVM_LIMITATIONS);
    limitations.push('VMCALL/VMMCALL backdoor hypercalls are not forwarded to user space by this kernel\'s KVM; the port-I/O backdoor is used.');
    return { kvmUsable: true, flavour, apiVersion, checks, limitations };
  } finally {
    sys.close();
  }
}

export function formatHostReport(r: HostReport): string {
  const lines = ['KVM Lab host check', ''];
  for (const c of r.checks) lines.push(`  [${c.ok ? ' ok ' : 'FAIL'}] ${c.name}: ${c.detail}`);
  if (r.advice) lines.push('', `  what to do: ${r.advice}`);
  if (r.limitations.length) {
    lines.push('', 'What will not work on this host:');
    for (const l of r.limitations) lines.push(`  - ${l}`);
  }
  lines.push('', r.kvmUsable ? 'KVM is usable.' : 'KVM is NOT usable: fix the failures above.');
  return lines.join('\n');
}
