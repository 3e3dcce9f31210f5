// Routes what a kvmlab debug session's adapter says (serial bytes, frames, backdoor trace, run state) to the views of that session.
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  BACKDOOR_EVENT, FRAME_EVENT, SERIAL_EVENT, VM_STATS_EVENT, type VmStatsEventBody,
} from '../../protocol/extensionEvents';
import { VM_INFO_EVENT, type VmInfoEventBody } from '../../protocol/customRequests';
import { isBackdoorEntryView } from '../../protocol/webviewMessageGuards';
import type { BackdoorEntryView, VmRunState } from '../../protocol/webviewMessages';

/** Serial output kept per session so a terminal opened late still shows the boot messages. */
export const SERIAL_HISTORY_BYTES = 256 * 1024;
/** Backdoor entries kept per session (the device's own ring holds as many). */
export const BACKDOOR_BACKLOG = 10_000;

/** Client requests after which the guest runs again (VS Code does not wait for a `continued` event). */
const RESUMING_REQUESTS = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'goto']);

export interface VmSessionState {
  readonly id: string;
  readonly name: string;
  state: VmRunState;
  /** Why it stopped, or how it ended ("breakpoint", "exit status 1"). */
  detail?: string;
  exitCode?: number;
  format?: string;
  pvm?: boolean;
  cpuMode?: string;
  totalExits?: number;
  exitsPerSecond?: number;
}

export type RouterEvent =
  | { kind: 'serial'; bytes: Uint8Array }
  | { kind: 'frame'; bytes: Uint8Array }
  | { kind: 'backdoor'; entries: BackdoorEntryView[] }
  | { kind: 'state'; session: Readonly<VmSessionState> }
  | { kind: 'ended'; session: Readonly<VmSessionState> };

export type RouterListener = (sessionId: string, event: RouterEvent) => void;
export interface Subscription { dispose(): void }

interface SessionRecord {
  state: VmSessionState;
  /** Set by the first kvmlab.serial event; from then on stdout output events are not serial data. */
  serialEvents: boolean;
  serial: Uint8Array[];
  serialBytes: number;
  backdoor: BackdoorEntryView[];
  lastStats?: { exits: number; at: number };
}

function decodeBase64(s: unknown): Uint8Array | undefined {
  if (typeof s !== 'string') return undefined;
  return new Uint8Array(Buffer.from(s, 'base64'));
}

export class SessionRouter {
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly listeners = new Map<string, Set<RouterListener>>();
  private readonly anyListeners = new Set<RouterListener>();
  /** Oldest first; the newest live session is what commands act on when none is named. */
  private readonly order: string[] = [];

  /** `now` is injectable so exit rates are testable without a real clock. */
  constructor(private readonly now: () => number = () => Date.now()) {}

  startSession(id: string, name: string): void {
    if (this.sessions.has(id)) return;
    this.sessions.set(id, { state: { id, name, state: 'starting' }, serialEvents: false, serial: [], serialBytes: 0, backdoor: [] });
    this.order.push(id);
    this.emitState(id);
  }

  /** The session is gone; its state and history stay readable until `forget`. */
  endSession(id: string): void {
    const r = this.sessions.get(id);
    if (!r || r.state.state === 'terminated') return;
    r.state.state = 'terminated';
    r.state.exitsPerSecond = undefined;
    this.emit(id, { kind: 'ended', session: r.state });
  }

  forget(id: string): void {
    this.sessions.delete(id);
    this.listeners.delete(id);
    const i = this.order.indexOf(id);
    if (i >= 0) this.order.splice(i, 1);
  }

  session(id: string): Readonly<VmSessionState> | undefined { return this.sessions.get(id)?.state; }

  /** The most recently started session that has not terminated. */
  activeSession(): Readonly<VmSessionState> | undefined {
    for (let i = this.order.length - 1; i >= 0; i--) {
      const s = this.sessions.get(this.order[i])?.state;
      if (s && s.state !== 'terminated') return s;
    }
    return undefined;
  }

  liveSessions(): Readonly<VmSessionState>[] {
    return this.order.map((id) => this.sessions.get(id)!.state).filter((s) => s.state !== 'terminated');
  }

  /** Listen to one session; what is already known (state, serial history, backdoor backlog) is replayed first. */
  subscribe(id: string, listener: RouterListener): Subscription {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    const r = this.sessions.get(id);
    if (r) {
      listener(id, { kind: 'state', session: r.state });
      if (r.serialBytes > 0) listener(id, { kind: 'serial', bytes: concat(r.serial, r.serialBytes) });
      if (r.backdoor.length > 0) listener(id, { kind: 'backdoor', entries: r.backdoor.slice() });
    }
    return { dispose: () => { set!.delete(listener); } };
  }

  /** Listen to every session (the status bar); nothing is replayed. */
  subscribeAll(listener: RouterListener): Subscription {
    this.anyListeners.add(listener);
    return { dispose: () => { this.anyListeners.delete(listener); } };
  }

