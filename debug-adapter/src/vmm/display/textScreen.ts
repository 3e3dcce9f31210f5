// The VGA text screen as a frame source: re-renders only when the text buffer or the CRTC changed, then diffs pixels.
import { renderTextMode } from '../../devices/vga/textRenderer';
import type { VgaCrtc } from '../../devices/vga/vgaCrtc';
import { diffFrames } from '../../display/frameDiff';
import type { Framebuffer } from '../../display/framebuffer';
import type { Rect } from '../../display/rect';

export interface TextUpdate {
  framebuffer: Framebuffer;
  rects: Rect[];
}

export class TextScreen {
  private shown: Framebuffer | undefined;
  private lastText: Uint8Array | undefined;
  private lastCrtc = -1;

  /** `text` returns a live view of the text window (the 32 KiB at 0xB8000). */
  constructor(private readonly text: () => Uint8Array, private readonly crtc: VgaCrtc) {}

  /**
   * What changed since the last call, or undefined when nothing did. `force` re-renders and reports the whole
   * screen (after the display switched back to text).
   */
  update(force = false): TextUpdate | undefined {
    const text = this.text();
    // Comparing 32 KiB of bytes is far cheaper than rendering 256 000 pixels, and most ticks change nothing.
    if (!force && this.shown && this.lastCrtc === this.crtc.generation && this.lastText && sameBytes(this.lastText, text)) {
      return undefined;
    }
    const next = renderTextMode(text, this.crtc.state());
    const rects = force ? diffFrames(undefined, next) : diffFrames(this.shown, next);
    this.shown = next;
    this.lastText = text.slice();
    this.lastCrtc = this.crtc.generation;
    return rects.length > 0 ? { framebuffer: next, rects } : undefined;
  }

  /** A fresh render of the screen as it is now, leaving what update() compares against untouched. */
  render(): Framebuffer {
    return renderTextMode(this.text(), this.crtc.state());
  }

  /** The screen as last rendered (rendering it now if never done). */
  current(): Framebuffer {
    if (!this.shown) this.update(true);
    return this.shown!;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  // Word-wise when both are aligned: the text window is compared on every tick.
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0 && a.length % 4 === 0) {
    const wa = new Uint32Array(a.buffer, a.byteOffset, a.length / 4);
    const wb = new Uint32Array(b.buffer, b.byteOffset, b.length / 4);
    for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
    return true;
  }
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
