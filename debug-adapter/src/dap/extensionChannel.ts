// The custom DAP traffic with the KVM Lab extension: raw serial bytes, backdoor trace batches and VM statistics out;
// serial input, keys, pointer, TCLO commands, frame refresh and reset in. Names and bodies are declared in protocol/extensionEvents.ts.
import { Event } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  BACKDOOR_CLEAR_REQUEST, BACKDOOR_EXPORT_REQUEST, BACKDOOR_FETCH_REQUEST, type BackdoorExportResponseBody, type BackdoorFetchResponseBody,
  BACKDOOR_EVENT, FRAME_EVENT, FRAME_REFRESH_REQUEST, INPUT_REQUEST, RESET_REQUEST, SERIAL_EVENT, SERIAL_INPUT_REQUEST, TCLO_REQUEST,
  VM_STATS_EVENT, type BackdoorEventBody, type FrameEventBody, type SerialEventBody, type SerialInputArguments, type TcloArguments,
  type VmStatsEventBody,
} from '../../../protocol/extensionEvents';
import type { DebugEngine } from '../debugger/engine';
import type { CpuMode } from '../vmm/cpu/registers';
import { BackdoorTrace } from './backdoorTrace';

/** How often the status bar hears the exit counter. */
const STATS_INTERVAL_MS = 1000;
/** Backdoor entries are sent in batches of at most this many (a chatty guest makes thousands per second). */
const BACKDOOR_BATCH = 256;

const MODE_WORDS: Record<CpuMode, string> = {
  real: 'real', vm86: 'vm86', protected16: 'protected', protected32: 'protected', compat: 'compat', long64: 'long',
};

export interface ScreenSize { width: number; height: number }

/** Screen size fields of a frame update header (see the layout in display/frameFormat.ts). */
const FRAME_WIDTH_OFFSET = 12;
const FRAME_HEIGHT_OFFSET = 14;
const FRAME_SIZE_END = 16;

export class ExtensionChannel {
  /** The size of the last frame shown, for scaling pointer positions. */
  screen: ScreenSize | undefined;
  private backdoor: unknown[] = [];
  /** Every entry since launch (bounded), for an inspector that opens late or exports. */
  readonly trace = new BackdoorTrace();
  private flushScheduled = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly engine: DebugEngine, private readonly send: (e: DebugProtocol.Event) => void) {
    engine.on('serial', (bytes) => this.later(new Event(SERIAL_EVENT, { data: Buffer.from(bytes).toString('base64') } satisfies SerialEventBody)));
    engine.on('frame', (bytes) => {
      this.noteScreen(bytes);
      this.later(frameEvent(bytes));
    });
    engine.on('backdoor', (entry) => {
      this.trace.push(entry);
      this.backdoor.push(entry);
      if (this.backdoor.length >= BACKDOOR_BATCH) this.flushBackdoor();
      else if (!this.flushScheduled) { this.flushScheduled = true; setImmediate(() => this.flushBackdoor()); }
    });
    this.timer = setInterval(() => void this.stats(), STATS_INTERVAL_MS);
    this.timer.unref();
    engine.on('terminated', () => clearInterval(this.timer));
  }

  private noteScreen(frame: Uint8Array): void {
    if (frame.length < FRAME_SIZE_END) return;
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    this.screen = { width: view.getUint16(FRAME_WIDTH_OFFSET, true), height: view.getUint16(FRAME_HEIGHT_OFFSET, true) };
  }

  private later(e: DebugProtocol.Event): void {
    setImmediate(() => this.send(e));
  }

  private flushBackdoor(): void {
    this.flushScheduled = false;
    if (this.backdoor.length === 0) return;
    const entries = this.backdoor;
    this.backdoor = [];
    this.send(new Event(BACKDOOR_EVENT, { entries } satisfies BackdoorEventBody));
  }

  private async stats(): Promise<void> {
    try {
      const s = await this.engine.stats();
      if (s) this.send(new Event(VM_STATS_EVENT, { exits: s.exits, cpuMode: s.mode && MODE_WORDS[s.mode] } satisfies VmStatsEventBody));
    } catch {
      // The VM ended between the check and the read: the next tick finds nothing.
    }
  }
  /** Serves one extension request and gives its response body, if any; throws a one-line error for anything it cannot do. */
  async handle(command: string, args: unknown): Promise<unknown> {
    const engine = this.engine;
    const a = (args ?? {}) as Record<string, unknown>;
    switch (command) {
      case SERIAL_INPUT_REQUEST:
        engine.sendSerialInput(decodeBase64((a as Partial<SerialInputArguments>).data));
        return;
      case TCLO_REQUEST: {
        const c = (a as Partial<TcloArguments>).command;
        if (typeof c !== 'string' || c === '') throw new Error("'command' must be a non-empty string");
        return engine.sendTclo(c);
      }
      case RESET_REQUEST:
        return engine.restart();
      case FRAME_REFRESH_REQUEST: {
        const frame = await engine.keyFrame();
        if (frame) {
          this.noteScreen(frame);
          // Like every event, the frame follows the response of the request that asked for it.
          this.later(frameEvent(frame));
        }
        return;
      }
      case INPUT_REQUEST:
        return this.input(a);
      case BACKDOOR_FETCH_REQUEST:
        return { entries: this.trace.fetch(a.sinceSeq) } satisfies BackdoorFetchResponseBody;
      case BACKDOOR_CLEAR_REQUEST:
        this.trace.clear();
        return undefined;
      case BACKDOOR_EXPORT_REQUEST:
        return { count: this.trace.exportTo(a.path) } satisfies BackdoorExportResponseBody;
      default:
        throw new Error(`unknown request '${command}'`);
    }
  }

  private async input(a: Record<string, unknown>): Promise<void> {
    if (a.kind === 'key' && typeof a.code === 'string' && typeof a.down === 'boolean') {
      await this.engine.sendKey(a.code, a.down);
      return;
    }
    if (a.kind === 'mouse' && [a.x, a.y, a.buttons, a.wheel].every((v) => typeof v === 'number')) {
      if (!this.screen) throw new Error('no screen has been shown yet, so the pointer position has no scale');
      await this.engine.sendPointer({ x: a.x as number, y: a.y as number, ...this.screen, buttons: a.buttons as number, wheel: a.wheel as number });
      return;
    }
    throw new Error(`expected a key (kind 'key', code, down) or a pointer (kind 'mouse', x, y, buttons, wheel)`);
  }
}

function frameEvent(bytes: Uint8Array): DebugProtocol.Event {
  return new Event(FRAME_EVENT, { data: Buffer.from(bytes).toString('base64') } satisfies FrameEventBody);
}

function decodeBase64(data: unknown): Uint8Array {
  if (typeof data !== 'string') throw new Error("'data' must be a base64 string");
  return new Uint8Array(Buffer.from(data, 'base64'));
}
