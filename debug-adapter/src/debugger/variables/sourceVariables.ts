// C variables for the debugger: Locals/Arguments/Globals scopes, expandable values, C evaluation and assignment.
// The DAP session calls this with frame indexes (0 = innermost) and variablesReference handles it handed out.
import { EventEmitter } from 'events';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Regs } from '../../vmm/cpu/registers';
import { formatMemoryReference } from '../memoryReference';
import { dwarfRegisterName, UNWIND_REGS, stripTypedefs, typeName, typeSize, VOID, type DebugInfo, type DwarfType, type Variable } from '../symbols';
import { assign, enumeratorValue, type AssignTarget } from './assign';
import { arrayCount, arrayLower, childrenOf, isExpandable, PAGE_THRESHOLD, type Child } from './children';
import { constant, evaluateC, scalar, UnknownNameError, type EvalEnv } from './cEvaluator';
import { enumeratorIndex } from './enumerators';
import { CSyntaxError, parseC } from './cSyntax';
import { isPointer } from './cTypes';
import { ValueError, type CValue } from './cValue';
import { lookupPc, unwindFrames, type FrameState } from './frameStates';
import { MemoryCache } from './memoryCache';
import { frameScopes, lookupOrder, variableValue, visibleLocals } from './scopeValues';
import { formatValue, hexEnv, type FormatEnv } from './valueFormat';
import { VariableStore, type ScopeKind } from './variableStore';

/** What the variables need from the debug engine. */
export interface VariablesHost {
  debugInfo(): DebugInfo | undefined;
  registers(): Promise<Regs>;
  /** pc of each frame of the call stack shown to the client, innermost first. */
  framePcs(): Promise<bigint[]>;
  readMemory(address: bigint, length: number): Promise<Uint8Array | undefined>;
  writeMemory(address: bigint, bytes: Uint8Array): Promise<void>;
  /** Writes a general register of the vCPU by name ("eax", "rbx"). */
  writeRegister(name: string, value: bigint): Promise<void>;
  symbolLabel(address: bigint): string | undefined;
}

type Env = EvalEnv & FormatEnv & AssignTarget;

const SCOPES: { kind: ScopeKind; name: string; hint?: string; expensive: boolean }[] = [
  { kind: 'locals', name: 'Locals', hint: 'locals', expensive: false },
  { kind: 'arguments', name: 'Arguments', hint: 'arguments', expensive: false },
  { kind: 'globals', name: 'Globals', expensive: true },
];

export class SourceVariables extends EventEmitter<{ invalidated: [] }> {
  private readonly store = new VariableStore();
  private frames: Promise<(FrameState | undefined)[]> | undefined;

  constructor(private readonly host: VariablesHost) {
    super();
  }

  /** After a stop every handle is void; after a register write only the unwound frames are. */
  reset(handlesToo: boolean): void {
    this.frames = undefined;
    if (handlesToo) this.store.clear();
  }

  owns(ref: number): boolean {
    return this.store.owns(ref);
  }

  /** Locals and Arguments for frames in described functions, and Globals whenever DWARF is loaded. */
  async scopes(frameIndex: number): Promise<DebugProtocol.Scope[]> {
    const info = this.host.debugInfo();
    if (!info?.hasDwarf) return [];
    const frame = (await this.frameStates())[frameIndex];
    const inFunction = frame !== undefined && info.functionAt(lookupPc(frame))?.source === 'dwarf';
    return SCOPES.filter((s) => inFunction || s.kind === 'globals').map((s) => ({
      name: s.name, presentationHint: s.hint, expensive: s.expensive,
      variablesReference: this.store.add({ kind: 'scope', frame: frameIndex, scope: s.kind }),
    }));
  }

  async variables(args: DebugProtocol.VariablesArguments): Promise<DebugProtocol.Variable[]> {
    const h = this.store.get(args.variablesReference);
    if (!h) throw new ValueError(`variables reference ${args.variablesReference} is no longer valid: the guest ran since it was handed out`);
    const plain = await this.env(h.frame);
    const env = h.kind === 'value' && h.hex ? hexEnv(plain) : plain;
    const children = h.kind === 'scope'
      ? await this.scopeChildren(h.scope, h.frame, env.cache)
      : args.filter === 'named' && arrayCount(h.value.type) !== undefined ? [] : await childrenOf(h.value, h.evaluateName, env, args.start ?? 0, args.count || undefined);
    const out: DebugProtocol.Variable[] = [];
    for (const c of children) out.push(await this.toDap(c, h.frame, env));
    return out;
  }

