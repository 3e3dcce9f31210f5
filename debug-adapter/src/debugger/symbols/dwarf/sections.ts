// Collects the DWARF and unwind sections of an ELF file into one record the readers share.
import { ProblemLog } from '../errors';
import { ElfFile } from '../elf/elfFile';

const EMPTY = new Uint8Array(0);

/** Raw bytes of every section the readers use; absent sections are empty arrays. */
export interface DwarfSections {
  info: Uint8Array;
  types: Uint8Array;
  abbrev: Uint8Array;
  str: Uint8Array;
  lineStr: Uint8Array;
  strOffsets: Uint8Array;
  addr: Uint8Array;
  line: Uint8Array;
  ranges: Uint8Array;
  rnglists: Uint8Array;
  loc: Uint8Array;
  loclists: Uint8Array;
  aranges: Uint8Array;
  frame: Uint8Array;
  ehFrame: Uint8Array;
  /** Load addresses (unbiased) used by pointer encodings in .eh_frame. */
  ehFrameAddr: bigint;
  textAddr: bigint;
  gotAddr: bigint;
}

const NAMES: [keyof DwarfSections, string][] = [
  ['info', 'debug_info'], ['types', 'debug_types'], ['abbrev', 'debug_abbrev'], ['str', 'debug_str'],
  ['lineStr', 'debug_line_str'], ['strOffsets', 'debug_str_offsets'], ['addr', 'debug_addr'],
  ['line', 'debug_line'], ['ranges', 'debug_ranges'], ['rnglists', 'debug_rnglists'], ['loc', 'debug_loc'],
  ['loclists', 'debug_loclists'], ['aranges', 'debug_aranges'], ['frame', 'debug_frame'],
];

export function emptySections(): DwarfSections {
  return {
    info: EMPTY, types: EMPTY, abbrev: EMPTY, str: EMPTY, lineStr: EMPTY, strOffsets: EMPTY, addr: EMPTY,
    line: EMPTY, ranges: EMPTY, rnglists: EMPTY, loc: EMPTY, loclists: EMPTY, aranges: EMPTY, frame: EMPTY,
    ehFrame: EMPTY, ehFrameAddr: 0n, textAddr: 0n, gotAddr: 0n,
  };
}

/**
 * Looks each section up as .debug_X, then .zdebug_X (legacy compressed) and .debug_X.dwo
 * (split DWARF objects). A section that cannot be read is logged and left empty.
 */
export function collectSections(elf: ElfFile, problems: ProblemLog): DwarfSections {
  const out = emptySections();
  const read = (name: string): Uint8Array | undefined => {
    const sec = elf.section(name);
    if (!sec) return undefined;
    return problems.guard(() => elf.sectionData(sec), EMPTY);
  };
  for (const [key, base] of NAMES) {
    const data = read('.' + base) ?? read('.z' + base) ?? read('.' + base + '.dwo');
    if (data) (out[key] as Uint8Array) = data;
  }
  const eh = elf.section('.eh_frame');
  if (eh) {
    out.ehFrame = problems.guard(() => elf.sectionData(eh), EMPTY);
    out.ehFrameAddr = eh.addr;
  }
  out.textAddr = elf.section('.text')?.addr ?? 0n;
  out.gotAddr = elf.section('.got')?.addr ?? 0n;
  return out;
}
