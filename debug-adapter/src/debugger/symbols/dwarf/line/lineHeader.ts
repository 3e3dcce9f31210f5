// Parses the header of a .debug_line unit (DWARF 2-5), including DWARF 5 directory/file entry formats.
import { ByteReader } from '../../byteReader';
import { SymbolsError, hex } from '../../errors';
import { joinPath } from '../../paths';
import { AttrValue, FormContext, numberOf, readAttrValue } from '../attrValue';
import { DW_FORM, DW_LNCT } from '../constants';
import { readInitialLength } from '../unit';

export interface LineFile {
  /** The name as recorded. */
  name: string;
  dirIndex: number;
  /** Absolute (when the producer recorded enough) and normalised path. */
  path: string;
  md5?: Uint8Array;
  size?: bigint;
}

export interface LineHeader {
  offset: number;
  /** First byte after this line unit. */
  end: number;
  version: number;
  offsetSize: 4 | 8;
  addressSize: number;
  minInstLength: number;
  maxOpsPerInst: number;
  defaultIsStmt: boolean;
  lineBase: number;
  lineRange: number;
  opcodeBase: number;
  /** Operand counts of standard opcodes; index 0 is opcode 1. */
  standardOpcodeLengths: number[];
  dirs: string[];
  /** Indexed by the DWARF file number (1-based before DWARF 5, 0-based from DWARF 5). */
  files: (LineFile | undefined)[];
  programStart: number;
}

export interface LineHeaderContext {
  /** DW_AT_comp_dir of the owning unit: the base for relative directories. */
  compDir?: string;
  /** DW_AT_name of the owning unit, the implicit file 0 before DWARF 5. */
  unitName?: string;
  /** Address size of the owning unit, used when the header does not state one. */
  addressSize: number;
  /** Resolves strp/line_strp/strx values in DWARF 5 entry formats. */
  string: (v: AttrValue) => string | undefined;
}

/** Entry formats and counts are bytes and ULEBs; bound them so a corrupt header cannot allocate wildly. */
const MAX_FORMAT_COUNT = 64;

export function parseLineHeader(bytes: Uint8Array, offset: number, ctx: LineHeaderContext): LineHeader {
  if (offset >= bytes.length) throw new SymbolsError(`.debug_line: unit offset ${hex(offset)} is outside the section (size ${hex(bytes.length)})`);
  const r = new ByteReader(bytes, '.debug_line', offset);
  const { length, offsetSize } = readInitialLength(r);
  const end = r.pos + length;
  if (end > bytes.length) throw new SymbolsError(`.debug_line: unit at ${hex(offset)} claims ${length} bytes but only ${bytes.length - r.pos} remain`);
  const u = r.at(r.pos, end);
  const version = u.u16();
  if (version < 2 || version > 5) throw new SymbolsError(`.debug_line: unit at ${hex(offset)} has version ${version} (expected 2 to 5)`);
  let addressSize = ctx.addressSize;
  if (version >= 5) {
    addressSize = u.u8();
    u.u8(); // segment selector size
  }
  const headerLength = u.offset(offsetSize);
  const programStart = u.pos + headerLength;
  if (programStart > end) throw new SymbolsError(`.debug_line: header of unit at ${hex(offset)} is longer than the unit`);
  const minInstLength = u.u8();
  const maxOpsPerInst = version >= 4 ? u.u8() : 1;
  const defaultIsStmt = u.u8() !== 0;
  const lineBase = u.i8();
  const lineRange = u.u8();
  const opcodeBase = u.u8();
  if (lineRange === 0) throw new SymbolsError(`.debug_line: unit at ${hex(offset)} has line_range 0`);
  const standardOpcodeLengths: number[] = [];
  for (let i = 1; i < opcodeBase; i++) standardOpcodeLengths.push(u.u8());

  const h: LineHeader = {
    offset, end, version, offsetSize, addressSize, minInstLength, maxOpsPerInst: maxOpsPerInst || 1,
    defaultIsStmt, lineBase, lineRange, opcodeBase, standardOpcodeLengths, dirs: [], files: [], programStart,
  };
  if (version >= 5) readV5Tables(u, h, ctx);
  else readLegacyTables(u, h, ctx);
  return h;
}

