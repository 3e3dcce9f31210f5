// DW_OP opcode numbers, their operand layouts, and a decoder shared by the evaluator and the formatter.
import { ByteReader } from '../../byteReader';
import { SymbolsError, hex } from '../../errors';

export const DW_OP = {
  addr: 0x03, deref: 0x06, const1u: 0x08, const1s: 0x09, const2u: 0x0a, const2s: 0x0b, const4u: 0x0c,
  const4s: 0x0d, const8u: 0x0e, const8s: 0x0f, constu: 0x10, consts: 0x11, dup: 0x12, drop: 0x13, over: 0x14,
  pick: 0x15, swap: 0x16, rot: 0x17, xderef: 0x18, abs: 0x19, and: 0x1a, div: 0x1b, minus: 0x1c, mod: 0x1d,
  mul: 0x1e, neg: 0x1f, not: 0x20, or: 0x21, plus: 0x22, plus_uconst: 0x23, shl: 0x24, shr: 0x25, shra: 0x26,
  xor: 0x27, bra: 0x28, eq: 0x29, ge: 0x2a, gt: 0x2b, le: 0x2c, lt: 0x2d, ne: 0x2e, skip: 0x2f,
  lit0: 0x30, lit31: 0x4f, reg0: 0x50, reg31: 0x6f, breg0: 0x70, breg31: 0x8f,
  regx: 0x90, fbreg: 0x91, bregx: 0x92, piece: 0x93, deref_size: 0x94, xderef_size: 0x95, nop: 0x96,
  push_object_address: 0x97, call2: 0x98, call4: 0x99, call_ref: 0x9a, form_tls_address: 0x9b,
  call_frame_cfa: 0x9c, bit_piece: 0x9d, implicit_value: 0x9e, stack_value: 0x9f, implicit_pointer: 0xa0,
  addrx: 0xa1, constx: 0xa2, entry_value: 0xa3, const_type: 0xa4, regval_type: 0xa5, deref_type: 0xa6,
  xderef_type: 0xa7, convert: 0xa8, reinterpret: 0xa9,
  GNU_push_tls_address: 0xe0, GNU_uninit: 0xf0, GNU_encoded_addr: 0xf1, GNU_implicit_pointer: 0xf2,
  GNU_entry_value: 0xf3, GNU_const_type: 0xf4, GNU_regval_type: 0xf5, GNU_deref_type: 0xf6, GNU_convert: 0xf7,
  GNU_reinterpret: 0xf9, GNU_parameter_ref: 0xfa, GNU_addr_index: 0xfb, GNU_const_index: 0xfc,
  GNU_variable_value: 0xfd,
} as const;

/** How each operand is encoded. `block` is a ULEB length then bytes; `typedConst` a ULEB type, a 1-byte length, bytes. */
type Operand = 'addr' | 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u64' | 'i64' | 'uleb' | 'sleb' | 'offset' | 'block' | 'typedConst';

const OPERANDS = new Map<number, Operand[]>([
  [DW_OP.addr, ['addr']], [DW_OP.const1u, ['u8']], [DW_OP.const1s, ['i8']], [DW_OP.const2u, ['u16']],
  [DW_OP.const2s, ['i16']], [DW_OP.const4u, ['u32']], [DW_OP.const4s, ['i32']], [DW_OP.const8u, ['u64']],
  [DW_OP.const8s, ['i64']], [DW_OP.constu, ['uleb']], [DW_OP.consts, ['sleb']], [DW_OP.pick, ['u8']],
  [DW_OP.plus_uconst, ['uleb']], [DW_OP.bra, ['i16']], [DW_OP.skip, ['i16']], [DW_OP.regx, ['uleb']],
  [DW_OP.fbreg, ['sleb']], [DW_OP.bregx, ['uleb', 'sleb']], [DW_OP.piece, ['uleb']], [DW_OP.deref_size, ['u8']],
  [DW_OP.xderef_size, ['u8']], [DW_OP.call2, ['u16']], [DW_OP.call4, ['u32']], [DW_OP.call_ref, ['offset']],
  [DW_OP.bit_piece, ['uleb', 'uleb']], [DW_OP.implicit_value, ['block']], [DW_OP.implicit_pointer, ['offset', 'sleb']],
  [DW_OP.addrx, ['uleb']], [DW_OP.constx, ['uleb']], [DW_OP.entry_value, ['block']],
  [DW_OP.const_type, ['uleb', 'typedConst']], [DW_OP.regval_type, ['uleb', 'uleb']],
  [DW_OP.deref_type, ['u8', 'uleb']], [DW_OP.xderef_type, ['u8', 'uleb']], [DW_OP.convert, ['uleb']],
  [DW_OP.reinterpret, ['uleb']], [DW_OP.GNU_implicit_pointer, ['offset', 'sleb']], [DW_OP.GNU_entry_value, ['block']],
  [DW_OP.GNU_const_type, ['uleb', 'typedConst']], [DW_OP.GNU_regval_type, ['uleb', 'uleb']],
  [DW_OP.GNU_deref_type, ['u8', 'uleb']], [DW_OP.GNU_convert, ['uleb']], [DW_OP.GNU_reinterpret, ['uleb']],
  [DW_OP.GNU_parameter_ref, ['u32']], [DW_OP.GNU_addr_index, ['uleb']], [DW_OP.GNU_const_index, ['uleb']],
  [DW_OP.GNU_variable_value, ['offset']],
]);
for (let i = 0; i < 32; i++) OPERANDS.set(DW_OP.breg0 + i, ['sleb']);

