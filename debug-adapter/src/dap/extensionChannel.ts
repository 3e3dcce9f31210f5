// The custom DAP traffic with the KVM Lab extension: raw serial bytes, backdoor trace batches and VM statistics out;
// serial input, TCLO commands and reset in. Names and bodies are declared in protocol/extensionEvents.ts.
import { Event } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  BACKDOOR_EVENT, FRAME_EVENT, FRAME_REFRESH_REQUEST, INPUT_REQUEST, RESET_REQUEST, SERIAL_EVENT, SERIAL_INPUT_REQUEST, TCLO_REQUEST,
  VM_STATS_EVENT, type BackdoorEventBody, type FrameEventBody, type SerialEventBody, type SerialInputArguments, type TcloArguments,
  type VmStatsEventBody,
} from '../../../protocol/extensionEvents';
import type { DebugEngine } from '../debugger/engine';
import type { CpuMode } from '../vmm/cpu/registers';

/** How often the status bar hears the exit counter. */
const STATS_INTERVAL_MS = 1000;
/** Backdoor entries are sent in batches of at most this many (a chatty guest makes thousands per second). */
const BACKDOOR_BATCH = 256;

const MODE_WORDS: Record<CpuMode, string> = {
  real: 'real', vm86: 'vm86', protected16: 'protected', protected32: 'protected', compat: 'compat', long64: 'long',
};

export class ExtensionChannel {
  private backdoor: unknown[] = [];
  private flushScheduled = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly engine: DebugEngine, private readonly send: (e: DebugProtocol.Event) => void) {
    engine.on('serial', (bytes) => this.later(new Event(SERIAL_EVENT, { data: Buffer.from(bytes).toString('base64') } satisfies SerialEventBody)));
    engine.on('frame', (bytes) => this.later(frameEvent(bytes)));
    engine.on('backdoor', (entry) => {
      this.backdoor.push(entry);
      if (this.backdoor.length >= BACKDOOR_BATCH) this.flushBackdoor();
      else if (!this.flushScheduled) { this.flushScheduled = true; setImmediate(() => this.flushBackdoor()); }
    });
    this.timer = setInterval(() => void this.stats(), STATS_INTERVAL_MS);
    this.timer.unref();
    engine.on('terminated', () => clearInterval(this.timer));
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
}

function frameEvent(bytes: Uint8Array): DebugProtocol.Event {
  return new Event(FRAME_EVENT, { data: Buffer.from(bytes).toString('base64') } satisfies FrameEventBody);
}

function decodeBase64(what: string, data: unknown): Uint8Array {
  if (typeof data !== 'string') throw new Error(`${what}: 'data' must be a base64 string`);
  return new Uint8Array(Buffer.from(data, 'base64'));
}

/** Serves one extension request; throws a one-line error for anything it cannot do. */
export async function handleExtensionRequest(
  engine: DebugEngine, command: string, args: unknown, send: (e: DebugProtocol.Event) => void,
): Promise<void> {
  const a = (args ?? {}) as Record<string, unknown>;
  switch (command) {
    case SERIAL_INPUT_REQUEST:
      engine.sendSerialInput(decodeBase64(command, (a as Partial<SerialInputArguments>).data));
      return;
    case TCLO_REQUEST: {
      const c = (a as Partial<TcloArguments>).command;
      if (typeof c !== 'string' || c === '') throw new Error(`${command}: 'command' must be a non-empty string`);
      return engine.sendTclo(c);
    }
    case RESET_REQUEST:
      return engine.restart();
    case FRAME_REFRESH_REQUEST: {
      const frame = await engine.keyFrame();
      if (frame) send(frameEvent(frame));
      return;
    }
    case INPUT_REQUEST: {
      if (a.kind === 'key' && typeof a.code === 'string' && typeof a.down === 'boolean') {
        await engine.sendKey(a.code, a.down);
        return;
      }
      if (a.kind === 'mouse') throw new Error(`${command}: mouse input is not connected to the debug adapter yet`);
      throw new Error(`${command}: expected { kind: 'key', code, down } or { kind: 'mouse', ... }`);
    }
    default:
      throw new Error(`unknown request '${command}'`);
  }
}
