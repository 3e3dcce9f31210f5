// The guest screen canvas: applies binary frame updates (dirty rectangles), scales crisply, reads pixels back.
import { blitRectToRgba, decodeFrameUpdate } from '../../debug-adapter/src/display/frameDecoder';
import { unionRect, type Rect } from '../../debug-adapter/src/display/rect';
import { scaleFactor, type ScaleMode, type Size } from './scaling';

export interface FrameStats { width: number; height: number; sequence: number; frames: number; gaps: number }

export class Screen {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private image?: ImageData;
  private dirty?: Rect;
  private drawScheduled = false;
  private lastSequence?: number;
  readonly stats: FrameStats = { width: 0, height: 0, sequence: 0, frames: 0, gaps: 0 };
  mode: ScaleMode = 'fit';

  constructor(private readonly container: HTMLElement, private readonly onResize: () => void) {
    this.canvas = document.createElement('canvas');
    this.canvas.id = 'screen';
    this.canvas.width = 0;
    this.canvas.height = 0;
    this.canvas.tabIndex = 0;
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('this webview cannot draw on a 2D canvas');
    this.ctx = ctx;
    container.append(this.canvas);
    new ResizeObserver(() => this.layout()).observe(container);
  }

  get hasImage(): boolean { return this.image !== undefined; }
  get size(): Size { return { width: this.stats.width, height: this.stats.height }; }

  /** Decodes and applies one update; drawing happens on the next animation frame, merged with other updates. */
  apply(bytes: Uint8Array): void {
    const update = decodeFrameUpdate(bytes);
    if (update.modeChanged || !this.image || this.image.width !== update.width || this.image.height !== update.height) {
      this.canvas.width = update.width;
      this.canvas.height = update.height;
      this.image = this.ctx.createImageData(update.width, update.height);
      this.stats.width = update.width;
      this.stats.height = update.height;
      this.dirty = { x: 0, y: 0, width: update.width, height: update.height };
      this.layout();
      this.onResize();
    } else if (this.lastSequence !== undefined && update.sequence !== ((this.lastSequence + 1) >>> 0)) {
      this.stats.gaps++;
    }
    this.lastSequence = update.sequence;
    this.stats.sequence = update.sequence;
    this.stats.frames++;
    for (const r of update.rects) {
      blitRectToRgba(this.image.data, this.image.width, r);
      this.dirty = this.dirty ? unionRect(this.dirty, r) : { x: r.x, y: r.y, width: r.width, height: r.height };
    }
    this.scheduleDraw();
  }

  private scheduleDraw(): void {
    if (this.drawScheduled) return;
    this.drawScheduled = true;
    requestAnimationFrame(() => {
      this.drawScheduled = false;
      const d = this.dirty;
      this.dirty = undefined;
      if (this.image && d && d.width > 0 && d.height > 0) this.ctx.putImageData(this.image, 0, 0, d.x, d.y, d.width, d.height);
    });
  }

  setMode(mode: ScaleMode): void {
    this.mode = mode;
    this.layout();
  }

  /** CSS size of the canvas for the current scale; image-rendering: pixelated keeps the pixels sharp. */
  layout(): void {
    const space = { width: this.container.clientWidth, height: this.container.clientHeight };
    const f = scaleFactor(this.mode, this.size, space);
    this.canvas.style.width = `${Math.round(this.stats.width * f)}px`;
    this.canvas.style.height = `${Math.round(this.stats.height * f)}px`;
    this.container.classList.toggle('scroll', this.mode !== 'fit');
  }

  /** RGB of one guest pixel (from the image the updates built, not from the scaled display). */
  pixel(x: number, y: number): [number, number, number] | undefined {
    if (!this.image || x < 0 || y < 0 || x >= this.image.width || y >= this.image.height) return undefined;
    const o = (y * this.image.width + x) * 4;
    const d = this.image.data;
    return [d[o], d[o + 1], d[o + 2]];
  }

  /** The full screen as a PNG, base64 without the data: prefix. */
  pngBase64(): string {
    if (!this.image) throw new Error('the guest has not drawn anything yet');
    // Draw pending rectangles first so the PNG matches the latest update.
    this.ctx.putImageData(this.image, 0, 0);
    return this.canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  }
}