  /**
   * Evaluates a C expression in a frame. Undefined when the text is not C or names something that is not a
   * variable, so the caller can try the machine-level evaluator (registers, symbols, [memory]).
   */
  async evaluate(text: string, frameIndex: number): Promise<DebugProtocol.EvaluateResponse['body'] | undefined> {
    const info = this.host.debugInfo();
    if (!info?.hasDwarf) return undefined;
    const { expression, hex } = formatSuffix(text);
    let value: CValue;
    let env: Env & { cache: MemoryCache };
    try {
      const node = parseC(expression, { isTypeName: (n) => info.typeByName(n) !== undefined });
      // While the vCPU runs there are no frames; the machine-level evaluator answers what it can then.
      const frameEnv = await this.env(frameIndex).catch(() => undefined);
      if (!frameEnv) return undefined;
      env = hex ? hexEnv(frameEnv) : frameEnv;
      value = await evaluateC(node, env);
    } catch (e) {
      if (e instanceof CSyntaxError || e instanceof UnknownNameError) return undefined;
      throw e;
    }
    const v = await this.toDap({ name: expression, value, evaluateName: expression }, frameIndex, env);
    return { result: v.value, type: v.type, variablesReference: v.variablesReference, indexedVariables: v.indexedVariables, memoryReference: v.memoryReference };
  }

  /**
   * Whether a C expression is non-zero in a frame (breakpoint conditions). Undefined when the text is not C or names
   * something that is not a variable; throws ValueError when it is C but cannot be evaluated.
   */
  async truth(text: string, frameIndex: number): Promise<boolean | undefined> {
    const info = this.host.debugInfo();
    if (!info?.hasDwarf) return undefined;
    try {
      const node = parseC(text, { isTypeName: (n) => info.typeByName(n) !== undefined });
      const env = await this.env(frameIndex);
      const s = await scalar(await evaluateC(node, env), env);
      return typeof s === 'number' ? s !== 0 : s !== 0n;
    } catch (e) {
      if (e instanceof CSyntaxError || e instanceof UnknownNameError) return undefined;
      throw e;
    }
  }

  /**
   * A caller frame's registers as the unwinder recovered them (its pc is the return address), by name, in DWARF order.
   * Undefined when there is no DWARF unwind for that frame.
   */
  async frameRegisters(frameIndex: number): Promise<{ name: string; value: bigint }[] | undefined> {
    const arch = this.host.debugInfo()?.arch;
    const frame = (await this.frameStates())[frameIndex];
    if (!arch || !frame) return undefined;
    const regs = new Map(frame.regs).set(UNWIND_REGS[arch].pc, frame.pc);
    return [...regs.entries()].sort(([a], [b]) => a - b).flatMap(([num, value]) => {
      const name = dwarfRegisterName(arch, num);
      return name ? [{ name, value }] : [];
    });
  }

  /** Sets a variable shown under `ref` (a scope or an expanded value) from a C expression or an enumerator name. */
  async setVariable(ref: number, name: string, valueText: string): Promise<DebugProtocol.SetVariableResponse['body']> {
    const h = this.store.get(ref);
    if (!h) throw new ValueError(`variables reference ${ref} is no longer valid: the guest ran since it was handed out`);
    const env = await this.env(h.frame);
    const target = await this.childNamed(ref, name, env);
    if (!target) throw new ValueError(`there is no variable '${name}' here`);
    return this.assignAndShow(target, valueText, h.frame, env);
  }

  /**
   * Where a variable shown under `ref` lives in guest memory, and its size (for a data breakpoint); undefined when
   * it is in a register, computed, or gone.
   */
  async memoryOf(ref: number, name: string): Promise<{ address: bigint; size: number } | undefined> {
    const h = this.store.get(ref);
    if (!h) return undefined;
    const c = await this.childNamed(ref, name, await this.env(h.frame));
    return c ? placeOf(c.value) : undefined;
  }