/** Opcodes with no operands that the decoder accepts. */
const NO_OPERANDS = new Set<number>([
  DW_OP.deref, DW_OP.dup, DW_OP.drop, DW_OP.over, DW_OP.swap, DW_OP.rot, DW_OP.xderef, DW_OP.abs, DW_OP.and,
  DW_OP.div, DW_OP.minus, DW_OP.mod, DW_OP.mul, DW_OP.neg, DW_OP.not, DW_OP.or, DW_OP.plus, DW_OP.shl, DW_OP.shr,
  DW_OP.shra, DW_OP.xor, DW_OP.eq, DW_OP.ge, DW_OP.gt, DW_OP.le, DW_OP.lt, DW_OP.ne, DW_OP.nop,
  DW_OP.push_object_address, DW_OP.form_tls_address, DW_OP.call_frame_cfa, DW_OP.stack_value,
  DW_OP.GNU_push_tls_address, DW_OP.GNU_uninit,
]);

const NAMES = new Map<number, string>();
for (const [k, v] of Object.entries(DW_OP)) if (!/^(lit|reg|breg)(0|31)$/.test(k)) NAMES.set(v, 'DW_OP_' + k);
for (let i = 0; i < 32; i++) {
  NAMES.set(DW_OP.lit0 + i, `DW_OP_lit${i}`);
  NAMES.set(DW_OP.reg0 + i, `DW_OP_reg${i}`);
  NAMES.set(DW_OP.breg0 + i, `DW_OP_breg${i}`);
}

export function opName(op: number): string {
  return NAMES.get(op) ?? `DW_OP_0x${op.toString(16)}`;
}

export interface DecodedOp {
  op: number;
  /** Offset of the opcode byte within the expression. */
  offset: number;
  /** Integer operands as bigint; block operands as bytes. */
  operands: (bigint | Uint8Array)[];
  /** Offset of the next operation. */
  next: number;
}

export interface ExprEncoding {
  addressSize: number;
  /** 4 or 8: the unit's DWARF offset size (DW_OP_call_ref, implicit_pointer). */
  offsetSize?: 4 | 8;
}

/** Decodes the operation at `r.pos`; throws SymbolsError on unknown opcodes or truncation. */
export function decodeOp(r: ByteReader, enc: ExprEncoding): DecodedOp {
  const offset = r.pos;
  const op = r.u8();
  const operands: (bigint | Uint8Array)[] = [];
  const isSimple = (op >= DW_OP.lit0 && op <= DW_OP.lit31) || (op >= DW_OP.reg0 && op <= DW_OP.reg31) || NO_OPERANDS.has(op);
  if (!isSimple) {
    const layout = OPERANDS.get(op);
    if (!layout) throw new SymbolsError(`DWARF expression: unknown operation ${hex(op)} at offset ${offset}`);
    for (const kind of layout) operands.push(readOperand(r, kind, enc));
  }
  return { op, offset, operands, next: r.pos };
}

function readOperand(r: ByteReader, kind: Operand, enc: ExprEncoding): bigint | Uint8Array {
  switch (kind) {
    case 'addr': return r.uint(enc.addressSize);
    case 'u8': return BigInt(r.u8());
    case 'i8': return BigInt(r.i8());
    case 'u16': return BigInt(r.u16());
    case 'i16': return BigInt(r.i16());
    case 'u32': return BigInt(r.u32());
    case 'i32': return BigInt(r.i32());
    case 'u64': return r.u64();
    case 'i64': return r.i64();
    case 'uleb': return r.uleb();
    case 'sleb': return r.sleb();
    case 'offset': return r.uint(enc.offsetSize ?? 4);
    case 'block': return r.bytesView(r.ulebNum());
    case 'typedConst': return r.bytesView(r.u8());
  }
}

/** Every operation of an expression in order. */
export function decodeExpression(expr: Uint8Array, enc: ExprEncoding): DecodedOp[] {
  const r = new ByteReader(expr, 'DWARF expression');
  const ops: DecodedOp[] = [];
  while (!r.atEnd) ops.push(decodeOp(r, enc));
  return ops;
}
