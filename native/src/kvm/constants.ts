// KVM constants: exit reasons, capabilities, guest-debug flags, sync-regs bits, MP states (values of <linux/kvm.h>).

export const KVM_API_VERSION = 12;

export const KVM_EXIT = {
  UNKNOWN: 0, EXCEPTION: 1, IO: 2, HYPERCALL: 3, DEBUG: 4, HLT: 5, MMIO: 6, IRQ_WINDOW_OPEN: 7,
  SHUTDOWN: 8, FAIL_ENTRY: 9, INTR: 10, SET_TPR: 11, TPR_ACCESS: 12, NMI: 16, INTERNAL_ERROR: 17,
  SYSTEM_EVENT: 24, IOAPIC_EOI: 26, X86_RDMSR: 29, X86_WRMSR: 30,
} as const;

/** Exit reason names for statistics and reports. */
export const KVM_EXIT_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(KVM_EXIT).map(([k, v]) => [v, k.toLowerCase()]),
);

export const KVM_EXIT_IO_IN = 0;
export const KVM_EXIT_IO_OUT = 1;

export const KVM_INTERNAL_ERROR = { EMULATION: 1, SIMUL_EX: 2, DELIVERY_EV: 3, UNEXPECTED_EXIT_REASON: 4 } as const;
export const KVM_SYSTEM_EVENT = { SHUTDOWN: 1, RESET: 2, CRASH: 3 } as const;

export const KVM_CAP = {
  IRQCHIP: 0, HLT: 1, USER_MEMORY: 3, SET_TSS_ADDR: 4, EXT_CPUID: 7, NR_VCPUS: 9, NR_MEMSLOTS: 10, PIT: 11,
  MP_STATE: 14, SYNC_MMU: 16, PIT2: 33, SET_GUEST_DEBUG: 23, ADJUST_CLOCK: 39, VCPU_EVENTS: 41,
  PIT_STATE2: 35, DEBUGREGS: 50, XSAVE: 55, XCRS: 56, TSC_CONTROL: 60, GET_TSC_KHZ: 61, READONLY_MEM: 81,
  IMMEDIATE_EXIT: 136, SYNC_REGS: 74, MAX_VCPUS: 66, X86_USER_SPACE_MSR: 188, EXIT_HYPERCALL: 201,
  SET_GUEST_DEBUG2: 195, DIRTY_LOG_RING: 192,
} as const;

export const KVM_GUESTDBG = {
  ENABLE: 0x1, SINGLESTEP: 0x2, USE_SW_BP: 0x10000, USE_HW_BP: 0x20000, INJECT_DB: 0x40000, INJECT_BP: 0x80000,
  BLOCKIRQ: 0x100000,
} as const;

export const KVM_SYNC_X86 = { REGS: 1, SREGS: 2, EVENTS: 4 } as const;

export const KVM_MP_STATE = {
  RUNNABLE: 0, UNINITIALIZED: 1, INIT_RECEIVED: 2, HALTED: 3, SIPI_RECEIVED: 4, STOPPED: 5,
} as const;

export const KVM_MEM_LOG_DIRTY_PAGES = 1;
export const KVM_MEM_READONLY = 2;

/** MSR indices the debugger shows. */
export const MSR = {
  EFER: 0xc0000080, STAR: 0xc0000081, LSTAR: 0xc0000082, CSTAR: 0xc0000083, SFMASK: 0xc0000084,
  FS_BASE: 0xc0000100, GS_BASE: 0xc0000101, KERNEL_GS_BASE: 0xc0000102, TSC_AUX: 0xc0000103,
  APIC_BASE: 0x1b, SYSENTER_CS: 0x174, SYSENTER_ESP: 0x175, SYSENTER_EIP: 0x176, PAT: 0x277, TSC: 0x10,
} as const;
