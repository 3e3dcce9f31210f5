// Evaluates parsed C expressions over DWARF-typed values: names in scope, members, indexing, casts and arithmetic.
import { stripTypedefs, typeName, typeSize, type DwarfType } from '../symbols';
import { arithmeticType, builtinType, doubleType, intType, isPointer, pointerTo, scalarClass, strideOf } from './cTypes';
import type { CNode, TypeSpec } from './cSyntax';
import { encodeScalar, scalarOf, truncate, ValueError, type CValue, type Scalar } from './cValue';
import { addressOf, derefAt, elementValue, loadBytes, namedMember, type ValueReader } from './valueAccess';

export interface EvalEnv extends ValueReader {
  /** A variable visible in the frame (locals, then parameters, then globals); undefined when there is none. */
  lookup(name: string): Promise<CValue | undefined>;
  /** A type by C spelling from the debug information ("struct shape", "u32"). */
  typeByName(spelling: string): DwarfType | undefined;
}

/** An identifier that is no C variable: the text may be meant for the machine-level evaluator. */
export class UnknownNameError extends ValueError {}

export function resolveType(spec: TypeSpec, env: EvalEnv): DwarfType {
  let t: DwarfType | undefined = env.typeByName(spec.base) ?? builtinType(spec.base, env.addressSize);
  if (!t && spec.base === 'void') t = { kind: 'void', name: 'void', id: 'void' };
  if (!t) throw new ValueError(`unknown type '${spec.base}': expected a type named in the debug information`);
  for (let i = 0; i < spec.pointers; i++) t = pointerTo(t, env.addressSize);
  return t;
}

export async function evaluateC(n: CNode, env: EvalEnv): Promise<CValue> {
  switch (n.k) {
    case 'int': {
      return constant(builtinType(literalType(n), env.addressSize)!, n.value);
    }
    case 'char': return constant(builtinType('char', env.addressSize)!, n.value);
    case 'float': return constant(doubleType(env.addressSize), n.value);
    case 'ident': {
      const v = await env.lookup(n.name);
      if (!v) throw new UnknownNameError(`no variable named '${n.name}' is visible here`);
      return v;
    }
    case 'member': {
      let obj = await evaluateC(n.obj, env);
      if (n.arrow) obj = await deref(obj, env);
      const m = await namedMember(obj, n.name, env);
      if (!m) throw new ValueError(`${typeName(obj.type)} has no member named '${n.name}'`);
      return m;
    }
    case 'index': {
      const obj = await evaluateC(n.obj, env);
      const index = await integer(await evaluateC(n.index, env), env);
      if (stripTypedefs(obj.type).kind === 'array') return elementValue(obj, index, env);
      if (isPointer(obj.type)) return derefAt(obj.type, await pointerPlus(obj, index, env), env);
      throw new ValueError(`cannot index a value of type ${typeName(obj.type)}`);
    }
    case 'unary': return unary(n.op, n.a, env);
    case 'cast': return cast(await evaluateC(n.a, env), resolveType(n.type, env), env);
    case 'sizeof': {
      const t = n.type ? resolveType(n.type, env) : (await evaluateC(n.a!, env)).type;
      const size = typeSize(t);
      if (size === undefined) throw new ValueError(`sizeof: ${typeName(t)} has no known size`);
      return constant(builtinType('unsigned long', env.addressSize)!, BigInt(size));
    }
    case 'cond': return (await truth(await evaluateC(n.c, env), env)) ? evaluateC(n.a, env) : evaluateC(n.b, env);
    case 'binary': return binary(n.op, n.a, n.b, env);
  }
}

/** C's type for an integer constant: the first of int, unsigned int (hex and octal only), long long that holds it. */
function literalType(n: Extract<CNode, { k: 'int' }>): string {
  const wide = n.long || n.value > 0xffffffffn || (n.decimal && n.value > 0x7fffffffn);
  const unsigned = n.unsigned || (!n.decimal && !wide && n.value > 0x7fffffffn) || n.value > 0x7fffffffffffffffn;
  return `${unsigned ? 'unsigned ' : ''}${wide ? 'long long' : 'int'}`;
}

export function constant(t: DwarfType, value: Scalar): CValue {
  return { type: t, bytes: encodeScalar(t, value) };
}

/** The number a scalar value holds; arrays and functions decay to their address. */
export async function scalar(v: CValue, env: ValueReader): Promise<Scalar> {
  const k = stripTypedefs(v.type).kind;
  if (k === 'array' || k === 'function') {
    if (v.place?.kind !== 'memory') throw new ValueError(`the ${k} has no address`);
    return v.place.address;
  }
  return scalarOf(v, await loadBytes(v, env));
}

async function integer(v: CValue, env: ValueReader): Promise<bigint> {
  const s = await scalar(v, env);
  if (typeof s === 'number') return truncate(s);
  return s;
}

async function truth(v: CValue, env: ValueReader): Promise<boolean> {
  const s = await scalar(v, env);
  return typeof s === 'number' ? s !== 0 : s !== 0n;
}

/** The pointer type an array or function decays to, or the type itself. */
function decayed(v: CValue, env: ValueReader): DwarfType {
  const s = stripTypedefs(v.type);
  if (s.kind === 'array') return pointerTo(s.element, env.addressSize);
  if (s.kind === 'function') return pointerTo(v.type, env.addressSize);
  return v.type;
}

async function deref(v: CValue, env: ValueReader): Promise<CValue> {
  const t = decayed(v, env);
  if (!isPointer(t)) throw new ValueError(`cannot dereference a value of type ${typeName(v.type)}`);
  return derefAt(t, BigInt.asUintN(env.addressSize * 8, await integer(v, env)), env);
}

