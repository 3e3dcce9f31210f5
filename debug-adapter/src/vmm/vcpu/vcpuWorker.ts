// Worker-thread entry that owns the VM: builds the machine, runs the synchronous KVM_RUN loop, serves owner commands.
import { parentPort, receiveMessageOnPort, workerData } from 'worker_threads';
import { KVM_EXIT, KVM_EXIT_NAMES, KVM_MP_STATE, KVM_SYSTEM_EVENT } from '../../../../native/src/kvm/constants';
import { hostAdvice } from '../../../../native/src/kvm/kvmError';
import { RUN } from '../../../../native/src/kvm/kvmRun';
import { gettid, schedYield } from '../../../../native/src/libc';
import { EAGAIN, EINTR, errnoName } from '../../../../native/src/errno';
import { blockForKvmRun, consumePending, KICK_SIGNAL } from '../../../../native/src/signals';
import { RFLAGS_IF } from '../cpu/registers';
import { BackdoorWatch, type BackdoorStopFilter } from '../debugStub/backdoorStop';
import { DebugStub } from '../debugStub/debugStub';
import { registerStubRequests } from '../debugStub/stubRequests';
import { STUB_OP, type StopDetail } from '../debugStub/stubTypes';
import { Machine } from '../machine/machine';
import { ByteRing } from './byteRing';
import { CTL, RunState } from './controlBlock';
import { ExitContext, IoExitHandler } from './ioExit';
import type { CpuState, HostCommand, RunStats, VmEnd, WorkerEvent, WorkerInit } from './protocol';
import { formatRegisterDump } from './stateReport';
import { SyncRegs } from './syncRegs';
import { handleRequest, registerRequestHandlers } from './vmRequests';

const init = workerData as WorkerInit;
const ctl = new Int32Array(init.control);
const post = (e: WorkerEvent) => parentPort!.postMessage(e);
/**
 * After a stop, and after each command served while paused, the worker polls the doorbell this long before it sleeps
 * on it: a debugger's next request (the following step, the stack after a stop) usually comes within this window,
 * and finding it by polling saves the futex wake-up, the largest part of a stepping round trip.
 */
const PAUSED_POLL_MS = 1;
/** The "Backdoor command" exception filter; only a debugger has one. */
const backdoorWatch = init.config.debug ? new BackdoorWatch() : undefined;

class VcpuLoop {
  private state: RunState;
  private seenDoorbell = 0;
  private end: VmEnd | undefined;
  /** The last exit was I/O or MMIO: KVM finishes that instruction on the next KVM_RUN. */
  private inFlightIo = false;
  private readonly exitCounts = new Float64Array(64);
  private totalExits = 0;
  private runNs = 0n;
  private readonly regs: SyncRegs;
  private readonly io: IoExitHandler;
  private readonly ctx: ExitContext;
  private readonly serialIn = new ByteRing(init.serialIn);
  private warnedHalt = false;
  /** performance.now() until which a paused loop polls the doorbell instead of sleeping. */
  private pollUntil = 0;
  /** Present only when a debugger owns the VM; the I/O exit path never looks at it. */
  private readonly stub: DebugStub | undefined;

  constructor(private readonly m: Machine) {
    this.state = m.config.startPaused ? RunState.Paused : RunState.Running;
    this.regs = new SyncRegs(m.vcpu.run);
    if (m.config.debug) {
      // The stub reads registers at exits through the same view, so a stop decodes them once.
      this.stub = new DebugStub(m, this.regs, (text) => post({ kind: 'debugOutput', text }));
      registerStubRequests(this.stub);
      registerRequestHandlers({
        [STUB_OP.setBackdoorFilter]: (_m, a: { filter?: BackdoorStopFilter }) => { backdoorWatch?.setFilter(a.filter); return true; },
      });
    }
    this.io = new IoExitHandler(m.vcpu.run, m.pio, m.mmio, { devices: m.stringIoDevices, vcpu: m.vcpu, memory: m.memory });
    this.ctx = new ExitContext(0, this.regs);
  }

