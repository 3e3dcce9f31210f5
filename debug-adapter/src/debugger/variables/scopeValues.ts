// The variables of a frame's scopes (locals, arguments, globals) and their values from DWARF locations.
import { readLocationBytes, typeSize, type DebugInfo, type Scopes, type Variable } from '../symbols';
import { toLittleEndian, type CValue } from './cValue';
import { frameContext, lookupPc, type FrameState } from './frameStates';
import { withMemory, type MemoryCache } from './memoryCache';

export const OPTIMISED_OUT = '<optimised out>';

/** Scopes of a frame; a frame outside any described function has only the globals of every unit. */
export function frameScopes(info: DebugInfo, frame: FrameState | undefined): Scopes {
  const scopes = frame ? info.scopesAt(lookupPc(frame), frame.inlineDepth) : undefined;
  return scopes ?? { params: [], locals: [], globals: info.globals() };
}

/** Locals with the inner one of two same-named variables only, as C's scoping hides the outer. */
export function visibleLocals(scopes: Scopes): Variable[] {
  const seen = new Set<string>();
  return scopes.locals.filter((v) => {
    if (seen.has(v.name)) return false;
    seen.add(v.name);
    return true;
  });
}

/** The value of a variable in a frame: an lvalue in memory or a register, computed bytes, or a problem. */
export async function variableValue(info: DebugInfo, v: Variable, frame: FrameState | undefined, cache: MemoryCache): Promise<CValue> {
  const type = info.completeType(v.type);
  if (v.declarationOnly && v.location.kind !== 'expr') return { type, problem: '<declared here, defined elsewhere: no address known>' };
  const ctx = frameContext(frame, cache);
  const loc = await withMemory(cache, () => info.evaluate(v.location, ctx));
  switch (loc.kind) {
    case 'memory': return { type, place: { kind: 'memory', address: loc.address } };
    case 'register':
      if (!frame) return { type, problem: '<not available: needs a stack frame>' };
      return { type, place: { kind: 'register', reg: loc.reg, frame: frame.index } };
    case 'value': return { type, bytes: toLittleEndian(loc.value, typeSize(type) ?? info.addressSize) };
    case 'implicit': {
      const size = typeSize(type) ?? loc.bytes.length;
      const bytes = new Uint8Array(size);
      bytes.set(loc.bytes.subarray(0, size));
      return { type, bytes };
    }
    case 'composite': {
      const size = typeSize(type);
      if (size === undefined) return { type, problem: '<value of unknown size>' };
      const src = { readMemory: (a: bigint, s: number) => cache.peek(a, s), readReg: ctx.readReg };
      const got = await withMemory(cache, () => readLocationBytes(loc, size, src));
      if (!got) return { type, problem: OPTIMISED_OUT };
      return { type, bytes: got.bytes };
    }
    case 'optimizedOut': return { type, problem: OPTIMISED_OUT };
    case 'unavailable': return { type, problem: `<not available: ${loc.reason}>` };
  }
}

/** Every name an expression may use in a frame, in C's lookup order: locals, parameters, the unit's globals, all globals. */
export function lookupOrder(info: DebugInfo, frame: FrameState | undefined): (name: string) => Variable | undefined {
  let scopes: Scopes | undefined;
  return (name) => {
    scopes ??= frameScopes(info, frame);
    const hit = scopes.locals.find((v) => v.name === name) ?? scopes.params.find((v) => v.name === name)
      ?? scopes.globals.find((v) => v.name === name && !v.declarationOnly);
    return hit ?? globalsByName(info).get(name) ?? scopes.globals.find((v) => v.name === name);
  };
}

/** Every unit's globals by name, built once per image: a large kernel has tens of thousands. */
const GLOBALS = new WeakMap<DebugInfo, Map<string, Variable>>();

function globalsByName(info: DebugInfo): Map<string, Variable> {
  let map = GLOBALS.get(info);
  if (!map) {
    map = new Map();
    for (const v of info.globals()) if (!map.has(v.name)) map.set(v.name, v);
    GLOBALS.set(info, map);
  }
  return map;
}
