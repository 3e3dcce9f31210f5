// Finds the unit, the concrete function and the inlined-call chain covering a code address.
import { ProblemLog } from '../errors';
import { ArangeEntry, parseAranges } from './aranges';
import { numberOf } from './attrValue';
import { DwarfReader } from './dwarfReader';
import { AddressRange, dieRanges, rangesContain } from './ranges';
import { DW_AT, DW_TAG } from './tagsAndAttributes';
import { Die, Unit } from './unit';

interface UnitRange {
  low: bigint;
  high: bigint;
  unit: Unit;
}

interface FunctionEntry {
  die: Die;
  ranges: AddressRange[];
  low: bigint;
  /** Total bytes covered: the smallest containing function is the innermost one. */
  span: bigint;
}

/** Scope DIEs the function walk descends through to find nested definitions. */
const CONTAINERS = new Set<number>([DW_TAG.namespace, DW_TAG.structure_type, DW_TAG.class_type, DW_TAG.union_type, DW_TAG.module]);

export class FunctionIndex {
  private unitRanges: UnitRange[] | undefined;
  private maxHigh: bigint[] = [];
  private readonly functions = new Map<Unit, FunctionEntry[]>();

  constructor(
    private readonly reader: DwarfReader,
    private readonly problems: ProblemLog,
    /** Address ranges of a unit's line table, for units that state no ranges of their own. */
    private readonly lineRangesOf: (unit: Unit) => AddressRange[],
  ) {}

  /** Units whose code covers `addr` (usually exactly one). */
  unitsAt(addr: bigint): Unit[] {
    const ranges = this.ranges();
    let lo = 0;
    let hi = ranges.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid].low <= addr) { idx = mid; lo = mid + 1; } else hi = mid - 1;
    }
    const out: Unit[] = [];
    for (let i = idx; i >= 0 && this.maxHigh[i] > addr; i--) {
      const r = ranges[i];
      if (addr < r.high && !out.includes(r.unit)) out.push(r.unit);
    }
    return out;
  }

  /** The innermost concrete subprogram DIE whose code covers `addr`. */
  functionAt(addr: bigint): { die: Die; ranges: AddressRange[] } | undefined {
    for (const unit of this.unitsAt(addr)) {
      let best: FunctionEntry | undefined;
      for (const f of this.functionsOf(unit)) {
        if (f.low > addr) break;
        if (rangesContain(f.ranges, addr) && (!best || f.span < best.span)) best = f;
      }
      if (best) return { die: best.die, ranges: best.ranges };
    }
    return undefined;
  }

  /** Every concrete function of a unit, sorted by lowest address. */
  functionsOf(unit: Unit): FunctionEntry[] {
    let list = this.functions.get(unit);
    if (list) return list;
    list = [];
    const root = this.reader.root(unit);
    if (root) {
      const stack: Die[] = [root];
      while (stack.length > 0) {
        const d = stack.pop()!;
        for (const c of d.children) {
          if (c.tag === DW_TAG.subprogram) {
            const ranges = dieRanges(this.reader, c);
            if (ranges.length > 0) {
              let span = 0n;
              for (const r of ranges) span += r.high - r.low;
              list.push({ die: c, ranges, low: ranges.reduce((m, r) => (r.low < m ? r.low : m), ranges[0].low), span });
            }
            stack.push(c); // nested functions (GNU C) and local classes
          } else if (CONTAINERS.has(c.tag) || c.tag === DW_TAG.lexical_block) {
            stack.push(c);
          }
        }
      }
    }
    list.sort((a, b) => (a.low < b.low ? -1 : a.low > b.low ? 1 : 0));
    this.functions.set(unit, list);
    return list;
  }

  /**
   * Inlined calls covering `addr` inside a function, outermost first. Lexical blocks are walked
   * through; nested subprograms are not.
   */
  inlineChain(fn: Die, addr: bigint): Die[] {
    const chain: Die[] = [];
    let scope = fn;
    for (let guard = 0; guard < 256; guard++) {
      const next = findInlined(this.reader, scope, addr);
      if (!next) break;
      chain.push(next);
      scope = next;
    }
    return chain;
  }

  /** Units with their address ranges: .debug_aranges first, then the unit DIE, then its line table. */
  private ranges(): UnitRange[] {
    if (this.unitRanges) return this.unitRanges;
    const out: UnitRange[] = [];
    const byOffset = new Map<number, ArangeEntry[]>();
    for (const a of parseAranges(this.reader.sections.aranges, this.problems)) {
      const list = byOffset.get(a.unitOffset);
      if (list) list.push(a); else byOffset.set(a.unitOffset, [a]);
    }
    for (const unit of this.reader.compileUnits()) {
      let ranges: AddressRange[] = byOffset.get(unit.offset) ?? [];
      if (ranges.length === 0) {
        const root = this.reader.rootDie(unit);
        if (root) ranges = dieRanges(this.reader, root);
      }
      if (ranges.length === 0) ranges = this.lineRangesOf(unit);
      for (const r of ranges) out.push({ low: r.low, high: r.high, unit });
    }
    out.sort((a, b) => (a.low < b.low ? -1 : a.low > b.low ? 1 : 0));
    let running = -1n;
    this.maxHigh = out.map((r) => (running = r.high > running ? r.high : running));
    this.unitRanges = out;
    return out;
  }
}

function findInlined(reader: DwarfReader, scope: Die, addr: bigint): Die | undefined {
  const stack: Die[] = [...scope.children];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (d.tag === DW_TAG.inlined_subroutine) {
      if (rangesContain(dieRanges(reader, d), addr)) return d;
    } else if (d.tag === DW_TAG.lexical_block) {
      const r = dieRanges(reader, d);
      if (r.length === 0 || rangesContain(r, addr)) stack.push(...d.children);
    }
  }
  return undefined;
}

/** DW_AT_call_line / call_column of an inlined call. */
export function callSite(die: Die): { line?: number; column?: number; file?: number } {
  return {
    line: numberOf(die.attr(DW_AT.call_line)),
    column: numberOf(die.attr(DW_AT.call_column)),
    file: numberOf(die.attr(DW_AT.call_file)),
  };
}
