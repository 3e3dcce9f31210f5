// The narrow interface the debug engine drives (run control, state, memory, breakpoints), and its VmHost implementation.
import { EventEmitter } from 'events';
import { TextDecoder } from 'util';
import { traceEntryToJson, type BackdoorTraceEntry } from '../devices/vmwareBackdoor/records';
import type { Regs, Sregs } from '../vmm/cpu/registers';
import type { BackdoorStopFilter } from '../vmm/debugStub/backdoorStop';
import {
  STUB_OP, type BreakpointSpec, type BreakpointStatus, type EvaluateResult, type ExtraState, type MemoryResult, type RunMode, type StopDetail,
} from '../vmm/debugStub/stubTypes';
import type { CpuState, HostInfo, MachineConfig, VmEnd } from '../vmm/vcpu/protocol';
import { VmHost } from '../vmm/vmHost';

export type OutputCategory = 'stdout' | 'stderr' | 'console';

export interface DebugTargetEvents {
  /** The vCPU stopped (including the initial stop at the entry point), with its registers when KVM gave them. */
  stopped: [StopDetail, CpuState?];
  output: [OutputCategory, string];
  /** The VM is gone; no request works any more. */
  ended: [VmEnd];
  /** Raw bytes the guest wrote to COM1 (also sent as text through `output`). */
  serial: [Uint8Array];
  /** One VMware backdoor trace entry as plain JSON data (bigints as hex strings). */
  backdoor: [unknown];
  /** An encoded frame update of the guest screen (display/frameFormat.ts). */
  frame: [Uint8Array];
}

export interface DebugTarget extends EventEmitter<DebugTargetEvents> {
  readonly info: HostInfo;
  readonly hasEnded: boolean;
  /** Runs the vCPU: one instruction, to an address, or on (`continue`, the default). */
  resume(mode?: RunMode): void;
  pause(): void;
  /** Ends the VM; resolves once nothing of it is left running. */
  stop(): Promise<void>;
  getRegs(): Promise<Regs>;
  setRegs(patch: Partial<Regs>): Promise<void>;
  getSregs(): Promise<Sregs>;
  setSregs(patch: Partial<Sregs>): Promise<void>;
  extraState(): Promise<ExtraState>;
  setBreakpoints(specs: BreakpointSpec[]): Promise<BreakpointStatus[]>;
  /** Whether an int3 the debugger did not plant stops the vCPU (otherwise the guest's #BP handler gets it). */
  setStopOnGuestInt3(stop: boolean): Promise<void>;
  /** Which backdoor calls stop the vCPU (the "Backdoor command" exception filter); undefined stops none. */
  setBackdoorFilter(filter: BackdoorStopFilter | undefined): Promise<void>;
  readMemory(address: bigint, length: number, physical: boolean): Promise<MemoryResult>;
  evaluate(text: string, symbols: Record<string, bigint>): Promise<EvaluateResult>;
  /** Writes a value to the register or memory an expression names. */
  assign(text: string, value: bigint, symbols: Record<string, bigint>): Promise<EvaluateResult>;
  writeMemory(address: bigint, bytes: Uint8Array, physical: boolean): Promise<MemoryResult>;
  /** Bytes for the guest's UART receiver. */
  sendSerialInput(bytes: Uint8Array): void;
  /** Queues a command for the guest tools on the VMware TCLO channel. */
  sendTclo(command: string): Promise<void>;
  /** VM exits so far. */
  readonly exitCount: number;
  /** A key press or release (DOM `code`) for the guest's PS/2 keyboard; false when its queue is full. */
  sendKey(code: string, down: boolean): Promise<boolean>;
  /** A pointer position in guest pixels on a width x height screen, for the VMware mouse. */
  sendPointer(p: { x: number; y: number; width: number; height: number; buttons: number; wheel: number }): Promise<void>;
  /** The whole screen as one frame update, for a viewer that starts late; undefined without a display. */
  keyFrame(): Promise<Uint8Array | undefined>;
}

/** Builds a target for a machine configuration; the engine uses it again to restart. */
export type TargetFactory = (config: MachineConfig) => Promise<DebugTarget>;

export class VmTarget extends EventEmitter<DebugTargetEvents> implements DebugTarget {
  private readonly serialText = new TextDecoder('utf-8');
  private readonly debugconText = new TextDecoder('utf-8');

