// Messages between the VM owner (main thread) and the vCPU worker that owns the KVM VM; all structured-cloneable.
import type { MessagePort } from 'worker_threads';
import type { LoadPlan } from '../../loaders/loadPlan';
import type { Regs, Sregs } from '../cpu/registers';
import type { RunMode, StopDetail } from '../debugStub/stubTypes';
import type { SvgaSettings } from '../display/svgaWiring';

export interface MachineConfig {
  memoryBytes: number;
  /** In-kernel PIC/IOAPIC/LAPIC and PIT; without it HLT exits to user space. */
  irqchip: boolean;
  plan: LoadPlan;
  /** Start in the paused state (debugger stop-on-entry) instead of running. */
  startPaused: boolean;
  /** Serial output goes to the ring; `false` drops it (--serial none). */
  serialEnabled: boolean;
  /** The VMware personality: backdoor ports and CPUID signature (`enabled: false` gives KVM Lab's own leaves). */
  vmware: VmwareSettings;
  /** Post every backdoor record to the owner (the CLI's --backdoor-log, the debugger's inspector). */
  recordBackdoor: boolean;
  /** Send a VCPU `log` event for the first access to each unhandled port/address. */
  reportUnhandled: boolean;
  /**
   * A debugger owns the VM: the worker runs the debug stub, and triple faults or KVM internal errors pause the vCPU
   * (state stays inspectable) instead of ending the VM.
   */
  debug?: boolean;
  /** An SVGA II display adapter (PCI 15AD:0405) with this initial mode; absent means VGA text only. */
  svga?: SvgaSettings;
  /** Produce frame updates (on `displayTick`) even without SVGA: the VGA text screen is rendered. */
  display?: boolean;
}

export interface VmwareSettings {
  enabled: boolean;
  vmName: string;
  uuid?: string;
  guestinfo: Record<string, string>;
  /** TCLO commands queued for the guest's tools loop at start. */
  tclo: string[];
  /** Advertise the VMCALL/VMMCALL backdoor transport in CPUID (default none). */
  hypercall?: 'none' | 'vmcall' | 'vmmcall';
}

/** Why the VM ended. */
export type VmEnd =
  | { reason: 'debugExit'; status: number }
  | { reason: 'halted' }
  | { reason: 'reset'; source: string }
  | { reason: 'tripleFault'; report: string }
  | { reason: 'internalError'; report: string }
  | { reason: 'failEntry'; report: string }
  | { reason: 'stopped' }
  | { reason: 'setupFailed'; message: string; advice?: string };

export interface RunStats {
  exits: Record<string, number>;
  totalExits: number;
  runSeconds: number;
  exitsPerSecond: number;
}

export interface HostInfo {
  /** True when the host's KVM is the PVM flavour (no VMX/SVM): see the host notes in the docs. */
  pvm: boolean;
  caps: Record<string, number>;
  format: string;
  notes: string[];
}

export type HostCommand =
  /** Leave the paused state; a debugger says how far to run (one instruction, to an address, on) in the same message. */
  | { kind: 'resume'; mode?: RunMode }
  | { kind: 'pause' }
  | { kind: 'stop' }
  /** Sent by the owner's idle watchdog: check whether the guest halted for good. */
  | { kind: 'probeIdle' }
  /** Display refresh: run the SVGA FIFO, read the dirty log, post a `frame` event if the screen changed. */
  | { kind: 'displayTick' }
  | { kind: 'request'; id: number; op: string; args: unknown };

export type WorkerEvent =
  | { kind: 'ready'; info: HostInfo }
  /** The vCPU stopped; its registers travel with the event, so the first look at them costs no further round trip. */
  | { kind: 'paused'; rip: string; reason: string; detail?: StopDetail; state?: CpuState }
  /** Text for the debugger's console (logpoints, condition errors). */
  | { kind: 'debugOutput'; text: string }
  | { kind: 'ended'; end: VmEnd; stats: RunStats }
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: string }
  | { kind: 'log'; level: 'info' | 'warn'; text: string }
  /** A backdoor trace entry (call or reassembled GuestRPC message), as the device produced it. */
  | { kind: 'backdoor'; record: unknown }
  /** RPCI `log` text from guest tools. */
  | { kind: 'guestLog'; text: string }
  /** An encoded frame update (display/frameFormat.ts), transferred rather than copied. */
  | { kind: 'frame'; bytes: ArrayBuffer };

/** Registers of a stopped vCPU, as KVM_GET_REGS and KVM_GET_SREGS return them. */
export interface CpuState { regs: Regs; sregs: Sregs }

export interface WorkerInit {
  config: MachineConfig;
  control: SharedArrayBuffer;
  serialOut: SharedArrayBuffer;
  serialIn: SharedArrayBuffer;
  debugconOut: SharedArrayBuffer;
  commands: MessagePort;
}
