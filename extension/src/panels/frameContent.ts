// Whether a frame update shows anything: every VM sends its (blank) VGA text screen, and only a drawn screen opens the panel.
import { decodeFrameUpdate } from '../../../debug-adapter/src/display/frameDecoder';
import { FRAME_BYTES_PER_PIXEL } from '../../../debug-adapter/src/display/frameFormat';

/** True when some pixel of the update is not black; malformed updates count as empty. */
export function frameHasContent(bytes: Uint8Array): boolean {
  let update;
  try {
    update = decodeFrameUpdate(bytes);
  } catch {
    return false;
  }
  for (const r of update.rects) {
    const p = r.pixels;
    // B, G, R of each pixel; the fourth byte is unused (X).
    for (let i = 0; i < p.length; i += FRAME_BYTES_PER_PIXEL) if (p[i] | p[i + 1] | p[i + 2]) return true;
  }
  return false;
}
