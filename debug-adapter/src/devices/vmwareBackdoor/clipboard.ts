// The legacy text clipboard commands (GETSELLENGTH/GETNEXTPIECE, SETSELLENGTH/SETNEXTPIECE), 4 bytes per call.
import { MAX_CLIPBOARD_BYTES } from './constants';

const WORD = 4;

function wordAt(bytes: Uint8Array, offset: number): number {
  let v = 0;
  for (let i = 0; i < WORD && offset + i < bytes.length; i++) v |= bytes[offset + i] << (8 * i);
  return v >>> 0;
}

export class LegacyClipboard {
  private host = new Uint8Array(0);
  private readOffset = 0;
  private guest: Uint8Array | null = null;
  private guestReceived = 0;

  constructor(private readonly onGuestText: (text: string) => void) {}

  /** Text the guest will read next (cut to the size bound). */
  setHostText(text: string): void {
    const bytes = new TextEncoder().encode(text);
    this.host = bytes.length > MAX_CLIPBOARD_BYTES ? bytes.slice(0, MAX_CLIPBOARD_BYTES) : bytes;
    this.readOffset = 0;
  }

  /** GETSELLENGTH: the host text length; restarts the piece stream. */
  length(): number {
    this.readOffset = 0;
    return this.host.length;
  }

  /** GETNEXTPIECE: the next 4 bytes, zero past the end. */
  nextPiece(): number {
    const v = wordAt(this.host, this.readOffset);
    this.readOffset = Math.min(this.host.length, this.readOffset + WORD);
    return v;
  }

  /** SETSELLENGTH: start receiving; a length over the bound is refused and its pieces are ignored. */
  setLength(length: number): boolean {
    if (length > MAX_CLIPBOARD_BYTES) {
      this.guest = null;
      return false;
    }
    this.guest = new Uint8Array(length);
    this.guestReceived = 0;
    if (length === 0) this.finish();
    return true;
  }

  /** SETNEXTPIECE: append up to 4 bytes; the text is delivered when the announced length is reached. */
  setPiece(word: number): boolean {
    const g = this.guest;
    if (!g) return false;
    for (let i = 0; i < WORD && this.guestReceived < g.length; i++) g[this.guestReceived++] = (word >>> (8 * i)) & 0xff;
    if (this.guestReceived === g.length) this.finish();
    return true;
  }

  /** Bytes held, for memory-bound checks. */
  get heldBytes(): number { return this.host.length + (this.guest?.length ?? 0); }

  private finish(): void {
    const g = this.guest ?? new Uint8Array(0);
    this.guest = null;
    this.onGuestText(new TextDecoder().decode(g));
  }
}
