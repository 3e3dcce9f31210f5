// The VM as its owner (CLI or debug adapter) sees it: starts the vCPU worker, relays its events, pauses it with a kick.
import { EventEmitter } from 'events';
import { join } from 'path';
import { MessageChannel, Worker } from 'worker_threads';
import { schedYield } from '../../../native/src/libc';
import { kickThread } from '../../../native/src/signals';
import { ByteRing } from './vcpu/byteRing';
import { allocateControl, CTL, RunState } from './vcpu/controlBlock';
import type { RunMode, StopDetail } from './debugStub/stubTypes';
import type { Framebuffer } from '../display/framebuffer';
import type { CpuState, HostCommand, HostInfo, MachineConfig, RunStats, VmEnd, WorkerEvent, WorkerInit } from './vcpu/protocol';

export interface VmHostEvents {
  ready: [HostInfo];
  serial: [Uint8Array];
  debugcon: [Uint8Array];
  log: ['info' | 'warn', string];
  backdoor: [unknown];
  guestLog: [string];
  paused: [{ rip: string; reason: string; detail?: StopDetail; state?: CpuState }];
  debugOutput: [string];
  ended: [VmEnd, RunStats];
  /** An encoded frame update (display/frameFormat.ts); only for machines with a display. */
  frame: [Uint8Array];
}

/** Display refresh period while the guest runs (about 30 frames per second). */
const DISPLAY_TICK_MS = 33;

/** Longest delay between guest output and its delivery; the ring wakes the owner earlier when it fills. */
const OUTPUT_POLL_MS = 10;

/** How often the owner checks whether a running guest that makes no exits has halted for good. */
const IDLE_PROBE_MS = 100;

/**
 * After a resume or a request, the owner keeps its event loop turning (yielding the CPU on each turn) for up to this
 * long while it waits for the worker's answer, instead of sleeping until the answer wakes it. A step or a state read
 * takes the worker tens of microseconds; waking a sleeping thread costs as much on a virtualised host, and now and
 * then far more. The loop serves I/O on every turn, so nothing waits behind it.
 */
const WORKER_POLL_MS = 1;

export class VmHost extends EventEmitter<VmHostEvents> {
  private readonly worker: Worker;
  private readonly ctl: Int32Array;
  private readonly serialOut: ByteRing;
  private readonly serialIn: ByteRing;
  private readonly debugconOut: ByteRing;
  private readonly port: MessageChannel['port1'];
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private ended = false;
  /** A resume is out and its stop has not come back yet. */
  private awaitingStop = false;
  private polling = false;
  private pollDeadline = 0;
  private endResult: { end: VmEnd; stats: RunStats } | undefined;
  private readonly exited: Promise<void>;
  private idleTimer: NodeJS.Timeout | undefined;
  private displayTimer: NodeJS.Timeout | undefined;
  private readonly hasDisplay: boolean;

