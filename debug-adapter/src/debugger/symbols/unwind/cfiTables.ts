// Builds the .debug_frame and .eh_frame tables of an image from its collected sections.
import { ProblemLog } from '../errors';
import { DwarfSections } from '../dwarf/sections';
import { CfiTable, parseCfi } from './cfiParser';

export interface CfiTables {
  debugFrame?: CfiTable;
  ehFrame?: CfiTable;
}

export function cfiTablesFrom(sections: DwarfSections, addressSize: 4 | 8, problems: ProblemLog): CfiTables {
  const out: CfiTables = {};
  if (sections.frame.length > 0) {
    out.debugFrame = parseCfi({ kind: 'debug_frame', bytes: sections.frame, bases: { addressSize, sectionAddr: 0n } }, problems);
  }
  if (sections.ehFrame.length > 0) {
    out.ehFrame = parseCfi({
      kind: 'eh_frame',
      bytes: sections.ehFrame,
      // datarel in .eh_frame is relative to the GOT on i386, the only target that uses it.
      bases: { addressSize, sectionAddr: sections.ehFrameAddr, textAddr: sections.textAddr, dataAddr: sections.gotAddr },
    }, problems);
  }
  return out;
}

/** Tables in lookup order: .debug_frame describes more (it survives stripping of .eh_frame_hdr users). */
export function cfiLookupOrder(t: CfiTables): CfiTable[] {
  return [t.debugFrame, t.ehFrame].filter((x): x is CfiTable => !!x);
}
