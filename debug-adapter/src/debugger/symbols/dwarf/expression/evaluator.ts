// DWARF expression stack machine: turns a location expression into a memory, register or value location.
import { ByteReader } from '../../byteReader';
import { SymbolsError, hex } from '../../errors';
import { DW_OP, decodeOp, opName } from './opcodes';

/** A location that is not made of pieces. */
export type SimpleLocation =
  | { kind: 'memory'; address: bigint }
  | { kind: 'register'; reg: number }
  /** DW_OP_stack_value: the value itself, not where it lives. */
  | { kind: 'value'; value: bigint }
  /** DW_OP_implicit_value: literal bytes. */
  | { kind: 'implicit'; bytes: Uint8Array }
  | { kind: 'optimizedOut' }
  | { kind: 'unavailable'; reason: string };

export interface Piece {
  sizeBits: number;
  /** DW_OP_bit_piece offset within the piece's own location. */
  offsetBits: number;
  location: SimpleLocation;
}

export type LocationResult = SimpleLocation | { kind: 'composite'; pieces: Piece[] };

/** What the evaluator may ask of the stopped machine. Everything is optional; missing data makes the result unavailable. */
export interface ExpressionContext {
  addressSize: 4 | 8;
  offsetSize?: 4 | 8;
  /** A register by DWARF number (see dwarfRegisters.ts). */
  readReg?: (num: number) => bigint | undefined;
  readMemory?: (address: bigint, size: number) => Uint8Array | undefined;
  /** Value of the enclosing function's DW_AT_frame_base (for DW_OP_fbreg). */
  frameBase?: bigint;
  /** Canonical frame address from the unwinder (for DW_OP_call_frame_cfa). */
  cfa?: bigint;
  objectAddress?: bigint;
  /** Values pushed before the first operation (the CFA for DW_CFA_expression rules). */
  initialStack?: bigint[];
  /** Load bias added to DW_OP_addr and DW_OP_addrx results. */
  addressBias?: bigint;
  /** Entries of the unit's .debug_addr contribution (unbiased). */
  addrIndex?: (index: number) => bigint | undefined;
  /** Bound on executed operations, so a backward DW_OP_skip cannot hang the caller. */
  maxSteps?: number;
}

const DEFAULT_MAX_STEPS = 10_000;
const MAX_STACK = 1_000;

/** Missing runtime data (a register, memory, the frame base): the location exists but cannot be computed now. */
class Unavailable extends Error {}

export function evaluateLocation(expr: Uint8Array, ctx: ExpressionContext): LocationResult {
  if (expr.length === 0) return { kind: 'optimizedOut' };
  try {
    return run(expr, ctx);
  } catch (err) {
    if (err instanceof Unavailable) return { kind: 'unavailable', reason: err.message };
    throw err;
  }
}

/**
 * Evaluates an expression whose result is a number (CFA rules, DW_AT_frame_base through
 * DW_OP_call_frame_cfa, data member locations): the address or stack value it computes.
 */
export function evaluateToValue(expr: Uint8Array, ctx: ExpressionContext): bigint | undefined {
  const r = evaluateLocation(expr, ctx);
  if (r.kind === 'memory') return r.address;
  if (r.kind === 'value') return r.value;
  if (r.kind === 'register') return ctx.readReg?.(r.reg);
  return undefined;
}

