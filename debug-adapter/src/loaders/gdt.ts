// Flat boot segments and the GDT bytes that describe them, built from one Segment value so the two always agree.
import { segment, type Segment } from '../vmm/cpu/registers';
import { putU32 } from './bytes';

/** Type nibbles with the accessed bit already set, so the CPU never writes back into our GDT. */
export const SEG_TYPE_CODE_EXEC_READ_ACCESSED = 0xb;
export const SEG_TYPE_DATA_READ_WRITE_ACCESSED = 0x3;

const FLAT_LIMIT = 0xffffffff;
const DESCRIPTOR_SIZE = 8;
const GRANULE_SHIFT = 12;
const MAX_BYTE_LIMIT = 0xfffff;

export function flatCode32(selector: number): Segment {
  return segment({ selector, base: 0n, limit: FLAT_LIMIT, type: SEG_TYPE_CODE_EXEC_READ_ACCESSED, db: 1, l: 0, g: 1 });
}

/** Long-mode code: L=1 requires D=0. */
export function flatCode64(selector: number): Segment {
  return segment({ selector, base: 0n, limit: FLAT_LIMIT, type: SEG_TYPE_CODE_EXEC_READ_ACCESSED, db: 0, l: 1, g: 1 });
}

export function flatData(selector: number): Segment {
  return segment({ selector, base: 0n, limit: FLAT_LIMIT, type: SEG_TYPE_DATA_READ_WRITE_ACCESSED, db: 1, l: 0, g: 1 });
}

/** Encode a segment as an 8-byte legacy descriptor (limit in bytes, as KVM reports it, converted to granules). */
export function descriptorBytes(seg: Segment): Uint8Array {
  const rawLimit = seg.g ? seg.limit >>> GRANULE_SHIFT : seg.limit;
  if (rawLimit > MAX_BYTE_LIMIT) throw new RangeError(`segment limit ${seg.limit} does not fit a descriptor`);
  const base = Number(seg.base & 0xffffffffn);
  const access = (seg.present << 7) | (seg.dpl << 5) | (seg.s << 4) | seg.type;
  const flags = (seg.g << 3) | (seg.db << 2) | (seg.l << 1) | seg.avl;
  const out = new Uint8Array(DESCRIPTOR_SIZE);
  putU32(out, 0, ((base & 0xffff) << 16 | (rawLimit & 0xffff)) >>> 0);
  putU32(out, 4, ((base & 0xff000000) | (flags << 20) | ((rawLimit >>> 16) << 16) | (access << 8) | ((base >>> 16) & 0xff)) >>> 0);
  return out;
}

/** A GDT with each segment at the slot its selector names; unused slots (including slot 0) are null descriptors. */
export function buildGdt(segments: Segment[]): Uint8Array {
  const slots = Math.max(1, ...segments.map((s) => (s.selector >> 3) + 1));
  const gdt = new Uint8Array(slots * DESCRIPTOR_SIZE);
  for (const s of segments) gdt.set(descriptorBytes(s), (s.selector >> 3) * DESCRIPTOR_SIZE);
  return gdt;
}