function readLegacyTables(u: ByteReader, h: LineHeader, ctx: LineHeaderContext): void {
  // Directory 0 is the compilation directory; file 0 is the primary source file.
  h.dirs.push(ctx.compDir ?? '');
  for (;;) {
    const dir = u.cstring();
    if (dir === '') break;
    h.dirs.push(dir);
  }
  h.files.push(ctx.unitName !== undefined ? makeFile(h, ctx, ctx.unitName, 0) : undefined);
  for (;;) {
    const name = u.cstring();
    if (name === '') break;
    const dirIndex = u.ulebNum();
    u.uleb(); // modification time
    const size = u.uleb();
    h.files.push({ ...makeFile(h, ctx, name, dirIndex), size });
  }
}

/** Adds a file as DW_LNE_define_file does (DWARF 2-4). */
export function defineFile(h: LineHeader, ctx: LineHeaderContext, name: string, dirIndex: number): void {
  h.files.push(makeFile(h, ctx, name, dirIndex));
}

function readV5Tables(u: ByteReader, h: LineHeader, ctx: LineHeaderContext): void {
  const fctx: FormContext = { version: 5, offsetSize: h.offsetSize, addressSize: h.addressSize, unitOffset: 0 };
  const readFormats = (): [number, number][] => {
    const count = u.u8();
    if (count > MAX_FORMAT_COUNT) throw new SymbolsError(`.debug_line: unit at ${hex(h.offset)} has ${count} entry formats`);
    const formats: [number, number][] = [];
    for (let i = 0; i < count; i++) formats.push([u.ulebNum(), u.ulebNum()]);
    return formats;
  };
  const readEntries = (formats: [number, number][]) => {
    const count = u.ulebNum();
    // Real entries take at least one byte each; a larger count is corrupt (and could be huge).
    if (count > u.remaining) throw new SymbolsError(`.debug_line: unit at ${hex(h.offset)} claims ${count} entries in ${u.remaining} bytes`);
    const out: { path?: string; dir: number; md5?: Uint8Array; size?: bigint }[] = [];
    for (let i = 0; i < count; i++) {
      const e: { path?: string; dir: number; md5?: Uint8Array; size?: bigint } = { dir: 0 };
      for (const [type, form] of formats) {
        if (form === DW_FORM.implicit_const) throw new SymbolsError(`.debug_line: implicit_const is not allowed in entry formats`);
        const v = readAttrValue(u, form, fctx);
        if (type === DW_LNCT.path) e.path = ctx.string(v);
        else if (type === DW_LNCT.directory_index) e.dir = numberOf(v) ?? 0;
        else if (type === DW_LNCT.MD5 && v.kind === 'data16') e.md5 = v.bytes;
        else if (type === DW_LNCT.size && v.kind === 'udata') e.size = v.value;
      }
      out.push(e);
    }
    return out;
  };
  const dirFormats = readFormats();
  for (const d of readEntries(dirFormats)) h.dirs.push(d.path ?? '');
  // In DWARF 5 directory 0 is the compilation directory itself; fall back to the unit's if empty.
  if ((h.dirs[0] === undefined || h.dirs[0] === '') && ctx.compDir) h.dirs[0] = ctx.compDir;
  const fileFormats = readFormats();
  for (const f of readEntries(fileFormats)) {
    h.files.push({ ...makeFile(h, ctx, f.path ?? '', f.dir), md5: f.md5, size: f.size });
  }
}

function makeFile(h: LineHeader, ctx: LineHeaderContext, name: string, dirIndex: number): LineFile {
  const dir = h.dirs[dirIndex] ?? '';
  const base = h.version >= 5 ? h.dirs[0] || ctx.compDir : ctx.compDir;
  const full = joinPath(dir === '' ? base : joinPath(base, dir), name);
  return { name, dirIndex, path: full };
}
