// Host side of the backdoor inspector without vscode: ready handshake, trace entries, TCLO sends and exports.
import { RpcEndpoint } from '../../../protocol/messageRpc';
import { parseBackdoorToHost } from '../../../protocol/webviewMessageGuards';
import type { BackdoorEntryView, BackdoorToWebview, SessionInfoMessage } from '../../../protocol/webviewMessages';
import { BACKDOOR_BACKLOG, type RouterEvent } from '../sessionRouter';

export interface BackdoorHost {
  post(message: BackdoorToWebview): void;
  sendTclo(command: string): Promise<void>;
  /** Save exported text and say where it went. */
  saveExport(fileName: string, text: string): Promise<string>;
}

export class BackdoorBridge {
  private ready = false;
  /** Everything seen, so a webview that reloads (hidden and shown again) gets the whole table back. */
  private all: BackdoorEntryView[] = [];
  private session?: SessionInfoMessage;
  readonly rpc: RpcEndpoint;

  constructor(private readonly host: BackdoorHost) {
    this.rpc = new RpcEndpoint((m) => host.post(m as BackdoorToWebview));
  }

  onRouterEvent(e: RouterEvent): void {
    if (e.kind === 'backdoor') {
      this.all.push(...e.entries);
      if (this.all.length > BACKDOOR_BACKLOG) this.all.splice(0, this.all.length - BACKDOOR_BACKLOG);
      // Before the webview listens, entries wait; they all go out as one replacing batch on ready.
      if (this.ready) this.host.post({ type: 'entries', entries: e.entries, replace: false });
    } else if (e.kind === 'state' || e.kind === 'ended') {
      this.session = { type: 'session', name: e.session.name, state: e.session.state, detail: e.session.detail };
      if (this.ready) this.host.post(this.session);
    }
  }

  async onWebviewMessage(raw: unknown): Promise<void> {
    const m = parseBackdoorToHost(raw);
    if (!m) return;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.session) this.host.post(this.session);
        this.host.post({ type: 'entries', entries: this.all.slice(), replace: true });
        break;
      case 'request':
        if (m.method === 'sendTclo') {
          const { command } = m.params;
          await this.rpc.answer(m.id, () => this.host.sendTclo(command.trim()));
        } else {
          const { fileName, text } = m.params;
          await this.rpc.answer(m.id, async () => ({ path: await this.host.saveExport(fileName, text) }));
        }
        break;
      case 'response': this.rpc.handleResponse(m); break;
    }
  }

  reset(): void {
    this.ready = false;
    this.rpc.dispose();
  }
}