  run(): VmEnd {
    const vcpu = this.m.vcpu;
    const runPage = vcpu.run;
    Atomics.store(ctl, CTL.STATE, this.state);
    if (this.state === RunState.Paused) {
      this.postPaused('entry', { reason: 'entry' });
      this.m.displayTick();
    }
    let sliceStart = process.hrtime.bigint();
    for (;;) {
      const bell = Atomics.load(ctl, CTL.DOORBELL);
      if (bell !== this.seenDoorbell) {
        this.seenDoorbell = bell;
        const wasRunning = this.state === RunState.Running;
        this.drainCommands();
        if (wasRunning && this.state !== RunState.Running) this.runNs += process.hrtime.bigint() - sliceStart;
        if (!wasRunning && this.state === RunState.Running) sliceStart = process.hrtime.bigint();
      }
      if (this.end) break;
      if (this.state !== RunState.Running) {
        this.waitForDoorbell();
        continue;
      }
      if (this.serialIn.available() > 0) this.m.uart.pushInput(this.serialIn.read());

      const err = vcpu.runOnce();
      this.inFlightIo = false;
      if (err !== 0) {
        if (err === EINTR) { this.regs.invalidate(); consumePending(KICK_SIGNAL); continue; }
        if (err === EAGAIN) continue;
        this.end = { reason: 'internalError', report: `KVM_RUN failed: ${errnoName(err)}` };
        break;
      }
      this.regs.invalidate();
      const reason = runPage.readUInt32LE(RUN.exitReason);
      this.exitCounts[reason & 63]++;
      Atomics.store(ctl, CTL.EXITS, ++this.totalExits);
      switch (reason) {
        case KVM_EXIT.IO:
          this.inFlightIo = this.io.handleIo(this.ctx);
          // Set only by a backdoor call that matched an armed filter (the record sink runs inside handleIo).
          if (backdoorWatch?.pending) this.enterPause('exception', backdoorWatch.take());
          break;
        case KVM_EXIT.MMIO: this.io.handleMmio(this.ctx); this.inFlightIo = true; break;
        case KVM_EXIT.HLT: this.onHlt(); break;
        case KVM_EXIT.SHUTDOWN:
          if (this.stub) this.enterPause('exception', this.stub.onShutdown());
          else this.end = { reason: 'tripleFault', report: `triple fault (KVM_EXIT_SHUTDOWN)\n${this.dump()}` };
          break;
        case KVM_EXIT.INTERNAL_ERROR:
          if (this.stub) this.onDebugEvent(this.stub.onInternalError(() => this.internalErrorReport()));
          else this.end = { reason: 'internalError', report: this.internalErrorReport() };
          break;
        case KVM_EXIT.FAIL_ENTRY:
          this.end = { reason: 'failEntry', report: `VM entry failed (hardware reason 0x${runPage.readBigUInt64LE(RUN.failEntry.reason).toString(16)})\n${this.dump()}` };
          break;
        case KVM_EXIT.SYSTEM_EVENT: {
          const type = runPage.readUInt32LE(RUN.systemEvent.type);
          this.end = type === KVM_SYSTEM_EVENT.RESET ? { reason: 'reset', source: 'system reset' } : { reason: 'halted' };
          break;
        }
        case KVM_EXIT.DEBUG:
          if (this.stub) this.onDebugEvent(this.stub.onDebugExit());
          else this.enterPause('debug');
          break;
        case KVM_EXIT.IRQ_WINDOW_OPEN: case KVM_EXIT.INTR: break;
        default:
          this.end = { reason: 'internalError', report: `unexpected KVM exit ${KVM_EXIT_NAMES[reason] ?? reason}\n${this.dump()}` };
      }
      if (this.m.endRequest) this.end ??= this.m.endRequest;
      if (this.end) break;
      // Breakpoints follow the guest's paging (it may have switched it on, or changed CR3, since they were planted).
      this.stub?.afterExit();
    }
    if (this.state === RunState.Running) this.runNs += process.hrtime.bigint() - sliceStart;
    return this.end!;
  }

