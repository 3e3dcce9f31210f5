// The VMware SVGA II PCI display device: registers, FIFO processing, fences and IRQs, scanout and frame updates.
import { compositeCursor } from '../../display/cursorImage';
import { DirtyTracker } from '../../display/dirtyTracker';
import { copyFramebuffer, type Framebuffer } from '../../display/framebuffer';
import type { IrqLine } from '../../vmm/bus/busDevice';
import type { BarSpec, PciFunction, PciIdentity } from '../pci/pciFunction';
import { type FifoError, runFifo } from './fifoProcessor';
import { FifoRing, MIN_RING_BYTES } from './fifoRing';
import { ScreenTable, type ScreenObject } from './screenObjects';
import { SvgaCommandExecutor } from './svgaCommandExecutor';
import {
  Cap, CURSOR_SHOW, Fifo, FifoCap, IO_BAR_SIZE, Irq, PCI_CLASS_VGA, PCI_DEVICE_SVGA2, PCI_VENDOR_VMWARE,
} from './svgaConstants';
import { SvgaIoPorts } from './svgaIoPorts';
import { SvgaIrq } from './svgaIrq';
import { computeMode, type SvgaMode } from './svgaMode';
import { SvgaRegisters, type RegisterHost } from './svgaRegisters';
import type {
  CursorState, DisplayUpdate, EscapeRecord, ProcessOptions, Scanout, Svga2Options, Svga2RunResult,
} from './svgaTypes';

export type * from './svgaTypes';

export const DEFAULT_VRAM_SIZE = 16 * 1024 * 1024;
export const DEFAULT_FIFO_SIZE = 256 * 1024;
export const DEFAULT_MAX_WIDTH = 2560;
export const DEFAULT_MAX_HEIGHT = 1600;
export const DEFAULT_INITIAL_WIDTH = 1024;
export const DEFAULT_INITIAL_HEIGHT = 768;
export const DEFAULT_SCRATCH_SIZE = 64;
/** Bounds one processing pass so a flood of commands cannot stall the caller. */
export const DEFAULT_MAX_COMMANDS_PER_RUN = 4096;
/** The INTx line number firmware would assign when the machine does not choose one. */
export const DEFAULT_INTERRUPT_LINE = 11;
const MAX_TOPOLOGY_DISPLAYS = 16;
const MAX_ERRORS_KEPT = 32;
const MAX_ESCAPES_KEPT = 32;
const ESCAPE_BYTES_KEPT = 256;
/** Smallest FIFO a driver can use: its register page plus a ring of the minimum size. */
const MIN_FIFO_SIZE = 4096 + MIN_RING_BYTES;
const MIN_VRAM_SIZE = 64 * 1024;

/** Register capabilities this device implements; IRQMASK is added once an interrupt line is attached. */
export const SVGA2_CAPABILITIES = Cap.RECT_FILL | Cap.RECT_COPY | Cap.CURSOR | Cap.CURSOR_BYPASS_2 | Cap.ALPHA_CURSOR
  | Cap.EXTENDED_FIFO | Cap.PITCHLOCK;
/** FIFO capabilities (FIFO word 4) this device implements. */
export const SVGA2_FIFO_CAPABILITIES = FifoCap.FENCE | FifoCap.PITCHLOCK | FifoCap.CURSOR_BYPASS_3 | FifoCap.ESCAPE
  | FifoCap.RESERVE | FifoCap.SCREEN_OBJECT;

export class Svga2 implements PciFunction, RegisterHost {
  readonly label: string;
  readonly identity: PciIdentity;
  readonly bars: readonly BarSpec[];
  readonly io: SvgaIoPorts;
  readonly vramSize: number;
  readonly fifoSize: number;
  readonly maxWidth: number;
  readonly maxHeight: number;
  readonly screens: ScreenTable;
  readonly dirty = new DirtyTracker();

