// Dirty tracking: rectangle clipping and merging, the rectangle cap, and KVM dirty-page bitmaps mapped to screen rows.
import { strict as assert } from 'node:assert';
import { DirtyTracker, DIRTY_PAGE_SIZE } from '../../../debug-adapter/src/display/dirtyTracker';

const geometry = { width: 1024, height: 768, pitch: 4096, offset: 0, bytesPerPixel: 4 };

function tracker(maxRects?: number): DirtyTracker {
  return new DirtyTracker(geometry, maxRects);
}

describe('display DirtyTracker', () => {
  it('clips rectangles to the screen and drops the ones outside', () => {
    const t = tracker();
    t.addRect({ x: 1000, y: 760, width: 100, height: 100 });
    t.addRect({ x: 2000, y: 0, width: 10, height: 10 });
    t.addRect({ x: 5, y: 5, width: 0, height: 10 });
    assert.deepEqual(t.take(), [{ x: 1000, y: 760, width: 24, height: 8 }]);
    assert.equal(t.isDirty, false);
  });

  it('merges overlapping and edge-sharing rectangles, keeps distant ones apart', () => {
    const t = tracker();
    t.addRect({ x: 0, y: 0, width: 10, height: 10 });
    t.addRect({ x: 5, y: 5, width: 10, height: 5 });
    t.addRect({ x: 0, y: 10, width: 15, height: 10 });
    t.addRect({ x: 500, y: 500, width: 8, height: 8 });
    assert.deepEqual(t.take(), [{ x: 0, y: 0, width: 15, height: 20 }, { x: 500, y: 500, width: 8, height: 8 }]);
  });

  it('does not merge touching rectangles whose bounding box would be mostly clean', () => {
    const t = tracker();
    t.addRect({ x: 0, y: 0, width: 100, height: 1 });
    t.addRect({ x: 99, y: 1, width: 1, height: 100 });
    assert.equal(t.take().length, 2);
  });

  it('chains merges: a rectangle bridging two others absorbs both', () => {
    const t = tracker();
    t.addRect({ x: 0, y: 0, width: 10, height: 10 });
    t.addRect({ x: 20, y: 0, width: 10, height: 10 });
    t.addRect({ x: 10, y: 0, width: 10, height: 10 });
    assert.deepEqual(t.take(), [{ x: 0, y: 0, width: 30, height: 10 }]);
  });

  it('collapses to one bounding box beyond the rectangle cap', () => {
    const t = tracker(4);
    for (let i = 0; i < 5; i++) t.addRect({ x: i * 100, y: i * 100, width: 2, height: 2 });
    assert.deepEqual(t.take(), [{ x: 0, y: 0, width: 402, height: 402 }]);
  });

  it('marks the whole screen on a geometry change', () => {
    const t = tracker();
    t.addRect({ x: 1, y: 1, width: 1, height: 1 });
    t.setGeometry({ ...geometry, width: 640, height: 480, pitch: 2560 });
    assert.deepEqual(t.take(), [{ x: 0, y: 0, width: 640, height: 480 }]);
  });

  it('maps dirty pages to full-width row spans, merging consecutive pages', () => {
    const t = tracker();
    const bitmap = new Uint8Array(8);
    bitmap[0] = 0b0000_0110; // pages 1 and 2 = rows 1..2 (one 4096-byte row per page)
    bitmap[5] = 0b1000_0000; // page 47 = row 47
    t.markDirtyPages(bitmap);
    assert.deepEqual(t.take(), [{ x: 0, y: 1, width: 1024, height: 2 }, { x: 0, y: 47, width: 1024, height: 1 }]);
  });

  it('honours the bitmap base offset, the frame offset and partial rows', () => {
    const t = new DirtyTracker({ width: 100, height: 100, pitch: 400, offset: 1000, bytesPerPixel: 4 });
    const bitmap = new Uint8Array([0b1]);
    // Page 0 of this bitmap is VRAM offset 4096: bytes 4096..8191 = frame bytes 3096..7191 = rows 7..17.
    t.markDirtyPages(bitmap, DIRTY_PAGE_SIZE);
    assert.deepEqual(t.take(), [{ x: 0, y: 7, width: 100, height: 11 }]);
    // A page before the frame start only covers row 0 partly.
    t.markDirtyPages(new Uint8Array([0b1]), 0);
    assert.deepEqual(t.take(), [{ x: 0, y: 0, width: 100, height: 8 }]);
  });

  it('ignores pages outside the frame, and all pages when the frame is not in VRAM', () => {
    const t = tracker();
    const far = new Uint8Array(200);
    far[199] = 0xff;
    t.markDirtyPages(far);
    assert.equal(t.isDirty, false);
    const host = new DirtyTracker({ width: 10, height: 10, pitch: 0, offset: 0, bytesPerPixel: 4 });
    host.markDirtyPages(new Uint8Array([0xff]));
    assert.equal(host.isDirty, false);
  });
});
