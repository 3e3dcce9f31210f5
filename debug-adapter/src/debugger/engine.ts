// DebugEngine: run control, stepping, breakpoints, registers, memory, disassembly and evaluation over a DebugTarget.
// It knows nothing of DAP: the session translates requests into these calls and these events into DAP events.
import { EventEmitter } from 'events';
import { exitStatusFor } from '../cli/runCommand';
import { cpuMode, modeBitness, type CpuMode, type Regs, type Sregs } from '../vmm/cpu/registers';
import { parseBackdoorCondition, type BackdoorStopFilter } from '../vmm/debugStub/backdoorStop';
import { linearPc } from '../vmm/debugStub/linearAddress';
import type { RunMode, StopDetail } from '../vmm/debugStub/stubTypes';
import type { CpuState, HostInfo, MachineConfig, VmEnd } from '../vmm/vcpu/protocol';
import { buildMachineConfig, type BootRequest } from './bootConfig';
import { stackFrames, type FrameInfo } from './callStack';
import { endReport } from './endReport';
import { decodeInstructions, MAX_INSTRUCTION_BYTES } from './disassembler';
import { disassemblyWindow, pageWiseSource, type WindowInstruction } from './disassemblyWindow';
import {
  BreakpointManager, type BreakpointEntry, type BreakpointResult, type DataBreakpointRequest, type FunctionBreakpointRequest, type InstructionBreakpointRequest,
  type SourceBreakpointRequest,
} from './breakpointManager';
import { runHostChecks, type StopEvaluator } from './hostChecks';
import { LINE_STEP_BUDGET, nextLineStepAction, type LineStep } from './lineStep';
import { formatMemoryReference, parseMemoryReference } from './memoryReference';
import { registerPatch } from './registerNames';
import * as view from './registerView';
import { SourcePathMap } from './sourcePathMap';
import { SymbolIndex, type SourcePosition, type SymbolFile } from './symbolIndex';
import type { DebugInfo } from './symbols';
import type { DebugTarget, OutputCategory, TargetFactory } from './target';

export interface LaunchRequest extends BootRequest {
  stopOnEntry: boolean;
  symbols?: string;
  /** Added to the symbol file's addresses (a relocated or higher-half image). */
  symbolOffset?: bigint;
  /** More images to take symbols from (modules, a loader stage), each with its load offset. */
  extraSymbols?: SymbolFile[];
  /** Build directories named in DWARF → directories on this machine. */
  sourceMap?: Record<string, string>;
}

export type { BreakpointResult, DataBreakpointRequest, FunctionBreakpointRequest, InstructionBreakpointRequest, SourceBreakpointRequest } from './breakpointManager';

export interface EngineStop extends StopDetail {
  description?: string;
  /** For a breakpoint stop: the kind of breakpoint, when all that hit are of one kind. */
  breakpointKind?: 'instruction' | 'function' | 'source' | 'data';
}

export interface EngineEvents {
  stopped: [EngineStop];
  output: [OutputCategory, string];
  exited: [number];
  terminated: [];
  /** Register values changed without a stop (the user edited one). */
  invalidated: [];
  /** Raw guest serial bytes (the same text also arrives as `output`). */
  serial: [Uint8Array];
  /** VMware backdoor trace entries, as plain data. */
  backdoor: [unknown];
  /** Encoded frame updates of the guest screen. */
  frame: [Uint8Array];
}


export class EngineError extends Error {}


interface Snapshot { regs: Regs; sregs: Sregs; mode: CpuMode; pc: bigint }

