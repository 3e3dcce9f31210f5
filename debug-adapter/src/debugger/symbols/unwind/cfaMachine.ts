// Executes call frame instructions (CIE initial + FDE) into the unwind rule rows of a function.
import { ByteReader } from '../byteReader';
import { SymbolsError, hex } from '../errors';
import {
  DW_CFA, DW_CFA_OPERAND_MASK, DW_CFA_PRIMARY_MASK, DW_CFA_advance_loc, DW_CFA_offset, DW_CFA_restore,
} from './cfaOpcodes';
import { Cie, Fde } from './cfiParser';
import { readEncodedPointer } from './pointerEncoding';

export type CfaRule =
  | { kind: 'regOffset'; reg: number; offset: bigint }
  | { kind: 'expression'; expr: Uint8Array };

export type RegisterRule =
  | { kind: 'undefined' }
  | { kind: 'sameValue' }
  /** Saved at CFA + offset. */
  | { kind: 'offset'; offset: bigint }
  /** The value is CFA + offset. */
  | { kind: 'valOffset'; offset: bigint }
  | { kind: 'register'; reg: number }
  /** Saved at the address the expression computes (CFA pushed first). */
  | { kind: 'expression'; expr: Uint8Array }
  /** The value is what the expression computes (CFA pushed first). */
  | { kind: 'valExpression'; expr: Uint8Array };

export interface UnwindRow {
  /** First address (unbiased) the row applies to. */
  loc: bigint;
  cfa: CfaRule;
  /** Rules by DWARF register number; registers absent here have no rule. */
  regs: Map<number, RegisterRule>;
  /** DW_CFA_GNU_args_size in effect, if any. */
  argsSize?: bigint;
}

/** Bounds for corrupt data: remembered states nest shallowly in real code. */
const MAX_REMEMBER_DEPTH = 64;

interface State {
  cfa: CfaRule;
  regs: Map<number, RegisterRule>;
  argsSize?: bigint;
}

/** Rows of an FDE in address order; the last row extends to the FDE's end. */
export function unwindRows(fde: Fde): UnwindRow[] {
  const cie = fde.cie;
  const initial = execute(cie, cie.initialInstructions, 0, undefined, fde.pcLow, undefined);
  return execute(cie, fde.instructions, fde.instructionsOffset, initial.state, fde.pcLow, fde).rows;
}

/** Rows are recomputed often during stepping; an FDE's rows never change. */
const rowCache = new WeakMap<Fde, UnwindRow[]>();

/** The row in effect at `pc` (unbiased), or undefined when `pc` is outside the FDE. */
export function rowForPc(fde: Fde, pc: bigint): UnwindRow | undefined {
  if (pc < fde.pcLow || pc >= fde.pcHigh) return undefined;
  let rows = rowCache.get(fde);
  if (!rows) {
    rows = unwindRows(fde);
    rowCache.set(fde, rows);
  }
  let pick: UnwindRow | undefined;
  for (const row of rows) {
    if (row.loc <= pc) pick = row;
    else break;
  }
  return pick;
}

function cloneState(s: State): State {
  return { cfa: s.cfa, regs: new Map(s.regs), ...(s.argsSize !== undefined ? { argsSize: s.argsSize } : {}) };
}

