// Worker-side debugging: arms KVM guest debug, plants breakpoints while running, and decides on each debug exit
// whether the vCPU stops or carries on (machine-level conditions, hit counts and logpoints are checked here, with no
// thread hop; C ones stop and are left to the main thread).
import { SREG_OFF } from '../../../../native/src/kvm/codec';
import { KVM_CAP, KVM_GUESTDBG } from '../../../../native/src/kvm/constants';
import { RUN } from '../../../../native/src/kvm/kvmRun';
import { KvmVcpuEvents } from '../../../../native/src/kvm/structs';
import koffi = require('koffi');
import { Expression, ExpressionError, interpolate, type ExpressionContext } from '../../debugger/expression';
import { registerPatch, registerValue } from '../../debugger/registerNames';
import { cpuMode, modeBitness, type Regs, type Sregs } from '../cpu/registers';
import type { Machine } from '../machine/machine';
import { translate } from '../memory/pageWalker';
import { readVirtual, writeVirtual } from '../memory/virtualMemory';
import { BreakpointTable, INT3, type ArmedBreakpoint } from './breakpointTable';
import { debugRegisters, matchedSlots } from './debugRegisters';
import type { SyncRegs } from '../vcpu/syncRegs';
import { linearPc } from './linearAddress';
import type { BreakpointSpec, BreakpointStatus, EvaluateResult, RunMode, StopDetail } from './stubTypes';

