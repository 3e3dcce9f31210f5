// A 16550A UART with FIFOs as a bus device: transmit goes straight to a ByteSink, receive comes from pushInput().
import type { AccessContext, BusDevice, ByteSink, IrqLine } from '../../vmm/bus/busDevice';
import { ByteQueue } from '../byteQueue';
import * as R from './registers';

export interface Uart16550Options {
  sink: ByteSink;
  irq: IrqLine;
  /** Bytes the host may queue ahead of the guest before input is dropped as overrun (default 4096). */
  inputCapacity?: number;
  label?: string;
}

const DEFAULT_INPUT_CAPACITY = 4096;
/** With nothing attached to the port, the host side looks like a ready modem: carrier, data set ready, clear to send. */
const EXTERNAL_MODEM_LINES = R.MSR_DCD | R.MSR_DSR | R.MSR_CTS;
/** Read value of registers outside the eight the UART decodes (reachable only by calling the device directly). */
const UNDECODED_BYTE = 0xff;

/*
 * Timing model: transmission is instantaneous (THR and the shift register are empty again as soon as a byte is
 * written) and host input arrives in bursts, so the "four character times without activity" that arm the
 * character-timeout interrupt have always elapsed: whenever the receive FIFO holds fewer bytes than the trigger
 * level, the pending receive interrupt is reported as a character timeout.
 *
 * Receive path: one bounded queue holds host input. The guest sees its first 16 bytes as the receive FIFO (or the
 * first byte as the holding register with FIFOs off); the rest waits, as if behind flow control, so nothing is lost
 * until the queue itself is full. Input beyond that is dropped and reported as an overrun (LSR.OE).
 */
export class Uart16550 implements BusDevice {
  readonly label: string;
  private readonly sink: ByteSink;
  private readonly irq: IrqLine;
  private readonly rx: ByteQueue;

  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private divisor = R.DEFAULT_DIVISOR;
  private fifoEnabled = false;
  private triggerLevel = R.RX_TRIGGER_LEVELS[0];
  /** Sticky LSR error bits, cleared when the guest reads LSR. */
  private lineErrors = 0;
  private msr = EXTERNAL_MODEM_LINES;
  /** The THR-empty interrupt is an event, not a level: set when THR empties, cleared by an IIR read that reports it. */
  private thrEmptyPending = false;
  private lastReceived = 0;
  private irqLevel = false;
  private overruns = 0;
  private transmitted = 0;

  constructor(options: Uart16550Options) {
    this.sink = options.sink;
    this.irq = options.irq;
    this.label = options.label ?? 'uart16550';
    this.rx = new ByteQueue(options.inputCapacity ?? DEFAULT_INPUT_CAPACITY);
  }

  read(offset: number, data: Uint8Array, _ctx?: AccessContext): void {
    // Wider accesses reach consecutive byte registers, as an 8-bit ISA device sees them.
    for (let i = 0; i < data.length; i++) data[i] = this.readRegister(offset + i);
    this.updateIrq();
  }

  write(offset: number, data: Uint8Array, _ctx?: AccessContext): void {
    for (let i = 0; i < data.length; i++) this.writeRegister(offset + i, data[i]);
    this.updateIrq();
  }

  /** Queues bytes received from the host side; returns how many were accepted (the rest count as overruns). */
  pushInput(bytes: ArrayLike<number>): number {
    let accepted = 0;
    for (let i = 0; i < bytes.length; i++) if (this.receive(bytes[i] & 0xff)) accepted++;
    this.updateIrq();
    return accepted;
  }

  /** Power-on state; queued input is discarded. */
  reset(): void {
    this.ier = 0;
    this.lcr = 0;
    this.mcr = 0;
    this.scr = 0;
    this.divisor = R.DEFAULT_DIVISOR;
    this.fifoEnabled = false;
    this.triggerLevel = R.RX_TRIGGER_LEVELS[0];
    this.lineErrors = 0;
    this.msr = EXTERNAL_MODEM_LINES;
    this.thrEmptyPending = false;
    this.lastReceived = 0;
    this.rx.clear();
    this.updateIrq();
  }

  /** The interrupt identification the guest would read from IIR bits 3:0, without the read's side effects. */
  get interruptId(): number {
    if ((this.ier & R.IER_LINE_STATUS) && this.lineErrors) return R.IIR_LINE_STATUS;
    if ((this.ier & R.IER_RX_DATA) && !this.rx.isEmpty) {
      return this.fifoEnabled && this.rx.length < this.triggerLevel ? R.IIR_CHAR_TIMEOUT : R.IIR_RX_DATA;
    }
    if ((this.ier & R.IER_THR_EMPTY) && this.thrEmptyPending) return R.IIR_THR_EMPTY;
    if ((this.ier & R.IER_MODEM_STATUS) && (this.msr & R.MSR_DELTA_MASK)) return R.IIR_MODEM_STATUS;
    return R.IIR_NONE;
  }

  /** Whether the IRQ line is currently driven high. */
  get irqAsserted(): boolean {
    return this.irqLevel;
  }

  /** Whether OUT2 connects the interrupt to the IRQ line (never in loopback, where the OUT pins are forced inactive). */
  get irqGateOpen(): boolean {
    return (this.mcr & (R.MCR_OUT2 | R.MCR_LOOP)) === R.MCR_OUT2;
  }

  /** Host input waiting, including what the guest sees in the receive FIFO. */
  get rxQueued(): number {
    return this.rx.length;
  }

  get inputCapacity(): number {
    return this.rx.capacity;
  }

  /** Input bytes dropped because the queue was full. */
  get overrunCount(): number {
    return this.overruns;
  }

  /** Bytes written to THR (including those looped back). */
  get transmittedCount(): number {
    return this.transmitted;
  }

