// The PS/2 keyboard behind the i8042's first port: answers driver commands and queues scan codes for the controller.
import { ByteQueue } from './byteQueue';

/** Keyboard commands (host to keyboard) and replies (keyboard to host). */
export const KBD_CMD_SET_LEDS = 0xed;
export const KBD_CMD_ECHO = 0xee;
export const KBD_CMD_SCANCODE_SET = 0xf0;
export const KBD_CMD_GET_ID = 0xf2;
export const KBD_CMD_SET_TYPEMATIC = 0xf3;
export const KBD_CMD_ENABLE = 0xf4;
export const KBD_CMD_DISABLE = 0xf5;
export const KBD_CMD_SET_DEFAULTS = 0xf6;
export const KBD_CMD_RESEND = 0xfe;
export const KBD_CMD_RESET = 0xff;
export const KBD_REPLY_ACK = 0xfa;
export const KBD_REPLY_RESEND = 0xfe;
export const KBD_REPLY_SELF_TEST_OK = 0xaa;
/** An MF2 keyboard identifies as AB 83; with controller translation on, the host sees AB 41. */
export const KBD_ID_FIRST = 0xab;
export const KBD_ID_SECOND = 0x83;
export const KBD_ID_SECOND_TRANSLATED = 0x41;

/** Commands followed by one argument byte, each acknowledged separately. */
const COMMANDS_WITH_ARGUMENT = new Set([KBD_CMD_SET_LEDS, KBD_CMD_SCANCODE_SET, KBD_CMD_SET_TYPEMATIC]);
const NO_PENDING = -1;
/** Room for bursts of host key events (a pasted string) before the guest drains them. */
const DEFAULT_QUEUE_CAPACITY = 256;

export class I8042Keyboard {
  private readonly out: ByteQueue;
  private pendingCommand = NO_PENDING;
  private scanning = true;
  private lastSent = KBD_REPLY_ACK;
  private dropped = 0;

  constructor(capacity = DEFAULT_QUEUE_CAPACITY) {
    this.out = new ByteQueue(capacity);
  }

  /** Queues scan codes as the guest should read them (set 1, as seen with controller translation on). */
  pushScancodes(bytes: ArrayLike<number>): number {
    if (!this.scanning) {
      this.dropped += bytes.length; // a keyboard with scanning disabled does not report keys
      return 0;
    }
    let accepted = 0;
    for (let i = 0; i < bytes.length; i++) if (this.send(bytes[i] & 0xff)) accepted++;
    return accepted;
  }

  /** A byte the host sent to the keyboard through the controller's data port. */
  command(byte: number, translated: boolean): void {
    if (this.pendingCommand !== NO_PENDING) {
      this.pendingCommand = NO_PENDING; // the argument value itself (LED mask, rate, set number) changes nothing here
      this.send(KBD_REPLY_ACK);
      return;
    }
    if (COMMANDS_WITH_ARGUMENT.has(byte)) {
      this.pendingCommand = byte;
      this.send(KBD_REPLY_ACK);
      return;
    }
    switch (byte) {
      case KBD_CMD_ECHO: this.send(KBD_CMD_ECHO); return;
      case KBD_CMD_GET_ID:
        this.send(KBD_REPLY_ACK);
        this.send(KBD_ID_FIRST);
        this.send(translated ? KBD_ID_SECOND_TRANSLATED : KBD_ID_SECOND);
        return;
      case KBD_CMD_ENABLE: this.scanning = true; this.send(KBD_REPLY_ACK); return;
      case KBD_CMD_DISABLE:
      case KBD_CMD_SET_DEFAULTS:
        this.scanning = byte !== KBD_CMD_DISABLE;
        this.out.clear(); // both commands discard the keyboard's output buffer
        this.send(KBD_REPLY_ACK);
        return;
      case KBD_CMD_RESEND: this.send(this.lastSent); return;
      case KBD_CMD_RESET:
        this.reset();
        this.send(KBD_REPLY_ACK);
        this.send(KBD_REPLY_SELF_TEST_OK);
        return;
      default: this.send(KBD_REPLY_RESEND); // what a keyboard answers to a byte it does not understand
    }
  }

  get hasData(): boolean {
    return !this.out.isEmpty;
  }

  /** Takes the next byte for the controller's output buffer, or -1. */
  next(): number {
    const byte = this.out.shift();
    if (byte >= 0) this.lastSent = byte;
    return byte;
  }

  get queued(): number {
    return this.out.length;
  }

  get capacity(): number {
    return this.out.capacity;
  }

  get scanningEnabled(): boolean {
    return this.scanning;
  }

  /** Scan codes dropped because the queue was full or scanning was disabled. */
  get droppedCount(): number {
    return this.dropped;
  }

  reset(): void {
    this.out.clear();
    this.pendingCommand = NO_PENDING;
    this.scanning = true;
  }

  private send(byte: number): boolean {
    if (this.out.push(byte)) return true;
    this.dropped++;
    return false;
  }
}
