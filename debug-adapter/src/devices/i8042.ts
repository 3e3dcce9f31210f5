// The i8042 keyboard controller: status/command port 0x64 and data port 0x60, reset and A20 through its output port, IRQ1.
import type { AccessContext, BusDevice, IrqLine } from '../vmm/bus/busDevice';
import { ByteQueue } from './byteQueue';
import { I8042Keyboard } from './i8042Keyboard';

/** Status register (read from the command port). */
export const STATUS_OUTPUT_FULL = 0x01;
export const STATUS_INPUT_FULL = 0x02;
export const STATUS_SYSTEM_FLAG = 0x04;
/** Whether the last byte the host wrote went to the command port (1) or the data port (0). */
export const STATUS_LAST_WAS_COMMAND = 0x08;
/** The keyboard lock switch; 1 means the keyboard is not inhibited. */
export const STATUS_NOT_INHIBITED = 0x10;
export const STATUS_AUX_DATA = 0x20;

/** Controller commands (written to the command port). */
export const CMD_READ_CONFIG = 0x20;
export const CMD_WRITE_CONFIG = 0x60;
export const CMD_DISABLE_AUX = 0xa7;
export const CMD_ENABLE_AUX = 0xa8;
export const CMD_SELF_TEST = 0xaa;
export const CMD_TEST_KEYBOARD_PORT = 0xab;
export const CMD_DISABLE_KEYBOARD = 0xad;
export const CMD_ENABLE_KEYBOARD = 0xae;
export const CMD_READ_OUTPUT_PORT = 0xd0;
export const CMD_WRITE_OUTPUT_PORT = 0xd1;
export const CMD_WRITE_AUX = 0xd4;
/** 0xF0..0xFF pulse the output-port bits that are 0 in the command's low nibble; bit 0 is the CPU reset line. */
export const CMD_PULSE_OUTPUT_BASE = 0xf0;
export const CMD_RESET = 0xfe;
export const SELF_TEST_PASSED = 0x55;
export const PORT_TEST_PASSED = 0x00;

/** Controller configuration byte ("command byte"). */
export const CONFIG_KEYBOARD_IRQ = 0x01;
export const CONFIG_AUX_IRQ = 0x02;
export const CONFIG_SYSTEM_FLAG = 0x04;
export const CONFIG_KEYBOARD_DISABLED = 0x10;
export const CONFIG_AUX_DISABLED = 0x20;
export const CONFIG_TRANSLATE = 0x40;
/** As firmware leaves it: keyboard interrupt on, POST passed, set-1 translation on. */
export const CONFIG_DEFAULT = CONFIG_KEYBOARD_IRQ | CONFIG_SYSTEM_FLAG | CONFIG_TRANSLATE;

/** Output port: bit 0 low holds the CPU in reset, bit 1 gates A20. */
export const OUTPUT_PORT_RESET_HIGH = 0x01;
export const OUTPUT_PORT_A20 = 0x02;
export const OUTPUT_PORT_DEFAULT = OUTPUT_PORT_RESET_HIGH | OUTPUT_PORT_A20;

const CONTROLLER_REPLY_CAPACITY = 16;
const NO_PENDING = -1;
/** Read value of bytes beyond the first in a wider access (the controller has 8-bit ports). */
const UNDECODED_BYTE = 0xff;

export interface I8042Options {
  /** IRQ1: raised while the output buffer holds a byte and the keyboard interrupt is enabled. */
  irq: IrqLine;
  onReset: () => void;
  onA20?: (enabled: boolean) => void;
  label?: string;
}

/*
 * The controller forwards one byte at a time through its output buffer. Its own replies (self-test, configuration)
 * go first; keyboard bytes follow while the keyboard interface is enabled. ISA interrupts are edge-triggered, so
 * taking a byte drops IRQ1 before the next byte raises it again.
 */
export class I8042 {
  readonly label: string;
  /** Insert at PORT_I8042_DATA (0x60), length 1. */
  readonly dataPort: BusDevice;
  /** Insert at PORT_I8042_CMD (0x64), length 1. */
  readonly commandPort: BusDevice;
  readonly keyboard = new I8042Keyboard();

  private readonly replies = new ByteQueue(CONTROLLER_REPLY_CAPACITY);
  private config = CONFIG_DEFAULT;
  private outputPort = OUTPUT_PORT_DEFAULT;
  private systemFlag = true;
  private lastWasCommand = false;
  private pendingCommand = NO_PENDING;
  private outputByte = 0;
  private outputFull = false;
  private irqLevel = false;
  private auxDropped = 0;

  constructor(private readonly options: I8042Options) {
    this.label = options.label ?? 'i8042';
    this.dataPort = this.port(`${this.label}.data`, () => this.readData(), (v) => this.writeData(v));
    this.commandPort = this.port(`${this.label}.cmd`, () => this.readStatus(), (v) => this.writeCommand(v));
  }

  /** Queues set-1 scan codes from a host keyboard; returns how many were accepted. */
  pushScancodes(bytes: ArrayLike<number>): number {
    const accepted = this.keyboard.pushScancodes(bytes);
    this.refill();
    return accepted;
  }