  constructor(config: MachineConfig, workerDir = __dirname) {
    super();
    this.hasDisplay = !!(config.svga || config.display);
    const control = allocateControl();
    this.ctl = new Int32Array(control);
    const serialOut = ByteRing.allocate();
    const serialIn = ByteRing.allocate(1 << 12);
    const debugconOut = ByteRing.allocate(1 << 14);
    this.serialOut = new ByteRing(serialOut);
    this.serialIn = new ByteRing(serialIn);
    this.debugconOut = new ByteRing(debugconOut);
    const channel = new MessageChannel();
    this.port = channel.port1;
    const init: WorkerInit = { config, control, serialOut, serialIn, debugconOut, commands: channel.port2 };
    this.worker = new Worker(join(workerDir, 'vcpuWorker.js'), { workerData: init, transferList: [channel.port2] });
    this.worker.on('message', (e: WorkerEvent) => this.onWorkerEvent(e));
    this.worker.on('error', (e) => this.finish({ reason: 'internalError', report: `VMM worker failed: ${e.stack ?? e.message}` }, emptyStats()));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => { this.finish({ reason: 'stopped' }, emptyStats()); resolve(); }));
    void this.pump(this.serialOut, 'serial');
    void this.pump(this.debugconOut, 'debugcon');
  }

  get running(): boolean { return Atomics.load(this.ctl, CTL.STATE) === RunState.Running; }
  get hasEnded(): boolean { return this.ended; }
  /** VM exits so far (wraps at 2^31); for rate displays. */
  get exitCount(): number { return Atomics.load(this.ctl, CTL.EXITS); }
  get result(): { end: VmEnd; stats: RunStats } | undefined { return this.endResult; }

  pause(): void { this.command({ kind: 'pause' }, true); }
  /** Runs the paused vCPU again; `mode` (debugger only) limits how far. */
  resume(mode?: RunMode): void {
    this.command({ kind: 'resume', mode }, false);
    this.awaitingStop = true;
    this.pollForWorker();
  }

  /** Ends the VM and resolves once the worker thread is gone (never hangs on a spinning guest: it is kicked out). */
  async stop(): Promise<void> {
    if (!this.ended) this.command({ kind: 'stop' }, true);
    await this.exited;
  }

  /** Resolves when the worker thread has exited. */
  whenExited(): Promise<void> { return this.exited; }

  /** A request served by the worker while the vCPU is outside KVM_RUN; pauses are the caller's business. */
  request<T>(op: string, args: unknown = {}): Promise<T> {
    if (this.ended) return Promise.reject(new Error('the VM has ended'));
    const id = this.nextRequestId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.command({ kind: 'request', id, op, args }, this.running);
      this.pollForWorker();
    });
  }

  /** The whole screen as the worker sees it now (SVGA scanout or VGA text), or undefined without a display. */
  screenshot(): Promise<Framebuffer | undefined> { return this.request<Framebuffer | undefined>('screenshot'); }

  sendSerialInput(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) {
      const n = this.serialIn.write(bytes.subarray(off));
      if (n === 0) break; // the guest is not reading; drop rather than block the event loop
      off += n;
    }
    // A guest sleeping in HLT inside the kernel only notices input after a kick.
    this.kick();
  }

  private command(cmd: HostCommand, kick: boolean): void {
    if (this.ended) return;
    this.port.postMessage(cmd);
    Atomics.add(this.ctl, CTL.DOORBELL, 1);
    Atomics.notify(this.ctl, CTL.DOORBELL);
    if (kick) this.kick();
  }

  /** See WORKER_POLL_MS: turns the loop until the awaited stop or responses are in, or the time is up. */
  private pollForWorker(): void {
    this.pollDeadline = performance.now() + WORKER_POLL_MS;
    if (this.polling) return;
    this.polling = true;
    const poll = () => {
      if (this.ended || (!this.awaitingStop && this.pending.size === 0) || performance.now() >= this.pollDeadline) {
        this.polling = false;
        return;
      }
      schedYield();
      setImmediate(poll);
    };
    setImmediate(poll);
  }

  private kick(): void {
    const tid = Atomics.load(this.ctl, CTL.TID);
    if (tid !== 0 && Atomics.load(this.ctl, CTL.STATE) === RunState.Running) kickThread(tid);
  }

  private onWorkerEvent(e: WorkerEvent): void {
    switch (e.kind) {
      case 'ready': this.startIdleProbe(); this.startDisplayTicks(); this.emit('ready', e.info); break;
      case 'paused':
        this.awaitingStop = false;
        this.emit('paused', { rip: e.rip, reason: e.reason, detail: e.detail, state: e.state });
        break;
      case 'frame': this.emit('frame', new Uint8Array(e.bytes)); break;
      case 'debugOutput': this.emit('debugOutput', e.text); break;
      case 'log': this.emit('log', e.level, e.text); break;
      case 'backdoor': this.emit('backdoor', e.record); break;
      case 'guestLog': this.emit('guestLog', e.text); break;
      case 'response': {
        const p = this.pending.get(e.id);
        this.pending.delete(e.id);
        if (p) { if (e.ok) p.resolve(e.result); else p.reject(new Error(e.error)); }
        break;
      }
      case 'ended': this.finish(e.end, e.stats); break;
    }
  }

  private finish(end: VmEnd, stats: RunStats): void {
    if (this.ended) return;
    this.ended = true;
    this.endResult = { end, stats };
    if (this.idleTimer) clearInterval(this.idleTimer);
    if (this.displayTimer) clearInterval(this.displayTimer);
    // Output written before the end must reach listeners before they hear of the end.
    this.flush(this.serialOut, 'serial');
    this.flush(this.debugconOut, 'debugcon');
    for (const p of this.pending.values()) p.reject(new Error('the VM has ended'));
    this.pending.clear();
    this.port.close();
    this.emit('ended', end, stats);
  }

  private startIdleProbe(): void {
    let lastExits = Atomics.load(this.ctl, CTL.EXITS);
    this.idleTimer = setInterval(() => {
      const exits = Atomics.load(this.ctl, CTL.EXITS);
      if (exits === lastExits && this.running) this.command({ kind: 'probeIdle' }, true);
      lastExits = exits;
    }, IDLE_PROBE_MS);
    this.idleTimer.unref();
  }

  /** Ticks are kicks: a guest that makes no exits still gets its screen refreshed. */
  private startDisplayTicks(): void {
    if (!this.hasDisplay) return;
    this.displayTimer = setInterval(() => {
      if (this.running) this.command({ kind: 'displayTick' }, true);
    }, DISPLAY_TICK_MS);
    this.displayTimer.unref();
  }

  private flush(ring: ByteRing, event: 'serial' | 'debugcon'): void {
    if (ring.available() > 0) this.emit(event, ring.read());
  }

  private async pump(ring: ByteRing, event: 'serial' | 'debugcon'): Promise<void> {
    while (!this.ended) {
      await ring.waitForData(OUTPUT_POLL_MS);
      if (!this.ended) this.flush(ring, event);
    }
  }
}

function emptyStats(): RunStats {
  return { exits: {}, totalExits: 0, runSeconds: 0, exitsPerSecond: 0 };
}