async function pointerPlus(p: CValue, delta: bigint, env: ValueReader): Promise<bigint> {
  const t = decayed(p, env);
  const target = stripTypedefs(t).kind === 'pointer' ? (stripTypedefs(t) as { target: DwarfType }).target : t;
  return BigInt.asUintN(env.addressSize * 8, (await integer(p, env)) + delta * BigInt(strideOf(target)));
}

async function unary(op: string, a: CNode, env: EvalEnv): Promise<CValue> {
  if (op === '&') return addressOf(await evaluateC(a, env), env);
  const v = await evaluateC(a, env);
  if (op === '*') return deref(v, env);
  if (op === '!') return constant(intType(env.addressSize), (await truth(v, env)) ? 0n : 1n);
  const s = await scalar(v, env);
  if (typeof s === 'number') {
    if (op === '~') throw new ValueError("'~' needs an integer operand, not a floating-point one");
    return constant(v.type, op === '-' ? -s : s);
  }
  if (scalarClass(v.type) === 'pointer') throw new ValueError(`'${op}' cannot be applied to a pointer`);
  const t = arithmeticType(v.type, v.type, env.addressSize);
  return constant(t, op === '-' ? -s : op === '~' ? ~s : s);
}

async function cast(v: CValue, t: DwarfType, env: EvalEnv): Promise<CValue> {
  const target = stripTypedefs(t);
  if (target.kind === 'void') return { type: t, bytes: new Uint8Array(0) };
  if (scalarClass(t) === undefined) {
    // Reinterpreting an lvalue as another aggregate keeps its place: `(struct shape)*p` behaves like `*(struct shape *)p`.
    if (v.place?.kind === 'memory') return { type: t, place: v.place };
    throw new ValueError(`cannot cast to ${typeName(t)}: only scalar types and lvalues in memory can be cast`);
  }
  return constant(t, await scalar(v, env));
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

async function binary(op: string, an: CNode, bn: CNode, env: EvalEnv): Promise<CValue> {
  const int = intType(env.addressSize);
  if (op === '&&') return constant(int, (await truth(await evaluateC(an, env), env)) && (await truth(await evaluateC(bn, env), env)) ? 1n : 0n);
  if (op === '||') return constant(int, (await truth(await evaluateC(an, env), env)) || (await truth(await evaluateC(bn, env), env)) ? 1n : 0n);
  const a = await evaluateC(an, env);
  const b = await evaluateC(bn, env);
  const ta = decayed(a, env);
  const tb = decayed(b, env);
  const pa = isPointer(ta);
  const pb = isPointer(tb);
  if ((op === '+' || op === '-') && pa && !pb) {
    const d = await integer(b, env);
    return constant(ta, await pointerPlus(a, op === '+' ? d : -d, env));
  }
  if (op === '+' && pb && !pa) return constant(tb, await pointerPlus(b, await integer(a, env), env));
  if (op === '-' && pa && pb) {
    const stride = BigInt(strideOf((stripTypedefs(ta) as { target: DwarfType }).target)) || 1n;
    const diff = BigInt.asIntN(env.addressSize * 8, (await integer(a, env)) - (await integer(b, env)));
    return constant(builtinType('long', env.addressSize)!, diff / stride);
  }
  const x = await scalar(a, env);
  const y = await scalar(b, env);
  if (typeof x === 'number' || typeof y === 'number') return floatBinary(op, Number(x), Number(y), env);
  const left = pa ? builtinType('unsigned long', env.addressSize)! : ta;
  const right = pb ? builtinType('unsigned long', env.addressSize)! : tb;
  // A shift has the promoted type of its left operand; other operators convert both operands to a common type.
  const t = op === '<<' || op === '>>' ? arithmeticType(left, left, env.addressSize) : arithmeticType(left, right, env.addressSize);
  const size = BigInt((typeSize(t) ?? 8) * 8);
  const signed = !t.name.startsWith('unsigned');
  const norm = (v: bigint) => (signed ? BigInt.asIntN(Number(size), v) : BigInt.asUintN(Number(size), v));
  const l = norm(x);
  const r = norm(y);
  if (COMPARISONS.has(op)) return constant(int, compare(op, l, r) ? 1n : 0n);
  return constant(t, integerOp(op, l, r, signed));
}

function compare(op: string, l: Scalar, r: Scalar): boolean {
  switch (op) {
    case '==': return l === r;
    case '!=': return l !== r;
    case '<': return l < r;
    case '<=': return l <= r;
    case '>': return l > r;
    default: return l >= r;
  }
}

function integerOp(op: string, l: bigint, r: bigint, signed: boolean): bigint {
  switch (op) {
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '/': if (r === 0n) throw new ValueError('division by zero'); return l / r;
    case '%': if (r === 0n) throw new ValueError('division by zero'); return l % r;
    case '<<': return r < 0n || r >= 64n ? 0n : l << r;
    case '>>': return r < 0n || r >= 64n ? (signed && l < 0n ? -1n : 0n) : l >> r;
    case '&': return l & r;
    case '|': return l | r;
    case '^': return l ^ r;
    default: throw new ValueError(`operator '${op}' is not supported`);
  }
}

function floatBinary(op: string, x: number, y: number, env: ValueReader): CValue {
  if (COMPARISONS.has(op)) return constant(intType(env.addressSize), compare(op, x, y) ? 1n : 0n);
  switch (op) {
    case '+': return constant(doubleType(env.addressSize), x + y);
    case '-': return constant(doubleType(env.addressSize), x - y);
    case '*': return constant(doubleType(env.addressSize), x * y);
    case '/': return constant(doubleType(env.addressSize), x / y);
    default: throw new ValueError(`operator '${op}' needs integer operands`);
  }
}

