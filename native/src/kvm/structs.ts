// koffi definitions of every KVM structure the project uses (x86-64 layouts of <linux/kvm.h>); pinned by the layout test.
import koffi = require('koffi');

export const KvmRegs = koffi.struct('kvm_regs', {
  rax: 'uint64_t', rbx: 'uint64_t', rcx: 'uint64_t', rdx: 'uint64_t',
  rsi: 'uint64_t', rdi: 'uint64_t', rsp: 'uint64_t', rbp: 'uint64_t',
  r8: 'uint64_t', r9: 'uint64_t', r10: 'uint64_t', r11: 'uint64_t',
  r12: 'uint64_t', r13: 'uint64_t', r14: 'uint64_t', r15: 'uint64_t',
  rip: 'uint64_t', rflags: 'uint64_t',
});

export const KvmSegment = koffi.struct('kvm_segment', {
  base: 'uint64_t', limit: 'uint32_t', selector: 'uint16_t',
  type: 'uint8_t', present: 'uint8_t', dpl: 'uint8_t', db: 'uint8_t', s: 'uint8_t', l: 'uint8_t',
  g: 'uint8_t', avl: 'uint8_t', unusable: 'uint8_t', padding: 'uint8_t',
});

export const KvmDtable = koffi.struct('kvm_dtable', {
  base: 'uint64_t', limit: 'uint16_t', padding: koffi.array('uint16_t', 3),
});

export const KvmSregs = koffi.struct('kvm_sregs', {
  cs: KvmSegment, ds: KvmSegment, es: KvmSegment, fs: KvmSegment, gs: KvmSegment, ss: KvmSegment,
  tr: KvmSegment, ldt: KvmSegment,
  gdt: KvmDtable, idt: KvmDtable,
  cr0: 'uint64_t', cr2: 'uint64_t', cr3: 'uint64_t', cr4: 'uint64_t', cr8: 'uint64_t',
  efer: 'uint64_t', apic_base: 'uint64_t',
  interrupt_bitmap: koffi.array('uint64_t', 4),
});

export const KvmVcpuEvents = koffi.struct('kvm_vcpu_events', {
  exception: koffi.struct({ injected: 'uint8_t', nr: 'uint8_t', has_error_code: 'uint8_t', pending: 'uint8_t', error_code: 'uint32_t' }),
  interrupt: koffi.struct({ injected: 'uint8_t', nr: 'uint8_t', soft: 'uint8_t', shadow: 'uint8_t' }),
  nmi: koffi.struct({ injected: 'uint8_t', pending: 'uint8_t', masked: 'uint8_t', pad: 'uint8_t' }),
  sipi_vector: 'uint32_t',
  flags: 'uint32_t',
  smi: koffi.struct({ smm: 'uint8_t', pending: 'uint8_t', smm_inside_nmi: 'uint8_t', latched_init: 'uint8_t' }),
  triple_fault: koffi.struct({ pending: 'uint8_t' }),
  reserved: koffi.array('uint8_t', 26),
  exception_has_payload: 'uint8_t',
  exception_payload: 'uint64_t',
});

export const KvmSyncRegs = koffi.struct('kvm_sync_regs', {
  regs: KvmRegs, sregs: KvmSregs, events: KvmVcpuEvents,
});

/** Exit-union members (only those the VMM reads). */
export const KvmRunIo = koffi.struct('kvm_run_io', {
  direction: 'uint8_t', size: 'uint8_t', port: 'uint16_t', count: 'uint32_t', data_offset: 'uint64_t',
});
export const KvmRunMmio = koffi.struct('kvm_run_mmio', {
  phys_addr: 'uint64_t', data: koffi.array('uint8_t', 8), len: 'uint32_t', is_write: 'uint8_t',
});
export const KvmDebugExitArch = koffi.struct('kvm_debug_exit_arch', {
  exception: 'uint32_t', pad: 'uint32_t', pc: 'uint64_t', dr6: 'uint64_t', dr7: 'uint64_t',
});
export const KvmRunFailEntry = koffi.struct('kvm_run_fail_entry', {
  hardware_entry_failure_reason: 'uint64_t', cpu: 'uint32_t',
});
export const KvmRunInternal = koffi.struct('kvm_run_internal', {
  suberror: 'uint32_t', ndata: 'uint32_t', data: koffi.array('uint64_t', 16),
});
export const KvmRunSystemEvent = koffi.struct('kvm_run_system_event', {
  type: 'uint32_t', ndata: 'uint32_t', data: koffi.array('uint64_t', 16),
});
export const KvmRunHypercall = koffi.struct('kvm_run_hypercall', {
  nr: 'uint64_t', args: koffi.array('uint64_t', 6), ret: 'uint64_t', flags: 'uint64_t',
});
export const KvmRunExit = koffi.union('kvm_run_exit', {
  io: KvmRunIo, mmio: KvmRunMmio, debug: KvmDebugExitArch, fail_entry: KvmRunFailEntry,
  internal: KvmRunInternal, system_event: KvmRunSystemEvent, hypercall: KvmRunHypercall,
  padding: koffi.array('uint8_t', 256),
});

