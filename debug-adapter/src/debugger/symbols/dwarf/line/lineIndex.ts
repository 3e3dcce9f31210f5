// Source-line queries over every line table: address to line, line to addresses, breakable lines.
import { ProblemLog, SymbolsError } from '../../errors';
import { baseName, normalizePath } from '../../paths';
import { DwarfReader } from '../dwarfReader';
import { Unit } from '../unit';
import { LineRow, LineTable, readLineTable } from './lineProgram';

/** A resolved row: unbiased address and the absolute source position. */
export interface LinePosition {
  address: bigint;
  file: string;
  line: number;
  column: number;
  isStmt: boolean;
  prologueEnd: boolean;
}

export interface LineMatch {
  /** The line that actually has code: the requested one or the next one after it. */
  line: number;
  /** Unbiased addresses, ascending. */
  addresses: bigint[];
}

interface TableEntry {
  unit: Unit;
  table: LineTable;
  /** Normalised absolute path to the file numbers that name it. */
  pathToFiles: Map<string, number[]>;
}

export class LineIndex {
  private readonly byOffset = new Map<number, TableEntry | null>();
  private all: TableEntry[] | undefined;

  constructor(private readonly reader: DwarfReader, private readonly problems: ProblemLog) {}

  /** The line table of one unit, parsed on first use; undefined if it has none or it is unreadable. */
  tableFor(unit: Unit): LineTable | undefined {
    return this.entryFor(unit)?.table;
  }

  /** Every readable line table, in unit order. */
  tables(): LineTable[] {
    return this.entries().map((e) => e.table);
  }

  /** The row in effect at `addr` within the given units' tables (all tables when none given). */
  lookup(addr: bigint, units?: Unit[]): LinePosition | undefined {
    const entries = units ? units.map((u) => this.entryFor(u)).filter((e): e is TableEntry => !!e) : this.entries();
    for (const e of entries) {
      const hit = rowAt(e.table, addr);
      if (hit) return this.position(e, hit);
    }
    return undefined;
  }

  /** Rows (not end_sequence) of the sequence that contains `addr`, restricted to [low, high). */
  rowsBetween(low: bigint, high: bigint, units?: Unit[]): LinePosition[] {
    const entries = units ? units.map((u) => this.entryFor(u)).filter((e): e is TableEntry => !!e) : this.entries();
    const out: LinePosition[] = [];
    for (const e of entries) {
      for (const seq of e.table.sequences) {
        if (seq.high <= low || seq.low >= high) continue;
        for (let i = seq.first; i <= seq.last; i++) {
          const r = e.table.rows[i];
          if (!r.endSequence && r.address >= low && r.address < high) out.push(this.position(e, r));
        }
      }
    }
    return out;
  }