  stats(): RunStats {
    const exits: Record<string, number> = {};
    this.exitCounts.forEach((n, r) => { if (n) exits[KVM_EXIT_NAMES[r] ?? `exit${r}`] = n; });
    const runSeconds = Number(this.runNs) / 1e9;
    return { exits, totalExits: this.totalExits, runSeconds, exitsPerSecond: runSeconds > 0 ? this.totalExits / runSeconds : 0 };
  }

  private drainCommands(): void {
    for (let msg = receiveMessageOnPort(init.commands); msg; msg = receiveMessageOnPort(init.commands)) {
      const cmd = msg.message as HostCommand;
      switch (cmd.kind) {
        case 'pause': if (this.state === RunState.Running) this.enterPause('pause'); break;
        case 'resume':
          if (this.state === RunState.Paused) {
            if (cmd.mode) this.stub?.setRunMode(cmd.mode);
            this.stub?.beforeResume();
            this.state = RunState.Running;
            Atomics.store(ctl, CTL.STATE, this.state);
          }
          break;
        case 'stop': this.end ??= { reason: 'stopped' }; break;
        case 'probeIdle': this.probeIdle(); break;
        case 'displayTick': this.m.displayTick(); break;
        case 'request': {
          try {
            this.completeInFlightIo();
            // The request may write registers: the stub must not resume from the state it saw at the stop.
            this.stub?.forgetPausedState();
            post({ kind: 'response', id: cmd.id, ok: true, result: handleRequest(this.m, cmd.op, cmd.args) });
          } catch (e) {
            post({ kind: 'response', id: cmd.id, ok: false, error: e instanceof Error ? e.message : String(e) });
          }
          break;
        }
      }
    }
    if (this.state !== RunState.Running) this.pollUntil = performance.now() + PAUSED_POLL_MS;
  }

  /**
   * Paused: poll the doorbell for a short while (see PAUSED_POLL_MS), then sleep on it. Each poll yields the CPU, so
   * on a host with few CPUs the poller never delays the threads it is waiting for (the adapter, the client).
   */
  private waitForDoorbell(): void {
    for (let i = 0; Atomics.load(ctl, CTL.DOORBELL) === this.seenDoorbell; i++) {
      // Reading the clock costs more than reading the doorbell: look at it only now and then.
      if ((i & 15) === 15 && performance.now() >= this.pollUntil) {
        Atomics.wait(ctl, CTL.DOORBELL, this.seenDoorbell);
        return;
      }
      schedYield();
    }
  }

  private enterPause(reason: string, detail?: StopDetail): void {
    this.completeInFlightIo();
    this.state = RunState.Paused;
    Atomics.store(ctl, CTL.STATE, this.state);
    // A pause usually comes straight out of KVM_RUN, which left the registers in kvm_run: no GET_REGS/GET_SREGS.
    const fresh = this.m.vcpu.syncRegsCurrent ? { regs: { ...this.regs.get() }, sregs: this.regs.sregs() } : undefined;
    const state = this.postPaused(reason, detail ?? { reason: reason === 'halt' ? 'halt' : 'pause' }, fresh);
    this.stub?.onPause(state);
    // A paused guest draws nothing more: one refresh shows its final picture.
    this.m.displayTick();
    this.pollUntil = performance.now() + PAUSED_POLL_MS;
  }

  /** Announces the stop with the registers (read from KVM unless given); returns them, undefined if KVM refused. */
  private postPaused(reason: string, detail: StopDetail, known?: CpuState): CpuState | undefined {
    let state = known;
    try {
      state ??= { regs: this.m.vcpu.getRegs(), sregs: this.m.vcpu.getSregs() };
    } catch {
      state = undefined;
    }
    post({ kind: 'paused', rip: state ? state.regs.rip.toString(16) : '?', reason, detail, state });
    return state;
  }

  /** The stub decided: stop with its detail, or (undefined) keep running as if nothing happened. */
  private onDebugEvent(stop: StopDetail | undefined): void {
    if (stop) this.enterPause(stop.reason, stop);
  }