  private regs: SvgaRegisters;
  private vramBytes: Uint8Array | undefined;
  private ring: FifoRing | undefined;
  private readonly barAddr = [0, 0, 0];
  private readonly irq: SvgaIrq;
  private inError = false;
  private errorLog: FifoError[] = [];
  private errorTotal = 0;
  private commandTotal = 0;
  private escapeLog: EscapeRecord[] = [];
  private cursorState: CursorState = { x: 0, y: 0, visible: false, generation: 0 };
  private fifoCursorCount = 0;
  private scanoutKey = '';
  private modeChangedFlag = true;
  private current: Scanout = { source: 'vga', width: 0, height: 0 };
  private readonly executor: SvgaCommandExecutor;

  constructor(private readonly opts: Svga2Options = {}) {
    this.label = opts.label ?? 'svga2';
    this.vramSize = checkSize('VRAM', opts.vramSize ?? DEFAULT_VRAM_SIZE, MIN_VRAM_SIZE);
    this.fifoSize = checkSize('FIFO', opts.fifoSize ?? DEFAULT_FIFO_SIZE, MIN_FIFO_SIZE);
    this.maxWidth = opts.maxWidth ?? DEFAULT_MAX_WIDTH;
    this.maxHeight = opts.maxHeight ?? DEFAULT_MAX_HEIGHT;
    this.irq = new SvgaIrq(() => this.registers.irqMask, opts.irq);
    this.identity = {
      vendorId: PCI_VENDOR_VMWARE, deviceId: PCI_DEVICE_SVGA2, revision: 0, classCode: PCI_CLASS_VGA,
      subsystemVendorId: PCI_VENDOR_VMWARE, subsystemId: PCI_DEVICE_SVGA2,
      interruptPin: 1, interruptLine: opts.interruptLine ?? DEFAULT_INTERRUPT_LINE,
    };
    this.io = new SvgaIoPorts(`${this.label}-io`, {
      readRegister: (i) => this.registers.read(i),
      writeRegister: (i, v) => this.registers.write(i, v),
      irqStatus: () => this.irq.status,
      clearIrqStatus: (bits) => this.irq.clear(bits),
    });
    this.bars = [
      { index: 0, kind: 'io', size: IO_BAR_SIZE, backing: { kind: 'device', device: this.io } },
      { index: 1, kind: 'mem32', size: this.vramSize, prefetchable: true, backing: { kind: 'ram', label: 'svga-vram' } },
      { index: 2, kind: 'mem32', size: this.fifoSize, backing: { kind: 'ram', label: 'svga-fifo' } },
    ];
    this.regs = this.newRegisterFile();
    this.screens = new ScreenTable(this.maxWidth, this.maxHeight, this.vramSize);
    this.executor = new SvgaCommandExecutor({
      vram: () => this.vramBytes ?? new Uint8Array(0),
      mode: () => this.mode(),
      screens: this.screens,
      dirty: this.dirty,
      showsLegacyFramebuffer: () => this.scanout().source === 'svga',
      shownScreen: () => this.shownScreen(),
      setCursorImage: (image) => this.changeCursor({ image }),
      fence: (v) => this.fence(v),
      escape: (nsid, payload) => this.recordEscape(nsid, payload),
    });
  }

  // ---- wiring by the machine -------------------------------------------------------------

  /** Give the device its BAR1/BAR2 memory (memslot-backed views in a VM, plain buffers in tests). */
  attachMemory(mem: { vram: Uint8Array; fifo: Uint8Array }): void {
    if (mem.vram.length < this.vramSize || mem.fifo.length < this.fifoSize) {
      throw new RangeError(`SVGA memory too small: VRAM ${mem.vram.length}/${this.vramSize} bytes, FIFO ${mem.fifo.length}/${this.fifoSize} bytes`);
    }
    this.vramBytes = mem.vram.subarray(0, this.vramSize);
    this.ring = new FifoRing(mem.fifo.subarray(0, this.fifoSize));
    // Drivers read the FIFO capabilities before they set the FIFO up, so they must be there from the start.
    this.writeFifoIdentity();
    this.fifoCursorCount = this.ring.word(Fifo.CURSOR_COUNT);
    this.refreshScanout();
  }

