// The SVGA II register file behind the index/value ports: stored values, read-only answers and write validation.
import {
  BLUE_MASK_32, FIRST_ID1_REGISTER, Fifo, GREEN_MASK_32, HOST_BPP, HOST_DEPTH, Irq, PALETTE_BASE, PALETTE_WORDS,
  RED_MASK_32, Reg, SCRATCH_BASE, SVGA_ID_0, SVGA_ID_1, SVGA_ID_2, SVGA_ID_INVALID, ENABLE_ON, ENABLE_HIDE,
} from './svgaConstants';
import type { SvgaMode } from './svgaMode';

/** One entry of the guest's display topology (registers 34-40), as the guest described it. */
export interface DisplayTopologyEntry {
  isPrimary: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the register file needs from the device: sizes, the current mode, and side effects of writes. */
export interface RegisterHost {
  readonly vramSize: number;
  readonly fifoSize: number;
  readonly maxWidth: number;
  readonly maxHeight: number;
  capabilities(): number;
  mode(): SvgaMode;
  barAddress(bar: 1 | 2): number;
  sync(reason: number): void;
  /** Process what can be processed and say whether commands remain. */
  busy(): boolean;
  configDoneChanged(on: boolean): void;
  modeInputsChanged(): void;
  irqMaskChanged(): void;
  cursorRegistersChanged(): void;
}

export interface RegisterFileOptions {
  scratchSize: number;
  initialWidth: number;
  initialHeight: number;
  maxDisplays: number;
}

const ALL_IRQ_FLAGS = Irq.ANY_FENCE | Irq.FIFO_PROGRESS | Irq.FENCE_GOAL | Irq.ERROR;
const PALETTE_COMPONENT_MASK = 0xff;

export class SvgaRegisters {
  id = SVGA_ID_2;
  enable = 0;
  width: number;
  height: number;
  configDone = false;
  guestId = 0;
  cursorId = 0;
  cursorX = 0;
  cursorY = 0;
  cursorOn = 0;
  pitchlock = 0;
  irqMask = 0;
  traces = false;
  lastSyncReason = 0;
  numGuestDisplays = 0;
  displayId = SVGA_ID_INVALID;
  readonly displays: DisplayTopologyEntry[];
  readonly palette = new Uint32Array(PALETTE_WORDS);
  readonly scratch: Uint32Array;
  /** Accesses to registers this device does not have (they read 0 and ignore writes). */
  unknownAccesses = 0;
  /** The last write the device refused, for the inspector ("WIDTH 5000 exceeds MAX_WIDTH 2560"). */
  lastRejection: string | undefined;

  constructor(private readonly host: RegisterHost, opts: RegisterFileOptions) {
    this.width = opts.initialWidth;
    this.height = opts.initialHeight;
    this.scratch = new Uint32Array(opts.scratchSize);
    this.displays = Array.from({ length: opts.maxDisplays }, () => ({ isPrimary: false, x: 0, y: 0, width: 0, height: 0 }));
  }

  get enabled(): boolean { return (this.enable & ENABLE_ON) !== 0; }
  get hidden(): boolean { return (this.enable & ENABLE_HIDE) !== 0; }

  read(index: number): number {
    if (this.id === SVGA_ID_0 && index >= FIRST_ID1_REGISTER && index < PALETTE_BASE) return 0;
    const h = this.host;
    switch (index) {
      case Reg.ID: return this.id;
      case Reg.ENABLE: return this.enable;
      case Reg.WIDTH: return this.width;
      case Reg.HEIGHT: return this.height;
      case Reg.MAX_WIDTH: return h.maxWidth;
      case Reg.MAX_HEIGHT: return h.maxHeight;
      case Reg.DEPTH: return HOST_DEPTH;
      case Reg.BITS_PER_PIXEL: case Reg.HOST_BITS_PER_PIXEL: return HOST_BPP;
      case Reg.PSEUDOCOLOR: return 0;
      case Reg.RED_MASK: return RED_MASK_32;
      case Reg.GREEN_MASK: return GREEN_MASK_32;
      case Reg.BLUE_MASK: return BLUE_MASK_32;
      case Reg.BYTES_PER_LINE: return h.mode().pitch;
      case Reg.FB_START: return h.barAddress(1);
      case Reg.FB_OFFSET: return h.mode().fbOffset;
      case Reg.VRAM_SIZE: return h.vramSize;
      case Reg.FB_SIZE: return h.mode().fbSize;
      case Reg.CAPABILITIES: return h.capabilities();
      case Reg.MEM_START: return h.barAddress(2);
      case Reg.MEM_SIZE: return h.fifoSize;
      case Reg.CONFIG_DONE: return this.configDone ? 1 : 0;
      case Reg.SYNC: return 0;
      case Reg.BUSY: return h.busy() ? 1 : 0;
      case Reg.GUEST_ID: return this.guestId;
      case Reg.CURSOR_ID: return this.cursorId;
      case Reg.CURSOR_X: return this.cursorX;
      case Reg.CURSOR_Y: return this.cursorY;
      case Reg.CURSOR_ON: return this.cursorOn;
      case Reg.SCRATCH_SIZE: return this.scratch.length;
      case Reg.MEM_REGS: return Fifo.NUM_REGS;
      case Reg.NUM_DISPLAYS: return 1;
      case Reg.PITCHLOCK: return this.pitchlock;
      case Reg.IRQMASK: return this.irqMask;
      case Reg.NUM_GUEST_DISPLAYS: return this.numGuestDisplays;
      case Reg.DISPLAY_ID: return this.displayId;
      case Reg.DISPLAY_IS_PRIMARY: return this.selectedDisplay()?.isPrimary ? 1 : 0;
      case Reg.DISPLAY_POSITION_X: return (this.selectedDisplay()?.x ?? 0) >>> 0;
      case Reg.DISPLAY_POSITION_Y: return (this.selectedDisplay()?.y ?? 0) >>> 0;
      case Reg.DISPLAY_WIDTH: return this.selectedDisplay()?.width ?? 0;
      case Reg.DISPLAY_HEIGHT: return this.selectedDisplay()?.height ?? 0;
      case Reg.TRACES: return this.traces ? 1 : 0;
      default: return this.readArrays(index);
    }
  }

