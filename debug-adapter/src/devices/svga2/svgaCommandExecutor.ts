// Carries out decoded FIFO commands on VRAM, screen objects and the GMR framebuffer, and reports what they touched.
import type { CursorImage } from '../../display/cursorImage';
import type { DirtyTracker } from '../../display/dirtyTracker';
import { intersectRect, rectInside, type Rect } from '../../display/rect';
import type { CommandTarget } from './fifoCommands';
import { hex } from './fifoRing';
import type { ScreenObject, ScreenTable } from './screenObjects';
import { GMR_FRAMEBUFFER, HOST_BPP, SCREEN_ID_VIRTUAL } from './svgaConstants';
import type { SvgaMode } from './svgaMode';
import { copyRect, fillRect, surfaceHolds, type Surface } from './surface2d';

/** Where the GMR framebuffer (the source/target of screen blits) sits in VRAM. */
export interface GmrFramebuffer {
  offset: number;
  bytesPerLine: number;
  bitsPerPixel: number;
  colorDepth: number;
}

/** What the executor needs from the device. */
export interface ExecutorHost {
  vram(): Uint8Array;
  mode(): SvgaMode;
  readonly screens: ScreenTable;
  readonly dirty: DirtyTracker;
  /** True when the display shows the legacy framebuffer (so its rectangles map 1:1 to the screen). */
  showsLegacyFramebuffer(): boolean;
  /** The screen object the display shows, if any. */
  shownScreen(): ScreenObject | undefined;
  setCursorImage(image: CursorImage): void;
  fence(value: number): void;
  escape(nsid: number, payload: Uint8Array): void;
}

const BPP = HOST_BPP / 8;
/** A surface height that never limits a GMR framebuffer; its real limit is the end of VRAM. */
const UNBOUNDED_ROWS = 0x7fffffff;

const describe = (r: Rect): string => `(${r.x},${r.y} ${r.width}x${r.height})`;

export class SvgaCommandExecutor implements CommandTarget {
  gmrfb: GmrFramebuffer | undefined;

  constructor(private readonly host: ExecutorHost) {}

  reset(): void { this.gmrfb = undefined; }

  update(r: Rect): string | undefined {
    const h = this.host;
    const desktop = h.screens.desktop();
    if (desktop) {
      const local = { ...r, x: r.x - desktop.x, y: r.y - desktop.y };
      if (!rectInside(local, desktop.width, desktop.height)) return `UPDATE rectangle ${describe(r)} lies outside the screens`;
      const shown = h.shownScreen();
      const part = shown && intersectRect(r, { x: shown.rootX, y: shown.rootY, width: shown.width, height: shown.height });
      if (shown && part) h.dirty.addRect({ ...part, x: part.x - shown.rootX, y: part.y - shown.rootY });
      return undefined;
    }
    const mode = h.mode();
    if (!rectInside(r, mode.width, mode.height)) return `UPDATE rectangle ${describe(r)} lies outside the ${mode.width}x${mode.height} screen`;
    this.markLegacy(r);
    return undefined;
  }

  rectFill(color: number, r: Rect): string | undefined {
    const fb = this.legacySurface('RECT_FILL');
    if (typeof fb === 'string') return fb;
    if (!surfaceHolds(fb, r)) return `RECT_FILL rectangle ${describe(r)} lies outside the ${fb.width}x${fb.height} screen`;
    fillRect(fb, r, color);
    this.markLegacy(r);
    return undefined;
  }

  rectCopy(srcX: number, srcY: number, dst: Rect): string | undefined {
    const fb = this.legacySurface('RECT_COPY');
    if (typeof fb === 'string') return fb;
    const src = { ...dst, x: srcX, y: srcY };
    if (!surfaceHolds(fb, src)) return `RECT_COPY source ${describe(src)} lies outside the ${fb.width}x${fb.height} screen`;
    if (!surfaceHolds(fb, dst)) return `RECT_COPY destination ${describe(dst)} lies outside the ${fb.width}x${fb.height} screen`;
    copyRect(fb, srcX, srcY, fb, dst);
    this.markLegacy(dst);
    return undefined;
  }

  defineCursor(image: CursorImage): void { this.host.setCursorImage(image); }
  fence(value: number): void { this.host.fence(value); }
  escape(nsid: number, payload: Uint8Array): void { this.host.escape(nsid, payload); }

  defineScreen(struct: Uint32Array): string | undefined {
    return this.host.screens.define(struct, this.host.vram());
  }

  destroyScreen(id: number): string | undefined {
    return this.host.screens.destroy(id);
  }

  defineGmrfb(gmrId: number, offset: number, bytesPerLine: number, format: number): string | undefined {
    const bitsPerPixel = format & 0xff;
    const colorDepth = (format >>> 8) & 0xff;
    if (gmrId !== GMR_FRAMEBUFFER) return `DEFINE_GMRFB GMR 0x${hex(gmrId)} is not supported; expected the framebuffer (0x${hex(GMR_FRAMEBUFFER)})`;
    if (bitsPerPixel !== HOST_BPP) return `DEFINE_GMRFB format ${bitsPerPixel} bpp is not supported; expected ${HOST_BPP}`;
    if (offset % BPP || bytesPerLine % BPP || bytesPerLine === 0 || offset >= this.host.vram().length) {
      return `DEFINE_GMRFB offset 0x${hex(offset)} / pitch ${bytesPerLine} is not a 4-byte aligned place in VRAM`;
    }
    this.gmrfb = { offset, bytesPerLine, bitsPerPixel, colorDepth };
    return undefined;
  }

