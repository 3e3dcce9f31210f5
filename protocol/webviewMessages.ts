// Messages between the extension host and its webviews (framebuffer, backdoor inspector): one tagged union per direction.
import type { BackdoorRecord, RpcRecord } from '../debug-adapter/src/devices/vmwareBackdoor/records';

/*
 * Three message kinds travel in each direction:
 *   notifications  { type: '<name>', ... }                          fire and forget
 *   requests       { type: 'request', id, method, params }           answered by exactly one response
 *   responses      { type: 'response', id, ok, result? | error? }
 * A webview posts { type: 'ready' } once its script has installed its listener; the host sends nothing before that.
 */

export interface RequestEnvelope<M extends string, P> { type: 'request'; id: number; method: M; params: P }
export type ResponseEnvelope =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: string };

/** The state a panel shows for its VM session. */
export type VmRunState = 'starting' | 'running' | 'paused' | 'exited' | 'terminated';

export interface SessionInfoMessage { type: 'session'; name: string; state: VmRunState; detail?: string }

// ---- framebuffer ----

/** A key by its DOM `code` (layout independent: "KeyA", "Enter", "ShiftLeft"). */
export interface KeyInput { kind: 'key'; code: string; down: boolean }
/** Pointer position in guest pixels, buttons as the DOM bit mask (1 left, 2 right, 4 middle), wheel in lines. */
export interface MouseInput { kind: 'mouse'; x: number; y: number; buttons: number; wheel: number }
export type GuestInput = KeyInput | MouseInput;

export type FramebufferToWebview =
  | SessionInfoMessage
  /** One encoded frame update (KFU1). Typed arrays cross the webview boundary without JSON. */
  | { type: 'frame'; data: Uint8Array }
  | RequestEnvelope<'snapshotPng', Record<string, never>>
  | ResponseEnvelope;

export type FramebufferToHost =
  | { type: 'ready' }
  | { type: 'input'; input: GuestInput }
  | { type: 'captureChanged'; captured: boolean }
  | { type: 'decodeError'; message: string }
  /** The user pressed the screenshot button: save this PNG (base64) and answer with the path. */
  | RequestEnvelope<'saveScreenshot', { png: string }>
  | ResponseEnvelope;

/** Result of the host's snapshotPng request. */
export interface SnapshotPngResult { png: string; width: number; height: number }

// ---- backdoor inspector ----

/** A backdoor call as it crosses JSON: RIP becomes a hex string (records.ts traceEntryToJson). */
export type BackdoorCallView = Omit<BackdoorRecord, 'rip'> & { rip: string };
export type BackdoorEntryView = BackdoorCallView | RpcRecord;

export type BackdoorToWebview =
  | SessionInfoMessage
  /** New entries in sequence order; `replace` first drops what the table holds (a new session or a replay). */
  | { type: 'entries'; entries: BackdoorEntryView[]; replace: boolean }
  | ResponseEnvelope;

export type BackdoorToHost =
  | { type: 'ready' }
  | RequestEnvelope<'sendTclo', { command: string }>
  | RequestEnvelope<'export', { fileName: string; text: string }>
  | ResponseEnvelope;