  write(index: number, value: number): void {
    value >>>= 0;
    if (this.id === SVGA_ID_0 && index >= FIRST_ID1_REGISTER && index < PALETTE_BASE) return;
    const h = this.host;
    switch (index) {
      case Reg.ID:
        // Keep a revision we speak; anything else reads back as the highest one, so the driver steps down.
        this.id = value === SVGA_ID_0 || value === SVGA_ID_1 || value === SVGA_ID_2 ? value : SVGA_ID_2;
        return;
      case Reg.ENABLE: this.enable = value & (ENABLE_ON | ENABLE_HIDE); h.modeInputsChanged(); return;
      case Reg.WIDTH: this.setDimension('WIDTH', value, h.maxWidth, (v) => { this.width = v; }); return;
      case Reg.HEIGHT: this.setDimension('HEIGHT', value, h.maxHeight, (v) => { this.height = v; }); return;
      case Reg.BITS_PER_PIXEL:
        if (value !== HOST_BPP) this.lastRejection = `BITS_PER_PIXEL ${value} is not supported; expected ${HOST_BPP}`;
        return;
      case Reg.CONFIG_DONE: {
        const on = value !== 0;
        if (on !== this.configDone) { this.configDone = on; h.configDoneChanged(on); }
        return;
      }
      case Reg.SYNC: this.lastSyncReason = value; h.sync(value); return;
      case Reg.GUEST_ID: this.guestId = value; return;
      case Reg.CURSOR_ID: this.cursorId = value; h.cursorRegistersChanged(); return;
      case Reg.CURSOR_X: this.cursorX = value; h.cursorRegistersChanged(); return;
      case Reg.CURSOR_Y: this.cursorY = value; h.cursorRegistersChanged(); return;
      case Reg.CURSOR_ON: this.cursorOn = value; h.cursorRegistersChanged(); return;
      case Reg.PITCHLOCK: this.pitchlock = value; h.modeInputsChanged(); return;
      case Reg.IRQMASK: this.irqMask = value & ALL_IRQ_FLAGS; h.irqMaskChanged(); return;
      case Reg.NUM_GUEST_DISPLAYS: this.numGuestDisplays = value; return;
      case Reg.DISPLAY_ID: this.displayId = value; return;
      case Reg.DISPLAY_IS_PRIMARY: this.updateDisplay((d) => { d.isPrimary = value !== 0; }); return;
      case Reg.DISPLAY_POSITION_X: this.updateDisplay((d) => { d.x = value | 0; }); return;
      case Reg.DISPLAY_POSITION_Y: this.updateDisplay((d) => { d.y = value | 0; }); return;
      case Reg.DISPLAY_WIDTH: this.updateDisplay((d) => { d.width = value; }); return;
      case Reg.DISPLAY_HEIGHT: this.updateDisplay((d) => { d.height = value; }); return;
      case Reg.TRACES: this.traces = value !== 0; return;
      default: this.writeArrays(index, value);
    }
  }

  private setDimension(name: string, value: number, max: number, set: (v: number) => void): void {
    if (value < 1 || value > max) {
      this.lastRejection = `${name} ${value} is out of range; expected 1..${max}`;
      return;
    }
    set(value);
    this.host.modeInputsChanged();
  }

  private selectedDisplay(): DisplayTopologyEntry | undefined {
    return this.displayId < this.displays.length ? this.displays[this.displayId] : undefined;
  }

  private updateDisplay(f: (d: DisplayTopologyEntry) => void): void {
    const d = this.selectedDisplay();
    if (d) f(d);
  }

  private readArrays(index: number): number {
    if (index >= PALETTE_BASE && index < PALETTE_BASE + PALETTE_WORDS) return this.palette[index - PALETTE_BASE];
    if (index >= SCRATCH_BASE && index < SCRATCH_BASE + this.scratch.length) return this.scratch[index - SCRATCH_BASE];
    this.unknownAccesses++;
    return 0;
  }

  private writeArrays(index: number, value: number): void {
    if (index >= PALETTE_BASE && index < PALETTE_BASE + PALETTE_WORDS) {
      this.palette[index - PALETTE_BASE] = value & PALETTE_COMPONENT_MASK;
    } else if (index >= SCRATCH_BASE && index < SCRATCH_BASE + this.scratch.length) {
      this.scratch[index - SCRATCH_BASE] = value;
    } else if (!isReadOnlyRegister(index)) {
      this.unknownAccesses++;
    }
  }
}

/** Registers that exist but ignore writes (not counted as unknown). */
function isReadOnlyRegister(index: number): boolean {
  return index >= Reg.MAX_WIDTH && index <= Reg.MEM_SIZE || index === Reg.BUSY || index === Reg.HOST_BITS_PER_PIXEL
    || index === Reg.SCRATCH_SIZE || index === Reg.MEM_REGS || index === Reg.NUM_DISPLAYS;
}
