// Plain data the debugger exchanges with the debug stub in the vCPU worker (structured-cloneable, no behaviour).

/** Software breakpoints plant int3 (0xCC); hardware ones use DR0-3; data ones watch memory through DR0-3. */
export type BreakpointMode = 'software' | 'hardware' | 'data';

/** One breakpoint at a guest linear address (segment base + offset), with the checks the stub runs on each hit. */
export interface BreakpointSpec {
  id: number;
  /** Linear address: of the instruction, or of the watched bytes (data). */
  address: bigint;
  mode: BreakpointMode;
  /** Data breakpoints: how many bytes (1, 2, 4 or 8, aligned) and which accesses trigger. */
  length?: number;
  access?: 'write' | 'readWrite' | 'read';
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  /** Addresses of the symbols the condition and log message mention (the worker has no symbol table). */
  symbols?: Record<string, bigint>;
  /**
   * The condition, hit count and log message are C and are checked on the main thread, where the DWARF variables
   * are: each hit stops and is reported in `StopDetail.pendingIds`.
   */
  hostCheck?: boolean;
}

export interface BreakpointStatus { id: number; verified: boolean; message?: string }

/** What the vCPU does on the next resume. `until` runs to a temporary breakpoint (step over a call, step out). */
export type RunMode = { kind: 'continue' } | { kind: 'step' } | { kind: 'until'; address: bigint };

export type StopReason = 'entry' | 'pause' | 'step' | 'breakpoint' | 'exception' | 'halt' | 'goto';

/** Why the vCPU stopped, as the debugger reports it. */
export interface StopDetail {
  reason: StopReason;
  /** Breakpoint ids whose checks all passed on this hit. */
  breakpointIds?: number[];
  /** Breakpoints hit here whose checks the main thread still has to run (`hostCheck`). */
  pendingIds?: number[];
  /** Stable name of the exception kind for DAP exceptionInfo ("backdoor"); the title is used when absent. */
  exceptionId?: string;
  /** Short title for exceptions ("Triple fault"). */
  text?: string;
  /** Longer explanation (the KVM report, the CPU mode at entry). */
  description?: string;
}

export type EvaluateResult = { ok: true; value: bigint } | { ok: false; error: string };

export type MemoryResult = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/** Registers outside kvm_regs/kvm_sregs, read only when the Registers view asks for them. */
export interface ExtraState {
  debugRegs: bigint[];
  dr6: bigint;
  dr7: bigint;
  /** xmm0-15, each 16 bytes. */
  xmm: Uint8Array[];
  mxcsr: number;
  fcw: number;
  fsw: number;
  msrs: { index: number; value: bigint }[];
}

/** Request names served by the stub (see stubRequests.ts). */
export const STUB_OP = {
  setBreakpoints: 'dbg.setBreakpoints',
  setExceptionFilters: 'dbg.setExceptionFilters',
  setBackdoorFilter: 'dbg.setBackdoorFilter',
  readMemory: 'dbg.readMemory',
  writeMemory: 'dbg.writeMemory',
  extraState: 'dbg.extraState',
  translate: 'dbg.translate',
  evaluate: 'dbg.evaluate',
  sendTclo: 'dbg.sendTclo',
  keyFrame: 'dbg.keyFrame',
  key: 'dbg.key',
  pointer: 'dbg.pointer',
  assign: 'dbg.assign',
} as const;