export class DebugEngine extends EventEmitter<EngineEvents> {
  private target: DebugTarget | undefined;
  private request: LaunchRequest | undefined;
  private symbols: SymbolIndex | undefined;
  private configured = false;
  private running = false;
  private snapshot: Promise<Snapshot> | undefined;
  private readonly breakpoints = new BreakpointManager(() => this.symbols);
  private lastStop: EngineStop | undefined;
  private stopOnGuestInt3 = true;
  /** The "Backdoor command" exception filter, re-applied to every new target. */
  private backdoorFilter: BackdoorStopFilter | undefined;
  private lineStep: LineStep | undefined;
  private lastRunMode: RunMode = { kind: 'continue' };
  /** Linear pc of the last stop (which image's DWARF describes the C variables). */
  private stopPc: bigint | undefined;
  /** Stack pointer before the call that the last `until` runs over. */
  private callSp: bigint | undefined;
  private terminating = false;
  /** Runs C breakpoint conditions and logpoints; machine-level until the C variables install theirs. */
  private stopEvaluator: StopEvaluator = {
    truth: async (text) => (await this.evaluateValue(text)) !== 0n,
    text: async (expr) => `0x${(await this.evaluateValue(expr)).toString(16)}`,
  };

  constructor(private readonly factory: TargetFactory) {
    super();
  }

  get hostInfo(): HostInfo | undefined { return this.target?.info; }
  /** The vCPU runs (a continue or step is under way); state requests fail until it stops. */
  get isRunning(): boolean { return this.running; }
  get exceptionStop(): EngineStop | undefined { return this.lastStop?.reason === 'exception' ? this.lastStop : undefined; }

  /** Boots the VM paused at its entry point; nothing runs until configurationDone(). Throws one-line errors. */
  async launch(req: LaunchRequest): Promise<void> {
    this.request = req;
    const config = buildMachineConfig(req);
    // One `symbols` file stands in for the kernel's; a list adds images to it.
    const primary: SymbolFile = req.symbols
      ? { path: req.symbols, offset: req.symbolOffset ?? 0n, label: 'symbols' }
      : { path: req.kernel, offset: req.symbolOffset ?? 0n, label: 'kernel', implicit: true };
    this.symbols = SymbolIndex.load([primary, ...req.extraSymbols ?? []], new SourcePathMap(req.sourceMap),
      (text) => this.emit('output', 'console', `${text}\n`));
    await this.attach(config);
  }

  /** Breakpoints are in; start the guest (or report the entry stop). */
  async configurationDone(): Promise<void> {
    this.configured = true;
    await this.startOrStopAtEntry();
  }

  async continue(): Promise<void> {
    this.lineStep = undefined;
    await this.resume({ kind: 'continue' });
  }

  pause(): void {
    // A line step in progress stops at its next instruction boundary.
    if (this.lineStep) this.lineStep.budget = 0;
    if (this.running) this.live().pause();
  }

  /**
   * `line` granularity steps source lines where line tables cover the pc (instruction steps until the line changes);
   * elsewhere, and with `instruction`, one instruction.
   */
  async step(kind: 'in' | 'over' | 'out', granularity: 'line' | 'instruction' = 'instruction'): Promise<void> {
    this.lineStep = undefined;
    if (granularity === 'line' && kind !== 'out') {
      const s = await this.state();
      const here = this.symbols?.source(s.pc);
      if (here) this.lineStep = { kind, file: here.file, line: here.line, budget: LINE_STEP_BUDGET };
    }
    return this.instructionStep(kind);
  }