function execute(cie: Cie, code: Uint8Array, codeOffset: number, initial: State | undefined, start: bigint, fde: Fde | undefined): { rows: UnwindRow[]; state: State } {
  const what = cie.source.kind === 'eh_frame' ? '.eh_frame' : '.debug_frame';
  const r = new ByteReader(code, `${what} instructions`);
  let state: State = initial ? cloneState(initial) : { cfa: { kind: 'regOffset', reg: 0, offset: 0n }, regs: new Map() };
  const initialRegs = initial?.regs ?? new Map<number, RegisterRule>();
  const stack: State[] = [];
  const rows: UnwindRow[] = [];
  let loc = start;
  const mask = (1n << BigInt(cie.addressSize * 8)) - 1n;

  const advanceTo = (next: bigint) => {
    if (!fde) return; // CIE initial instructions cannot move the location
    rows.push({ loc, ...cloneState(state) });
    loc = next & mask;
  };
  const restore = (reg: number) => {
    const rule = initialRegs.get(reg);
    if (rule) state.regs.set(reg, rule); else state.regs.delete(reg);
  };
  const factored = (v: bigint) => v * cie.dataAlign;

  while (!r.atEnd) {
    const op = r.u8();
    const primary = op & DW_CFA_PRIMARY_MASK;
    const low = op & DW_CFA_OPERAND_MASK;
    if (primary === DW_CFA_advance_loc) { advanceTo(loc + BigInt(low) * cie.codeAlign); continue; }
    if (primary === DW_CFA_offset) { state.regs.set(low, { kind: 'offset', offset: factored(r.uleb()) }); continue; }
    if (primary === DW_CFA_restore) { restore(low); continue; }
    switch (op) {
      case DW_CFA.nop: break;
      case DW_CFA.set_loc: {
        const next = cie.source.kind === 'eh_frame'
          ? readEncodedPointer(new ByteReader(code, r.what, r.pos), cie.fdeEncoding, { ...cie.source.bases, addressSize: cie.addressSize, sectionAddr: cie.source.bases.sectionAddr + BigInt(codeOffset) })
          : { value: r.uint(cie.addressSize), indirect: false };
        if (cie.source.kind === 'eh_frame') skipEncoded(r, cie.fdeEncoding, cie.addressSize);
        advanceTo(next?.value ?? loc);
        break;
      }
      case DW_CFA.advance_loc1: advanceTo(loc + BigInt(r.u8()) * cie.codeAlign); break;
      case DW_CFA.advance_loc2: advanceTo(loc + BigInt(r.u16()) * cie.codeAlign); break;
      case DW_CFA.advance_loc4: advanceTo(loc + BigInt(r.u32()) * cie.codeAlign); break;
      case DW_CFA.offset_extended: { const reg = r.ulebNum(); state.regs.set(reg, { kind: 'offset', offset: factored(r.uleb()) }); break; }
      case DW_CFA.offset_extended_sf: { const reg = r.ulebNum(); state.regs.set(reg, { kind: 'offset', offset: factored(r.sleb()) }); break; }
      case DW_CFA.GNU_negative_offset_extended: { const reg = r.ulebNum(); state.regs.set(reg, { kind: 'offset', offset: -factored(r.uleb()) }); break; }
      case DW_CFA.restore_extended: restore(r.ulebNum()); break;
      case DW_CFA.undefined: state.regs.set(r.ulebNum(), { kind: 'undefined' }); break;
      case DW_CFA.same_value: state.regs.set(r.ulebNum(), { kind: 'sameValue' }); break;
      case DW_CFA.register: { const reg = r.ulebNum(); state.regs.set(reg, { kind: 'register', reg: r.ulebNum() }); break; }
      case DW_CFA.remember_state:
        if (stack.length >= MAX_REMEMBER_DEPTH) throw new SymbolsError(`${what}: remember_state nested deeper than ${MAX_REMEMBER_DEPTH}`);
        stack.push(cloneState(state));
        break;
      case DW_CFA.restore_state: {
        const prev = stack.pop();
        if (!prev) throw new SymbolsError(`${what}: restore_state without remember_state at ${hex(codeOffset + r.pos - 1)}`);
        // The CFA rule and args size are part of the remembered row, as unwinders in practice treat them.
        state = prev;
        break;
      }
      case DW_CFA.def_cfa: { const reg = r.ulebNum(); state.cfa = { kind: 'regOffset', reg, offset: r.uleb() }; break; }
      case DW_CFA.def_cfa_sf: { const reg = r.ulebNum(); state.cfa = { kind: 'regOffset', reg, offset: factored(r.sleb()) }; break; }
      case DW_CFA.def_cfa_register: {
        const reg = r.ulebNum();
        state.cfa = { kind: 'regOffset', reg, offset: state.cfa.kind === 'regOffset' ? state.cfa.offset : 0n };
        break;
      }
      case DW_CFA.def_cfa_offset: {
        const offset = r.uleb();
        state.cfa = { kind: 'regOffset', reg: state.cfa.kind === 'regOffset' ? state.cfa.reg : 0, offset };
        break;
      }
      case DW_CFA.def_cfa_offset_sf: {
        const offset = factored(r.sleb());
        state.cfa = { kind: 'regOffset', reg: state.cfa.kind === 'regOffset' ? state.cfa.reg : 0, offset };
        break;
      }
      case DW_CFA.def_cfa_expression: state.cfa = { kind: 'expression', expr: r.bytesView(r.ulebNum()) }; break;
      case DW_CFA.expression: { const reg = r.ulebNum(); state.regs.set(reg, { kind: 'expression', expr: r.bytesView(r.ulebNum()) }); break; }
      case DW_CFA.val_expression: { const reg = r.ulebNum(); state.regs.set(reg, { kind: 'valExpression', expr: r.bytesView(r.ulebNum()) }); break; }
      case DW_CFA.val_offset: { const reg = r.ulebNum(); state.regs.set(reg, { kind: 'valOffset', offset: factored(r.uleb()) }); break; }
      case DW_CFA.val_offset_sf: { const reg = r.ulebNum(); state.regs.set(reg, { kind: 'valOffset', offset: factored(r.sleb()) }); break; }
      case DW_CFA.GNU_args_size: state.argsSize = r.uleb(); break;
      case DW_CFA.GNU_window_save: break; // SPARC register windows: nothing to do on x86
      default:
        throw new SymbolsError(`${what}: unknown call frame instruction ${hex(op)} at ${hex(codeOffset + r.pos - 1)}`);
    }
  }
  rows.push({ loc, ...cloneState(state) });
  return { rows, state };
}

function skipEncoded(r: ByteReader, encoding: number, addressSize: 4 | 8): void {
  switch (encoding & 0x0f) {
    case 0x00: r.skip(addressSize); break;
    case 0x01: r.uleb(); break;
    case 0x02: case 0x0a: r.skip(2); break;
    case 0x03: case 0x0b: r.skip(4); break;
    case 0x04: case 0x0c: r.skip(8); break;
    case 0x09: r.sleb(); break;
    default: throw new SymbolsError(`${r.what}: pointer encoding ${hex(encoding)} has an unknown value format`);
  }
}
