// Public shapes of the SVGA II device: construction options, scanout, cursor, escapes and display updates.
import type { CursorImage } from '../../display/cursorImage';
import type { Framebuffer } from '../../display/framebuffer';
import type { Rect } from '../../display/rect';
import type { IrqLine } from '../../vmm/bus/busDevice';
import type { FifoRunResult } from './fifoProcessor';
import type { Surface } from './surface2d';

export interface Svga2Options {
  label?: string;
  /** BAR1 (VRAM) bytes, a power of two. */
  vramSize?: number;
  /** BAR2 (FIFO) bytes, a power of two. */
  fifoSize?: number;
  maxWidth?: number;
  maxHeight?: number;
  initialWidth?: number;
  initialHeight?: number;
  scratchSize?: number;
  interruptLine?: number;
  irq?: IrqLine;
  maxCommandsPerRun?: number;
  onCommand?: (id: number, offset: number, args: Uint32Array) => void;
}

/** What the display should show: legacy VGA, nothing, an unusable mode, the SVGA framebuffer or a screen object. */
export type ScanoutSource = 'vga' | 'hidden' | 'invalid' | 'svga' | 'screen';

export interface Scanout {
  source: ScanoutSource;
  width: number;
  height: number;
  surface?: Surface;
  screenId?: number;
  problem?: string;
}

export interface CursorState {
  image?: CursorImage;
  x: number;
  y: number;
  visible: boolean;
  /** Increments on every change, so a display can tell when to resend the cursor. */
  generation: number;
}

export interface EscapeRecord {
  nsid: number;
  size: number;
  /** The first bytes of the payload. */
  payload: Uint8Array;
}

export interface DisplayUpdate {
  source: ScanoutSource;
  /** A live view of the shown pixels (copy it to keep it). */
  framebuffer: Framebuffer;
  rects: Rect[];
  modeChanged: boolean;
}

export interface ProcessOptions {
  requireComplete?: boolean;
}

export type Svga2RunResult = FifoRunResult & { skipped?: 'not-configured' | 'error-state' | 'no-memory' };
