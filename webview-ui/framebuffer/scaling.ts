// Screen scaling and pointer mapping for the framebuffer canvas (pure arithmetic, unit-tested).

export type ScaleMode = 'fit' | '1x' | '2x';
export const SCALE_MODES: readonly ScaleMode[] = ['fit', '1x', '2x'];

export interface Size { width: number; height: number }

/**
 * The factor the guest screen is drawn at. "fit" fills the available space keeping the aspect ratio; when the screen
 * is larger than the space it shrinks (fractional), when smaller it grows by whole steps only, so pixels stay square and crisp.
 */
export function scaleFactor(mode: ScaleMode, screen: Size, space: Size): number {
  if (mode === '1x') return 1;
  if (mode === '2x') return 2;
  if (screen.width <= 0 || screen.height <= 0 || space.width <= 0 || space.height <= 0) return 1;
  const exact = Math.min(space.width / screen.width, space.height / screen.height);
  return exact >= 1 ? Math.floor(exact) : exact;
}

/** A point in the canvas element's client box → guest pixel coordinates, clamped to the screen. */
export function clientToGuest(clientX: number, clientY: number, box: { left: number; top: number; width: number; height: number }, screen: Size): { x: number; y: number } {
  const fx = box.width > 0 ? (clientX - box.left) / box.width : 0;
  const fy = box.height > 0 ? (clientY - box.top) / box.height : 0;
  const clamp = (v: number, max: number) => Math.min(Math.max(Math.floor(v), 0), Math.max(max - 1, 0));
  return { x: clamp(fx * screen.width, screen.width), y: clamp(fy * screen.height, screen.height) };
}

export function isScaleMode(v: unknown): v is ScaleMode {
  return typeof v === 'string' && (SCALE_MODES as readonly string[]).includes(v);
}