  /** The programmed baud-rate divisor (DLM:DLL). */
  get baudDivisor(): number {
    return this.divisor;
  }

  private readRegister(reg: number): number {
    const dlab = (this.lcr & R.LCR_DLAB) !== 0;
    switch (reg) {
      case R.REG_RBR: return dlab ? this.divisor & 0xff : this.readReceiver();
      case R.REG_IER: return dlab ? this.divisor >> 8 : this.ier;
      case R.REG_IIR: return this.readIir();
      case R.REG_LCR: return this.lcr;
      case R.REG_MCR: return this.mcr;
      case R.REG_LSR: return this.readLsr();
      case R.REG_MSR: return this.readMsr();
      case R.REG_SCR: return this.scr;
      default: return UNDECODED_BYTE;
    }
  }

  private writeRegister(reg: number, value: number): void {
    const dlab = (this.lcr & R.LCR_DLAB) !== 0;
    switch (reg) {
      case R.REG_THR:
        if (dlab) this.divisor = (this.divisor & 0xff00) | value;
        else this.transmit(value);
        return;
      case R.REG_IER:
        if (dlab) this.divisor = (this.divisor & 0x00ff) | (value << 8);
        else this.writeIer(value & R.IER_WRITABLE);
        return;
      case R.REG_FCR: this.writeFcr(value); return;
      case R.REG_LCR: this.lcr = value; return;
      case R.REG_MCR: this.writeMcr(value & R.MCR_WRITABLE); return;
      case R.REG_SCR: this.scr = value; return;
      default: return; // LSR and MSR writes are factory-test paths: ignored
    }
  }

  private readReceiver(): number {
    const byte = this.rx.shift();
    if (byte >= 0) this.lastReceived = byte;
    return this.lastReceived; // an empty holding register still returns its last content
  }

  private readIir(): number {
    const id = this.interruptId;
    if (id === R.IIR_THR_EMPTY) this.thrEmptyPending = false;
    return id | (this.fifoEnabled ? R.IIR_FIFOS_ENABLED : 0);
  }

  private readLsr(): number {
    let value = this.lineErrors | R.LSR_THR_EMPTY | R.LSR_TX_EMPTY;
    if (!this.rx.isEmpty) value |= R.LSR_DATA_READY;
    if (this.fifoEnabled && (this.lineErrors & (R.LSR_PARITY_ERROR | R.LSR_FRAMING_ERROR | R.LSR_BREAK))) {
      value |= R.LSR_RX_FIFO_ERROR;
    }
    this.lineErrors = 0;
    return value;
  }

  private readMsr(): number {
    const value = this.msr;
    this.msr &= ~R.MSR_DELTA_MASK;
    return value;
  }

  private transmit(byte: number): void {
    this.transmitted++;
    if (this.mcr & R.MCR_LOOP) this.receive(byte);
    else this.sink.write(Uint8Array.of(byte)); // a fresh buffer: sinks may keep what they are given
    this.thrEmptyPending = true;
  }

  private receive(byte: number): boolean {
    if (this.rx.push(byte)) return true;
    this.overruns++;
    this.lineErrors |= R.LSR_OVERRUN;
    return false;
  }

  private writeIer(value: number): void {
    const changed = this.ier ^ value;
    this.ier = value;
    // Enabling the THR-empty interrupt while THR is empty (always, here) raises it at once; disabling drops it.
    if (changed & R.IER_THR_EMPTY) this.thrEmptyPending = (value & R.IER_THR_EMPTY) !== 0;
  }

  private writeFcr(value: number): void {
    const enable = (value & R.FCR_ENABLE) !== 0;
    if (enable !== this.fifoEnabled) {
      this.clearRxFifo(); // switching modes empties both FIFOs
      this.fifoEnabled = enable;
    }
    if (!enable) return;
    if (value & R.FCR_CLEAR_RX) this.clearRxFifo();
    // FCR_CLEAR_TX: the transmitter never holds data. FCR_DMA_MODE: there is no DMA.
    this.triggerLevel = R.RX_TRIGGER_LEVELS[value >> R.FCR_TRIGGER_SHIFT];
  }

  /** Drops what the guest currently sees as received (the FIFO or holding register), not input still waiting behind it. */
  private clearRxFifo(): void {
    this.rx.drop(this.fifoEnabled ? R.RX_FIFO_SIZE : 1);
  }

  private writeMcr(value: number): void {
    const before = this.modemLines();
    this.mcr = value;
    const after = this.modemLines();
    const changed = before ^ after;
    let delta = 0;
    if (changed & R.MSR_CTS) delta |= R.MSR_DELTA_CTS;
    if (changed & R.MSR_DSR) delta |= R.MSR_DELTA_DSR;
    if (changed & R.MSR_DCD) delta |= R.MSR_DELTA_DCD;
    if ((before & R.MSR_RI) && !(after & R.MSR_RI)) delta |= R.MSR_TRAILING_RI;
    this.msr = after | (this.msr & R.MSR_DELTA_MASK) | delta;
  }

  /** The modem input lines: wired back from the MCR outputs in loopback, otherwise the host side. */
  private modemLines(): number {
    if (!(this.mcr & R.MCR_LOOP)) return EXTERNAL_MODEM_LINES;
    return (this.mcr & R.MCR_RTS ? R.MSR_CTS : 0)
      | (this.mcr & R.MCR_DTR ? R.MSR_DSR : 0)
      | (this.mcr & R.MCR_OUT1 ? R.MSR_RI : 0)
      | (this.mcr & R.MCR_OUT2 ? R.MSR_DCD : 0);
  }

  private updateIrq(): void {
    const level = this.irqGateOpen && this.interruptId !== R.IIR_NONE;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }
}
