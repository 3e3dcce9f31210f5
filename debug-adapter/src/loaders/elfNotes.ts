// Reads ELF notes from PT_NOTE segments and finds the PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY).
import { ImageFormatError } from './loadPlan';
import { getU32, getU64, hex } from './bytes';
import { PT_NOTE, type ElfFile } from './elf';

/** Xen's ELF note carrying the 32-bit physical entry point of the PVH boot ABI. */
export const XEN_ELFNOTE_PHYS32_ENTRY = 18;
export const XEN_NOTE_NAME = 'Xen';

export interface ElfNote {
  name: string;
  type: number;
  desc: Uint8Array;
}

const NOTE_HEADER_SIZE = 12;

/** Every well-formed note in the PT_NOTE segments; a malformed tail ends that segment's list without throwing. */
export function readNotes(elf: ElfFile, image: Uint8Array): ElfNote[] {
  const notes: ElfNote[] = [];
  for (const seg of elf.segments) {
    if (seg.type !== PT_NOTE) continue;
    // Notes are padded to 4 bytes unless the segment asks for 8-byte alignment.
    const pad = seg.align === 8 ? 8 : 4;
    const end = Math.min(seg.offset + seg.filesz, image.length);
    let p = seg.offset;
    while (p + NOTE_HEADER_SIZE <= end) {
      const namesz = getU32(image, p);
      const descsz = getU32(image, p + 4);
      const type = getU32(image, p + 8);
      const nameStart = p + NOTE_HEADER_SIZE;
      const descStart = nameStart + roundUp(namesz, pad);
      const next = descStart + roundUp(descsz, pad);
      if (descStart + descsz > end) break;
      const nameBytes = image.subarray(nameStart, nameStart + namesz);
      const nul = nameBytes.indexOf(0);
      const name = String.fromCharCode(...(nul >= 0 ? nameBytes.subarray(0, nul) : nameBytes).subarray(0, 64));
      notes.push({ name, type, desc: image.subarray(descStart, descStart + descsz) });
      p = next;
    }
  }
  return notes;
}

function roundUp(v: number, pad: number): number {
  return Math.ceil(v / pad) * pad;
}

export function findPvhNote(elf: ElfFile, image: Uint8Array): ElfNote | undefined {
  return readNotes(elf, image).find((n) => n.name === XEN_NOTE_NAME && n.type === XEN_ELFNOTE_PHYS32_ENTRY);
}

/** The PVH entry address; 32-bit kernels store it as a 4-byte value, 64-bit ones often as 8 bytes. */
export function pvhEntryOf(note: ElfNote): number {
  if (note.desc.length === 4) return getU32(note.desc, 0);
  if (note.desc.length === 8) {
    const v = getU64(note.desc, 0);
    if (v > 0xffffffffn) {
      throw new ImageFormatError(`PVH entry note gives ${hex(v)}: expected a 32-bit physical address`);
    }
    return Number(v);
  }
  throw new ImageFormatError(`PVH entry note has a ${note.desc.length}-byte value: expected 4 or 8 bytes`);
}
