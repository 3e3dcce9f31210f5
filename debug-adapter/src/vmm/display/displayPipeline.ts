// Worker-side display: on each tick runs the SVGA FIFO, folds in the VRAM dirty log and encodes what changed as a frame update.
import type { Svga2 } from '../../devices/svga2/svga2';
import { encodeFrameUpdate } from '../../display/frameEncoder';
import type { Framebuffer } from '../../display/framebuffer';
import type { Rect } from '../../display/rect';
import type { TextScreen } from './textScreen';

export interface DisplaySources {
  /** Absent when the machine has no SVGA device: the text screen is all there is. */
  svga?: Svga2;
  /** The VRAM memslot's dirty bitmap since the last call (KVM_GET_DIRTY_LOG), or undefined while VRAM is unmapped. */
  readVramDirtyLog?: () => Uint8Array | undefined;
  text: TextScreen;
}

/** Which producer fed the last frame; a change means the receiver must resize and redraw everything. */
type Shown = 'svga' | 'text' | undefined;

export class DisplayPipeline {
  private sequence = 0;
  private shown: Shown;
  private width = 0;
  private height = 0;

  constructor(private readonly src: DisplaySources) {}

  /** One display refresh: the encoded update, or undefined when nothing on screen changed. */
  tick(): Uint8Array | undefined {
    this.pollDevice();
    const kind = this.activeSource();
    if (kind === 'svga') {
      const u = this.src.svga!.collectUpdate();
      if (!u) return undefined;
      return this.encode('svga', u.framebuffer, u.rects, u.modeChanged);
    }
    if (kind === 'text') {
      const u = this.src.text.update(this.shown !== 'text');
      if (!u) return undefined;
      return this.encode('text', u.framebuffer, u.rects, false);
    }
    // A blanked or unusable SVGA mode: keep the last picture rather than flash something else.
    return undefined;
  }

  /**
   * The whole current screen as one update flagged as a mode change, for a viewer that starts late. It is sent
   * outside the event stream, so it leaves pending damage and the sequence alone: it carries the number of the
   * last update sent, and the stream's next update follows it without a gap.
   */
  keyFrame(): Uint8Array | undefined {
    this.pollDevice();
    const fb = this.currentFrame(false);
    if (!fb) return undefined;
    const full = [{ x: 0, y: 0, width: fb.width, height: fb.height }];
    return encodeFrameUpdate({ sequence: (this.sequence - 1) >>> 0, framebuffer: fb, rects: full, modeChanged: true });
  }

  /** The last update of the event stream: the whole screen, so an owner that missed earlier updates still ends right. */
  finalFrame(): Uint8Array | undefined {
    this.pollDevice();
    const fb = this.currentFrame(true);
    if (!fb) return undefined;
    // Whatever was pending is covered by the full frame.
    if (this.activeSource() === 'svga') this.src.svga!.collectUpdate();
    return this.encode(this.activeSource(), fb, [{ x: 0, y: 0, width: fb.width, height: fb.height }], true);
  }

  /** A private copy of what the screen shows now (SVGA scanout or the VGA text screen). */
  screenshot(): Framebuffer | undefined {
    this.pollDevice();
    if (this.activeSource() === 'svga') return this.src.svga!.snapshot({ withCursor: true });
    // A fresh text render is already a private copy.
    return this.currentFrame(false);
  }

  /** The size of the last frame sent (0x0 before the first). */
  get size(): { width: number; height: number } { return { width: this.width, height: this.height }; }

  /**
   * What is on screen now: a live VRAM view, or the text screen rendered from the current text buffer.
   * `inStream` says the frame is part of the update stream, so the text source may take it as sent.
   */
  private currentFrame(inStream: boolean): Framebuffer | undefined {
    const kind = this.activeSource();
    if (kind === 'svga') return this.src.svga!.framebufferView();
    if (kind !== 'text') return undefined;
    if (!inStream) return this.src.text.render();
    this.src.text.update();
    return this.src.text.current();
  }

  /** The device draws only when asked; the dirty log catches what the guest wrote into VRAM by itself. */
  private pollDevice(): void {
    const svga = this.src.svga;
    if (!svga) return;
    svga.processFifo();
    // Read the log even when unused, so pages written before tracing starts are not reported later.
    const bitmap = this.src.readVramDirtyLog?.();
    if (bitmap && svga.wantsDirtyLog()) svga.markDirtyPages(bitmap);
  }

  private activeSource(): Shown {
    const svga = this.src.svga;
    if (!svga) return 'text';
    const s = svga.scanout().source;
    if (s === 'svga' || s === 'screen') return 'svga';
    return s === 'vga' ? 'text' : undefined;
  }

  private encode(kind: Shown, fb: Framebuffer, rects: Rect[], modeChanged: boolean): Uint8Array | undefined {
    const switched = kind !== this.shown || fb.width !== this.width || fb.height !== this.height;
    const changed = modeChanged || switched;
    const full: Rect[] = [{ x: 0, y: 0, width: fb.width, height: fb.height }];
    if (!changed && rects.length === 0) return undefined;
    this.shown = kind;
    this.width = fb.width;
    this.height = fb.height;
    return encodeFrameUpdate({ sequence: this.sequence++, framebuffer: fb, rects: changed ? full : rects, modeChanged: changed });
  }
}
