// Structural checks for every webview message: anything from the other side of a postMessage is untrusted input.
import type {
  BackdoorEntryView, BackdoorToHost, BackdoorToWebview, FramebufferToHost, FramebufferToWebview, GuestInput,
  ResponseEnvelope, SessionInfoMessage, VmRunState,
} from './webviewMessages';

type Obj = Record<string, unknown>;

const RUN_STATES: readonly VmRunState[] = ['starting', 'running', 'paused', 'exited', 'terminated'];
/** DOM key codes are short ASCII words ("KeyA", "NumpadEnter"); anything longer is not a key. */
const MAX_KEY_CODE_LENGTH = 32;
/** Coordinates and wheel steps beyond this are not a real pointer. */
const MAX_POINTER_VALUE = 1 << 16;
/** A TCLO command is one line of text for the guest tools. */
export const MAX_TCLO_COMMAND_LENGTH = 4096;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const inRange = (v: unknown, lo: number, hi: number): v is number => typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi;

function isResponse(m: Obj): m is Obj & ResponseEnvelope {
  if (m.type !== 'response' || !isInt(m.id) || typeof m.ok !== 'boolean') return false;
  return m.ok ? 'result' in m : isStr(m.error);
}

function isRequest(m: Obj, method: string): m is Obj & { id: number; params: Obj } {
  return m.type === 'request' && isInt(m.id) && m.method === method && isObj(m.params);
}

function isSessionInfo(m: Obj): m is Obj & SessionInfoMessage {
  return m.type === 'session' && isStr(m.name) && RUN_STATES.includes(m.state as VmRunState)
    && (m.detail === undefined || isStr(m.detail));
}

export function isGuestInput(v: unknown): v is GuestInput {
  if (!isObj(v)) return false;
  if (v.kind === 'key') return isStr(v.code) && v.code.length > 0 && v.code.length <= MAX_KEY_CODE_LENGTH && typeof v.down === 'boolean';
  if (v.kind === 'mouse') {
    return inRange(v.x, 0, MAX_POINTER_VALUE) && inRange(v.y, 0, MAX_POINTER_VALUE)
      && isInt(v.buttons) && v.buttons >= 0 && v.buttons <= 0xff && inRange(v.wheel, -MAX_POINTER_VALUE, MAX_POINTER_VALUE);
  }
  return false;
}

export function parseFramebufferToHost(v: unknown): FramebufferToHost | undefined {
  if (!isObj(v)) return undefined;
  switch (v.type) {
    case 'ready': return { type: 'ready' };
    case 'input': return isGuestInput(v.input) ? { type: 'input', input: v.input } : undefined;
    case 'captureChanged': return typeof v.captured === 'boolean' ? { type: 'captureChanged', captured: v.captured } : undefined;
    case 'decodeError': return isStr(v.message) ? { type: 'decodeError', message: v.message } : undefined;
    case 'request':
      return isRequest(v, 'saveScreenshot') && isStr(v.params.png) && v.params.png.length > 0
        ? { type: 'request', id: v.id, method: 'saveScreenshot', params: { png: v.params.png } } : undefined;
    case 'response': return isResponse(v) ? v : undefined;
    default: return undefined;
  }
}

export function parseFramebufferToWebview(v: unknown): FramebufferToWebview | undefined {
  if (!isObj(v)) return undefined;
  switch (v.type) {
    case 'session': return isSessionInfo(v) ? v : undefined;
    case 'frame': return v.data instanceof Uint8Array ? { type: 'frame', data: v.data } : undefined;
    case 'request': return isRequest(v, 'snapshotPng') ? { type: 'request', id: v.id, method: 'snapshotPng', params: {} } : undefined;
    case 'response': return isResponse(v) ? v : undefined;
    default: return undefined;
  }
}

export function parseBackdoorToHost(v: unknown): BackdoorToHost | undefined {
  if (!isObj(v)) return undefined;
  switch (v.type) {
    case 'ready': return { type: 'ready' };
    case 'request':
      if (isRequest(v, 'sendTclo')) {
        const command = v.params.command;
        return isStr(command) && command.trim() !== '' && command.length <= MAX_TCLO_COMMAND_LENGTH
          ? { type: 'request', id: v.id, method: 'sendTclo', params: { command } } : undefined;
      }
      if (isRequest(v, 'export')) {
        const { fileName, text } = v.params;
        return isStr(fileName) && /^[\w.-]{1,100}$/.test(fileName) && isStr(text)
          ? { type: 'request', id: v.id, method: 'export', params: { fileName, text } } : undefined;
      }
      return undefined;
    case 'response': return isResponse(v) ? v : undefined;
    default: return undefined;
  }
}

/** Accepts the JSON shape the adapter produces (records.ts traceEntryToJson); fields the table relies on are checked. */
export function isBackdoorEntryView(v: unknown): v is BackdoorEntryView {
  if (!isObj(v) || !isInt(v.seq) || typeof v.timeNs !== 'number') return false;
  if (v.type === 'rpc') {
    return isInt(v.channel) && (v.protocol === 'RPCI' || v.protocol === 'TCLO')
      && (v.direction === 'guest->host' || v.direction === 'host->guest') && isStr(v.text);
  }
  if (v.type === 'call') {
    return isInt(v.vcpu) && isStr(v.rip) && isStr(v.transport) && isInt(v.command) && isStr(v.name) && isObj(v.in) && isObj(v.out)
      && (v.decoded === undefined || isObj(v.decoded));
  }
  return false;
}

export function parseBackdoorToWebview(v: unknown): BackdoorToWebview | undefined {
  if (!isObj(v)) return undefined;
  switch (v.type) {
    case 'session': return isSessionInfo(v) ? v : undefined;
    case 'entries':
      return Array.isArray(v.entries) && typeof v.replace === 'boolean' && v.entries.every(isBackdoorEntryView)
        ? { type: 'entries', entries: v.entries, replace: v.replace } : undefined;
    case 'response': return isResponse(v) ? v : undefined;
    default: return undefined;
  }
}
