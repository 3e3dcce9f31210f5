// Keyboard/mouse capture rules: which keys release the capture, and which DOM key codes go to the guest.

/** Ctrl+Alt together releases the capture (the chord VMware and QEMU users expect). */
export function isReleaseChord(e: { ctrlKey: boolean; altKey: boolean; code: string }): boolean {
  const isCtrl = e.code === 'ControlLeft' || e.code === 'ControlRight';
  const isAlt = e.code === 'AltLeft' || e.code === 'AltRight';
  return (isCtrl && e.altKey) || (isAlt && e.ctrlKey);
}

export const RELEASE_HINT = 'Ctrl+Alt releases keyboard and mouse';

/** DOM MouseEvent.buttons → the guest's button mask (bit 0 left, 1 right, 2 middle: the same order). */
export function guestButtons(domButtons: number): number {
  return domButtons & 0x7;
}

/** Wheel delta in lines (pixels and pages are converted at common browser defaults). */
export function wheelLines(deltaY: number, deltaMode: number): number {
  const PIXELS_PER_LINE = 40;
  const LINES_PER_PAGE = 25;
  const lines = deltaMode === 0 ? deltaY / PIXELS_PER_LINE : deltaMode === 2 ? deltaY * LINES_PER_PAGE : deltaY;
  return Math.sign(lines) * Math.max(1, Math.round(Math.abs(lines)));
}
