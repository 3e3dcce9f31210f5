// .debug_aranges: the producer's own address-to-unit index, used to find a unit without parsing it.
import { ByteReader } from '../byteReader';
import { ProblemLog, SymbolsError, hex } from '../errors';
import { readInitialLength } from './unit';

export interface ArangeEntry {
  low: bigint;
  high: bigint;
  /** Offset of the unit header in .debug_info. */
  unitOffset: number;
}

export function parseAranges(bytes: Uint8Array, problems: ProblemLog): ArangeEntry[] {
  const out: ArangeEntry[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const ok = problems.guard(() => {
      const r = new ByteReader(bytes, '.debug_aranges', offset);
      const { length, offsetSize } = readInitialLength(r);
      const end = r.pos + length;
      if (end > bytes.length) throw new SymbolsError(`.debug_aranges: set at ${hex(offset)} runs past the end of the section`);
      const set = r.at(r.pos, end);
      const version = set.u16();
      if (version !== 2) throw new SymbolsError(`.debug_aranges: set at ${hex(offset)} has version ${version} (expected 2)`);
      const unitOffset = set.offset(offsetSize);
      const addressSize = set.u8();
      const segmentSize = set.u8();
      if (addressSize !== 4 && addressSize !== 8) throw new SymbolsError(`.debug_aranges: set at ${hex(offset)} has address size ${addressSize} (expected 4 or 8)`);
      // Tuples start at a multiple of the tuple size, counted from the start of the set.
      const tuple = 2 * addressSize + segmentSize;
      const rel = set.pos - offset;
      set.pos += (tuple - (rel % tuple)) % tuple;
      while (set.remaining >= tuple) {
        if (segmentSize) set.skip(segmentSize);
        const low = set.uint(addressSize);
        const len = set.uint(addressSize);
        if (low === 0n && len === 0n) break;
        if (len > 0n) out.push({ low, high: low + len, unitOffset });
      }
      offset = end;
      return true;
    }, false);
    if (!ok) break;
  }
  return out;
}
