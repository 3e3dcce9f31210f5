// Parses .debug_abbrev tables: the per-unit templates that say which attributes each DIE carries.
import { ByteReader } from '../byteReader';
import { SymbolsError, hex } from '../errors';
import { DW_FORM } from './constants';

export interface AttrSpec {
  at: number;
  form: number;
  /** Only for DW_FORM_implicit_const: the value stored in the abbreviation itself. */
  implicitConst?: bigint;
}

export interface Abbrev {
  code: number;
  tag: number;
  hasChildren: boolean;
  specs: AttrSpec[];
}

export type AbbrevTable = Map<number, Abbrev>;

/** Reads the abbreviation table starting at `offset`; it ends with a zero code. */
export function parseAbbrevTable(section: Uint8Array, offset: number): AbbrevTable {
  if (offset >= section.length) {
    throw new SymbolsError(`.debug_abbrev: table offset ${hex(offset)} is outside the section (size ${hex(section.length)})`);
  }
  const r = new ByteReader(section, '.debug_abbrev', offset);
  const table: AbbrevTable = new Map();
  while (!r.atEnd) {
    const code = r.ulebNum();
    if (code === 0) break;
    const tag = r.ulebNum();
    const hasChildren = r.u8() !== 0;
    const specs: AttrSpec[] = [];
    for (;;) {
      const at = r.ulebNum();
      const form = r.ulebNum();
      if (at === 0 && form === 0) break;
      const spec: AttrSpec = { at, form };
      if (form === DW_FORM.implicit_const) spec.implicitConst = r.sleb();
      specs.push(spec);
    }
    // The first definition of a code wins, as in other consumers.
    if (!table.has(code)) table.set(code, { code, tag, hasChildren, specs });
  }
  return table;
}