  /** One instruction; `over` runs calls, interrupts and rep instructions to the next instruction; `out` runs to the caller. */
  private async instructionStep(kind: 'in' | 'over' | 'out'): Promise<void> {
    if (kind === 'in') return this.resume({ kind: 'step' });
    const s = await this.state();
    if (kind === 'over') {
      const bitness = modeBitness(s.mode);
      const r = await this.live().readMemory(s.pc, MAX_INSTRUCTION_BYTES, false);
      const [insn] = r.ok ? decodeInstructions(r.bytes, s.pc, bitness, 1) : [];
      if (!insn?.stepsOver) return this.resume({ kind: 'step' });
      this.callSp = s.regs.rsp;
      return this.resume({ kind: 'until', address: s.pc + BigInt(insn.length) });
    }
    // Step out runs to the caller's return address: from the frame-pointer chain, or from [sp] at a function's entry.
    // Limits: code without frame pointers (or stopped inside a prologue) yields a wrong caller, and a recursive callee
    // stops at the first activation that reaches that address.
    // Inlined calls share the pc of the frame holding them: the caller to run to is the first real frame out.
    const callers = (await this.frames()).filter((f, i) => i === 0 || !f.inlined);
    const outer = callers.slice(1).find((f) => f.address !== callers[0].address);
    if (outer) return this.resume({ kind: 'until', address: outer.address });
    const size = modeBitness(s.mode) / 8;
    const sp = s.sregs.ss.base + (size === 2 ? s.regs.rsp & 0xffffn : s.regs.rsp);
    const r = await this.live().readMemory(sp, size, false);
    if (!r.ok) throw new EngineError(`step out: cannot read the return address at [sp] (0x${sp.toString(16)}): ${r.error}`);
    let ret = 0n;
    for (let i = size - 1; i >= 0; i--) ret = (ret << 8n) | BigInt(r.bytes[i]);
    return this.resume({ kind: 'until', address: size === 2 ? s.sregs.cs.base + ret : ret });
  }

  setInstructionBreakpoints(list: InstructionBreakpointRequest[]): Promise<BreakpointResult[]> {
    return this.applyBreakpoints(this.breakpoints.setInstruction(list));
  }

  setFunctionBreakpoints(list: FunctionBreakpointRequest[]): Promise<BreakpointResult[]> {
    return this.applyBreakpoints(this.breakpoints.setFunction(list));
  }

  /**
   * Data breakpoints through DR0-DR3. Where KVM never delivers debug-register watchpoints (PVM hosts) each is
   * answered unverified with the reason, and nothing is armed.
   */
  setDataBreakpoints(list: DataBreakpointRequest[]): Promise<BreakpointResult[]> {
    const entries = this.breakpoints.setData(list);
    if (this.target?.info.pvm) {
      for (const e of entries) {
        e.specs = [];
        e.failure ??= 'data breakpoints never fire on this host: its KVM (PVM, no VMX/SVM) does not deliver debug-register watchpoints';
      }
    }
    return this.applyBreakpoints(entries);
  }

  /** Breakpoints on lines of one source file (needs DWARF line tables). */
  setSourceBreakpoints(file: string, list: SourceBreakpointRequest[]): Promise<BreakpointResult[]> {
    return this.applyBreakpoints(this.breakpoints.setSource(file, list));
  }

  /** The "Guest breakpoint instructions" exception filter. */
  async setStopOnGuestInt3(stop: boolean): Promise<void> {
    this.stopOnGuestInt3 = stop;
    if (this.target && !this.target.hasEnded) await this.target.setStopOnGuestInt3(stop);
  }

  /** The "Backdoor command" exception filter: `undefined` turns it off; throws on an unknown command in the condition. */
  async setBackdoorFilter(condition: string | undefined): Promise<void> {
    this.backdoorFilter = condition === undefined ? undefined : parseBackdoorCondition(condition);
    if (this.target && !this.target.hasEnded) await this.target.setBackdoorFilter(this.backdoorFilter);
  }

  /** The current instruction, then callers found by walking frame pointers (32- and 64-bit code only). */
  async frames(): Promise<FrameInfo[]> {
    const target = this.live();
    return stackFrames(await this.state(), (address, length) => target.readMemory(address, length, false), this.symbols);
  }

  async registers(group: view.RegisterGroupName): Promise<view.RegisterItem[]> {
    const s = await this.state();
    return view.registerGroup(group, s.regs, s.sregs, s.mode, () => this.live().extraState());
  }