function run(expr: Uint8Array, ctx: ExpressionContext): LocationResult {
  const bits = ctx.addressSize * 8;
  const mask = (1n << BigInt(bits)) - 1n;
  const u = (v: bigint) => v & mask;
  const sgn = (v: bigint) => BigInt.asIntN(bits, v);
  const bias = ctx.addressBias ?? 0n;
  const enc = { addressSize: ctx.addressSize, offsetSize: ctx.offsetSize };
  const maxSteps = ctx.maxSteps ?? DEFAULT_MAX_STEPS;

  const stack: bigint[] = (ctx.initialStack ?? []).map(u);
  const pieces: Piece[] = [];
  let pending: SimpleLocation | undefined;
  let unavailable: string | undefined;

  const fail = (msg: string, at: number): never => {
    throw new SymbolsError(`DWARF expression: ${msg} at offset ${at}`);
  };
  const push = (v: bigint) => {
    if (stack.length >= MAX_STACK) throw new SymbolsError('DWARF expression: stack overflow');
    stack.push(u(v));
  };
  const pop = (at: number): bigint => (stack.length > 0 ? stack.pop()! : fail('stack underflow', at));
  const peek = (depth: number, at: number): bigint => (depth < stack.length ? stack[stack.length - 1 - depth] : fail('stack underflow', at));
  const reg = (n: number): bigint => {
    const v = ctx.readReg?.(n);
    if (v === undefined) throw new Unavailable(`register ${n} is not available`);
    return v;
  };
  const load = (addr: bigint, size: number): bigint => {
    const bytes = ctx.readMemory?.(addr, size);
    if (!bytes || bytes.length < size) throw new Unavailable(`memory at ${hex(addr)} cannot be read`);
    return littleEndian(bytes, size);
  };
  const need = (v: bigint | undefined, what: string): bigint => {
    if (v === undefined) throw new Unavailable(`${what} is not available`);
    return v;
  };
  const finishPiece = (sizeBits: number, offsetBits: number) => {
    const location: SimpleLocation = pending ?? (stack.length > 0 ? { kind: 'memory', address: stack[stack.length - 1] } : { kind: 'optimizedOut' });
    pieces.push({ sizeBits, offsetBits, location });
    pending = undefined;
    stack.length = 0;
  };

  const r = new ByteReader(expr, 'DWARF expression');
  let steps = 0;
  while (!r.atEnd) {
    if (++steps > maxSteps) throw new SymbolsError(`DWARF expression: more than ${maxSteps} operations executed (a branch loop?)`);
    const d = decodeOp(r, enc);
    const op = d.op;
    const at = d.offset;
    const a0 = d.operands[0] as bigint;
    const a1 = d.operands[1] as bigint;
    if (pending && op !== DW_OP.piece && op !== DW_OP.bit_piece) {
      fail(`${opName(op)} follows a register or implicit location (only a piece may)`, at);
    }
    if (op >= DW_OP.lit0 && op <= DW_OP.lit31) { push(BigInt(op - DW_OP.lit0)); continue; }
    if (op >= DW_OP.reg0 && op <= DW_OP.reg31) { pending = { kind: 'register', reg: op - DW_OP.reg0 }; continue; }
    if (op >= DW_OP.breg0 && op <= DW_OP.breg31) { push(reg(op - DW_OP.breg0) + a0); continue; }
    switch (op) {
      case DW_OP.addr: push(a0 + bias); break;
      case DW_OP.addrx:
      case DW_OP.GNU_addr_index: push(need(ctx.addrIndex?.(Number(a0)), `address index ${a0}`) + bias); break;
      case DW_OP.constx:
      case DW_OP.GNU_const_index: push(need(ctx.addrIndex?.(Number(a0)), `constant index ${a0}`)); break;
      case DW_OP.const1u: case DW_OP.const1s: case DW_OP.const2u: case DW_OP.const2s:
      case DW_OP.const4u: case DW_OP.const4s: case DW_OP.const8u: case DW_OP.const8s:
      case DW_OP.constu: case DW_OP.consts:
        push(a0); break;
      case DW_OP.deref: push(load(pop(at), ctx.addressSize)); break;
      case DW_OP.deref_size:
      case DW_OP.deref_type:
      case DW_OP.GNU_deref_type: {
        const size = Number(a0);
        if (size < 1 || size > 8) fail(`deref size ${size} is not supported`, at);
        push(load(pop(at), size));
        break;
      }
      case DW_OP.dup: push(peek(0, at)); break;
      case DW_OP.drop: pop(at); break;
      case DW_OP.over: push(peek(1, at)); break;
      case DW_OP.pick: push(peek(Number(a0), at)); break;
      case DW_OP.swap: { const a = pop(at); const b = pop(at); push(a); push(b); break; }
      case DW_OP.rot: { const a = pop(at); const b = pop(at); const c = pop(at); push(a); push(c); push(b); break; }
      case DW_OP.abs: { const a = sgn(pop(at)); push(a < 0n ? -a : a); break; }
      case DW_OP.neg: push(-sgn(pop(at))); break;
      case DW_OP.not: push(~pop(at)); break;
      case DW_OP.plus_uconst: push(pop(at) + a0); break;
      case DW_OP.and: case DW_OP.or: case DW_OP.xor: case DW_OP.plus: case DW_OP.minus: case DW_OP.mul:
      case DW_OP.div: case DW_OP.mod: case DW_OP.shl: case DW_OP.shr: case DW_OP.shra:
      case DW_OP.eq: case DW_OP.ne: case DW_OP.lt: case DW_OP.gt: case DW_OP.le: case DW_OP.ge: {
        const b = pop(at);
        const a = pop(at);
        push(binary(op, a, b, bits, at));
        break;
      }
      case DW_OP.skip:
      case DW_OP.bra: {
        const taken = op === DW_OP.skip || pop(at) !== 0n;
        if (taken) {
          const target = d.next + Number(a0);
          if (target < 0 || target > expr.length) fail(`branch target ${target} is outside the expression`, at);
          r.pos = target;
        }
        break;
      }
      case DW_OP.regx: pending = { kind: 'register', reg: Number(a0) }; break;
      case DW_OP.bregx: push(reg(Number(a0)) + a1); break;
      case DW_OP.regval_type:
      case DW_OP.GNU_regval_type: push(reg(Number(a0))); break;
      case DW_OP.fbreg: push(need(ctx.frameBase, 'the frame base') + a0); break;
      case DW_OP.call_frame_cfa: push(need(ctx.cfa, 'the canonical frame address')); break;
      case DW_OP.push_object_address: push(need(ctx.objectAddress, 'the object address')); break;
      case DW_OP.piece: finishPiece(Number(a0) * 8, 0); break;
      case DW_OP.bit_piece: finishPiece(Number(a0), Number(a1)); break;
      case DW_OP.implicit_value: pending = { kind: 'implicit', bytes: d.operands[0] as Uint8Array }; break;
      case DW_OP.stack_value: pending = { kind: 'value', value: peek(0, at) }; break;
      case DW_OP.implicit_pointer:
      case DW_OP.GNU_implicit_pointer:
        pending = { kind: 'unavailable', reason: 'the value is an implicit pointer to an optimised-out object' };
        break;
      case DW_OP.entry_value:
      case DW_OP.GNU_entry_value:
        unavailable ??= 'the value at function entry is not known';
        push(0n);
        break;
      case DW_OP.GNU_parameter_ref:
      case DW_OP.GNU_variable_value:
      case DW_OP.call2: case DW_OP.call4: case DW_OP.call_ref:
        unavailable ??= `${opName(op)} is not supported`;
        if (op === DW_OP.GNU_parameter_ref || op === DW_OP.GNU_variable_value) push(0n);
        break;
      case DW_OP.form_tls_address:
      case DW_OP.GNU_push_tls_address:
        pop(at);
        unavailable ??= 'thread-local storage is not supported';
        push(0n);
        break;
      case DW_OP.const_type:
      case DW_OP.GNU_const_type: {
        const bytes = d.operands[1] as Uint8Array;
        if (bytes.length > 8) unavailable ??= 'typed constants wider than 8 bytes are not supported';
        push(littleEndian(bytes, Math.min(bytes.length, 8)));
        break;
      }
      case DW_OP.convert: case DW_OP.GNU_convert: case DW_OP.reinterpret: case DW_OP.GNU_reinterpret:
        break; // values stay in the generic type; conversions between integer widths are no-ops here
      case DW_OP.nop:
      case DW_OP.GNU_uninit:
        break;
      default:
        fail(`${opName(op)} is not supported`, at);
    }
  }
  if (unavailable) return { kind: 'unavailable', reason: unavailable };
  if (pieces.length > 0) return { kind: 'composite', pieces };
  if (pending) return pending;
  if (stack.length === 0) fail('the stack is empty at the end', expr.length);
  return { kind: 'memory', address: stack[stack.length - 1] };
}

