// What an expandable value shows when opened: struct members, array elements (paged), the target of a pointer.
import { stripTypedefs, type DwarfType } from '../symbols';
import { isPointer, targetOf } from './cTypes';
import type { CValue } from './cValue';
import { scalar } from './cEvaluator';
import { derefAt, elementValue, memberValue, structOf, type ValueReader } from './valueAccess';

export interface Child {
  name: string;
  value: CValue;
  evaluateName?: string;
}

/** Arrays longer than this are paged: the client asks for ranges of indexed children. */
export const PAGE_THRESHOLD = 100;
/** Elements listed when a client asks for all of a huge array without paging. */
export const MAX_UNPAGED = 10_000;

/** An expression usable as the operand of a postfix operator. */
export function operand(expr: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*(?:(?:\.|->)[A-Za-z_][A-Za-z0-9_]*|\[[^\]]*\])*$/.test(expr) ? expr : `(${expr})`;
}

/** Element count of the first dimension of an array type; undefined for other types and unknown bounds. */
export function arrayCount(t: DwarfType): number | undefined {
  const s = stripTypedefs(t);
  return s.kind === 'array' ? s.dims[0]?.count : undefined;
}

/** Index of the first element of an array type (0 in C); undefined for other types. */
export function arrayLower(t: DwarfType): bigint | undefined {
  const s = stripTypedefs(t);
  return s.kind === 'array' ? s.dims[0]?.lower ?? 0n : undefined;
}

/** Whether a value opens to children. Pointers open unless null, void or to functions. */
export async function isExpandable(v: CValue, r: ValueReader): Promise<boolean> {
  if (v.problem) return false;
  const s = r.complete(stripTypedefs(v.type));
  if (s.kind === 'struct' || s.kind === 'union' || s.kind === 'class') return s.members.length > 0;
  if (s.kind === 'array') return (arrayCount(s) ?? 0) > 0;
  if (isPointer(s)) {
    const target = r.complete(stripTypedefs(targetOf(s)!));
    if (target.kind === 'void' || target.kind === 'function') return false;
    try {
      return (await scalar(v, r)) !== 0n;
    } catch {
      return false;
    }
  }
  return false;
}

/** Children of a value; `start`/`count` select a range of array elements. */
export async function childrenOf(v: CValue, evaluateName: string | undefined, r: ValueReader, start = 0, count?: number): Promise<Child[]> {
  const s = r.complete(stripTypedefs(v.type));
  if (s.kind === 'struct' || s.kind === 'union' || s.kind === 'class') return members(v, evaluateName, '.', r);
  if (s.kind === 'array') {
    const n = arrayCount(s) ?? 0;
    const lower = s.dims[0]?.lower ?? 0n;
    const end = Math.min(n, start + (count ?? MAX_UNPAGED));
    const out: Child[] = [];
    for (let i = start; i < end; i++) {
      const index = lower + BigInt(i);
      out.push({ name: `[${index}]`, value: await elementValue(v, BigInt(i), r), evaluateName: evaluateName && `${operand(evaluateName)}[${index}]` });
    }
    return out;
  }
  if (isPointer(s)) {
    const address = BigInt.asUintN(r.addressSize * 8, BigInt(await scalar(v, r)));
    const target = derefAt(s, address, r);
    // A pointer to a struct opens straight onto the members, as `p->member`.
    if (structOf(target.type, r)) return members(target, evaluateName, '->', r);
    return [{ name: `*${evaluateName ?? 'pointer'}`, value: target, evaluateName: evaluateName && `*${operand(evaluateName)}` }];
  }
  return [];
}

async function members(v: CValue, evaluateName: string | undefined, sep: '.' | '->', r: ValueReader): Promise<Child[]> {
  const s = structOf(v.type, r)!;
  const out: Child[] = [];
  for (const m of s.members) {
    const name = m.name ?? `<anonymous ${stripTypedefs(m.type).kind}>`;
    const value = await memberValue(v, m, r);
    out.push({ name, value, evaluateName: m.name && evaluateName ? `${operand(evaluateName)}${sep}${m.name}` : undefined });
  }
  return out;
}
