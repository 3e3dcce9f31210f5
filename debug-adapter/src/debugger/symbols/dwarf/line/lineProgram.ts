// Runs a .debug_line state machine (standard, extended and special opcodes) and returns its rows.
import { ByteReader } from '../../byteReader';
import { SymbolsError, hex } from '../../errors';
import { DW_LNE, DW_LNS } from '../constants';
import { LineHeader, LineHeaderContext, defineFile, parseLineHeader } from './lineHeader';

export interface LineRow {
  /** Unbiased file address. */
  address: bigint;
  opIndex: number;
  file: number;
  line: number;
  column: number;
  isStmt: boolean;
  basicBlock: boolean;
  endSequence: boolean;
  prologueEnd: boolean;
  epilogueBegin: boolean;
  isa: number;
  discriminator: number;
}

/** A run of rows with increasing addresses, closed by an end_sequence row. */
export interface LineSequence {
  low: bigint;
  /** Address of the end_sequence row: first address after the sequence. */
  high: bigint;
  /** Index of the first row and of the end_sequence row in `rows`. */
  first: number;
  last: number;
}

export interface LineTable {
  header: LineHeader;
  rows: LineRow[];
  sequences: LineSequence[];
  /** Set when the program stopped early; rows decoded before the fault are kept. */
  error?: string;
}

export function readLineTable(bytes: Uint8Array, offset: number, ctx: LineHeaderContext): LineTable {
  const header = parseLineHeader(bytes, offset, ctx);
  return runLineProgram(bytes, header, ctx);
}

export function runLineProgram(bytes: Uint8Array, h: LineHeader, ctx: LineHeaderContext): LineTable {
  const r = new ByteReader(bytes, '.debug_line', h.programStart, h.end);
  const rows: LineRow[] = [];
  const sequences: LineSequence[] = [];
  const addrMask = (1n << BigInt(8 * (h.addressSize || 8))) - 1n;
  const minInst = BigInt(h.minInstLength);
  const maxOps = h.maxOpsPerInst;
  let seqStart = 0;

  let s = initialState(h);
  // DWARF's VLIW-aware advance; with max_ops_per_inst = 1 this is address += adv * min_inst_length.
  const advance = (operationAdvance: number) => {
    if (maxOps === 1) {
      s.address = (s.address + minInst * BigInt(operationAdvance)) & addrMask;
    } else {
      const total = s.opIndex + operationAdvance;
      s.address = (s.address + minInst * BigInt(Math.floor(total / maxOps))) & addrMask;
      s.opIndex = total % maxOps;
    }
  };
  const emit = () => {
    rows.push({ ...s });
    s.basicBlock = false;
    s.prologueEnd = false;
    s.epilogueBegin = false;
    s.discriminator = 0;
  };

  let error: string | undefined;
  try {
    while (!r.atEnd) {
      const op = r.u8();
      if (op >= h.opcodeBase) {
        const adjusted = op - h.opcodeBase;
        advance(Math.floor(adjusted / h.lineRange));
        s.line += h.lineBase + (adjusted % h.lineRange);
        emit();
        continue;
      }
      switch (op) {
        case 0: {
          const len = r.ulebNum();
          if (len === 0) break;
          const ext = r.sub(len);
          const sub = ext.u8();
          switch (sub) {
            case DW_LNE.end_sequence:
              s.endSequence = true;
              emit();
              sequences.push({ low: rows[seqStart].address, high: s.address, first: seqStart, last: rows.length - 1 });
              seqStart = rows.length;
              s = initialState(h);
              break;
            case DW_LNE.set_address:
              s.address = ext.uint(Math.min(len - 1, 8) as 1 | 2 | 4 | 8);
              s.opIndex = 0;
              break;
            case DW_LNE.define_file: {
              const name = ext.cstring();
              const dir = ext.ulebNum();
              defineFile(h, ctx, name, dir);
              break;
            }
            case DW_LNE.set_discriminator:
              s.discriminator = ext.ulebNum();
              break;
            default:
              break; // vendor extension: its length lets us skip it
          }
          break;
        }
        case DW_LNS.copy: emit(); break;
        case DW_LNS.advance_pc: advance(r.ulebNum()); break;
        case DW_LNS.advance_line: s.line += r.slebNum(); break;
        case DW_LNS.set_file: s.file = r.ulebNum(); break;
        case DW_LNS.set_column: s.column = r.ulebNum(); break;
        case DW_LNS.negate_stmt: s.isStmt = !s.isStmt; break;
        case DW_LNS.set_basic_block: s.basicBlock = true; break;
        case DW_LNS.const_add_pc: advance(Math.floor((255 - h.opcodeBase) / h.lineRange)); break;
        case DW_LNS.fixed_advance_pc: s.address = (s.address + BigInt(r.u16())) & addrMask; s.opIndex = 0; break;
        case DW_LNS.set_prologue_end: s.prologueEnd = true; break;
        case DW_LNS.set_epilogue_begin: s.epilogueBegin = true; break;
        case DW_LNS.set_isa: s.isa = r.ulebNum(); break;
        default: {
          // An opcode this reader does not know: the header says how many ULEB operands to skip.
          const n = h.standardOpcodeLengths[op - 1] ?? 0;
          for (let i = 0; i < n; i++) r.uleb();
        }
      }
    }
  } catch (err) {
    if (!(err instanceof SymbolsError)) throw err;
    error = err.message;
  }
  if (seqStart < rows.length) {
    // A sequence without end_sequence (truncated data): keep it, ending at its last row.
    const last = rows[rows.length - 1];
    sequences.push({ low: rows[seqStart].address, high: last.address, first: seqStart, last: rows.length - 1 });
    error ??= `.debug_line: unit at ${hex(h.offset)} ends without end_sequence`;
  }
  return { header: h, rows, sequences, error };
}

function initialState(h: LineHeader): LineRow {
  return {
    address: 0n, opIndex: 0, file: 1, line: 1, column: 0, isStmt: h.defaultIsStmt, basicBlock: false,
    endSequence: false, prologueEnd: false, epilogueBegin: false, isa: 0, discriminator: 0,
  };
}