function binary(op: number, a: bigint, b: bigint, bits: number, at: number): bigint {
  const s = (v: bigint) => BigInt.asIntN(bits, v);
  const width = BigInt(bits);
  switch (op) {
    case DW_OP.and: return a & b;
    case DW_OP.or: return a | b;
    case DW_OP.xor: return a ^ b;
    case DW_OP.plus: return a + b;
    case DW_OP.minus: return a - b;
    case DW_OP.mul: return a * b;
    case DW_OP.div:
      if (b === 0n) throw new SymbolsError(`DWARF expression: division by zero at offset ${at}`);
      return s(a) / s(b);
    case DW_OP.mod:
      if (b === 0n) throw new SymbolsError(`DWARF expression: modulo by zero at offset ${at}`);
      return a % b;
    case DW_OP.shl: return b >= width ? 0n : a << b;
    case DW_OP.shr: return b >= width ? 0n : a >> b;
    case DW_OP.shra: return s(a) >> (b >= width ? width - 1n : b);
    case DW_OP.eq: return s(a) === s(b) ? 1n : 0n;
    case DW_OP.ne: return s(a) !== s(b) ? 1n : 0n;
    case DW_OP.lt: return s(a) < s(b) ? 1n : 0n;
    case DW_OP.gt: return s(a) > s(b) ? 1n : 0n;
    case DW_OP.le: return s(a) <= s(b) ? 1n : 0n;
    case DW_OP.ge: return s(a) >= s(b) ? 1n : 0n;
  }
  throw new SymbolsError(`DWARF expression: ${opName(op)} is not a binary operation`);
}

export function littleEndian(bytes: Uint8Array, size: number): bigint {
  let v = 0n;
  for (let i = Math.min(size, bytes.length) - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}
