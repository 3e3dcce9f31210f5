// Pointer input from the screen panel for the VMware mouse: guest pixels become the device's 0..0xFFFF absolute
// coordinates, or deltas (positive y up) when the guest driver asked for relative mode.
import type { PointerEvent } from '../../devices/vmwareBackdoor/vmmouse';

/** The largest absolute coordinate; the screen's far edge maps to it. */
const ABS_MAX = 0xffff;

export interface ScreenPointer { x: number; y: number; width: number; height: number; buttons: number; wheel: number }

export class PointerTranslator {
  private last: { x: number; y: number } | undefined;

  /** The event to queue for a pointer at (x, y) on a width x height screen. */
  translate(p: ScreenPointer, absolute: boolean): PointerEvent {
    const prev = this.last ?? { x: p.x, y: p.y };
    this.last = { x: p.x, y: p.y };
    if (!absolute) return { x: p.x - prev.x, y: prev.y - p.y, buttons: p.buttons, wheel: p.wheel };
    const scale = (v: number, size: number) => Math.round((Math.max(0, Math.min(v, size - 1)) * ABS_MAX) / Math.max(1, size - 1));
    return { x: scale(p.x, p.width), y: scale(p.y, p.height), buttons: p.buttons, wheel: p.wheel };
  }
}