/** Vector of #BP, as KVM reports it in the debug exit. */
const BP_VECTOR = 3;
/** kvm_vcpu_events.exception: injected (u8), nr (u8), has_error_code (u8), pending (u8), error_code (u32). */
const EVENT_EXCEPTION = koffi.offsetof(KvmVcpuEvents, 'exception');
const EXCEPTION_INJECTED = 0;
const EXCEPTION_NR = 1;
const EXCEPTION_FIELDS_SIZE = 8;
/** DR6.BS: the #DB came from single-stepping. */
const DR6_BS = 1n << 14n;
/** The system registers that decide where a linear address leads. */
const PAGING_FIELDS = ['cr0', 'cr3', 'cr4', 'efer'] as const;
/** Control registers an assignment may write (through KVM_SET_SREGS). */
const CONTROL_REGISTERS = ['cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'efer'];

export class DebugStub {
  private readonly table: BreakpointTable;
  private next: RunMode = { kind: 'continue' };
  /** The user asked for one instruction. */
  private userStep = false;
  /** A breakpoint address we are single-stepping off before re-planting it. */
  private stepOver: bigint | undefined;
  /** Temporary breakpoint of step over / step out. */
  private temp: bigint | undefined;
  private lastGuestDebug = '';
  /** Between beforeResume and onPause: breakpoints are planted in guest memory. */
  private running = false;
  /** Stop on int3 instructions that are the guest's own (the "Guest breakpoint instructions" exception filter). */
  private stopOnGuestInt3 = true;
  private readonly blockIrq: boolean;
  /**
   * CR0, CR3, CR4 and EFER (as 32-bit halves) when the breakpoints were last planted: a change while running means
   * planting again. Compared with kvm_run's copy after every exit, so kept in a form that needs no BigInt.
   */
  private readonly plantedUnder = new Uint32Array(PAGING_FIELDS.length * 2);
  /** Breakpoints whose code the guest has overwritten while running (told once each). */
  private readonly overwriteNoted = new Set<bigint>();
  /** Breakpoints whose instruction the guest has already reached through another mapping (told once each). */
  private readonly aliasNoted = new Set<bigint>();
  /** Registers read at the last stop, valid until a request may have changed them; saves two ioctls per step. */
  private pausedState: { regs: Regs; sregs: Sregs } | undefined;

  constructor(private readonly m: Machine, private readonly sync: SyncRegs, private readonly output: (text: string) => void) {
    this.table = new BreakpointTable(m.memory);
    // Without BLOCKIRQ a timer interrupt would make every step land in the interrupt handler.
    this.blockIrq = (m.sys.checkExtension(KVM_CAP.SET_GUEST_DEBUG2) & KVM_GUESTDBG.BLOCKIRQ) !== 0;
  }

  setRunMode(mode: RunMode): void {
    this.next = mode;
  }

  setStopOnGuestInt3(stop: boolean): void {
    this.stopOnGuestInt3 = stop;
    if (this.running) this.applyGuestDebug();
  }

  /** Replaces all breakpoints; safe while the guest runs (they are lifted and planted again around the change). */
  setBreakpoints(specs: readonly BreakpointSpec[]): BreakpointStatus[] {
    const sregs = this.m.vcpu.getSregs();
    this.table.unplantAll();
    const status = this.table.set(specs, sregs);
    if (this.running) {
      this.plantAll(sregs);
      this.applyGuestDebug();
    }
    return status;
  }

  /** The loop is about to go from paused to running: plant breakpoints and arm single-step as the run mode needs. */
  beforeResume(): void {
    const { regs, sregs } = this.pausedState ?? this.state();
    this.pausedState = undefined;
    const pc = linearPc(regs, sregs);
    this.userStep = this.next.kind === 'step';
    this.temp = this.next.kind === 'until' ? this.next.address : undefined;
    this.next = { kind: 'continue' };
    const sw = this.softwareTargets();
    // Resuming on a breakpoint would hit it again at once: execute that one instruction without it first.
    this.stepOver = sw.includes(pc) || this.table.execAddresses().includes(pc) ? pc : undefined;
    this.plantAll(sregs);
    this.applyGuestDebug();
    this.running = true;
  }

  /**
   * After every exit while running: int3s the guest wrote over are planted again, and if the guest switched paging
   * on or off, or loaded another CR3, since the int3s were planted, each breakpoint is planted again where its
   * linear address now leads. Nothing is seen between exits: code the guest overwrites and runs with no exit in
   * between runs without the break, and after a paging switch an int3 may sit at a stale place until the next exit
   * (a breakpoint reached in that window through a new mapping is caught by the debug register that watches
   * unmapped ones, or by the alias check in guestInt3).
   */
  afterExit(): void {
    if (!this.running || !this.table.active) return;
    for (const a of this.table.replantOverwritten()) {
      if (this.overwriteNoted.has(a)) continue;
      this.overwriteNoted.add(a);
      this.output(`breakpoint at 0x${a.toString(16)}: the guest wrote new code there; the breakpoint is planted again in it\n`);
    }
    const run = this.m.vcpu.run;
    if (this.pagingUnchanged(run)) return;
    const sregs = this.sync.sregs();
    this.table.replant(this.softwareTargets().filter((a) => a !== this.stepOver), sregs);
    this.notePaging(sregs);
    this.applyGuestDebug();
  }

  /** The loop has paused for any reason (`state`: the registers it read then): the guest's memory goes back to its own bytes. */
  onPause(state?: { regs: Regs; sregs: Sregs }): void {
    this.pausedState = state;
    this.running = false;
    this.table.unplantAll();
    this.stepOver = undefined;
    this.userStep = false;
    this.temp = undefined;
  }

  /** A request is about to run while paused; it may write registers, so the state kept from the stop is stale. */
  forgetPausedState(): void {
    this.pausedState = undefined;
  }

  /** KVM_EXIT_DEBUG: a stop, or undefined to keep running. */
  onDebugExit(): StopDetail | undefined {
    const run = this.m.vcpu.run;
    const exception = run.readUInt32LE(RUN.debug.exception);
    const dr6 = run.readBigUInt64LE(RUN.debug.dr6);
    const { regs, sregs } = this.exitState();
    const pc = linearPc(regs, sregs);
    if (exception === BP_VECTOR) return this.onHit(pc, 'software', regs, sregs);
    // Data watchpoints trap after the access; DR6 names the registers that matched. A step may end at the same time.
    const watches = matchedSlots(dr6).flatMap((i) => this.table.dataAt(i));
    const data = watches.length > 0 ? this.check(watches, regs, sregs, 'data breakpoint') : undefined;
    const stepping = this.userStep || this.stepOver !== undefined;
    if (stepping && (dr6 & DR6_BS) !== 0n) {
      const step = this.onStepDone(sregs);
      return data && data.ids.length + data.pending.length > 0 ? dataStop(data) : step;
    }
    if (data) return data.ids.length + data.pending.length > 0 ? dataStop(data) : undefined;
    if (this.table.execAddresses().includes(pc) && pc !== this.stepOver) return this.onHit(pc, this.table.isWaiting(pc) ? 'software' : 'hardware', regs, sregs);
    if (stepping) return this.onStepDone(sregs);
    return { reason: 'exception', text: 'Debug exception', description: `#DB at 0x${pc.toString(16)} (DR6=0x${dr6.toString(16)})` };
  }

  /** KVM_EXIT_INTERNAL_ERROR: on PVM hosts a planted int3 arrives this way, with RIP still at the int3. */
  onInternalError(report: () => string): StopDetail | undefined {
    const { regs, sregs } = this.exitState();
    const pc = linearPc(regs, sregs);
    if (this.table.isPlanted(pc) || this.temp === pc) return this.onHit(pc, 'software', regs, sregs);
    const byte = readVirtual(pc, 1, sregs, this.m.memory);
    if (byte.ok && byte.bytes[0] === INT3) return this.guestInt3(pc, regs, sregs);
    // The report (a register dump) is built only when the exit really is an error: on PVM every software
    // breakpoint hit arrives this way.
    return { reason: 'exception', text: 'KVM internal error', description: report() };
  }

  /** KVM_EXIT_SHUTDOWN: the VM is kept so its state can be inspected. */
  onShutdown(): StopDetail {
    return { reason: 'exception', text: 'Triple fault', description: 'the CPU shut down (triple fault): an exception could not be delivered' };
  }

  /** Writes `value` into a register or memory named by an expression (Set Value on a watch); fails with one line. */
  assign(text: string, value: bigint, symbols: Record<string, bigint>): EvaluateResult {
    try {
      const regs = this.m.vcpu.getRegs();
      const sregs = this.m.vcpu.getSregs();
      const t = Expression.parse(text).target(this.context(regs, sregs, symbols));
      if (t.kind === 'register') {
        const patch = registerPatch(t.name, value, regs);
        if (patch) this.m.vcpu.setRegs(patch);
        else if (CONTROL_REGISTERS.includes(t.name)) this.m.vcpu.setSregs({ [t.name]: value });
        else return { ok: false, error: `'${t.name}' is not a register that can be written` };
      } else {
        const bytes = new Uint8Array(t.size);
        for (let i = 0; i < t.size; i++) bytes[i] = Number((value >> BigInt(8 * i)) & 0xffn);
        const w = writeVirtual(t.address, bytes, sregs, this.m.memory);
        if (!w.ok) return { ok: false, error: w.reason };
      }
      return { ok: true, value };
    } catch (err) {
      if (err instanceof ExpressionError) return { ok: false, error: err.message };
      throw err;
    }
  }

  /** Memory as the guest wrote it: planted int3 bytes (present only while the vCPU runs) are replaced by the originals. */
  hideBreakpoints(bytes: Uint8Array, start: bigint, physical: boolean): void {
    this.table.hideIn(bytes, start, physical);
  }

  /** Evaluates an expression against the paused vCPU. */
  evaluate(text: string, symbols: Record<string, bigint>): EvaluateResult {
    try {
      const e = Expression.parse(text);
      return { ok: true, value: e.evaluate(this.context(this.m.vcpu.getRegs(), this.m.vcpu.getSregs(), symbols)) };
    } catch (err) {
      if (err instanceof ExpressionError) return { ok: false, error: err.message };
      throw err;
    }
  }

  /** Evaluation context over the current vCPU state (for conditions and logpoints). */
  context(regs: Regs, sregs: Sregs, symbols: Record<string, bigint> = {}): ExpressionContext {
    const mem = this.m.memory;
    return {
      register: (n) => registerValue(n, regs, sregs),
      symbol: (n) => symbols[n],
      readMemory: (address, size) => {
        const r = readVirtual(address, size, sregs, mem);
        if (!r.ok) return undefined;
        this.table.hideIn(r.bytes, address, false);
        let v = 0n;
        for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(r.bytes[i]);
        return v;
      },
      pointerSize: modeBitness(cpuMode(sregs, regs.rflags)) / 8,
    };
  }

  /**
   * An int3 we did not plant: stop, or hand the guest its #BP. KVM reported it with RIP still on the int3 (PVM's emulator
   * cannot deliver it at all), so the VMM does what the CPU would: RIP past the one-byte int3, then #BP injected.
   */
  private guestInt3(linear: bigint, regs: Regs, sregs: Sregs): StopDetail | undefined {
    const ours = this.ownInt3Through(linear, sregs);
    if (ours !== undefined) {
      // Our int3 for another linear address, reached through a second mapping of its page: not a hit (breakpoints
      // match linear addresses), and never the guest's business. Execute the original instruction and re-plant.
      if (!this.aliasNoted.has(ours)) {
        this.aliasNoted.add(ours);
        this.output(`breakpoint at 0x${ours.toString(16)}: the guest ran the same instruction at 0x${linear.toString(16)} `
          + '(another mapping of the same guest-physical byte); breakpoints match linear addresses, so it does not stop there\n');
      }
      this.table.unplant(ours);
      this.stepOver = ours;
      this.applyGuestDebug();
      return undefined;
    }
    if (this.stopOnGuestInt3) {
      return { reason: 'exception', text: 'Guest breakpoint instruction', description: `the guest executed int3 at 0x${linear.toString(16)}` };
    }
    this.m.vcpu.setRegs({ rip: regs.rip + 1n });
    const events = this.m.vcpu.getStruct('KVM_GET_VCPU_EVENTS', KvmVcpuEvents);
    events.fill(0, EVENT_EXCEPTION, EVENT_EXCEPTION + EXCEPTION_FIELDS_SIZE);
    events[EVENT_EXCEPTION + EXCEPTION_INJECTED] = 1;
    events[EVENT_EXCEPTION + EXCEPTION_NR] = BP_VECTOR;
    this.m.vcpu.setStruct('KVM_SET_VCPU_EVENTS', events);
    return undefined;
  }

  /** The linear address of one of our int3s that `linear` reaches through another mapping, if any. */
  private ownInt3Through(linear: bigint, sregs: Sregs): bigint | undefined {
    const t = translate(linear, sregs, this.m.memory);
    return t.ok ? this.table.plantedAtPhysical(t.gpa) : undefined;
  }

  private onStepDone(sregs: Sregs): StopDetail | undefined {
    if (this.stepOver !== undefined) {
      const a = this.stepOver;
      this.stepOver = undefined;
      if (this.softwareTargets().includes(a)) this.table.plant([a], sregs);
    }
    if (this.userStep) return { reason: 'step' };
    this.applyGuestDebug();
    return undefined;
  }

  private onHit(linear: bigint, mode: 'software' | 'hardware', regs: Regs, sregs: Sregs): StopDetail | undefined {
    const isTemp = mode === 'software' && this.temp === linear;
    const armed = this.table.at(linear).filter((a) => a.spec.mode === mode);
    if (!isTemp && armed.length === 0) return mode === 'software' ? this.guestInt3(linear, regs, sregs) : undefined;
    const { ids, pending } = this.check(armed, regs, sregs, 'breakpoint');
    if (pending.length > 0) return { reason: ids.length > 0 || !isTemp ? 'breakpoint' : 'step', breakpointIds: ids, pendingIds: pending };
    if (ids.length > 0) return { reason: 'breakpoint', breakpointIds: ids };
    if (isTemp) return { reason: 'step' };
    this.table.unplant(linear);
    this.stepOver = linear;
    this.applyGuestDebug();
    return undefined;
  }

  /** Runs the machine-level checks of breakpoints that hit: the ids that stop, and those the main thread checks (C). */
  private check(armed: readonly ArmedBreakpoint[], regs: Regs, sregs: Sregs, what: string): { ids: number[]; pending: number[] } {
    const ids: number[] = [];
    const pending: number[] = [];
    for (const a of armed) {
      if (a.spec.hostCheck) { if (!pending.includes(a.spec.id)) pending.push(a.spec.id); continue; }
      const ctx = this.context(regs, sregs, a.spec.symbols);
      if (a.condition) {
        try {
          if (a.condition.evaluate(ctx) === 0n) continue;
        } catch (e) {
          // A condition that cannot be evaluated stops, so the user sees why instead of a silent miss.
          this.output(`${what} at 0x${a.spec.address.toString(16)}: condition '${a.condition.text}' failed: ${(e as Error).message}\n`);
          ids.push(a.spec.id);
          continue;
        }
      }
      a.hits++;
      if (a.hitCondition && !a.hitCondition(a.hits)) continue;
      if (a.spec.logMessage !== undefined) { this.output(`${interpolate(a.spec.logMessage, ctx)}\n`); continue; }
      ids.push(a.spec.id);
    }
    return { ids, pending };
  }

  private plantAll(sregs: Sregs): void {
    this.table.plant(this.softwareTargets().filter((a) => a !== this.stepOver), sregs);
    this.notePaging(sregs);
  }

  private notePaging(sregs: Sregs): void {
    PAGING_FIELDS.forEach((f, i) => {
      this.plantedUnder[2 * i] = Number(sregs[f] & 0xffff_ffffn);
      this.plantedUnder[2 * i + 1] = Number(sregs[f] >> 32n);
    });
  }

  /** kvm_run's sync_sregs still hold the paging registers the breakpoints were planted under. */
  private pagingUnchanged(run: Buffer): boolean {
    for (let i = 0; i < PAGING_FIELDS.length; i++) {
      const at = RUN.syncSregs + SREG_OFF[PAGING_FIELDS[i]];
      if (run.readUInt32LE(at) !== this.plantedUnder[2 * i] || run.readUInt32LE(at + 4) !== this.plantedUnder[2 * i + 1]) return false;
    }
    return true;
  }

  private softwareTargets(): bigint[] {
    const sw = this.table.softwareAddresses();
    if (this.temp !== undefined && !sw.includes(this.temp)) sw.push(this.temp);
    return sw;
  }

  /** One KVM_SET_GUEST_DEBUG, skipped when nothing changed (each vCPU ioctl costs microseconds). */
  private applyGuestDebug(): void {
    let control = 0;
    const dr: bigint[] = new Array<bigint>(8).fill(0n);
    // With the filter on, int3 is intercepted even with nothing planted, so the guest's own int3 stops too.
    if (this.table.plantedCount > 0 || this.stopOnGuestInt3) control |= KVM_GUESTDBG.ENABLE | KVM_GUESTDBG.USE_SW_BP;
    const regs = debugRegisters(this.table.debugSlots(), this.stepOver);
    regs.dr.forEach((a, i) => { dr[i] = a; });
    dr[7] = regs.dr7;
    if (dr[7] !== 0n) control |= KVM_GUESTDBG.ENABLE | KVM_GUESTDBG.USE_HW_BP;
    if (this.userStep || this.stepOver !== undefined) {
      control |= KVM_GUESTDBG.ENABLE | KVM_GUESTDBG.SINGLESTEP | (this.blockIrq ? KVM_GUESTDBG.BLOCKIRQ : 0);
    }
    const key = `${control}:${dr.join(',')}`;
    if (key === this.lastGuestDebug) return;
    this.m.vcpu.setGuestDebug(control, dr);
    this.lastGuestDebug = key;
  }

  /**
   * The registers KVM copied into kvm_run (sync_regs) at this exit: a breakpoint that does not stop costs two
   * exits, and reading them with GET_REGS/GET_SREGS would add four vCPU ioctls to each.
   */
  private exitState(): { regs: Regs; sregs: Sregs } {
    return { regs: { ...this.sync.get() }, sregs: this.sync.sregs() };
  }

  private state(): { regs: Regs; sregs: Sregs } {
    return { regs: this.m.vcpu.getRegs(), sregs: this.m.vcpu.getSregs() };
  }
}

/** A data breakpoint stop; the ids are the data breakpoints whose checks passed (and C checks still to run). */
function dataStop(d: { ids: number[]; pending: number[] }): StopDetail {
  return d.pending.length > 0 ? { reason: 'breakpoint', breakpointIds: d.ids, pendingIds: d.pending } : { reason: 'breakpoint', breakpointIds: d.ids };
}
