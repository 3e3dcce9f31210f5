// Opens a fixture's DWARF with the low-level readers (relocations applied), for tests below the facade.
import { ElfFile } from '../../../../debug-adapter/src/debugger/symbols/elf/elfFile';
import { applyDebugRelocations } from '../../../../debug-adapter/src/debugger/symbols/elf/relocations';
import { ProblemLog } from '../../../../debug-adapter/src/debugger/symbols/errors';
import { DwarfReader } from '../../../../debug-adapter/src/debugger/symbols/dwarf/dwarfReader';
import { collectSections } from '../../../../debug-adapter/src/debugger/symbols/dwarf/sections';
import { Die } from '../../../../debug-adapter/src/debugger/symbols/dwarf/unit';
import { readBytes } from './toolchain';

export function openDwarf(path: string): { elf: ElfFile; reader: DwarfReader; problems: ProblemLog } {
  const elf = new ElfFile(readBytes(path));
  const problems = new ProblemLog();
  applyDebugRelocations(elf, problems);
  const reader = new DwarfReader(collectSections(elf, problems), problems);
  return { elf, reader, problems };
}

/** Every DIE of every unit in file order (pre-order walk). */
export function allDies(reader: DwarfReader): Die[] {
  const out: Die[] = [];
  const walk = (d: Die) => {
    out.push(d);
    for (const c of d.children) walk(c);
  };
  for (const u of reader.units) {
    const root = reader.root(u);
    if (root) walk(root);
  }
  return out;
}
