// The vmmouse absolute pointer over the backdoor: commands, status, 4-word event packets in a bounded queue.
//
// Interrupts: the vmmouse has no IRQ of its own. After every queued event the host calls
// onPointerEventQueued; the i8042 model is expected to send a PS/2 mouse packet and raise IRQ12, and the
// guest driver (Linux psmouse-vmmouse) then drains the queue with STATUS and DATA(4) from its interrupt handler.
import {
  VMMOUSE_CMD_DISABLE, VMMOUSE_CMD_READ_ID, VMMOUSE_CMD_REQUEST_ABSOLUTE, VMMOUSE_CMD_REQUEST_RELATIVE,
  VMMOUSE_FLAG_RELATIVE, VMMOUSE_LEFT_BUTTON, VMMOUSE_MAX_DATA_WORDS, VMMOUSE_MIDDLE_BUTTON,
  VMMOUSE_QUEUE_HIGH_WATER, VMMOUSE_QUEUE_WORDS, VMMOUSE_RIGHT_BUTTON, VMMOUSE_STATUS_ERROR, VMMOUSE_VERSION_ID,
} from './constants';
import { vmmouseSubcommandName } from './commands';

/** Host pointer buttons as a bit mask. */
export const POINTER_LEFT = 1;
export const POINTER_RIGHT = 2;
export const POINTER_MIDDLE = 4;

export interface PointerEvent {
  buttons: number;
  /** Absolute mode: 0..0xFFFF across the screen. Relative mode: signed deltas (positive y is up). */
  x: number;
  y: number;
  /** Wheel clicks, signed. */
  wheel?: number;
}

const MAX_ABS = 0xffff;
const DATA_REGISTERS = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi'] as const;
export type DataRegister = typeof DATA_REGISTERS[number];

export class VmMouse {
  private readonly queue = new Uint32Array(VMMOUSE_QUEUE_WORDS);
  private head = 0;
  private length = 0;
  /** 0 when enabled; VMMOUSE_STATUS_ERROR when disabled or after a bad read. Devices start disabled. */
  private status = VMMOUSE_STATUS_ERROR;
  private absoluteMode = false;
  private restrictLevel = 0;

  constructor(private readonly onQueued: () => void = () => {}) {}

  get enabled(): boolean { return this.status === 0; }
  get absolute(): boolean { return this.absoluteMode; }
  get queuedWords(): number { return this.length; }
  get restriction(): number { return this.restrictLevel; }

  reset(): void {
    this.status = VMMOUSE_STATUS_ERROR;
    this.absoluteMode = false;
    this.clear();
  }

  /** ABSPOINTER_COMMAND: returns the subcommand name for the trace. */
  command(sub: number): string {
    switch (sub >>> 0) {
      case VMMOUSE_CMD_READ_ID:
        // Enables the device and queues the id the driver checks with DATA(1).
        if (this.length < VMMOUSE_QUEUE_WORDS) this.enqueue(VMMOUSE_VERSION_ID);
        this.status = 0;
        break;
      case VMMOUSE_CMD_DISABLE:
        this.status = VMMOUSE_STATUS_ERROR;
        this.clear();
        break;
      case VMMOUSE_CMD_REQUEST_RELATIVE: this.absoluteMode = false; break;
      case VMMOUSE_CMD_REQUEST_ABSOLUTE: this.absoluteMode = true; break;
      default: break;
    }
    return vmmouseSubcommandName(sub);
  }

  /** ABSPOINTER_STATUS: (status << 16) | queued words. */
  statusWord(): number { return ((this.status << 16) | this.length) >>> 0; }

  /**
   * ABSPOINTER_DATA: hand out `count` words in EAX, EBX, ... . Asking for none, more than six, or more than are
   * queued is an error that disables the device, as in QEMU (Linux checks STATUS first, so it never does this).
   */
  data(count: number): Partial<Record<DataRegister, number>> | undefined {
    if (this.status !== 0 || count === 0 || count > VMMOUSE_MAX_DATA_WORDS || count > this.length) {
      this.status = VMMOUSE_STATUS_ERROR;
      this.clear();
      return undefined;
    }
    const out: Partial<Record<DataRegister, number>> = {};
    for (let i = 0; i < count; i++) out[DATA_REGISTERS[i]] = this.dequeue();
    return out;
  }

  /** ABSPOINTER_RESTRICT: remembered only (the privilege check happens before an exit reaches us). */
  restrict(level: number): void { this.restrictLevel = level >>> 0; }

  /** Queue one pointer event; false when the device is disabled or the queue is full (the event is dropped). */
  push(ev: PointerEvent): boolean {
    if (this.status !== 0 || this.length > VMMOUSE_QUEUE_HIGH_WATER) return false;
    let buttons = 0;
    if (ev.buttons & POINTER_LEFT) buttons |= VMMOUSE_LEFT_BUTTON;
    if (ev.buttons & POINTER_RIGHT) buttons |= VMMOUSE_RIGHT_BUTTON;
    if (ev.buttons & POINTER_MIDDLE) buttons |= VMMOUSE_MIDDLE_BUTTON;
    const flags = this.absoluteMode ? 0 : VMMOUSE_FLAG_RELATIVE;
    const clampAbs = (v: number): number => Math.max(0, Math.min(MAX_ABS, Math.round(v)));
    const x = this.absoluteMode ? clampAbs(ev.x) : Math.round(ev.x) >>> 0;
    const y = this.absoluteMode ? clampAbs(ev.y) : Math.round(ev.y) >>> 0;
    this.enqueue(((flags << 16) | buttons) >>> 0);
    this.enqueue(x);
    this.enqueue(y);
    this.enqueue(Math.round(ev.wheel ?? 0) >>> 0);
    this.onQueued();
    return true;
  }

  private enqueue(word: number): void {
    this.queue[(this.head + this.length) % VMMOUSE_QUEUE_WORDS] = word;
    this.length++;
  }

  private dequeue(): number {
    const v = this.queue[this.head];
    this.head = (this.head + 1) % VMMOUSE_QUEUE_WORDS;
    this.length--;
    return v;
  }

  private clear(): void {
    this.head = 0;
    this.length = 0;
  }
}