  reset(): void {
    this.replies.clear();
    this.keyboard.reset();
    this.config = CONFIG_DEFAULT;
    this.outputPort = OUTPUT_PORT_DEFAULT;
    this.systemFlag = true;
    this.lastWasCommand = false;
    this.pendingCommand = NO_PENDING;
    this.outputFull = false;
    this.refill();
  }

  get status(): number {
    return (this.outputFull ? STATUS_OUTPUT_FULL : 0)
      | (this.systemFlag ? STATUS_SYSTEM_FLAG : 0)
      | (this.lastWasCommand ? STATUS_LAST_WAS_COMMAND : 0)
      | STATUS_NOT_INHIBITED;
  }

  get configByte(): number {
    return this.config;
  }

  get a20Enabled(): boolean {
    return (this.outputPort & OUTPUT_PORT_A20) !== 0;
  }

  get irqAsserted(): boolean {
    return this.irqLevel;
  }

  /** Whether IRQ1 should be high given the current state (for consistency checks). */
  get interruptPending(): boolean {
    return this.outputFull && (this.config & CONFIG_KEYBOARD_IRQ) !== 0;
  }

  /** Controller replies waiting behind the output buffer. */
  get pendingReplies(): number {
    return this.replies.length;
  }

  /** Bytes sent to the auxiliary (mouse) port, which has nothing attached. */
  get auxDroppedCount(): number {
    return this.auxDropped;
  }

  private port(label: string, read: () => number, write: (value: number) => void): BusDevice {
    return {
      label,
      read: (_offset: number, data: Uint8Array, _ctx: AccessContext) => {
        data.fill(UNDECODED_BYTE);
        data[0] = read();
      },
      write: (_offset: number, data: Uint8Array, _ctx: AccessContext) => write(data[0]),
    };
  }

  private readStatus(): number {
    return this.status;
  }

  private readData(): number {
    const value = this.outputByte; // an empty buffer still reads its last byte
    if (this.outputFull) {
      this.outputFull = false;
      this.setIrq(false);
      this.refill();
    }
    return value;
  }

  private writeData(value: number): void {
    this.lastWasCommand = false;
    const command = this.pendingCommand;
    this.pendingCommand = NO_PENDING;
    switch (command) {
      case CMD_WRITE_CONFIG: this.writeConfig(value); break;
      case CMD_WRITE_OUTPUT_PORT: this.writeOutputPort(value); break;
      case CMD_WRITE_AUX: this.auxDropped++; break; // no mouse: the byte goes nowhere and nothing answers
      default: this.keyboard.command(value, (this.config & CONFIG_TRANSLATE) !== 0);
    }
    this.refill();
  }

  private writeCommand(command: number): void {
    this.lastWasCommand = true;
    this.pendingCommand = NO_PENDING;
    switch (command) {
      case CMD_READ_CONFIG: this.reply(this.config); break;
      case CMD_WRITE_CONFIG:
      case CMD_WRITE_OUTPUT_PORT:
      case CMD_WRITE_AUX:
        this.pendingCommand = command;
        break;
      case CMD_DISABLE_AUX: this.config |= CONFIG_AUX_DISABLED; break;
      case CMD_ENABLE_AUX: this.config &= ~CONFIG_AUX_DISABLED; break;
      case CMD_SELF_TEST:
        this.systemFlag = true;
        this.reply(SELF_TEST_PASSED);
        break;
      case CMD_TEST_KEYBOARD_PORT: this.reply(PORT_TEST_PASSED); break;
      case CMD_DISABLE_KEYBOARD: this.config |= CONFIG_KEYBOARD_DISABLED; break;
      case CMD_ENABLE_KEYBOARD: this.config &= ~CONFIG_KEYBOARD_DISABLED; break;
      case CMD_READ_OUTPUT_PORT: this.reply(this.outputPort); break;
      default:
        // Other commands (controller RAM, input port, aux tests) have no effect here.
        if (command >= CMD_PULSE_OUTPUT_BASE && !(command & OUTPUT_PORT_RESET_HIGH)) this.options.onReset();
    }
    this.refill();
  }

  private writeConfig(value: number): void {
    this.config = value;
    this.systemFlag = (value & CONFIG_SYSTEM_FLAG) !== 0;
  }

  private writeOutputPort(value: number): void {
    const wasA20 = this.a20Enabled;
    // Bit 0 low would hold the CPU in reset; the machine resets instead and the line returns high.
    this.outputPort = value | OUTPUT_PORT_RESET_HIGH;
    if (this.a20Enabled !== wasA20) this.options.onA20?.(this.a20Enabled);
    if (!(value & OUTPUT_PORT_RESET_HIGH)) this.options.onReset();
  }

  private reply(byte: number): void {
    this.replies.push(byte); // a driver that ignores CONTROLLER_REPLY_CAPACITY replies loses the newest ones
  }

  /** Moves the next byte into an empty output buffer and brings IRQ1 in line with it. */
  private refill(): void {
    if (!this.outputFull) {
      let next = this.replies.shift();
      if (next < 0 && !(this.config & CONFIG_KEYBOARD_DISABLED)) next = this.keyboard.next();
      if (next >= 0) {
        this.outputByte = next;
        this.outputFull = true;
      }
    }
    this.setIrq(this.interruptPending);
  }

  private setIrq(level: boolean): void {
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.options.irq.set(level);
    }
  }
}
