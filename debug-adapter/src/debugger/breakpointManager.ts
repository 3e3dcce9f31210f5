// The breakpoints the user asked for (instruction, function, source and data), turned into address specs for the debug stub.
import { basename } from 'path';
import { dataWatchProblem } from '../vmm/debugStub/debugRegisters';
import type { BreakpointMode, BreakpointSpec } from '../vmm/debugStub/stubTypes';
import { ExpressionError, identifiers, parseHitCondition } from './expression';
import { logExpressions, needsC, type HostCheck } from './hostChecks';
import type { SymbolIndex } from './symbolIndex';

export interface BreakpointRequest {
  mode?: BreakpointMode;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}
export interface InstructionBreakpointRequest extends BreakpointRequest { address: bigint }
export interface FunctionBreakpointRequest extends BreakpointRequest { name: string }
export interface SourceBreakpointRequest extends BreakpointRequest { line: number }
/** Watches `length` bytes at a linear address for writes, or for reads and writes. */
export interface DataBreakpointRequest extends BreakpointRequest { address: bigint; length: number; access: 'write' | 'readWrite' | 'read' }

/** One user breakpoint; a source line may need several addresses (one spec each, same id). */
export interface BreakpointResult { id: number; verified: boolean; message?: string; address?: bigint; line?: number }

/** `check` is set when the condition or log message is C: the main thread runs it on each hit. */
export interface BreakpointEntry { id: number; specs: BreakpointSpec[]; failure?: string; line?: number; check?: HostCheck }

export class BreakpointManager {
  private instruction: BreakpointEntry[] = [];
  private data: BreakpointEntry[] = [];
  private functions: BreakpointEntry[] = [];
  private readonly sources = new Map<string, BreakpointEntry[]>();
  private nextId = 1;

  constructor(private readonly symbols: () => SymbolIndex | undefined) {}

  setInstruction(list: InstructionBreakpointRequest[]): BreakpointEntry[] {
    return (this.instruction = list.map((b) => this.entry([b.address], b, `0x${b.address.toString(16)}`)));
  }

  setData(list: DataBreakpointRequest[]): BreakpointEntry[] {
    return (this.data = list.map((b) => {
      const problem = dataWatchProblem(b.address, b.length, b.access);
      if (problem) return { id: this.nextId++, specs: [], failure: problem };
      const e = this.entry([b.address], { ...b, mode: 'data' }, `data at 0x${b.address.toString(16)}`);
      return { ...e, specs: e.specs.map((s) => ({ ...s, length: b.length, access: b.access })) };
    }));
  }

  setFunction(list: FunctionBreakpointRequest[]): BreakpointEntry[] {
    const syms = this.symbols();
    return (this.functions = list.map((b) => {
      const address = syms?.address(b.name);
      if (address !== undefined) return this.entry([address], b, b.name);
      return { id: this.nextId++, specs: [], failure: syms ? `no symbol named '${b.name}'` : 'no ELF symbols are loaded (set "symbols" in the launch configuration)' };
    }));
  }

  setSource(file: string, list: SourceBreakpointRequest[]): BreakpointEntry[] {
    const syms = this.symbols();
    const entries = list.map((b): BreakpointEntry => {
      if (!syms?.hasLineInfo) return { id: this.nextId++, specs: [], failure: 'no line information is loaded for this image (build it with -g, or set "symbols")' };
      const m = syms.lineAddresses(file, b.line);
      if (!m || m.addresses.length === 0) return { id: this.nextId++, specs: [], failure: `no code at or after line ${b.line} of this file` };
      return { ...this.entry(m.addresses, b, `${basename(file)}:${m.line}`), line: m.line };
    });
    this.sources.set(file, entries);
    return entries;
  }

  /** Every spec of every kind, for the stub. */
  specs(): BreakpointSpec[] {
    return this.all().flatMap((e) => e.specs);
  }

  /** Which request set breakpoint `id` (it names the stop: instruction, function or source breakpoint). */
  kindOf(id: number): 'instruction' | 'function' | 'source' | 'data' | undefined {
    if (this.instruction.some((e) => e.id === id)) return 'instruction';
    if (this.data.some((e) => e.id === id)) return 'data';
    if (this.functions.some((e) => e.id === id)) return 'function';
    return [...this.sources.values()].some((l) => l.some((e) => e.id === id)) ? 'source' : undefined;
  }

  /** The main-thread checks of a breakpoint (undefined when it has none or the worker runs them). */
  check(id: number): HostCheck | undefined {
    return this.all().find((e) => e.id === id)?.check;
  }

  private all(): BreakpointEntry[] {
    return [...this.instruction, ...this.functions, ...this.data, ...[...this.sources.values()].flat()];
  }

  private entry(addresses: bigint[], b: BreakpointRequest, where: string): BreakpointEntry {
    const id = this.nextId++;
    const logExprs = logExpressions(b.logMessage);
    const info = this.symbols()?.debugInfo;
    if ([b.condition ?? '', ...logExprs].some((t) => needsC(t, info))) {
      let hitCondition: HostCheck['hitCondition'];
      try {
        if (b.hitCondition?.trim()) hitCondition = parseHitCondition(b.hitCondition);
      } catch (e) {
        if (e instanceof ExpressionError) return { id, specs: [], failure: e.message };
        throw e;
      }
      const check: HostCheck = { where, condition: b.condition, hitCondition, logMessage: b.logMessage, hits: 0, warned: false };
      return { id, check, specs: addresses.map((address) => ({ id, address, mode: b.mode ?? 'software', hostCheck: true })) };
    }
    const symbols = this.symbolMap([b.condition ?? '', ...logExprs].join(' '));
    return {
      id,
      specs: addresses.map((address) => ({
        id, address, mode: b.mode ?? 'software', condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage, symbols,
      })),
    };
  }

  /** Addresses of the symbols an expression mentions (the worker has no symbol table). */
  symbolMap(text: string): Record<string, bigint> {
    const out: Record<string, bigint> = {};
    const syms = this.symbols();
    if (!syms) return out;
    for (const name of identifiers(text)) {
      const a = syms.address(name);
      if (a !== undefined) out[name] = a;
    }
    return out;
  }
}