  /**
   * Addresses for a breakpoint on `file:line`: the first is_stmt row of that line in each group
   * (sequence, and the optional `groupOf` key such as the enclosing function). A line without
   * code moves to the next line that has some.
   */
  lineToAddresses(file: string, line: number, groupOf?: (addr: bigint) => bigint | undefined): LineMatch | undefined {
    const matches = this.filesMatching(file);
    let best: number | undefined;
    for (const { entry, files } of matches) {
      for (const r of entry.table.rows) {
        if (!r.endSequence && r.isStmt && r.line >= line && files.has(r.file) && (best === undefined || r.line < best)) best = r.line;
      }
    }
    if (best === undefined) return undefined;
    const addresses = new Set<bigint>();
    for (const { entry, files } of matches) {
      entry.table.sequences.forEach((seq, seqIndex) => {
        const seen = new Set<string>();
        for (let i = seq.first; i <= seq.last; i++) {
          const r = entry.table.rows[i];
          if (r.endSequence || !r.isStmt || r.line !== best || !files.has(r.file)) continue;
          const key = `${seqIndex}:${groupOf?.(r.address) ?? ''}`;
          if (seen.has(key)) continue;
          seen.add(key);
          addresses.add(r.address);
        }
      });
    }
    return { line: best, addresses: [...addresses].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
  }

  /** Lines in [startLine, endLine] of `file` that have an is_stmt row, ascending. */
  breakpointLines(file: string, startLine: number, endLine: number): number[] {
    const lines = new Set<number>();
    for (const { entry, files } of this.filesMatching(file)) {
      for (const r of entry.table.rows) {
        if (!r.endSequence && r.isStmt && r.line >= startLine && r.line <= endLine && files.has(r.file)) lines.add(r.line);
      }
    }
    return [...lines].sort((a, b) => a - b);
  }

  /** Absolute paths of every file that has at least one row. */
  sourceFiles(): string[] {
    const out = new Set<string>();
    for (const e of this.entries()) {
      const used = new Set<number>();
      for (const r of e.table.rows) if (!r.endSequence) used.add(r.file);
      for (const f of used) {
        const file = e.table.header.files[f];
        if (file) out.add(file.path);
      }
    }
    return [...out].sort();
  }

  /**
   * Tables and file numbers naming `file`: exact path matches if any table has one, else the
   * files sharing the longest trailing run of path components (at least the base name), so
   * a binary built in another directory still maps onto the local checkout.
   */
  private filesMatching(file: string): { entry: TableEntry; files: Set<number> }[] {
    const wanted = normalizePath(file);
    const exact: { entry: TableEntry; files: Set<number> }[] = [];
    for (const e of this.entries()) {
      const hit = e.pathToFiles.get(wanted);
      if (hit) exact.push({ entry: e, files: new Set(hit) });
    }
    if (exact.length > 0) return exact;
    const wantedParts = splitPath(wanted);
    let bestScore = 0;
    let best: { entry: TableEntry; files: Set<number> }[] = [];
    for (const e of this.entries()) {
      for (const [path, nums] of e.pathToFiles) {
        if (baseName(path) !== wantedParts[wantedParts.length - 1]) continue;
        const score = commonSuffix(splitPath(path), wantedParts);
        if (score < bestScore) continue;
        if (score > bestScore) { bestScore = score; best = []; }
        const existing = best.find((b) => b.entry === e);
        if (existing) nums.forEach((n) => existing.files.add(n)); else best.push({ entry: e, files: new Set(nums) });
      }
    }
    return best;
  }

  private position(e: TableEntry, r: LineRow): LinePosition {
    const file = e.table.header.files[r.file];
    return { address: r.address, file: file?.path ?? `<file ${r.file}>`, line: r.line, column: r.column, isStmt: r.isStmt, prologueEnd: r.prologueEnd };
  }

  private entries(): TableEntry[] {
    if (!this.all) {
      this.all = [];
      for (const u of this.reader.compileUnits()) {
        const e = this.entryFor(u);
        if (e) this.all.push(e);
      }
    }
    return this.all;
  }

  private entryFor(unit: Unit): TableEntry | undefined {
    this.reader.rootDie(unit);
    const offset = unit.stmtList;
    if (offset === undefined) return undefined;
    const cached = this.byOffset.get(offset);
    if (cached !== undefined) return cached ?? undefined;
    let entry: TableEntry | null = null;
    try {
      const table = readLineTable(this.reader.sections.line, offset, {
        compDir: unit.compDir,
        unitName: unit.name,
        addressSize: unit.header.addressSize,
        string: (v) => this.reader.string(v, unit),
      });
      if (table.error) this.problems.add(table.error);
      const pathToFiles = new Map<string, number[]>();
      table.header.files.forEach((f, i) => {
        if (!f) return;
        const list = pathToFiles.get(f.path);
        if (list) list.push(i); else pathToFiles.set(f.path, [i]);
      });
      entry = { unit, table, pathToFiles };
    } catch (err) {
      if (!(err instanceof SymbolsError)) throw err;
      this.problems.add(err.message);
    }
    this.byOffset.set(offset, entry);
    return entry ?? undefined;
  }
}

/** The row in effect at `addr`: the last row at or before it, preferring an is_stmt row at that address. */
export function rowAt(table: LineTable, addr: bigint): LineRow | undefined {
  for (const seq of table.sequences) {
    if (addr < seq.low || addr >= seq.high) continue;
    let lo = seq.first;
    let hi = seq.last;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (table.rows[mid].address <= addr) { idx = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (idx < 0) continue;
    let pick = table.rows[idx];
    if (pick.endSequence) continue;
    for (let i = idx; i >= seq.first && table.rows[i].address === pick.address; i--) {
      if (table.rows[i].isStmt && !table.rows[i].endSequence) { pick = table.rows[i]; break; }
    }
    return pick;
  }
  return undefined;
}

function splitPath(p: string): string[] {
  return p.split(/[\\/]+/).filter(Boolean);
}

function commonSuffix(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}
