// Custom DAP events of the "kvmlab" adapter (names and bodies), shared with the extension.

/** Sent once the VM is up: what was booted and on which kind of host. */
export const VM_INFO_EVENT = 'kvmlab.vmInfo';

export interface VmInfoEventBody {
  format: string;
  /** The host's KVM is the PVM flavour (no VMX/SVM): CPL3 guest debugging and data breakpoints do not work there. */
  pvm: boolean;
  notes: string[];
}
