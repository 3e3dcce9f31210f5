// Parameters, locals (through lexical blocks) and unit globals of a scope, with locations resolved for a pc.
import { ProblemLog } from '../errors';
import { numberOf, signedConstantOf } from './attrValue';
import { isSignedEncoding } from './constants';
import { DwarfReader } from './dwarfReader';
import { isLocationList, locationAt, readLocationList } from './locLists';
import { dieRanges, rangesContain } from './ranges';
import { DW_AT, DW_TAG } from './tagsAndAttributes';
import { TypeBuilder } from './typeBuilder';
import { DwarfType, stripTypedefs } from './types';
import { Die } from './unit';

/** Where a variable lives, already narrowed to one pc when it came from a location list. */
export type LocationDesc =
  /** A DWARF expression to evaluate; `unitOffset` names the unit whose address table it may use. */
  | { kind: 'expr'; expr: Uint8Array; addressSize: 4 | 8; offsetSize: 4 | 8; unitOffset: number }
  /** DW_AT_const_value: an integer, or raw bytes for blocks and strings. */
  | { kind: 'const'; value: bigint | Uint8Array }
  | { kind: 'optimizedOut' };

export interface Variable {
  name: string;
  type: DwarfType;
  location: LocationDesc;
  declFile?: string;
  declLine?: number;
  role: 'param' | 'local' | 'global';
  /** Lexical-block depth below the function body (0 = body); inner variables shadow outer ones. */
  scopeDepth: number;
  /** A declaration whose definition lives in another unit; its location is unknown here. */
  declarationOnly?: boolean;
  /** Offset of the describing DIE in .debug_info (a stable key). */
  dieOffset: number;
}

export interface ScopeVariables {
  params: Variable[];
  locals: Variable[];
}

export class VariableReader {
  constructor(
    private readonly reader: DwarfReader,
    private readonly types: TypeBuilder,
    private readonly problems: ProblemLog,
    /** Absolute path of a unit's file number (decl_file). */
    private readonly fileName: (die: Die, index: number | undefined) => string | undefined,
  ) {}

  /**
   * Parameters and locals visible at `pc` (unbiased) in a subprogram or inlined-subroutine DIE.
   * Locals come from lexical blocks containing `pc`, innermost block first; inlined calls and
   * nested functions are separate scopes and are not entered.
   */
  scope(scopeDie: Die, pc: bigint): ScopeVariables {
    const params: Variable[] = [];
    const locals: Variable[] = [];
    const seenOrigins = new Set<number>();
    const originOf = new Map<Variable, number>();
    const walk = (d: Die, depth: number) => {
      for (const c of d.children) {
        if (c.tag === DW_TAG.formal_parameter && depth === 0) {
          const v = this.variable(c, pc, 'param', 0);
          params.push(v);
          const origin = this.reader.ref(c.attr(DW_AT.abstract_origin), c);
          if (origin) {
            seenOrigins.add(origin.offset);
            originOf.set(v, origin.offset);
          }
        } else if (c.tag === DW_TAG.variable) {
          if (c.attr(DW_AT.declaration) && !c.attr(DW_AT.location)) continue;
          locals.push(this.variable(c, pc, 'local', depth));
        } else if (c.tag === DW_TAG.lexical_block) {
          const r = dieRanges(this.reader, c);
          if (r.length === 0 || rangesContain(r, pc)) walk(c, depth + 1);
        }
      }
    };
    walk(scopeDie, 0);
    // Parameters the optimiser dropped entirely appear only in the abstract instance.
    const abstract = this.reader.ref(scopeDie.attr(DW_AT.abstract_origin), scopeDie);
    if (abstract) {
      const order = new Map<number, number>();
      abstract.children.forEach((c, i) => {
        if (c.tag !== DW_TAG.formal_parameter) return;
        order.set(c.offset, i);
        if (!seenOrigins.has(c.offset)) {
          const v = this.variable(c, pc, 'param', 0);
          v.location = { kind: 'optimizedOut' };
          params.push(v);
          originOf.set(v, c.offset);
        }
      });
      // Declaration order, as the abstract instance lists them.
      const rank = (v: Variable) => order.get(originOf.get(v) ?? -1) ?? Number.MAX_SAFE_INTEGER;
      params.sort((x, y) => rank(x) - rank(y));
    }
    locals.sort((a, b) => b.scopeDepth - a.scopeDepth);
    return { params, locals };
  }

