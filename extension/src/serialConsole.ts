// The serial console of one VM without any UI: guest bytes to terminal text, a headless screen model, keyboard bytes out.
import { Terminal } from '@xterm/headless';

export const DEFAULT_COLUMNS = 80;
export const DEFAULT_ROWS = 24;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Guests often print a bare LF; a terminal then moves down without returning to column 0. The UART carries bytes,
 * so the fix happens here: a LF not preceded by CR (also across chunk boundaries) becomes CR LF.
 */
export class LineEndings {
  private lastWasCr = false;

  convert(bytes: Uint8Array): Uint8Array {
    let extra = 0;
    let prevCr = this.lastWasCr;
    for (const b of bytes) {
      if (b === LF && !prevCr) extra++;
      prevCr = b === CR;
    }
    const startedAfterCr = this.lastWasCr;
    if (bytes.length > 0) this.lastWasCr = bytes[bytes.length - 1] === CR;
    if (extra === 0) return bytes;
    const out = new Uint8Array(bytes.length + extra);
    let o = 0;
    prevCr = startedAfterCr;
    for (const b of bytes) {
      if (b === LF && !prevCr) out[o++] = CR;
      out[o++] = b;
      prevCr = b === CR;
    }
    return out;
  }
}

export interface SerialConsoleOptions { columns?: number; rows?: number; scrollback?: number }

export class SerialConsole {
  private readonly endings = new LineEndings();
  private readonly decoder = new TextDecoder('utf-8');
  private readonly screen: Terminal;
  private pending = Promise.resolve();

  constructor(opts: SerialConsoleOptions = {}) {
    this.screen = new Terminal({
      cols: opts.columns ?? DEFAULT_COLUMNS, rows: opts.rows ?? DEFAULT_ROWS, scrollback: opts.scrollback ?? 5000, allowProposedApi: true,
    });
  }

  /** Guest bytes → the text to hand to the pseudoterminal; the headless screen sees the same text. */
  feed(bytes: Uint8Array): string {
    // Guest text is mostly ASCII; stream decoding keeps a UTF-8 sequence split across chunks intact.
    const text = this.decoder.decode(this.endings.convert(bytes), { stream: true });
    if (text.length > 0) this.pending = this.pending.then(() => new Promise<void>((resolve) => this.screen.write(text, resolve)));
    return text;
  }

  /** Text of our own (already terminal-ready, e.g. an end-of-VM notice) that the screen model must also contain. */
  annotate(text: string): string {
    this.pending = this.pending.then(() => new Promise<void>((resolve) => this.screen.write(text, resolve)));
    return text;
  }

  resize(columns: number, rows: number): void {
    if (columns > 0 && rows > 0) this.screen.resize(columns, rows);
  }

  /** The visible screen as plain text: right-trimmed lines, without trailing empty lines. */
  async screenText(): Promise<string> {
    await this.pending;
    const buf = this.screen.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < this.screen.rows; y++) lines.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  dispose(): void {
    this.screen.dispose();
  }
}

/** Keyboard text from the terminal → base64 bytes for the kvmlab.serialInput request. */
export function encodeSerialInput(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
