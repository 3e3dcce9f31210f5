// Owner-side copy of the guest screen, kept current by applying frame updates (for screenshots without asking the worker).
import { decodeFrameUpdate } from '../../display/frameDecoder';
import { FRAME_BYTES_PER_PIXEL, type FrameUpdate } from '../../display/frameFormat';
import { copyFramebuffer, createFramebuffer, type Framebuffer } from '../../display/framebuffer';

export class ScreenModel {
  private fb: Framebuffer | undefined;
  private frames = 0;
  private lastSequence: number | undefined;
  private gaps = 0;

  /** Decodes one update and draws it; a mode change (or a first frame of another size) starts a new, black screen. */
  apply(bytes: Uint8Array): FrameUpdate {
    const u = decodeFrameUpdate(bytes);
    if (u.modeChanged || !this.fb || this.fb.width !== u.width || this.fb.height !== u.height) {
      this.fb = createFramebuffer(u.width, u.height, 'bgrx8888');
    }
    const fb = this.fb;
    for (const r of u.rects) {
      const rowBytes = r.width * FRAME_BYTES_PER_PIXEL;
      for (let y = 0; y < r.height; y++) {
        const dst = (r.y + y) * fb.stride + r.x * FRAME_BYTES_PER_PIXEL;
        fb.bytes.set(r.pixels.subarray(y * rowBytes, (y + 1) * rowBytes), dst);
      }
    }
    if (this.lastSequence !== undefined && u.sequence !== ((this.lastSequence + 1) >>> 0)) this.gaps++;
    this.lastSequence = u.sequence;
    this.frames++;
    return u;
  }

  /** A private copy of the screen, or undefined before the first frame. */
  snapshot(): Framebuffer | undefined {
    return this.fb ? copyFramebuffer(this.fb) : undefined;
  }

  get frameCount(): number { return this.frames; }
  /** Updates that did not follow the previous one's sequence number (dropped on the way). */
  get sequenceGaps(): number { return this.gaps; }
}
