// The only view over a vCPU's mmapped kvm_run page: exit fields and the sync_regs area, by struct offsets.
import koffi = require('koffi');
import {
  KvmDebugExitArch, KvmRun, KvmRunExit, KvmRunFailEntry, KvmRunHypercall, KvmRunInternal, KvmRunIo, KvmRunMmio,
  KvmRunSystemEvent, KvmSyncRegs,
} from './structs';

const EXIT = koffi.offsetof(KvmRun, 'exit');
const SYNC = koffi.offsetof(KvmRun, 's');
const off = (t: koffi.TypeObject, f: string) => koffi.offsetof(t, f);

export const RUN = {
  requestInterruptWindow: off(KvmRun, 'request_interrupt_window'),
  immediateExit: off(KvmRun, 'immediate_exit'),
  exitReason: off(KvmRun, 'exit_reason'),
  readyForInterruptInjection: off(KvmRun, 'ready_for_interrupt_injection'),
  ifFlag: off(KvmRun, 'if_flag'),
  cr8: off(KvmRun, 'cr8'),
  validRegs: off(KvmRun, 'kvm_valid_regs'),
  dirtyRegs: off(KvmRun, 'kvm_dirty_regs'),
  io: {
    direction: EXIT + off(KvmRunIo, 'direction'), size: EXIT + off(KvmRunIo, 'size'), port: EXIT + off(KvmRunIo, 'port'),
    count: EXIT + off(KvmRunIo, 'count'), dataOffset: EXIT + off(KvmRunIo, 'data_offset'),
  },
  mmio: {
    physAddr: EXIT + off(KvmRunMmio, 'phys_addr'), data: EXIT + off(KvmRunMmio, 'data'),
    len: EXIT + off(KvmRunMmio, 'len'), isWrite: EXIT + off(KvmRunMmio, 'is_write'),
  },
  debug: {
    exception: EXIT + off(KvmDebugExitArch, 'exception'), pc: EXIT + off(KvmDebugExitArch, 'pc'),
    dr6: EXIT + off(KvmDebugExitArch, 'dr6'), dr7: EXIT + off(KvmDebugExitArch, 'dr7'),
  },
  failEntry: { reason: EXIT + off(KvmRunFailEntry, 'hardware_entry_failure_reason'), cpu: EXIT + off(KvmRunFailEntry, 'cpu') },
  internal: { suberror: EXIT + off(KvmRunInternal, 'suberror'), ndata: EXIT + off(KvmRunInternal, 'ndata'), data: EXIT + off(KvmRunInternal, 'data') },
  systemEvent: { type: EXIT + off(KvmRunSystemEvent, 'type'), ndata: EXIT + off(KvmRunSystemEvent, 'ndata'), data: EXIT + off(KvmRunSystemEvent, 'data') },
  hypercall: { nr: EXIT + off(KvmRunHypercall, 'nr'), args: EXIT + off(KvmRunHypercall, 'args'), ret: EXIT + off(KvmRunHypercall, 'ret') },
  /** Offsets of the sync_regs copies (regs, sregs, events) inside kvm_run. */
  syncRegs: SYNC + off(KvmSyncRegs, 'regs'),
  syncSregs: SYNC + off(KvmSyncRegs, 'sregs'),
  syncEvents: SYNC + off(KvmSyncRegs, 'events'),
  exitUnion: EXIT,
  exitUnionSize: koffi.sizeof(KvmRunExit),
} as const;