  /** Where the machine mapped BAR1 (VRAM) or BAR2 (FIFO); only reported back through FB_START/MEM_START. */
  setBarAddress(bar: 1 | 2, gpa: number): void { this.barAddr[bar] = gpa >>> 0; }

  setIrqLine(line: IrqLine | undefined): void { this.irq.attach(line); }

  /** The register file (replaced on reset, so do not keep it). */
  get registers(): SvgaRegisters { return this.regs; }

  /** Register access by index, as the value port does it (for inspectors and tests). */
  readRegister(index: number): number { return this.registers.read(index); }
  writeRegister(index: number, value: number): void { this.registers.write(index, value); }

  /** Power-on state; attached memory and BAR addresses stay. */
  reset(): void {
    this.regs = this.newRegisterFile();
    this.io.index = 0;
    this.irq.reset();
    this.inError = false;
    this.screens.clear();
    this.executor.reset();
    this.cursorState = { x: 0, y: 0, visible: false, generation: this.cursorState.generation + 1 };
    if (this.ring) this.writeFifoIdentity();
    this.refreshScanout();
  }

  // ---- FIFO ---------------------------------------------------------------------------------

  /** Run the FIFO: on SYNC and BUSY (the device does that itself) and periodically while the guest runs. */
  processFifo(opts: ProcessOptions = {}): Svga2RunResult {
    const ring = this.ring;
    if (!ring || !this.vramBytes) return { processed: 0, drained: true, pending: false, skipped: 'no-memory' };
    if (!this.registers.configDone) return { processed: 0, drained: true, pending: false, skipped: 'not-configured' };
    if (this.inError) return { processed: 0, drained: true, pending: false, skipped: 'error-state' };
    this.pollFifoCursor();
    this.refreshScanout();
    const result = runFifo(ring, this.executor, {
      maxCommands: this.opts.maxCommandsPerRun ?? DEFAULT_MAX_COMMANDS_PER_RUN,
      requireComplete: opts.requireComplete,
      onCommand: this.opts.onCommand,
    });
    this.commandTotal += result.processed;
    if (result.error) this.enterError(result.error);
    // Clearing the doorbell flag tells the driver to ring SYNC again for its next batch.
    if (result.drained && ring.extendedRegistersUsable()) ring.setWord(Fifo.BUSY, 0);
    if (result.processed > 0) this.irq.raise(Irq.FIFO_PROGRESS);
    this.refreshScanout();
    return result;
  }

  errors(): readonly FifoError[] { return this.errorLog; }
  get errorCount(): number { return this.errorTotal; }
  get inErrorState(): boolean { return this.inError; }
  get commandCount(): number { return this.commandTotal; }
  escapes(): readonly EscapeRecord[] { return this.escapeLog; }
  irqStatus(): number { return this.irq.status; }
  cursor(): Readonly<CursorState> { return this.cursorState; }

  // ---- display ------------------------------------------------------------------------------

  mode(): SvgaMode {
    const r = this.registers;
    const ring = this.ring;
    const fifoPitchlock = ring && ring.extendedRegistersUsable() ? ring.word(Fifo.PITCHLOCK) : 0;
    return computeMode({ width: r.width, height: r.height, pitchlock: r.pitchlock, fifoPitchlock, vramSize: this.vramSize });
  }

  scanout(): Scanout {
    this.refreshScanout();
    return this.current;
  }

  /** The shown pixels as a live view, or undefined when SVGA is not what the display shows. */
  framebufferView(): Framebuffer | undefined {
    const s = this.scanout().surface;
    if (!s) return undefined;
    return { width: s.width, height: s.height, stride: s.pitch, format: 'bgrx8888', bytes: s.bytes.subarray(s.offset) };
  }

