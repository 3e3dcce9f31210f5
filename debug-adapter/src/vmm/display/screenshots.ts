// Owner-side screenshots: keeps a ScreenModel from frame events and writes it as PNG files (final and periodic).
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { encodePng } from '../../display/png';
import { ScreenModel } from './screenModel';

/** What this needs from a VmHost: its frame events. */
export interface FrameSource {
  on(event: 'frame', listener: (bytes: Uint8Array) => void): unknown;
}

export interface ScreenshotOptions {
  /** Written by finish(). */
  finalPath?: string;
  every?: { ms: number; dir: string };
  warn: (text: string) => void;
}

export class ScreenshotRecorder {
  readonly model = new ScreenModel();
  private timer: NodeJS.Timeout | undefined;
  private savedFrames = -1;
  private written = 0;

  constructor(vm: FrameSource, private readonly opts: ScreenshotOptions) {
    vm.on('frame', (bytes) => {
      try {
        this.model.apply(bytes);
      } catch (e) {
        opts.warn(`a frame update was dropped: ${e instanceof Error ? e.message : e}`);
      }
    });
    const every = opts.every;
    if (every) {
      mkdirSync(every.dir, { recursive: true });
      this.timer = setInterval(() => this.writePeriodic(), every.ms);
      this.timer.unref();
    }
  }

  /** Stops the periodic writer and writes the final screenshot; returns the path written, if any. */
  finish(): string | undefined {
    if (this.timer) clearInterval(this.timer);
    if (this.opts.every) this.writePeriodic();
    const path = this.opts.finalPath;
    if (!path) return undefined;
    const fb = this.model.snapshot();
    if (!fb) {
      this.opts.warn(`--screenshot ${path}: the guest produced no screen, so no file was written`);
      return undefined;
    }
    try {
      writeFileSync(path, encodePng(fb));
    } catch (e) {
      this.opts.warn(`--screenshot ${path}: cannot be written (${(e as NodeJS.ErrnoException).code ?? e})`);
      return undefined;
    }
    return path;
  }

  /** Periodic files are numbered, and one is written only when the screen changed since the last. */
  private writePeriodic(): void {
    const every = this.opts.every!;
    if (this.model.frameCount === this.savedFrames) return;
    const fb = this.model.snapshot();
    if (!fb) return;
    this.savedFrames = this.model.frameCount;
    this.written++;
    writeFileSync(join(every.dir, `screen-${String(this.written).padStart(4, '0')}.png`), encodePng(fb));
  }
}