  /** Variables defined at unit level (globals and file statics). */
  globals(root: Die): Variable[] {
    const defined = new Set<number>();
    const out: Variable[] = [];
    for (const c of root.children) {
      if (c.tag !== DW_TAG.variable || c.attr(DW_AT.declaration)) continue;
      const spec = this.reader.ref(c.attr(DW_AT.specification), c);
      if (spec) defined.add(spec.offset);
      out.push(this.variable(c, undefined, 'global', 0));
    }
    for (const c of root.children) {
      if (c.tag === DW_TAG.variable && c.attr(DW_AT.declaration) && !defined.has(c.offset)) {
        const v = this.variable(c, undefined, 'global', 0);
        v.declarationOnly = true;
        out.push(v);
      }
    }
    return out;
  }

  variable(die: Die, pc: bigint | undefined, role: Variable['role'], scopeDepth: number): Variable {
    const type = this.types.typeOfAttr(die);
    const declFile = this.reader.inherited(die, DW_AT.decl_file);
    const declLine = this.reader.inherited(die, DW_AT.decl_line);
    const v: Variable = {
      name: this.reader.name(die) ?? '<anonymous>',
      type,
      location: this.location(die, pc, type),
      role,
      scopeDepth,
      dieOffset: die.offset,
    };
    const file = declFile ? this.fileName(declFile.owner, numberOf(declFile.value)) : undefined;
    if (file !== undefined) v.declFile = file;
    const line = declLine ? numberOf(declLine.value) : undefined;
    if (line !== undefined) v.declLine = line;
    return v;
  }

  /**
   * A location-valued attribute (DW_AT_location, DW_AT_frame_base) of `die`: the expression, or
   * the list entry in effect at `pc`. Undefined when the attribute is absent or not a location.
   */
  locationAttr(die: Die, at: number, pc: bigint | undefined): LocationDesc | undefined {
    const h = die.unit.header;
    const exprDesc = (expr: Uint8Array): LocationDesc =>
      ({ kind: 'expr', expr, addressSize: h.addressSize === 4 ? 4 : 8, offsetSize: h.offsetSize, unitOffset: h.offset });
    const loc = die.attr(at);
    if (!loc) return undefined;
    if (loc.kind === 'exprloc' || loc.kind === 'block') return loc.bytes.length ? exprDesc(loc.bytes) : { kind: 'optimizedOut' };
    if (isLocationList(loc)) {
      if (pc === undefined) return { kind: 'optimizedOut' };
      const entries = this.problems.guard(() => readLocationList(this.reader, die.unit, loc), []);
      const expr = locationAt(entries, pc);
      return expr && expr.length ? exprDesc(expr) : { kind: 'optimizedOut' };
    }
    return undefined;
  }

  /** DW_AT_location (an expression, or the list entry for `pc`) or DW_AT_const_value. */
  location(die: Die, pc: bigint | undefined, type: DwarfType): LocationDesc {
    const fromLocation = this.locationAttr(die, DW_AT.location, pc);
    if (fromLocation) return fromLocation;
    const cv = this.reader.inherited(die, DW_AT.const_value)?.value;
    if (cv) {
      if (cv.kind === 'block' || cv.kind === 'exprloc' || cv.kind === 'data16') return { kind: 'const', value: cv.bytes };
      if (cv.kind === 'string' || cv.kind === 'strp' || cv.kind === 'strx') {
        const s = this.reader.string(cv, die.unit) ?? '';
        return { kind: 'const', value: new Uint8Array([...new TextEncoder().encode(s), 0]) };
      }
      const stripped = stripTypedefs(type);
      const signed = (stripped.kind === 'base' && isSignedEncoding(stripped.encoding)) || (stripped.kind === 'enum' && stripped.signed);
      const value = signed ? signedConstantOf(cv) : cv.kind === 'udata' || cv.kind === 'sdata' ? cv.value : undefined;
      if (value !== undefined) return { kind: 'const', value };
    }
    return { kind: 'optimizedOut' };
  }
}