  /** A message from VS Code to the adapter (debug adapter tracker `onWillReceiveMessage`). */
  onClientMessage(id: string, message: DebugProtocol.ProtocolMessage): void {
    const r = this.sessions.get(id);
    if (!r || message.type !== 'request') return;
    const command = (message as DebugProtocol.Request).command;
    if (RESUMING_REQUESTS.has(command) && (r.state.state === 'paused' || r.state.state === 'starting')) this.setState(id, 'running');
  }

  /** A message from the adapter to VS Code (debug adapter tracker `onDidSendMessage`). */
  onAdapterMessage(id: string, message: DebugProtocol.ProtocolMessage): void {
    const r = this.sessions.get(id);
    if (!r) return;
    if (message.type === 'response') {
      const res = message as DebugProtocol.Response;
      // After configurationDone the guest runs unless a stop on entry follows.
      if (res.command === 'configurationDone' && res.success && r.state.state === 'starting') this.setState(id, 'running');
      return;
    }
    if (message.type !== 'event') return;
    const ev = message as DebugProtocol.Event;
    const body = (ev.body ?? {}) as Record<string, unknown>;
    switch (ev.event) {
      case 'stopped': {
        const b = body as Partial<DebugProtocol.StoppedEvent['body']>;
        this.setState(id, 'paused', b.description ?? b.reason);
        break;
      }
      case 'continued': this.setState(id, 'running'); break;
      case 'exited': {
        const code = typeof body.exitCode === 'number' ? body.exitCode : undefined;
        r.state.exitCode = code;
        this.setState(id, 'exited', code === undefined ? 'exited' : `exit status ${code}`);
        break;
      }
      case 'terminated': this.endSession(id); break;
      case 'output': {
        const b = body as Partial<DebugProtocol.OutputEvent['body']>;
        if (!r.serialEvents && b.category === 'stdout' && typeof b.output === 'string') {
          this.serial(id, r, new TextEncoder().encode(b.output));
        }
        break;
      }
      case SERIAL_EVENT: {
        const bytes = decodeBase64(body.data);
        if (bytes) {
          r.serialEvents = true;
          this.serial(id, r, bytes);
        }
        break;
      }
      case FRAME_EVENT: {
        const bytes = decodeBase64(body.data);
        if (bytes) this.emit(id, { kind: 'frame', bytes });
        break;
      }
      case BACKDOOR_EVENT: {
        const entries = Array.isArray(body.entries) ? body.entries.filter(isBackdoorEntryView) : [];
        if (entries.length === 0) break;
        r.backdoor.push(...entries);
        if (r.backdoor.length > BACKDOOR_BACKLOG) r.backdoor.splice(0, r.backdoor.length - BACKDOOR_BACKLOG);
        this.emit(id, { kind: 'backdoor', entries });
        break;
      }
      case VM_INFO_EVENT: {
        const b = body as Partial<VmInfoEventBody>;
        if (typeof b.format === 'string') r.state.format = b.format;
        if (typeof b.pvm === 'boolean') r.state.pvm = b.pvm;
        this.emitState(id);
        break;
      }
      case VM_STATS_EVENT: this.stats(id, r, body as Partial<VmStatsEventBody>); break;
      default: break;
    }
  }

  private stats(id: string, r: SessionRecord, b: Partial<VmStatsEventBody>): void {
    if (typeof b.exits !== 'number' || !Number.isFinite(b.exits)) return;
    const at = this.now();
    if (r.lastStats && at > r.lastStats.at && b.exits >= r.lastStats.exits) {
      r.state.exitsPerSecond = ((b.exits - r.lastStats.exits) * 1000) / (at - r.lastStats.at);
    }
    r.lastStats = { exits: b.exits, at };
    r.state.totalExits = b.exits;
    if (typeof b.cpuMode === 'string') r.state.cpuMode = b.cpuMode;
    this.emitState(id);
  }

  private serial(id: string, r: SessionRecord, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    r.serial.push(bytes);
    r.serialBytes += bytes.length;
    while (r.serialBytes > SERIAL_HISTORY_BYTES && r.serial.length > 1) r.serialBytes -= r.serial.shift()!.length;
    this.emit(id, { kind: 'serial', bytes });
  }

  private setState(id: string, state: VmRunState, detail?: string): void {
    const r = this.sessions.get(id);
    if (!r || r.state.state === 'terminated') return;
    r.state.state = state;
    r.state.detail = detail;
    if (state !== 'running') r.state.exitsPerSecond = undefined;
    this.emitState(id);
  }

  private emitState(id: string): void {
    const r = this.sessions.get(id);
    if (r) this.emit(id, { kind: 'state', session: r.state });
  }

  private emit(id: string, event: RouterEvent): void {
    for (const l of [...(this.listeners.get(id) ?? [])]) l(id, event);
    for (const l of [...this.anyListeners]) l(id, event);
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
