// One terminal per VM session showing the guest's COM1 output (with ANSI) and sending keystrokes to its UART.
import * as vscode from 'vscode';
import { SERIAL_INPUT_REQUEST, type SerialInputArguments } from '../../protocol/extensionEvents';
import { encodeSerialInput, SerialConsole } from './serialConsole';
import type { RouterEvent, SessionRouter, Subscription } from './sessionRouter';
import { settings } from './settings';

const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

class SerialTerminal {
  readonly console: SerialConsole;
  terminal?: vscode.Terminal;
  ended = false;
  private opened = false;
  private early: string[] = [];
  private inputRefused = false;
  private readonly writes = new vscode.EventEmitter<string>();
  private readonly subscription: Subscription;

  constructor(readonly session: vscode.DebugSession, router: SessionRouter, private readonly onFirstOutput: () => void) {
    this.console = new SerialConsole({ scrollback: settings().terminalScrollback });
    this.subscription = router.subscribe(session.id, (_id, e) => this.onEvent(e));
  }

  private onEvent(e: RouterEvent): void {
    if (e.kind === 'serial') {
      const text = this.console.feed(e.bytes);
      if (text) {
        this.write(text);
        this.onFirstOutput();
      }
    } else if (e.kind === 'ended' && !this.ended) {
      this.ended = true;
      this.write(this.console.annotate(`\r\n${DIM}[${this.session.name}: VM ended${e.session.detail ? `, ${e.session.detail}` : ''}]${RESET}\r\n`));
    }
  }

  private write(text: string): void {
    // A pseudoterminal drops what is written before VS Code opens it, so hold it until then.
    if (this.opened) this.writes.fire(text); else this.early.push(text);
  }

  show(preserveFocus: boolean): void {
    if (!this.terminal) {
      const pty: vscode.Pseudoterminal = {
        onDidWrite: this.writes.event,
        open: (dims) => {
          this.opened = true;
          if (dims) this.console.resize(dims.columns, dims.rows);
          for (const t of this.early) this.writes.fire(t);
          this.early = [];
        },
        close: () => { this.terminal = undefined; this.opened = false; },
        handleInput: (data) => void this.sendInput(data),
        setDimensions: (dims) => this.console.resize(dims.columns, dims.rows),
      };
      this.terminal = vscode.window.createTerminal({ name: `KVM Lab serial: ${this.session.name}`, pty, iconPath: new vscode.ThemeIcon('vm') });
    }
    this.terminal.show(preserveFocus);
  }

  private async sendInput(data: string): Promise<void> {
    if (this.ended) return;
    try {
      await this.session.customRequest(SERIAL_INPUT_REQUEST, { data: encodeSerialInput(data) } satisfies SerialInputArguments);
    } catch (e) {
      if (this.inputRefused) return;
      this.inputRefused = true;
      this.write(this.console.annotate(`\r\n${DIM}[keyboard input not delivered: ${e instanceof Error ? e.message : String(e)}]${RESET}\r\n`));
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.terminal?.dispose();
    this.console.dispose();
    this.writes.dispose();
  }
}

export class SerialTerminals implements vscode.Disposable {
  private readonly bySession = new Map<string, SerialTerminal>();

  constructor(private readonly router: SessionRouter) {}

  /** Called when a kvmlab session starts; a finished terminal of the same configuration makes room for the new one. */
  attach(session: vscode.DebugSession): void {
    for (const [id, t] of this.bySession) {
      if (t.ended && t.session.name === session.name) {
        t.dispose();
        this.bySession.delete(id);
      }
    }
    const mode = settings().terminalOpen;
    let shown = false;
    const term = new SerialTerminal(session, this.router, () => {
      if (!shown && mode === 'onFirstOutput') {
        shown = true;
        term.show(true);
      }
    });
    this.bySession.set(session.id, term);
    if (mode === 'onStart') term.show(true);
  }

  /** The terminal of the given session, else of the active debug session, else the newest one. */
  private pick(sessionId?: string): SerialTerminal | undefined {
    const id = sessionId ?? vscode.debug.activeDebugSession?.id;
    return (id && this.bySession.get(id)) || [...this.bySession.values()].pop();
  }

  show(sessionId?: string): boolean {
    const t = this.pick(sessionId);
    t?.show(false);
    return t !== undefined;
  }

  async screenText(sessionId?: string): Promise<{ name: string; text: string } | undefined> {
    const t = this.pick(sessionId);
    return t ? { name: t.session.name, text: await t.console.screenText() } : undefined;
  }

  dispose(): void {
    for (const t of this.bySession.values()) t.dispose();
    this.bySession.clear();
  }
}