export const KvmRun = koffi.struct('kvm_run', {
  request_interrupt_window: 'uint8_t', immediate_exit: 'uint8_t', padding1: koffi.array('uint8_t', 6),
  exit_reason: 'uint32_t', ready_for_interrupt_injection: 'uint8_t', if_flag: 'uint8_t', flags: 'uint16_t',
  cr8: 'uint64_t', apic_base: 'uint64_t',
  exit: KvmRunExit,
  kvm_valid_regs: 'uint64_t', kvm_dirty_regs: 'uint64_t',
  s: koffi.union({ regs: KvmSyncRegs, padding: koffi.array('uint8_t', 2048) }),
});

export const KvmGuestDebug = koffi.struct('kvm_guest_debug', {
  control: 'uint32_t', pad: 'uint32_t', debugreg: koffi.array('uint64_t', 8),
});

export const KvmUserspaceMemoryRegion = koffi.struct('kvm_userspace_memory_region', {
  slot: 'uint32_t', flags: 'uint32_t', guest_phys_addr: 'uint64_t', memory_size: 'uint64_t', userspace_addr: 'uint64_t',
});

export const KvmCpuidEntry2 = koffi.struct('kvm_cpuid_entry2', {
  function: 'uint32_t', index: 'uint32_t', flags: 'uint32_t',
  eax: 'uint32_t', ebx: 'uint32_t', ecx: 'uint32_t', edx: 'uint32_t', padding: koffi.array('uint32_t', 3),
});
/** Header of kvm_cpuid2; the entries follow (flexible array). */
export const KvmCpuid2 = koffi.struct('kvm_cpuid2', { nent: 'uint32_t', padding: 'uint32_t' });

export const KvmMsrEntry = koffi.struct('kvm_msr_entry', { index: 'uint32_t', reserved: 'uint32_t', data: 'uint64_t' });
/** Header of kvm_msrs; the entries follow (flexible array). */
export const KvmMsrs = koffi.struct('kvm_msrs', { nmsrs: 'uint32_t', pad: 'uint32_t' });
/** Header of kvm_msr_list; u32 indices follow. */
export const KvmMsrList = koffi.struct('kvm_msr_list', { nmsrs: 'uint32_t' });

export const KvmFpu = koffi.struct('kvm_fpu', {
  fpr: koffi.array('uint8_t', 128), fcw: 'uint16_t', fsw: 'uint16_t', ftwx: 'uint8_t', pad1: 'uint8_t',
  last_opcode: 'uint16_t', last_ip: 'uint64_t', last_dp: 'uint64_t', xmm: koffi.array('uint8_t', 256),
  mxcsr: 'uint32_t', pad2: 'uint32_t',
});

export const KvmDebugregs = koffi.struct('kvm_debugregs', {
  db: koffi.array('uint64_t', 4), dr6: 'uint64_t', dr7: 'uint64_t', flags: 'uint64_t', reserved: koffi.array('uint64_t', 9),
});

export const KvmTranslation = koffi.struct('kvm_translation', {
  linear_address: 'uint64_t', physical_address: 'uint64_t', valid: 'uint8_t', writeable: 'uint8_t',
  usermode: 'uint8_t', pad: koffi.array('uint8_t', 5),
});

export const KvmDirtyLog = koffi.struct('kvm_dirty_log', { slot: 'uint32_t', padding1: 'uint32_t', dirty_bitmap: 'uint64_t' });
export const KvmIrqLevel = koffi.struct('kvm_irq_level', { irq: 'uint32_t', level: 'uint32_t' });
export const KvmPitConfig = koffi.struct('kvm_pit_config', { flags: 'uint32_t', pad: koffi.array('uint32_t', 15) });
/** Header of kvm_signal_mask; the kernel sigset bytes follow. */
export const KvmSignalMask = koffi.struct('kvm_signal_mask', { len: 'uint32_t' });
export const KvmMpState = koffi.struct('kvm_mp_state', { mp_state: 'uint32_t' });
export const KvmInterrupt = koffi.struct('kvm_interrupt', { irq: 'uint32_t' });
export const KvmXsave = koffi.struct('kvm_xsave', { region: koffi.array('uint32_t', 1024) });
export const KvmEnableCap = koffi.struct('kvm_enable_cap', {
  cap: 'uint32_t', flags: 'uint32_t', args: koffi.array('uint64_t', 4), pad: koffi.array('uint8_t', 64),
});

/** Every struct by its C name, for the layout test. */
export const ALL_STRUCTS: Record<string, koffi.TypeObject> = {
  kvm_regs: KvmRegs, kvm_segment: KvmSegment, kvm_dtable: KvmDtable, kvm_sregs: KvmSregs,
  kvm_vcpu_events: KvmVcpuEvents, kvm_sync_regs: KvmSyncRegs, kvm_run: KvmRun, kvm_guest_debug: KvmGuestDebug,
  kvm_userspace_memory_region: KvmUserspaceMemoryRegion, kvm_cpuid_entry2: KvmCpuidEntry2, kvm_cpuid2: KvmCpuid2,
  kvm_msr_entry: KvmMsrEntry, kvm_msrs: KvmMsrs, kvm_msr_list: KvmMsrList, kvm_fpu: KvmFpu, kvm_debugregs: KvmDebugregs,
  kvm_translation: KvmTranslation, kvm_dirty_log: KvmDirtyLog, kvm_irq_level: KvmIrqLevel, kvm_pit_config: KvmPitConfig,
  kvm_signal_mask: KvmSignalMask, kvm_mp_state: KvmMpState, kvm_interrupt: KvmInterrupt, kvm_xsave: KvmXsave,
  kvm_enable_cap: KvmEnableCap,
};