  private constructor(private readonly vm: VmHost, readonly info: HostInfo) {
    super();
    vm.on('paused', (p) => this.emit('stopped', p.detail ?? { reason: 'pause' }, p.state));
    vm.on('serial', (b) => {
      this.emit('serial', b);
      this.emit('output', 'stdout', this.serialText.decode(b, { stream: true }));
    });
    vm.on('frame', (bytes) => this.emit('frame', bytes));
    vm.on('backdoor', (r) => this.emit('backdoor', JSON.parse(traceEntryToJson(r as BackdoorTraceEntry))));
    vm.on('debugcon', (b) => this.emit('output', 'stdout', this.debugconText.decode(b, { stream: true })));
    vm.on('debugOutput', (text) => this.emit('output', 'console', text));
    vm.on('log', (level, text) => this.emitLog(level, text));
    vm.on('ended', (end) => this.emit('ended', end));
  }

  /** Starts the VM paused at its entry point; rejects with the setup error (one line plus advice) if it cannot start. */
  static start(config: MachineConfig, workerDir: string): Promise<VmTarget> {
    const vm = new VmHost(config, workerDir);
    // Warnings the machine logs while it is built (e.g. a hypercall transport this host cannot forward) come before
    // `ready`: keep them for the target's first listener rather than lose them.
    const early: [string, string][] = [];
    const onEarlyLog = (level: string, text: string) => early.push([level, text]);
    vm.on('log', onEarlyLog);
    return new Promise((resolve, reject) => {
      const onEnded = (end: VmEnd) => {
        vm.off('log', onEarlyLog);
        if (end.reason === 'setupFailed') reject(new Error(`cannot start the VM: ${end.message}${end.advice ? ` (${end.advice})` : ''}`));
        else reject(new Error(`the VM ended before it was ready (${end.reason})`));
      };
      vm.once('ended', onEnded);
      vm.once('ready', (info) => {
        vm.off('ended', onEnded);
        vm.off('log', onEarlyLog);
        const target = new VmTarget(vm, info);
        // The owner subscribes once the promise settles; a later turn reaches it.
        if (early.length > 0) setImmediate(() => { for (const [level, text] of early) target.emitLog(level, text); });
        resolve(target);
      });
    });
  }

  private emitLog(level: string, text: string): void {
    this.emit('output', 'console', `${level === 'warn' ? 'warning: ' : ''}${text}\n`);
  }

  get hasEnded(): boolean { return this.vm.hasEnded; }
  get exitCount(): number { return this.vm.exitCount; }
  sendSerialInput(bytes: Uint8Array): void { this.vm.sendSerialInput(bytes); }
  async sendTclo(command: string): Promise<void> { await this.vm.request(STUB_OP.sendTclo, { command }); }
  keyFrame(): Promise<Uint8Array | undefined> { return this.vm.request(STUB_OP.keyFrame); }
  sendKey(code: string, down: boolean): Promise<boolean> { return this.vm.request(STUB_OP.key, { code, down }); }
  async sendPointer(p: { x: number; y: number; width: number; height: number; buttons: number; wheel: number }): Promise<void> {
    await this.vm.request(STUB_OP.pointer, p);
  }
  resume(mode: RunMode = { kind: 'continue' }): void { this.vm.resume(mode); }
  pause(): void { this.vm.pause(); }
  stop(): Promise<void> { return this.vm.stop(); }
  getRegs(): Promise<Regs> { return this.vm.request<Regs>('getRegs'); }
  async setRegs(patch: Partial<Regs>): Promise<void> { await this.vm.request('setRegs', { regs: patch }); }
  getSregs(): Promise<Sregs> { return this.vm.request<Sregs>('getSregs'); }
  async setSregs(patch: Partial<Sregs>): Promise<void> { await this.vm.request('setSregs', { sregs: patch }); }
  extraState(): Promise<ExtraState> { return this.vm.request<ExtraState>(STUB_OP.extraState); }
  setBreakpoints(specs: BreakpointSpec[]): Promise<BreakpointStatus[]> { return this.vm.request(STUB_OP.setBreakpoints, { specs }); }
  async setStopOnGuestInt3(stop: boolean): Promise<void> { await this.vm.request(STUB_OP.setExceptionFilters, { guestInt3: stop }); }
  async setBackdoorFilter(filter: BackdoorStopFilter | undefined): Promise<void> { await this.vm.request(STUB_OP.setBackdoorFilter, { filter }); }
  evaluate(text: string, symbols: Record<string, bigint>): Promise<EvaluateResult> {
    return this.vm.request(STUB_OP.evaluate, { text, symbols });
  }
  assign(text: string, value: bigint, symbols: Record<string, bigint>): Promise<EvaluateResult> {
    return this.vm.request(STUB_OP.assign, { text, value, symbols });
  }
  readMemory(address: bigint, length: number, physical: boolean): Promise<MemoryResult> {
    return this.vm.request(STUB_OP.readMemory, { address, length, physical });
  }
  writeMemory(address: bigint, bytes: Uint8Array, physical: boolean): Promise<MemoryResult> {
    return this.vm.request(STUB_OP.writeMemory, { address, bytes, physical });
  }
}