  /** A private copy of the shown pixels, optionally with the pointer drawn in. */
  snapshot(opts: { withCursor?: boolean } = {}): Framebuffer | undefined {
    const view = this.framebufferView();
    if (!view) return undefined;
    const c = this.cursorState;
    return opts.withCursor && c.visible && c.image ? compositeCursor(view, c.image, c.x, c.y) : copyFramebuffer(view);
  }

  /** Feed a KVM dirty bitmap of the VRAM memslot (page 0 of the bitmap = VRAM offset `vramOffset`). */
  markDirtyPages(bitmap: Uint8Array, vramOffset = 0): void {
    this.refreshScanout();
    this.dirty.markDirtyPages(bitmap, vramOffset);
  }

  /** True when the guest does not report its drawing (no FIFO yet, or TRACES on), so VRAM dirty logging must. */
  wantsDirtyLog(): boolean {
    return !this.registers.configDone || this.registers.traces;
  }

  /** What changed since the last call, or undefined when nothing did or SVGA is not shown. */
  collectUpdate(): DisplayUpdate | undefined {
    const framebuffer = this.framebufferView();
    if (!framebuffer) {
      this.dirty.take();
      return undefined;
    }
    const modeChanged = this.modeChangedFlag;
    if (!modeChanged && !this.dirty.isDirty) return undefined;
    this.modeChangedFlag = false;
    return { source: this.current.source, framebuffer, rects: this.dirty.take(), modeChanged };
  }

  // ---- RegisterHost ---------------------------------------------------------------------------

  capabilities(): number {
    return (SVGA2_CAPABILITIES | (this.irq.hasLine ? Cap.IRQMASK : 0)) >>> 0;
  }

  barAddress(bar: 1 | 2): number { return this.barAddr[bar]; }

  sync(_reason: number): void { this.processFifo(); }

  busy(): boolean {
    const r = this.processFifo();
    return !r.skipped && !r.drained;
  }

  configDoneChanged(on: boolean): void {
    if (!on || !this.ring) return;
    // A fresh FIFO set-up is the guest's way to recover from an error.
    this.inError = false;
    if (this.ring.extendedRegistersUsable()) this.writeFifoIdentity();
    this.fifoCursorCount = this.ring.word(Fifo.CURSOR_COUNT);
  }

  modeInputsChanged(): void { this.refreshScanout(); }
  irqMaskChanged(): void { this.irq.update(); }

  cursorRegistersChanged(): void {
    const r = this.registers;
    this.changeCursor({ x: r.cursorX | 0, y: r.cursorY | 0, visible: r.cursorOn === CURSOR_SHOW });
  }

  // ---- internals ------------------------------------------------------------------------------

  private newRegisterFile(): SvgaRegisters {
    return new SvgaRegisters(this, {
      scratchSize: this.opts.scratchSize ?? DEFAULT_SCRATCH_SIZE,
      initialWidth: Math.min(this.opts.initialWidth ?? DEFAULT_INITIAL_WIDTH, this.maxWidth),
      initialHeight: Math.min(this.opts.initialHeight ?? DEFAULT_INITIAL_HEIGHT, this.maxHeight),
      maxDisplays: MAX_TOPOLOGY_DISPLAYS,
    });
  }

  private writeFifoIdentity(): void {
    const ring = this.ring!;
    ring.setWord(Fifo.CAPABILITIES, SVGA2_FIFO_CAPABILITIES);
    ring.setWord(Fifo.FLAGS, 0);
    ring.setWord(Fifo.HWVERSION_3D, 0);
  }