  /** Writes a register (or one flag) from an expression; returns the new displayed value. */
  async setRegister(group: view.RegisterGroupName, name: string, valueText: string): Promise<string> {
    const value = await this.evaluateValue(valueText);
    const s = await this.state();
    const target = this.live();
    if (group === 'Flags') {
      const rflags = view.withFlag(s.regs.rflags, name, value);
      if (rflags === undefined) throw new EngineError(`${name}: ${value} does not fit in this flag`);
      await target.setRegs({ rflags });
    } else if (group === 'Control' && ['cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'efer'].includes(name)) {
      await target.setSregs({ [name]: value });
    } else if (group === 'General') {
      const patch = registerPatch(name, value, s.regs);
      if (!patch) throw new EngineError(`'${name}' is not a register that can be written`);
      await target.setRegs(patch);
    } else {
      throw new EngineError(`${group} registers cannot be edited here`);
    }
    this.snapshot = undefined;
    const items = await this.registers(group);
    this.emit('invalidated');
    return items.find((i) => i.name === name)?.value ?? `0x${value.toString(16)}`;
  }

  async readMemory(ref: string, offset: number, count: number): Promise<{ address: string; bytes: Uint8Array }> {
    const loc = parseMemoryReference(ref, offset);
    const r = await this.live().readMemory(loc.address, count, loc.physical);
    if (!r.ok) throw new EngineError(r.error);
    return { address: formatMemoryReference(loc.address, loc.physical), bytes: r.bytes };
  }

  async writeMemory(ref: string, offset: number, bytes: Uint8Array): Promise<number> {
    const loc = parseMemoryReference(ref, offset);
    const r = await this.live().writeMemory(loc.address, bytes, loc.physical);
    if (!r.ok) throw new EngineError(r.error);
    return bytes.length;
  }

  async disassemble(
    ref: string, offset: number, instructionOffset: number, count: number,
  ): Promise<(WindowInstruction & { symbol?: string; source?: SourcePosition })[]> {
    const loc = parseMemoryReference(ref, offset);
    const s = await this.state();
    const target = this.live();
    const read = pageWiseSource((address, length) => target.readMemory(address, length, loc.physical));
    const list = await disassemblyWindow(read, loc.address, instructionOffset, count, modeBitness(s.mode));
    return list.map((i) => ({ ...i, symbol: this.symbols?.startingAt(i.address), source: i.readable ? this.symbols?.source(i.address) : undefined }));
  }

  /** Evaluates an expression over registers, memory and symbols. */
  async evaluateValue(text: string): Promise<bigint> {
    const r = await this.live().evaluate(text, this.breakpoints.symbolMap(text));
    if (!r.ok) throw new EngineError(r.error);
    return r.value;
  }

  /** Set Value on a watch: evaluates `valueText`, writes it to what `text` names and returns the new value. */
  async assign(text: string, valueText: string): Promise<bigint> {
    const value = await this.evaluateValue(valueText);
    const r = await this.live().assign(text, value, this.breakpoints.symbolMap(text));
    if (!r.ok) throw new EngineError(r.error);
    this.snapshot = undefined;
    this.emit('invalidated');
    return this.evaluateValue(text);
  }

  /** How breakpoint conditions and logpoints in C are evaluated in the stopped innermost frame. */
  setStopEvaluator(ev: StopEvaluator): void { this.stopEvaluator = ev; }

  symbolLabel(address: bigint): string | undefined { return this.symbols?.label(address); }
  /** The image's symbols and line tables, when it has them. */
  get symbolIndex(): SymbolIndex | undefined { return this.symbols; }

  /** DWARF for C variables: that of the image the vCPU stopped in. */
  get stopDebugInfo(): DebugInfo | undefined { return this.symbols?.debugInfoAt(this.stopPc); }

  /** Moves the pc (Jump to Cursor) to a linear address in the current code segment. */
  async jumpTo(address: bigint): Promise<void> {
    const s = await this.state();
    await this.live().setRegs({ rip: address - (s.mode === 'long64' ? 0n : s.sregs.cs.base) });
    this.reportStop({ reason: 'goto' });
  }

  sendSerialInput(bytes: Uint8Array): void { this.live().sendSerialInput(bytes); }
  sendTclo(command: string): Promise<void> { return this.live().sendTclo(command); }
  keyFrame(): Promise<Uint8Array | undefined> { return this.live().keyFrame(); }
  sendKey(code: string, down: boolean): Promise<boolean> { return this.live().sendKey(code, down); }
  sendPointer(p: Parameters<DebugTarget['sendPointer']>[0]): Promise<void> { return this.live().sendPointer(p); }

  /** Exit counter, and the CPU mode while stopped; undefined when no VM runs. */
  async stats(): Promise<{ exits: number; mode?: CpuMode } | undefined> {
    if (!this.target || this.target.hasEnded) return undefined;
    return { exits: this.target.exitCount, mode: this.running ? undefined : (await this.state()).mode };
  }

  /** Registers of the paused vCPU (for console commands that decode system tables). */
  async systemState(): Promise<{ regs: Regs; sregs: Sregs; mode: CpuMode }> { return this.state(); }

  /** Ends the VM and the session. */
  async terminate(): Promise<void> {
    this.terminating = true;
    if (this.target && !this.target.hasEnded) await this.target.stop();
  }

  /** Resets the VM: the image is loaded again and breakpoints re-applied. */
  async restart(): Promise<void> {
    if (!this.request) throw new EngineError('restart before launch');
    const old = this.target;
    this.target = undefined;
    if (old) { old.removeAllListeners(); await old.stop(); }
    await this.attach(buildMachineConfig(this.request));
    await this.startOrStopAtEntry();
  }

  private async attach(config: MachineConfig): Promise<void> {
    const target = await this.factory(config);
    this.target = target;
    this.running = false;
    this.snapshot = undefined;
    target.on('output', (c, t) => this.emit('output', c, t));
    target.on('serial', (b) => this.emit('serial', b));
    target.on('backdoor', (e) => this.emit('backdoor', e));
    target.on('frame', (f) => this.emit('frame', f));
    target.on('stopped', (d, state) => this.onStopped(d, state));
    target.on('ended', (end) => this.onEnded(end));
    if (this.breakpoints.specs().length > 0) await target.setBreakpoints(this.breakpoints.specs());
    if (!this.stopOnGuestInt3) await target.setStopOnGuestInt3(false);
    if (this.backdoorFilter) await target.setBackdoorFilter(this.backdoorFilter);
  }

  private async startOrStopAtEntry(): Promise<void> {
    if (this.request?.stopOnEntry ?? true) this.reportStop({ reason: 'entry' });
    else await this.continue();
  }

  private onStopped(d: StopDetail, state: CpuState | undefined): void {
    // The worker announces its initial paused state when its loop starts, which can be after configurationDone has
    // already resumed it; that stop is reported by startOrStopAtEntry instead.
    if (d.reason !== 'entry') this.reportStop(d, state);
  }

  /** `state`: the registers that came with the stop, so describing it needs no request to the vCPU. */
  private reportStop(d: StopDetail, state?: CpuState): void {
    this.running = false;
    const snap = state ? snapshotOf(state.regs, state.sregs) : undefined;
    this.stopPc = snap?.pc;
    this.snapshot = snap ? Promise.resolve(snap) : undefined;
    if (!this.configured) return;
    void this.afterStop(d);
  }

  private async afterStop(d: StopDetail): Promise<void> {
    if (d.pendingIds?.length) {
      const passed = await runHostChecks(d.pendingIds, (id) => this.breakpoints.check(id), this.stopEvaluator, (t) => this.emit('output', 'console', t));
      const ids = [...(d.breakpointIds ?? []), ...passed];
      if (ids.length === 0 && d.reason === 'breakpoint') {
        // Nothing wants this stop: carry on as the vCPU was running (a continue, a step over a call, a line step).
        if (this.target && !this.target.hasEnded) await this.resume(this.lastRunMode).catch((e) => this.emit('output', 'stderr', `cannot resume: ${(e as Error).message}\n`));
        return;
      }
      d = { reason: ids.length > 0 ? 'breakpoint' : d.reason, breakpointIds: ids.length > 0 ? ids : undefined };
    }
    const step = this.lineStep;
    if (step && d.reason === 'step') {
      try {
        const s = await this.state();
        const action = nextLineStepAction(step, s.pc, this.symbols?.source(s.pc), s.regs.rsp, this.lastRunMode.kind === 'until' ? this.callSp : undefined);
        if (action.kind === 'step' && this.lineStep === step) return await this.instructionStep(action.mode);
        if (action.kind === 'rerun' && this.lineStep === step) return await this.resume({ kind: 'until', address: action.address });
      } catch {
        // Fall through and report the stop: the user is better off seeing where stepping failed.
      }
    }
    this.lineStep = undefined;
    const stop = await this.describe(d);
    // The session may have ended the VM meanwhile; a stop after `terminated` would confuse the client.
    if (!this.target || this.target.hasEnded) return;
    this.lastStop = stop;
    this.emit('stopped', stop);
  }

  private async describe(d: StopDetail): Promise<EngineStop> {
    if (d.reason === 'breakpoint' && d.breakpointIds?.length) {
      const kinds = new Set(d.breakpointIds.map((id) => this.breakpoints.kindOf(id)));
      const [kind] = kinds;
      return kinds.size === 1 && kind ? { ...d, breakpointKind: kind } : d;
    }
    if (d.reason !== 'entry' && d.reason !== 'step' && d.reason !== 'pause') return d;
    try {
      const s = await this.state();
      const where = this.symbols?.label(s.pc) ?? `0x${s.pc.toString(16)}`;
      const what = d.reason === 'entry' ? 'Entry point' : d.reason === 'step' ? 'Stepped' : 'Paused';
      return { ...d, description: `${what} at ${where} in ${view.MODE_NAMES[s.mode]}` };
    } catch {
      return d;
    }
  }

  private onEnded(end: VmEnd): void {
    this.running = false;
    const report = endReport(end);
    if (report) this.emit('output', report.category, report.text);
    if (!this.terminating || end.reason !== 'stopped') this.emit('exited', exitStatusFor(end));
    this.emit('terminated');
  }

  private async resume(mode: RunMode): Promise<void> {
    const target = this.live();
    this.lastRunMode = mode;
    this.snapshot = undefined;
    this.running = true;
    this.lastStop = undefined;
    // The run mode travels with the resume command: a step costs one message to the vCPU and one back.
    target.resume(mode);
  }

  /** Sends every breakpoint to the stub and reports on the entries just set (a line's several addresses count as one). */
  private async applyBreakpoints(entries: BreakpointEntry[]): Promise<BreakpointResult[]> {
    const live = this.target && !this.target.hasEnded ? this.target : undefined;
    const status = live ? await live.setBreakpoints(this.breakpoints.specs()) : [];
    return entries.map((e) => {
      const base = { id: e.id, address: e.specs[0]?.address, line: e.line };
      if (e.failure) return { ...base, verified: false, message: e.failure };
      if (!live) return { ...base, verified: false, message: 'the VM is not running' };
      const mine = status.filter((s) => s.id === e.id);
      const ok = mine.find((s) => s.verified);
      // A verified breakpoint may still carry a note (one waiting in a debug register for its page to be mapped).
      return ok ? { ...base, verified: true, ...(ok.message ? { message: ok.message } : {}) } : { ...base, verified: false, message: mine[0]?.message };
    });
  }

  private live(): DebugTarget {
    if (!this.target || this.target.hasEnded) throw new EngineError('the VM is not running');
    return this.target;
  }

  private state(): Promise<Snapshot> {
    const target = this.live();
    if (this.running) return Promise.reject(new EngineError('the vCPU is running: pause it first'));
    this.snapshot ??= (async () => {
      const [regs, sregs] = await Promise.all([target.getRegs(), target.getSregs()]);
      const snap = snapshotOf(regs, sregs);
      this.stopPc = snap.pc;
      return snap;
    })();
    const p = this.snapshot;
    p.catch(() => { if (this.snapshot === p) this.snapshot = undefined; });
    return p;
  }
}

function snapshotOf(regs: Regs, sregs: Sregs): Snapshot {
  return { regs, sregs, mode: cpuMode(sregs, regs.rflags), pc: linearPc(regs, sregs) };
}

export { view as registerView };
export type { FrameInfo };
