// KVM failures carry the operation and errno name; hostAdvice() turns the common ones into what the user should do.
import { EACCES, ENOENT, ENXIO, ENODEV, EPERM, errnoName } from '../errno';

export class KvmError extends Error {
  constructor(readonly op: string, readonly errno: number, detail?: string) {
    super(`${op} failed: ${errnoName(errno)}${detail ? ` (${detail})` : ''}`);
    this.name = 'KvmError';
  }
  get errnoName(): string { return errnoName(this.errno); }
}

/** A one-paragraph explanation for the user when /dev/kvm cannot be used, or undefined for other errors. */
export function hostAdvice(err: unknown): string | undefined {
  if (!(err instanceof KvmError)) return undefined;
  if (err.op.startsWith('open /dev/kvm')) {
    if (err.errno === ENOENT || err.errno === ENODEV || err.errno === ENXIO) {
      return '/dev/kvm does not exist: load the KVM module (modprobe kvm_intel or kvm_amd), enable VT-x/AMD-V in the firmware, '
        + 'or turn on nested virtualisation if this machine is itself a virtual machine.';
    }
    if (err.errno === EACCES || err.errno === EPERM) {
      return 'no permission to open /dev/kvm: add yourself to the kvm group (sudo usermod -aG kvm $USER, then log in again) '
        + 'or run as a user that can read and write /dev/kvm.';
    }
  }
  if (err.op === 'KVM_CREATE_VM') {
    return 'the kernel refused to create a VM: another hypervisor may hold the virtualisation extensions, or the system is out of memory.';
  }
  return undefined;
}