  /** The child `name` of a scope or expanded value handed out as `ref`. */
  private async childNamed(ref: number, name: string, env: Env & { cache: MemoryCache }): Promise<Child | undefined> {
    const h = this.store.get(ref);
    if (!h) return undefined;
    if (h.kind === 'scope') return (await this.scopeChildren(h.scope, h.frame, env.cache)).find((c) => c.name === name);
    // An element is found by its index, however far into a paged array it lies.
    const index = /^\[(-?\d+)\]$/.exec(name);
    const lower = arrayLower(h.value.type);
    const children = index && lower !== undefined
      ? await childrenOf(h.value, h.evaluateName, env, Number(BigInt(index[1]) - lower), 1)
      : await childrenOf(h.value, h.evaluateName, env);
    return children.find((c) => c.name === name);
  }

  /** The same for a C lvalue expression in a frame (a watch). */
  async memoryOfExpression(expression: string, frameIndex: number): Promise<{ address: bigint; size: number } | undefined> {
    const info = this.host.debugInfo();
    if (!info?.hasDwarf) return undefined;
    try {
      const env = await this.env(frameIndex);
      return placeOf(await evaluateC(parseC(expression, { isTypeName: (n) => info.typeByName(n) !== undefined }), env));
    } catch (e) {
      if (e instanceof CSyntaxError || e instanceof UnknownNameError || e instanceof ValueError) return undefined;
      throw e;
    }
  }

  /** Assigns to an lvalue expression (Watch view "Set Value"). */
  async setExpression(expression: string, valueText: string, frameIndex: number): Promise<DebugProtocol.SetExpressionResponse['body']> {
    const info = this.host.debugInfo();
    if (!info?.hasDwarf) throw new ValueError('no DWARF debug information is loaded, so there are no C variables to set');
    const env = await this.env(frameIndex);
    const node = parseC(expression, { isTypeName: (n) => info.typeByName(n) !== undefined });
    const target = await evaluateC(node, env);
    return this.assignAndShow({ name: expression, value: target, evaluateName: expression }, valueText, frameIndex, env);
  }

  private async assignAndShow(target: Child, valueText: string, frame: number, env: Env & { cache: MemoryCache }): Promise<{ value: string; type?: string; variablesReference: number; memoryReference?: string }> {
    const info = this.host.debugInfo()!;
    let value = enumeratorValue(target.value.type, valueText, env);
    if (!value) {
      try {
        value = await evaluateC(parseC(valueText, { isTypeName: (n) => info.typeByName(n) !== undefined }), env);
      } catch (e) {
        if (e instanceof CSyntaxError || e instanceof UnknownNameError) {
          throw new ValueError(`'${valueText}' is not a value for ${typeName(target.value.type)}: expected a number, a C expression${isEnum(target.value.type, env) ? ' or an enumerator name' : ''}`);
        }
        throw e;
      }
    }
    await assign(target.value, value, env);
    if (target.value.place?.kind === 'memory') this.emit('invalidated');
    const fresh = await this.env(frame);
    const v = await this.toDap(target, frame, fresh);
    return { value: v.value, type: v.type, variablesReference: v.variablesReference, memoryReference: v.memoryReference };
  }

  private async scopeChildren(scope: ScopeKind, frameIndex: number, cache: MemoryCache): Promise<Child[]> {
    const info = this.host.debugInfo();
    if (!info) return [];
    const frame = (await this.frameStates())[frameIndex];
    const scopes = frameScopes(info, frame);
    let vars: Variable[];
    if (scope === 'locals') vars = visibleLocals(scopes);
    else if (scope === 'arguments') vars = scopes.params;
    else {
      const seen = new Set<string>();
      vars = scopes.globals.filter((v) => !seen.has(v.name) && seen.add(v.name));
    }
    const out: Child[] = [];
    for (const v of vars) out.push({ name: v.name, value: await variableValue(info, v, frame, cache), evaluateName: v.name });
    return out;
  }

  private async toDap(c: Child, frame: number, env: Env): Promise<DebugProtocol.Variable> {
    const v = c.value;
    const expandable = await isExpandable(v, env);
    const count = arrayCount(v.type);
    const readOnly = !v.place || v.problem !== undefined || v.type.kind === 'const';
    return {
      name: c.name,
      value: await formatValue(v, env),
      type: typeName(v.type),
      variablesReference: expandable ? this.store.add({ kind: 'value', frame, value: v, evaluateName: c.evaluateName, hex: env.hex }) : 0,
      indexedVariables: expandable && count !== undefined && count > PAGE_THRESHOLD ? count : undefined,
      evaluateName: c.evaluateName,
      memoryReference: await memoryReferenceOf(v, env),
      presentationHint: readOnly ? { attributes: ['readOnly'] } : undefined,
    };
  }

