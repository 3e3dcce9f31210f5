// Collects the screen areas that changed since the last frame: FIFO UPDATE rectangles and dirty VRAM pages, merged.
import { clipRect, rectArea, rectsTouch, unionRect, intersectRect, type Rect } from './rect';

/** Where the visible frame lives in VRAM, so dirty bytes can be mapped back to screen rows. */
export interface ScanoutGeometry {
  width: number;
  height: number;
  /** Bytes per scan line. */
  pitch: number;
  /** Byte offset of row 0 in VRAM. */
  offset: number;
  bytesPerPixel: number;
}

/** KVM dirty logs track 4 KiB pages. */
export const DIRTY_PAGE_SIZE = 4096;
/** Past this many separate rectangles, sending their bounding box is cheaper than tracking them. */
export const DEFAULT_MAX_RECTS = 32;
/** Two touching rectangles merge when their bounding box adds at most this fraction of clean area. */
const MAX_MERGE_WASTE = 0.25;

export class DirtyTracker {
  private rects: Rect[] = [];
  private geometry: ScanoutGeometry;

  constructor(geometry: ScanoutGeometry = { width: 0, height: 0, pitch: 0, offset: 0, bytesPerPixel: 4 }, readonly maxRects = DEFAULT_MAX_RECTS) {
    this.geometry = { ...geometry };
  }

  get screen(): Readonly<ScanoutGeometry> { return this.geometry; }
  get isDirty(): boolean { return this.rects.length > 0; }

  /** A new scanout layout: previous rectangles are meaningless, so the whole new screen is dirty. */
  setGeometry(geometry: ScanoutGeometry): void {
    this.geometry = { ...geometry };
    this.rects = [];
    this.markAll();
  }

  markAll(): void {
    const { width, height } = this.geometry;
    this.rects = width > 0 && height > 0 ? [{ x: 0, y: 0, width, height }] : [];
  }

  /** Add a rectangle in screen coordinates; the part outside the screen is dropped. */
  addRect(r: Rect): void {
    let cur = clipRect(r, this.geometry.width, this.geometry.height);
    if (!cur) return;
    // Keep absorbing neighbours until the rectangle stops growing, so the list stays disjoint-ish and short.
    for (let merged = true; merged;) {
      merged = false;
      for (let i = 0; i < this.rects.length; i++) {
        const other = this.rects[i];
        if (shouldMerge(cur, other)) {
          cur = unionRect(cur, other);
          this.rects.splice(i, 1);
          merged = true;
          break;
        }
      }
    }
    this.rects.push(cur);
    if (this.rects.length > this.maxRects) this.rects = [this.rects.reduce(unionRect)];
  }

  /** Mark the screen rows covered by VRAM bytes [vramOffset, vramOffset + length). */
  markVramRange(vramOffset: number, length: number): void {
    const { pitch, offset, height, width } = this.geometry;
    if (pitch <= 0 || length <= 0) return;
    const start = Math.max(vramOffset, offset);
    const end = Math.min(vramOffset + length, offset + pitch * height);
    if (end <= start) return;
    const firstRow = Math.floor((start - offset) / pitch);
    const lastRow = Math.floor((end - 1 - offset) / pitch);
    this.addRect({ x: 0, y: firstRow, width, height: lastRow - firstRow + 1 });
  }

  /**
   * Mark rows from a KVM dirty bitmap (bit n of byte n/8 = page n, which is also the layout of
   * the kernel's little-endian u64 words). `vramOffset` is the VRAM offset of page 0 of the bitmap.
   */
  markDirtyPages(bitmap: Uint8Array, vramOffset = 0): void {
    let runStart = -1;
    const pages = bitmap.length * 8;
    for (let page = 0; page <= pages; page++) {
      const set = page < pages && (bitmap[page >> 3] & (1 << (page & 7))) !== 0;
      if (set && runStart < 0) runStart = page;
      if (!set && runStart >= 0) {
        this.markVramRange(vramOffset + runStart * DIRTY_PAGE_SIZE, (page - runStart) * DIRTY_PAGE_SIZE);
        runStart = -1;
      }
      // Skip whole clean bytes quickly: most of a bitmap is zero between frames.
      if (runStart < 0 && (page & 7) === 0 && page + 8 <= pages && bitmap[page >> 3] === 0) page += 7;
    }
  }

  peek(): readonly Rect[] { return this.rects; }

  /** The dirty rectangles, clearing the tracker. */
  take(): Rect[] {
    const out = this.rects;
    this.rects = [];
    return out;
  }
}

function shouldMerge(a: Rect, b: Rect): boolean {
  if (!rectsTouch(a, b)) return false;
  const u = unionRect(a, b);
  const overlap = intersectRect(a, b);
  const covered = rectArea(a) + rectArea(b) - (overlap ? rectArea(overlap) : 0);
  return rectArea(u) - covered <= rectArea(u) * MAX_MERGE_WASTE;
}
