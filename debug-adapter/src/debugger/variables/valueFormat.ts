// Display text of C values: numbers by type, chars, enums by name, pointers in hex with string previews, aggregate summaries.
import { stripTypedefs, typeSize, type DwarfType } from '../symbols';
import { isCharType, scalarClass } from './cTypes';
import { floatOf, integerOf, ValueError, type CValue } from './cValue';
import { elementValue, hex, loadBytes, memberValue, MAX_WHOLE_VALUE, structOf, type ValueReader } from './valueAccess';

export interface FormatEnv extends ValueReader {
  /** `name` or `name+0x12` for code addresses (function pointers). */
  symbolLabel?(address: bigint): string | undefined;
  /** Integers in hex (a watch written `expr,x`), as two's complement of their width. */
  readonly hex?: boolean;
}

/** The same environment showing integers in hex. */
export function hexEnv<T extends FormatEnv>(env: T): T {
  return Object.assign(Object.create(env) as T, { hex: true });
}

/** Longest string shown behind a `char *` or inside a char array. */
export const MAX_STRING = 200;
/** Elements or members listed in one aggregate summary before "...". */
export const SUMMARY_ITEMS = 8;
const PAGE_SIZE = 0x1000n;

/** The one-line display of a value; problems (unreadable, optimised out) come back as `<...>` text, never as zeros. */
export async function formatValue(v: CValue, env: FormatEnv, depth = 0): Promise<string> {
  try {
    return await format(v, env, depth);
  } catch (e) {
    if (e instanceof ValueError) return bracketed(e.message);
    throw e;
  }
}

function bracketed(message: string): string {
  return message.startsWith('<') ? message : `<${message}>`;
}

async function format(v: CValue, env: FormatEnv, depth: number): Promise<string> {
  if (v.problem) return bracketed(v.problem);
  const t = env.complete(stripTypedefs(v.type));
  switch (t.kind) {
    case 'struct': case 'union': case 'class': return formatStruct(v, env, depth);
    case 'array': return formatArray(v, env, depth);
    case 'void': return 'void';
    case 'function': return v.place?.kind === 'memory' ? codeAddress(v.place.address, env) : '<function>';
    case 'unknown': return '<value of unknown type>';
    default: break;
  }
  const bytes = await loadBytes(v, env);
  return formatScalar(v, bytes, env);
}

/** A scalar from its bytes: bool, char, float, enum, pointer or integer. */
export async function formatScalar(v: CValue, bytes: Uint8Array, env: FormatEnv): Promise<string> {
  const t = env.complete(stripTypedefs(v.type));
  const cls = scalarClass(t);
  if (cls === 'float') return formatFloat(floatOf(bytes, typeSize(t) ?? bytes.length));
  const n = integerOf(v, bytes);
  const bits = v.bitField?.bitSize ?? (typeSize(t) ?? bytes.length) * 8;
  const number = env.hex ? `0x${BigInt.asUintN(bits, n).toString(16)}` : n.toString();
  switch (cls) {
    case 'bool': return n === 0n ? 'false' : n === 1n ? 'true' : number;
    case 'char': return `${number} ${charLiteral(n)}`;
    case 'enum': {
      const e = t.kind === 'enum' ? t.enumerators.find((x) => x.value === n || BigInt.asUintN(64, x.value) === BigInt.asUintN(64, n)) : undefined;
      return e ? e.name : number;
    }
    case 'pointer': return formatPointer(t, BigInt.asUintN(bytes.length * 8, n), env);
    default: return number;
  }
}

async function formatPointer(t: DwarfType, address: bigint, env: FormatEnv): Promise<string> {
  if (address === 0n) return '0x0';
  const target = env.complete(stripTypedefs((t as { target: DwarfType }).target));
  if (target.kind === 'function') return codeAddress(address, env);
  if (isCharType(target)) {
    const text = await readString(address, env);
    return text === undefined ? `${hex(address)} <unreadable>` : `${hex(address)} ${text}`;
  }
  return hex(address);
}