  private fence(value: number): void {
    const ring = this.ring!;
    if (ring.extendedRegistersUsable()) {
      ring.setWord(Fifo.FENCE, value);
      if (value === ring.word(Fifo.FENCE_GOAL)) this.irq.raise(Irq.FENCE_GOAL);
    }
    this.irq.raise(Irq.ANY_FENCE);
  }

  private recordEscape(nsid: number, payload: Uint8Array): void {
    this.escapeLog.push({ nsid, size: payload.length, payload: payload.slice(0, ESCAPE_BYTES_KEPT) });
    if (this.escapeLog.length > MAX_ESCAPES_KEPT) this.escapeLog.shift();
  }

  private enterError(e: FifoError): void {
    this.inError = true;
    this.errorTotal++;
    this.errorLog.push(e);
    if (this.errorLog.length > MAX_ERRORS_KEPT) this.errorLog.shift();
    this.irq.raise(Irq.ERROR);
  }

  /** Cursor bypass 3: the driver bumps CURSOR_COUNT after changing ON/X/Y in the FIFO. */
  private pollFifoCursor(): void {
    const ring = this.ring!;
    if (!ring.extendedRegistersUsable()) return;
    const count = ring.word(Fifo.CURSOR_COUNT);
    if (count === this.fifoCursorCount) return;
    this.fifoCursorCount = count;
    this.changeCursor({
      x: ring.word(Fifo.CURSOR_X) | 0, y: ring.word(Fifo.CURSOR_Y) | 0, visible: ring.word(Fifo.CURSOR_ON) === CURSOR_SHOW,
    });
    ring.setWord(Fifo.CURSOR_LAST_UPDATED, count);
  }

  private changeCursor(patch: Partial<CursorState>): void {
    this.cursorState = { ...this.cursorState, ...patch, generation: this.cursorState.generation + 1 };
  }

  private shownScreen(): ScreenObject | undefined {
    const s = this.scanout();
    return s.source === 'screen' ? this.screens.get(s.screenId!) : undefined;
  }

  private computeScanout(): Scanout {
    const r = this.registers;
    if (!r.enabled) return { source: 'vga', width: 0, height: 0 };
    if (r.hidden) return { source: 'hidden', width: 0, height: 0 };
    if (!this.vramBytes) return { source: 'invalid', width: 0, height: 0, problem: 'VRAM is not attached' };
    const screen = this.screens.primary();
    if (screen) return { source: 'screen', width: screen.width, height: screen.height, surface: screen.surface, screenId: screen.id };
    const m = this.mode();
    if (m.problem) return { source: 'invalid', width: m.width, height: m.height, problem: m.problem };
    return {
      source: 'svga', width: m.width, height: m.height,
      surface: { bytes: this.vramBytes, offset: m.fbOffset, pitch: m.pitch, width: m.width, height: m.height },
    };
  }

  /** Recompute what is shown; a different layout resets dirty tracking and flags a mode change. */
  private refreshScanout(): void {
    const s = this.computeScanout();
    const surf = s.surface;
    const key = `${s.source}:${s.width}x${s.height}:${surf?.pitch}:${surf?.offset}:${s.screenId}:${this.screens.version}`;
    this.current = s;
    if (key === this.scanoutKey) return;
    this.scanoutKey = key;
    this.modeChangedFlag = true;
    // Host-backed screens are not in VRAM, so a zero pitch keeps dirty pages from mapping onto them.
    const inVram = !!surf && surf.bytes === this.vramBytes;
    this.dirty.setGeometry({
      width: surf ? s.width : 0, height: surf ? s.height : 0, pitch: inVram ? surf.pitch : 0,
      offset: inVram ? surf.offset : 0, bytesPerPixel: 4,
    });
  }
}

function checkSize(what: string, size: number, min: number): number {
  if (!Number.isInteger(size) || size < min || !Number.isInteger(Math.log2(size))) {
    throw new RangeError(`SVGA ${what} size ${size} is invalid; expected a power of two of at least ${min} bytes`);
  }
  return size;
}
