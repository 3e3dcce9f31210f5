// The breakpoints the user asked for (instruction, function and source), turned into address specs for the debug stub.
import type { BreakpointMode, BreakpointSpec } from '../vmm/debugStub/stubTypes';
import { identifiers } from './expression';
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

/** One user breakpoint; a source line may need several addresses (one spec each, same id). */
export interface BreakpointResult { id: number; verified: boolean; message?: string; address?: bigint; line?: number }

export interface BreakpointEntry { id: number; specs: BreakpointSpec[]; failure?: string; line?: number }

export class BreakpointManager {
  private instruction: BreakpointEntry[] = [];
  private functions: BreakpointEntry[] = [];
  private readonly sources = new Map<string, BreakpointEntry[]>();
  private nextId = 1;

  constructor(private readonly symbols: () => SymbolIndex | undefined) {}

  setInstruction(list: InstructionBreakpointRequest[]): BreakpointEntry[] {
    return (this.instruction = list.map((b) => this.entry([b.address], b)));
  }

  setFunction(list: FunctionBreakpointRequest[]): BreakpointEntry[] {
    const syms = this.symbols();
    return (this.functions = list.map((b) => {
      const address = syms?.address(b.name);
      if (address !== undefined) return this.entry([address], b);
      return { id: this.nextId++, specs: [], failure: syms ? `no symbol named '${b.name}'` : 'no ELF symbols are loaded (set "symbols" in the launch configuration)' };
    }));
  }

  setSource(file: string, list: SourceBreakpointRequest[]): BreakpointEntry[] {
    const syms = this.symbols();
    const entries = list.map((b): BreakpointEntry => {
      if (!syms?.hasLineInfo) return { id: this.nextId++, specs: [], failure: 'no line information is loaded for this image (build it with -g, or set "symbols")' };
      const m = syms.lineAddresses(file, b.line);
      if (!m || m.addresses.length === 0) return { id: this.nextId++, specs: [], failure: `no code at or after line ${b.line} of this file` };
      return { ...this.entry(m.addresses, b), line: m.line };
    });
    this.sources.set(file, entries);
    return entries;
  }

  /** Every spec of every kind, for the stub. */
  specs(): BreakpointSpec[] {
    return [...this.instruction, ...this.functions, ...[...this.sources.values()].flat()].flatMap((e) => e.specs);
  }

  private entry(addresses: bigint[], b: BreakpointRequest): BreakpointEntry {
    const id = this.nextId++;
    const logExpressions = b.logMessage?.match(/\{[^{}]+\}/g)?.map((m) => m.slice(1, -1)) ?? [];
    const symbols = this.symbolMap([b.condition ?? '', ...logExpressions].join(' '));
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
