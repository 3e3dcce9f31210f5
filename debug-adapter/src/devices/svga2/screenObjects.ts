// Screen objects (DEFINE_SCREEN/DESTROY_SCREEN): each screen's size, place on the virtual desktop and pixel storage.
import type { Rect } from '../../display/rect';
import { unionRect } from '../../display/rect';
import { GMR_FRAMEBUFFER, GMR_NULL, ScreenFlag } from './svgaConstants';
import { hex } from './fifoRing';
import type { Surface } from './surface2d';

export interface ScreenObject {
  id: number;
  flags: number;
  width: number;
  height: number;
  rootX: number;
  rootY: number;
  /** Pixels in VRAM (a version 2 screen backed by the framebuffer GMR) or in a host buffer. */
  backing: 'vram' | 'host';
  surface: Surface;
}

/** Screen object structure sizes in bytes: version 1 (7 words) and version 2 (11 words). */
export const SCREEN_STRUCT_V1 = 28;
export const SCREEN_STRUCT_V2 = 44;
export const MAX_SCREENS = 8;

/** Word positions inside the screen object structure. */
const S = { ID: 1, FLAGS: 2, WIDTH: 3, HEIGHT: 4, ROOT_X: 5, ROOT_Y: 6, GMR_ID: 7, GMR_OFFSET: 8, PITCH: 9 } as const;

export class ScreenTable {
  private readonly screens = new Map<number, ScreenObject>();
  /** Increments whenever a screen is defined or destroyed, so the display notices replaced storage. */
  version = 0;

  /** `hostBudget` caps the bytes of host-backed screens, as real hardware caps screen memory. */
  constructor(private readonly maxWidth: number, private readonly maxHeight: number, private readonly hostBudget: number) {}

  get size(): number { return this.screens.size; }
  list(): ScreenObject[] { return [...this.screens.values()].sort((a, b) => a.id - b.id); }
  get(id: number): ScreenObject | undefined { return this.screens.get(id); }
  clear(): void { this.screens.clear(); this.version++; }

  /** The screen the display shows: the one flagged primary, else the only one. */
  primary(): ScreenObject | undefined {
    const all = this.list();
    return all.find((s) => (s.flags & ScreenFlag.IS_PRIMARY) !== 0) ?? (all.length === 1 ? all[0] : undefined);
  }

  /** The bounding box of every screen on the virtual desktop. */
  desktop(): Rect | undefined {
    const rects = this.list().map((s) => ({ x: s.rootX, y: s.rootY, width: s.width, height: s.height }));
    return rects.length ? rects.reduce(unionRect) : undefined;
  }

  /** Define or redefine a screen from its structure words (word 0 is the structure size). */
  define(words: Uint32Array, vram: Uint8Array): string | undefined {
    const id = words[S.ID];
    const flags = words[S.FLAGS];
    const width = words[S.WIDTH];
    const height = words[S.HEIGHT];
    if (!(flags & ScreenFlag.MUST_BE_SET)) return `screen ${id} flags 0x${hex(flags)} lack the must-be-set bit 0x1`;
    if (width < 1 || width > this.maxWidth || height < 1 || height > this.maxHeight) {
      return `screen ${id} size ${width}x${height} is out of range; expected 1..${this.maxWidth} x 1..${this.maxHeight}`;
    }
    if (!this.screens.has(id) && this.screens.size >= MAX_SCREENS) return `screen ${id} exceeds the limit of ${MAX_SCREENS} screens`;
    const isV2 = words[0] === SCREEN_STRUCT_V2;
    const gmrId = isV2 ? words[S.GMR_ID] : GMR_NULL;
    let backing: ScreenObject['backing'];
    let surface: Surface;
    if (gmrId === GMR_FRAMEBUFFER) {
      const offset = words[S.GMR_OFFSET];
      const pitch = words[S.PITCH];
      surface = { bytes: vram, offset, pitch, width, height };
      if (offset % 4 || pitch % 4 || pitch < width * 4 || offset + pitch * (height - 1) + width * 4 > vram.length) {
        return `screen ${id} backing store (offset 0x${hex(offset)}, pitch ${pitch}) does not fit ${width}x${height} in VRAM`;
      }
      backing = 'vram';
    } else if (gmrId === GMR_NULL) {
      const used = this.list().filter((s) => s.backing === 'host' && s.id !== id).reduce((n, s) => n + s.surface.bytes.length, 0);
      if (used + width * height * 4 > this.hostBudget) {
        return `screen ${id} (${width}x${height}) exceeds the ${this.hostBudget}-byte screen memory`;
      }
      surface = { bytes: new Uint8Array(width * height * 4), offset: 0, pitch: width * 4, width, height };
      backing = 'host';
    } else {
      return `screen ${id} backing store GMR 0x${hex(gmrId)} is not supported; expected the framebuffer (0x${hex(GMR_FRAMEBUFFER)})`;
    }
    this.screens.set(id, { id, flags, width, height, rootX: words[S.ROOT_X] | 0, rootY: words[S.ROOT_Y] | 0, backing, surface });
    this.version++;
    return undefined;
  }

  destroy(id: number): string | undefined {
    if (!this.screens.delete(id)) return `DESTROY_SCREEN names screen ${id}, which does not exist`;
    this.version++;
    return undefined;
  }
}