function codeAddress(address: bigint, env: FormatEnv): string {
  const label = env.symbolLabel?.(address);
  return label ? `${hex(address)} <${label}>` : hex(address);
}

/** A NUL-terminated string at an address as a quoted literal; a string near unmapped memory is read to its page end. */
async function readString(address: bigint, env: ValueReader): Promise<string | undefined> {
  const whole = await env.readMemory(address, MAX_STRING);
  if (whole) return quote(whole, true);
  const toPageEnd = Number(PAGE_SIZE - (address % PAGE_SIZE));
  if (toPageEnd >= MAX_STRING) return undefined;
  const head = await env.readMemory(address, toPageEnd);
  return head ? quote(head, true) : undefined;
}

/** Bytes up to the first NUL as a C string literal; `mayContinue` marks a cut string with "...". */
export function quote(bytes: Uint8Array, mayContinue: boolean): string {
  const nul = bytes.indexOf(0);
  const end = nul < 0 ? bytes.length : nul;
  let s = '"';
  for (let i = 0; i < end; i++) s += escapeChar(bytes[i], '"');
  s += '"';
  return nul < 0 && mayContinue ? `${s}...` : s;
}

function escapeChar(c: number, quoteChar: string): string {
  const named: Record<number, string> = { 0: '\\0', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\' };
  if (named[c]) return named[c];
  if (String.fromCharCode(c) === quoteChar) return `\\${quoteChar}`;
  if (c >= 0x20 && c < 0x7f) return String.fromCharCode(c);
  return `\\x${c.toString(16).padStart(2, '0')}`;
}

export function charLiteral(n: bigint): string {
  return `'${escapeChar(Number(BigInt.asUintN(8, n)), "'")}'`;
}

export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return Object.is(x, -0) ? '-0' : String(x);
}

async function formatStruct(v: CValue, env: FormatEnv, depth: number): Promise<string> {
  const s = structOf(v.type, env);
  if (!s || s.declaration) return '{<incomplete type>}';
  if (depth > 0) return '{...}';
  const whole = await withBytes(v, env);
  const parts: string[] = [];
  for (const m of s.members.slice(0, SUMMARY_ITEMS)) {
    const text = await formatValue(await memberValue(whole, m, env), env, depth + 1);
    parts.push(m.name ? `${m.name}=${text}` : text);
  }
  if (s.members.length > SUMMARY_ITEMS) parts.push('...');
  return `{${parts.join(', ')}}`;
}

async function formatArray(v: CValue, env: FormatEnv, depth: number): Promise<string> {
  const a = stripTypedefs(v.type);
  if (a.kind !== 'array') return '<not an array>';
  const count = a.dims[0]?.count;
  if (count === undefined) return '[]';
  if (a.dims.length === 1 && isCharType(a.element)) {
    // Only the shown head of a long buffer is read.
    const head = count > MAX_STRING && v.place?.kind === 'memory' && !v.bytes ? { ...v, type: { ...a, dims: [{ lower: 0n, count: MAX_STRING }] } } : v;
    const bytes = await loadBytes(head, env);
    return quote(bytes.subarray(0, Math.min(bytes.length, MAX_STRING)), count > MAX_STRING);
  }
  if (depth > 0 || count === 0) return `[${count}]`;
  const size = typeSize(v.type);
  const whole = size !== undefined && size <= MAX_WHOLE_VALUE ? await withBytes(v, env) : v;
  const parts: string[] = [];
  for (let i = 0; i < Math.min(count, SUMMARY_ITEMS); i++) {
    parts.push(await formatValue(await elementValue(whole, BigInt(i), env), env, depth + 1));
  }
  if (count > SUMMARY_ITEMS) parts.push('...');
  return `{${parts.join(', ')}}`;
}

/** The value with its bytes read once, so a summary does not read memory per member. */
async function withBytes(v: CValue, env: ValueReader): Promise<CValue> {
  if (v.bytes || v.problem) return v;
  return { ...v, bytes: await loadBytes(v, env) };
}

