// Host side of the framebuffer panel without vscode: ready handshake, frame forwarding, input, screenshots.
import { RpcEndpoint } from '../../../protocol/messageRpc';
import { parseFramebufferToHost } from '../../../protocol/webviewMessageGuards';
import type { FramebufferToWebview, GuestInput, SessionInfoMessage, SnapshotPngResult } from '../../../protocol/webviewMessages';
import type { RouterEvent } from '../sessionRouter';

/** Frames held while the webview loads; past this the panel asks for one full frame instead. */
export const MAX_QUEUED_FRAMES = 32;

export interface FramebufferHost {
  post(message: FramebufferToWebview): void;
  sendInput(input: GuestInput): Promise<void>;
  /** Ask the adapter for the whole screen (after load, or after frames were dropped). */
  requestFullFrame(): Promise<void>;
  /** Store a PNG and say where it went. */
  saveScreenshot(png: Uint8Array): Promise<string>;
  /** Something the user may want to know, one line. */
  notice(message: string): void;
}

export class FramebufferBridge {
  private ready = false;
  private queued: Uint8Array[] = [];
  private dropped = false;
  private captured = false;
  private lastState?: SessionInfoMessage;
  readonly rpc: RpcEndpoint;

  constructor(private readonly host: FramebufferHost, rpcTimeoutMs?: number) {
    this.rpc = new RpcEndpoint((m) => host.post(m as FramebufferToWebview), rpcTimeoutMs);
  }

  get isReady(): boolean { return this.ready; }
  get isCaptured(): boolean { return this.captured; }

  onRouterEvent(e: RouterEvent): void {
    if (e.kind === 'frame') {
      if (this.ready) {
        this.host.post({ type: 'frame', data: e.bytes });
      } else if (this.queued.length < MAX_QUEUED_FRAMES) {
        this.queued.push(e.bytes);
      } else {
        this.queued = [];
        this.dropped = true;
      }
    } else if (e.kind === 'state' || e.kind === 'ended') {
      this.lastState = { type: 'session', name: e.session.name, state: e.session.state, detail: e.session.detail };
      if (this.ready) this.host.post(this.lastState);
    }
  }

  /** Everything the webview posts arrives here; malformed messages are ignored. */
  async onWebviewMessage(raw: unknown): Promise<void> {
    const m = parseFramebufferToHost(raw);
    if (!m) return;
    switch (m.type) {
      case 'ready': {
        // A reloaded webview says ready again and needs everything again.
        this.ready = true;
        if (this.lastState) this.host.post(this.lastState);
        const frames = this.queued;
        this.queued = [];
        for (const f of frames) this.host.post({ type: 'frame', data: f });
        if (frames.length === 0 || this.dropped) await this.host.requestFullFrame().catch(() => undefined);
        this.dropped = false;
        break;
      }
      case 'input':
        await this.host.sendInput(m.input).catch((e: unknown) => this.host.notice(`input not delivered: ${e instanceof Error ? e.message : String(e)}`));
        break;
      case 'captureChanged': this.captured = m.captured; break;
      case 'decodeError': this.host.notice(`a frame update could not be shown: ${m.message}`); break;
      case 'request':
        await this.rpc.answer(m.id, () => this.host.saveScreenshot(new Uint8Array(Buffer.from(m.params.png, 'base64'))).then((path) => ({ path })));
        break;
      case 'response': this.rpc.handleResponse(m); break;
    }
  }

  /** The canvas as PNG, read from the webview. */
  async snapshotPng(): Promise<Uint8Array> {
    if (!this.ready) throw new Error('the framebuffer panel has not loaded yet');
    const r = await this.rpc.request<SnapshotPngResult>('snapshotPng', {});
    return new Uint8Array(Buffer.from(r.png, 'base64'));
  }

  /** The webview is gone (panel closed or reloading). */
  reset(): void {
    this.ready = false;
    this.rpc.dispose();
  }
}