  /**
   * KVM completes an IN/MMIO read (register load, RIP advance) only on the next KVM_RUN. Before state is inspected,
   * run once with immediate_exit so the instruction is finished and the vCPU returns at once with EINTR.
   */
  private completeInFlightIo(): void {
    if (!this.inFlightIo) return;
    const run = this.m.vcpu.run;
    run[RUN.immediateExit] = 1;
    this.m.vcpu.runOnce();
    run[RUN.immediateExit] = 0;
    consumePending(KICK_SIGNAL);
    this.inFlightIo = false;
    this.regs.invalidate();
  }

  /** HLT reaches user space only without the in-kernel irqchip. */
  private onHlt(): void {
    const rflags = this.regs.get().rflags;
    if ((rflags & RFLAGS_IF) === 0n) { this.end = { reason: 'halted' }; return; }
    if (!this.warnedHalt) {
      this.warnedHalt = true;
      post({ kind: 'log', level: 'warn', text: 'the guest halted waiting for an interrupt, but without the in-kernel irqchip nothing will interrupt it' });
    }
    this.enterPause('halt');
  }

  /** With the irqchip, a guest in `cli; hlt` sleeps inside KVM_RUN forever: the owner's watchdog asks us to check. */
  private probeIdle(): void {
    if (this.state !== RunState.Running || !this.m.config.irqchip) return;
    if (this.m.vcpu.getMpState() !== KVM_MP_STATE.HALTED) return;
    if ((this.m.vcpu.getRegs().rflags & RFLAGS_IF) === 0n) this.end = { reason: 'halted' };
  }

  private dump(): string {
    try { return formatRegisterDump(this.m.vcpu.getRegs(), this.m.vcpu.getSregs()); } catch (e) { return `(registers unavailable: ${e})`; }
  }

  private internalErrorReport(): string {
    const run = this.m.vcpu.run;
    const sub = run.readUInt32LE(RUN.internal.suberror);
    const ndata = Math.min(16, run.readUInt32LE(RUN.internal.ndata));
    const data = Array.from({ length: ndata }, (_, i) => run.readBigUInt64LE(RUN.internal.data + 8 * i).toString(16));
    const what = sub === 1 ? 'instruction emulation failed' : `suberror ${sub}`;
    return `KVM internal error: ${what}${data.length ? ` [${data.join(' ')}]` : ''}\n${this.dump()}`;
  }
}

function main(): void {
  const serialOut = new ByteRing(init.serialOut);
  const debugconOut = new ByteRing(init.debugconOut);
  let machine: Machine;
  try {
    machine = Machine.create(init.config, {
      serial: { write: (b) => serialOut.writeAll(b) },
      debugcon: { write: (b) => debugconOut.writeAll(b) },
      log: (level, text) => post({ kind: 'log', level, text }),
      backdoorRecord: (record) => { post({ kind: 'backdoor', record }); backdoorWatch?.note(record as { type: string }); },
      guestLog: (text) => post({ kind: 'guestLog', text }),
      frame: (bytes) => { const buf = bytes.buffer as ArrayBuffer; parentPort!.postMessage({ kind: 'frame', bytes: buf } satisfies WorkerEvent, [buf]); },
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    post({ kind: 'ended', end: { reason: 'setupFailed', message, advice: hostAdvice(e) }, stats: { exits: {}, totalExits: 0, runSeconds: 0, exitsPerSecond: 0 } });
    init.commands.close();
    return;
  }
  const loop = new VcpuLoop(machine);
  let end: VmEnd;
  try {
    // Block the kick everywhere in this thread except inside KVM_RUN, then publish the thread id.
    machine.vcpu.setSignalMask(blockForKvmRun(KICK_SIGNAL));
    Atomics.store(ctl, CTL.TID, gettid());
    post({ kind: 'ready', info: machine.info });
    end = loop.run();
  } catch (e) {
    end = { reason: 'internalError', report: `VMM error: ${e instanceof Error ? e.stack ?? e.message : String(e)}` };
  }
  Atomics.store(ctl, CTL.TID, 0);
  Atomics.store(ctl, CTL.STATE, RunState.Ended);
  const stats = loop.stats();
  machine.dispose();
  post({ kind: 'ended', end, stats });
  init.commands.close();
}

main();