  blitGmrfbToScreen(srcX: number, srcY: number, dest: Rect, screenId: number): string | undefined {
    const gmr = this.gmrSurface('BLIT_GMRFB_TO_SCREEN');
    if (typeof gmr === 'string') return gmr;
    const parts = this.screenParts(dest, screenId, 'BLIT_GMRFB_TO_SCREEN');
    if (typeof parts === 'string') return parts;
    for (const { local, fromX, fromY } of parts) {
      const src = { ...local, x: srcX + fromX, y: srcY + fromY };
      if (!surfaceHolds(gmr, src)) return `BLIT_GMRFB_TO_SCREEN source ${describe(src)} lies outside the GMR framebuffer`;
    }
    for (const { screen, local, fromX, fromY } of parts) {
      copyRect(gmr, srcX + fromX, srcY + fromY, screen.surface, local);
      if (screen === this.host.shownScreen()) this.host.dirty.addRect(local);
      else if (screen.backing === 'vram') this.markVramRows(screen.surface, local);
    }
    return undefined;
  }

  blitScreenToGmrfb(destX: number, destY: number, src: Rect, screenId: number): string | undefined {
    const gmr = this.gmrSurface('BLIT_SCREEN_TO_GMRFB');
    if (typeof gmr === 'string') return gmr;
    const parts = this.screenParts(src, screenId, 'BLIT_SCREEN_TO_GMRFB');
    if (typeof parts === 'string') return parts;
    for (const { local, fromX, fromY } of parts) {
      const dst = { ...local, x: destX + fromX, y: destY + fromY };
      if (!surfaceHolds(gmr, dst)) return `BLIT_SCREEN_TO_GMRFB destination ${describe(dst)} lies outside the GMR framebuffer`;
    }
    for (const { screen, local, fromX, fromY } of parts) {
      const dst = { ...local, x: destX + fromX, y: destY + fromY };
      copyRect(screen.surface, local.x, local.y, gmr, dst);
      this.markVramRows(gmr, dst);
    }
    return undefined;
  }

  /**
   * The pieces of `r` on each addressed screen: screen-local rectangles plus their offset inside `r`.
   * A screen id must name one screen and contain r; the virtual id clips r against every screen.
   */
  private screenParts(r: Rect, screenId: number, name: string): { screen: ScreenObject; local: Rect; fromX: number; fromY: number }[] | string {
    const screens = this.host.screens;
    if (screenId !== SCREEN_ID_VIRTUAL) {
      const screen = screens.get(screenId);
      if (!screen) return `${name} names screen ${screenId}, which does not exist`;
      if (!rectInside(r, screen.width, screen.height)) return `${name} rectangle ${describe(r)} lies outside screen ${screenId} (${screen.width}x${screen.height})`;
      return [{ screen, local: r, fromX: 0, fromY: 0 }];
    }
    const parts = [];
    for (const screen of screens.list()) {
      const hit = intersectRect(r, { x: screen.rootX, y: screen.rootY, width: screen.width, height: screen.height });
      if (hit) parts.push({ screen, local: { ...hit, x: hit.x - screen.rootX, y: hit.y - screen.rootY }, fromX: hit.x - r.x, fromY: hit.y - r.y });
    }
    if (!parts.length && r.width > 0 && r.height > 0) return `${name} rectangle ${describe(r)} lies outside every screen`;
    return parts;
  }

  private gmrSurface(name: string): Surface | string {
    if (!this.gmrfb) return `${name} comes before any DEFINE_GMRFB`;
    const { offset, bytesPerLine } = this.gmrfb;
    return { bytes: this.host.vram(), offset, pitch: bytesPerLine, width: Math.floor(bytesPerLine / BPP), height: UNBOUNDED_ROWS };
  }

  private legacySurface(name: string): Surface | string {
    const mode = this.host.mode();
    if (mode.problem) return `${name} while the mode is unusable: ${mode.problem}`;
    return { bytes: this.host.vram(), offset: mode.fbOffset, pitch: mode.pitch, width: mode.width, height: mode.height };
  }

  /** Legacy-framebuffer pixels changed: a screen rectangle when it is shown, else whatever VRAM rows it shares. */
  private markLegacy(r: Rect): void {
    if (this.host.showsLegacyFramebuffer()) {
      this.host.dirty.addRect(r);
    } else {
      const mode = this.host.mode();
      this.markVramRows({ bytes: this.host.vram(), offset: mode.fbOffset, pitch: mode.pitch, width: mode.width, height: mode.height }, r);
    }
  }

  private markVramRows(s: Surface, r: Rect): void {
    if (s.bytes !== this.host.vram() || r.height <= 0) return;
    this.host.dirty.markVramRange(s.offset + r.y * s.pitch, r.height * s.pitch);
  }
}