  private frameStates(): Promise<(FrameState | undefined)[]> {
    this.frames ??= (async () => {
      const info = this.host.debugInfo();
      const [regs, pcs] = await Promise.all([this.host.registers(), this.host.framePcs()]);
      if (!info) return pcs.map(() => undefined);
      return unwindFrames(info, regs, pcs, this.newCache(info));
    })();
    const p = this.frames;
    p.catch(() => { if (this.frames === p) this.frames = undefined; });
    return p;
  }

  private newCache(info: DebugInfo): MemoryCache {
    return new MemoryCache((a, n) => this.host.readMemory(a, n), info.addressSize * 8);
  }

  /** Everything evaluation, formatting and assignment need for one frame, with a fresh memory cache. */
  private async env(frameIndex: number): Promise<Env & { cache: MemoryCache }> {
    const info = this.host.debugInfo();
    if (!info) throw new ValueError('no debug information is loaded');
    const frames = await this.frameStates();
    const frame = frames[frameIndex];
    const cache = this.newCache(info);
    const lookup = lookupOrder(info, frame);
    const host = this.host;
    const arch = info.arch;
    return {
      cache,
      addressSize: info.addressSize,
      readMemory: (a, n) => cache.read(a, n),
      readRegister: (f, reg) => frames[f]?.regs.get(reg),
      complete: (t) => info.completeType(t),
      typeByName: (s) => info.typeByName(s),
      symbolLabel: (a) => host.symbolLabel(a),
      async lookup(name) {
        const v = lookup(name);
        if (v) return variableValue(info, v, frame, cache);
        const e = enumeratorIndex(info).get(name);
        if (e) return constant(e.type, e.value);
        // A C function's name designates its code, as in C: `fact`, `&fact`, `(char *)fact`. Assembly routines stay
        // with the machine-level evaluator: the assembler describes them without a frame base, C compilers never do.
        const fn = info.symbols.byName(name);
        const described = fn && (fn.type === 'func' || fn.type === 'ifunc') ? info.functionAt(fn.address) : undefined;
        if (fn && described?.source === 'dwarf' && described.frameBase.kind !== 'optimizedOut') {
          return { type: { kind: 'function', returnType: VOID, params: [], variadic: false, prototyped: false, id: `function:${name}` }, place: { kind: 'memory', address: fn.address } };
        }
        return undefined;
      },
      async writeMemory(address, bytes) {
        await host.writeMemory(address, bytes);
        cache.clear();
      },
      async writeRegister(f, reg, value, size) {
        if (f !== 0) throw new ValueError('only the innermost frame\'s registers can be written: this value lives in a register of a caller frame');
        const name = arch ? dwarfRegisterName(arch, reg) : undefined;
        const current = frames[0]?.regs.get(reg);
        if (!name || current === undefined) throw new ValueError(`DWARF register ${reg} cannot be written`);
        const mask = (1n << BigInt(size * 8)) - 1n;
        await host.writeRegister(name, (current & ~mask) | (value & mask));
      },
    };
  }
}

/** A trailing `,x` (or `,h`) asks for integers in hex, as in other debuggers' watch windows; `,d` for decimal. */
export function formatSuffix(text: string): { expression: string; hex: boolean } {
  const m = /^(.*\S)\s*,\s*([xXhHdD])\s*$/.exec(text);
  if (!m) return { expression: text, hex: false };
  return { expression: m[1], hex: m[2].toLowerCase() !== 'd' };
}

function isEnum(t: DwarfType, env: Env): boolean {
  return env.complete(stripTypedefs(t)).kind === 'enum';
}

/** Pointers refer to the memory they point at; other lvalues in memory to themselves. */
async function memoryReferenceOf(v: CValue, env: Env): Promise<string | undefined> {
  if (v.problem) return undefined;
  if (isPointer(v.type)) {
    try {
      const p = await scalar(v, env);
      return p === 0n ? undefined : formatMemoryReference(BigInt(p));
    } catch {
      return undefined;
    }
  }
  return v.place?.kind === 'memory' ? formatMemoryReference(v.place.address) : undefined;
}

function placeOf(v: CValue): { address: bigint; size: number } | undefined {
  const size = typeSize(v.type);
  return v.place?.kind === 'memory' && size !== undefined && !v.bitField ? { address: v.place.address, size } : undefined;
}
