// The facade the debugger uses: source lines, functions, variables, types and unwinding for one ELF image.
import { DwarfReader } from './dwarf/dwarfReader';
import { ExpressionContext, LocationResult, evaluateLocation, evaluateToValue } from './dwarf/expression/evaluator';
import { FunctionIndex, callSite } from './dwarf/functionIndex';
import { LineIndex } from './dwarf/line/lineIndex';
import { numberOf } from './dwarf/attrValue';
import { AddressRange as FileRange, dieRanges } from './dwarf/ranges';
import { DwarfSections, collectSections, emptySections } from './dwarf/sections';
import { DW_AT } from './dwarf/tagsAndAttributes';
import { TypeBuilder } from './dwarf/typeBuilder';
import { DwarfType } from './dwarf/types';
import { Die, Unit } from './dwarf/unit';
import { LocationDesc, Variable, VariableReader } from './dwarf/variables';
import {
  AddressRange, BacktraceFrame, DebugInfoOptions, FrameContext, FunctionInfo, InlineFrame, LineAddresses, Scopes,
  SourceLocation,
} from './debugInfoTypes';
import { DwarfArch, UNWIND_REGS } from './dwarfRegisters';
import { ElfFile } from './elf/elfFile';
import { applyDebugRelocations } from './elf/relocations';
import { SymbolTable } from './elf/symbolTable';
import { ProblemLog, SymbolsError } from './errors';
import { findPrologueEnd } from './prologue';
import { UnwindRow } from './unwind/cfaMachine';
import { cfiLookupOrder, cfiTablesFrom } from './unwind/cfiTables';
import { CfiUnwinder, ReadMemory, UnwoundFrame, framePointerStep } from './unwind/unwinder';

const DEFAULT_MAX_FRAMES = 128;

export class DebugInfo {
  readonly bias: bigint;
  readonly arch: DwarfArch | undefined;
  readonly addressSize: 4 | 8;
  readonly symbols: SymbolTable;
  readonly dwarf: DwarfReader;
  readonly lines: LineIndex;
  readonly unwinder: CfiUnwinder | undefined;
  private readonly log = new ProblemLog();
  private readonly functions: FunctionIndex;
  private readonly types: TypeBuilder;
  private readonly variables: VariableReader;

  /**
   * Reads an ELF image. Throws SymbolsError only when the bytes are not a usable ELF file;
   * damaged debug sections are reported through `problems` and leave the rest usable.
   */
  constructor(readonly elf: ElfFile, opts: DebugInfoOptions = {}) {
    this.bias = opts.bias ?? 0n;
    this.arch = elf.arch;
    this.addressSize = elf.addressSize;
    this.log.guard(() => applyDebugRelocations(elf, this.log), undefined);
    const sections: DwarfSections = this.log.guard(() => collectSections(elf, this.log), emptySections());
    this.symbols = this.log.guard(() => SymbolTable.fromElf(elf, this.bias), new SymbolTable([], this.bias));
    this.dwarf = new DwarfReader(sections, this.log);
    this.lines = new LineIndex(this.dwarf, this.log);
    this.functions = new FunctionIndex(this.dwarf, this.log, (u) => this.lineRangesOf(u));
    this.types = new TypeBuilder(this.dwarf);
    this.variables = new VariableReader(this.dwarf, this.types, this.log, (die, i) => this.fileName(die.unit, i));
    if (this.arch) {
      const tables = this.log.guard(() => cfiTablesFrom(sections, this.addressSize, this.log), {});
      this.unwinder = new CfiUnwinder(cfiLookupOrder(tables), this.arch, this.bias, this.log);
    }
  }

  /** Parses `bytes` as an ELF image; throws SymbolsError when it is not one. */
  static fromElf(bytes: Uint8Array, opts: DebugInfoOptions = {}): DebugInfo {
    return new DebugInfo(new ElfFile(bytes), opts);
  }

  /** Non-fatal problems met so far (damaged units, bad lists); grows as queries touch more data. */
  get problems(): readonly string[] {
    return this.log.messages;
  }

  get hasDwarf(): boolean {
    return this.dwarf.units.length > 0;
  }

  /** The source position of a run-time address. */
  addressToLine(address: bigint): SourceLocation | undefined {
    return this.safe(() => {
      const addr = address - this.bias;
      const units = this.functions.unitsAt(addr);
      const pos = this.lines.lookup(addr, units.length > 0 ? units : undefined) ?? (units.length > 0 ? this.lines.lookup(addr) : undefined);
      return pos ? { file: pos.file, line: pos.line, column: pos.column, isStmt: pos.isStmt, address: pos.address + this.bias } : undefined;
    }, undefined);
  }

  /** Breakpoint addresses for a source line (see LineIndex.lineToAddresses). */
  lineToAddresses(file: string, line: number): LineAddresses | undefined {
    return this.safe(() => {
      const m = this.lines.lineToAddresses(file, line, (a) => this.functions.functionAt(a)?.ranges[0]?.low);
      return m ? { line: m.line, addresses: m.addresses.map((a) => a + this.bias) } : undefined;
    }, undefined);
  }

  /** Lines of `file` within [startLine, endLine] where a breakpoint can be placed. */
  breakpointLines(file: string, startLine: number, endLine: number): number[] {
    return this.safe(() => this.lines.breakpointLines(file, startLine, endLine), []);
  }

  sourceFiles(): string[] {
    return this.safe(() => this.lines.sourceFiles(), []);
  }

  /** The function containing a run-time address, from DWARF or, failing that, the symbol table. */
  functionAt(address: bigint): FunctionInfo | undefined {
    return this.safe(() => this.describeFunction(address - this.bias) ?? this.symbolFunction(address), undefined);
  }

  /**
   * Variables visible at a run-time address. `inlineDepth` selects the frame within the inline
   * chain: 0 is the innermost inlined call (or the function itself when nothing is inlined there).
   */
  scopesAt(address: bigint, inlineDepth = 0): Scopes | undefined {
    return this.safe(() => {
      const addr = address - this.bias;
      const fn = this.functions.functionAt(addr);
      if (!fn) return undefined;
      const chain = [...this.functions.inlineChain(fn.die, addr)].reverse();
      chain.push(fn.die);
      const scopeDie = chain[Math.min(Math.max(0, inlineDepth), chain.length - 1)];
      const { params, locals } = this.variables.scope(scopeDie, addr);
      const root = this.dwarf.root(fn.die.unit);
      const globals = root ? this.variables.globals(root).map((v) => this.locateDeclaration(v)) : [];
      return { params, locals, globals };
    }, undefined);
  }

  /** Unit-level variables of every compilation unit; a declaration appears only when no unit defines it. */
  globals(): Variable[] {
    return this.safe(() => {
      const defined: Variable[] = [];
      const declared = new Map<string, Variable>();
      for (const u of this.dwarf.compileUnits()) {
        const root = this.dwarf.root(u);
        if (!root) continue;
        for (const v of this.variables.globals(root)) {
          if (!v.declarationOnly) defined.push(v);
          else if (!declared.has(v.name)) declared.set(v.name, v);
        }
      }
      const names = new Set(defined.map((v) => v.name));
      const orphans = [...declared.values()].filter((v) => !names.has(v.name)).map((v) => this.locateDeclaration(v));
      return [...defined, ...orphans];
    }, []);
  }

  /** A type by its C spelling ("struct node", "u32", "char *"), for casts and watch expressions. */
  typeByName(name: string): DwarfType | undefined {
    return this.safe(() => this.types.byName(name), undefined);
  }

  /** The complete definition of a forward-declared struct/union/enum, when another unit has it. */
  completeType(t: DwarfType): DwarfType {
    return this.safe(() => this.types.complete(t), t);
  }

  /**
   * Evaluates a variable location for one frame. DW_OP_fbreg uses the function's frame base and
   * DW_OP_call_frame_cfa the frame's CFA (from `frame.cfa` or the CFI). Malformed expressions
   * come back as 'unavailable' with the reason.
   */
  evaluate(loc: LocationDesc, frame: FrameContext): LocationResult {
    if (loc.kind === 'optimizedOut') return { kind: 'optimizedOut' };
    if (loc.kind === 'const') {
      return typeof loc.value === 'bigint' ? { kind: 'value', value: loc.value } : { kind: 'implicit', bytes: loc.value };
    }
    try {
      const ctx = this.expressionContext(loc, frame);
      return evaluateLocation(loc.expr, ctx);
    } catch (err) {
      if (err instanceof SymbolsError) return { kind: 'unavailable', reason: err.message };
      throw err;
    }
  }

  /** The CFI row in effect at a run-time pc. */
  unwindRowAt(pc: bigint): UnwindRow | undefined {
    return this.safe(() => this.unwinder?.rowFor(pc), undefined);
  }

  /** One CFI unwind step; undefined at the end of the stack or where no CFI covers the pc. */
  unwindStep(regs: Map<number, bigint>, readMemory: ReadMemory, opts: { returnAddress?: boolean } = {}): UnwoundFrame | undefined {
    return this.safe(() => this.unwinder?.unwindStep(regs, readMemory, opts), undefined);
  }

  /** The rbp/ebp-chain step, for code without CFI. */
  framePointerStep(regs: Map<number, bigint>, readMemory: ReadMemory): UnwoundFrame | undefined {
    return this.arch ? framePointerStep(regs, readMemory, this.arch) : undefined;
  }

  /**
   * Walks the stack from `regs`: CFI where it covers the pc, the frame-pointer chain where it
   * does not. Stops at the end of the stack, when the stack pointer stops growing, after the
   * function holding the ELF entry point (nothing called it), or after `maxFrames`.
   */
  backtrace(regs: Map<number, bigint>, readMemory: ReadMemory, opts: { maxFrames?: number; pastEntry?: boolean } = {}): BacktraceFrame[] {
    const maxFrames = opts.maxFrames ?? DEFAULT_MAX_FRAMES;
    if (!this.arch) return [];
    const { pc: pcReg, sp: spReg } = UNWIND_REGS[this.arch];
    const pc0 = regs.get(pcReg);
    if (pc0 === undefined) return [];
    const frames: BacktraceFrame[] = [{ pc: pc0, regs, method: 'initial', returnAddress: false }];
    const seen = new Set<string>();
    const entry = this.entryFunction();
    while (frames.length < maxFrames) {
      const cur = frames[frames.length - 1];
      const lookupPc = cur.returnAddress ? cur.pc - 1n : cur.pc;
      if (!opts.pastEntry && entry && lookupPc >= entry.low && lookupPc < entry.high) break;
      const covered = this.unwinder?.fdeFor(lookupPc) !== undefined;
      const next = covered
        ? this.unwindStep(cur.regs, readMemory, { returnAddress: cur.returnAddress })
        : this.framePointerStep(cur.regs, readMemory);
      if (!next) break;
      cur.cfa = next.cfa;
      const sp = cur.regs.get(spReg);
      // The caller's frame lies above the callee's on a downward-growing stack.
      if (sp !== undefined && next.cfa <= sp) break;
      const key = `${next.pc}:${next.cfa}`;
      if (seen.has(key)) break;
      seen.add(key);
      frames.push({ pc: next.pc, regs: next.regs, method: next.method, returnAddress: next.returnAddress });
    }
    return frames;
  }

  /** Run-time range of the function holding the ELF entry point, where call stacks begin. */
  private entryFunction(): AddressRange | undefined {
    if (this.elf.entry === 0n) return undefined;
    const fn = this.functionAt(this.elf.entry + this.bias);
    return fn ? { low: fn.lowPc, high: fn.highPc } : undefined;
  }

  private expressionContext(loc: Extract<LocationDesc, { kind: 'expr' }>, frame: FrameContext): ExpressionContext {
    const unit = this.dwarf.unitAt(loc.unitOffset);
    const ctx: ExpressionContext = {
      addressSize: loc.addressSize,
      offsetSize: loc.offsetSize,
      readReg: frame.readReg,
      readMemory: frame.readMemory,
      addressBias: this.bias,
      addrIndex: unit ? (i) => this.dwarf.addrIndex(unit, i) : undefined,
      cfa: frame.cfa ?? this.cfaOf(frame),
    };
    ctx.frameBase = this.frameBaseOf(frame, ctx);
    return ctx;
  }

  private cfaOf(frame: FrameContext): bigint | undefined {
    if (!this.unwinder || !this.arch) return undefined;
    const regs = new Map<number, bigint>();
    const count = this.arch === 'x86-64' ? 17 : 10;
    for (let i = 0; i < count; i++) {
      const v = frame.readReg(i);
      if (v !== undefined) regs.set(i, v);
    }
    regs.set(UNWIND_REGS[this.arch].pc, frame.pc);
    return this.unwinder.cfaFor(regs, frame.readMemory, { returnAddress: frame.returnAddress });
  }

  /** DW_AT_frame_base of the function at the frame's pc: a register's value or a computed address. */
  private frameBaseOf(frame: FrameContext, ctx: ExpressionContext): bigint | undefined {
    const pc = (frame.returnAddress ? frame.pc - 1n : frame.pc) - this.bias;
    const fn = this.functions.functionAt(pc);
    if (!fn) return undefined;
    const desc = this.variables.locationAttr(fn.die, DW_AT.frame_base, pc);
    if (!desc || desc.kind !== 'expr') return undefined;
    return evaluateToValue(desc.expr, { ...ctx, frameBase: undefined });
  }

  private describeFunction(addr: bigint): FunctionInfo | undefined {
    const fn = this.functions.functionAt(addr);
    if (!fn) return undefined;
    const die = fn.die;
    const unit = die.unit;
    const ranges = fn.ranges;
    const lowPc = ranges.reduce((m, r) => (r.low < m ? r.low : m), ranges[0].low);
    const highPc = ranges.reduce((m, r) => (r.high > m ? r.high : m), ranges[0].high);
    const entryRange = ranges.find((r) => r.low === lowPc)!;
    const units = [unit];
    const rows = this.lines.rowsBetween(entryRange.low, entryRange.high, units);
    const info: FunctionInfo = {
      name: this.dwarf.name(die) ?? '<anonymous>',
      lowPc: lowPc + this.bias,
      highPc: highPc + this.bias,
      ranges: ranges.map((r) => this.biased(r)),
      prologueEnd: findPrologueEnd(rows, entryRange.low) + this.bias,
      frameBase: this.variables.locationAttr(die, DW_AT.frame_base, addr) ?? { kind: 'optimizedOut' },
      inlineChain: this.functions.inlineChain(die, addr).reverse().map((d) => this.inlineFrame(d)),
      source: 'dwarf',
    };
    const linkage = this.dwarf.inherited(die, DW_AT.linkage_name) ?? this.dwarf.inherited(die, DW_AT.MIPS_linkage_name);
    const linkageName = linkage ? this.dwarf.string(linkage.value, linkage.owner.unit) : undefined;
    if (linkageName) info.linkageName = linkageName;
    this.addDecl(info, die);
    if (unit.name) info.unitName = unit.name;
    return info;
  }

  private symbolFunction(address: bigint): FunctionInfo | undefined {
    const sym = this.symbols.lookup(address);
    if (!sym || (sym.type !== 'func' && sym.type !== 'notype' && sym.type !== 'ifunc')) return undefined;
    const end = sym.address + BigInt(Math.max(sym.size, 1));
    return {
      name: sym.name, lowPc: sym.address, highPc: end, ranges: [{ low: sym.address, high: end }],
      prologueEnd: sym.address, frameBase: { kind: 'optimizedOut' }, inlineChain: [], source: 'symbol',
    };
  }

  private inlineFrame(d: Die): InlineFrame {
    const site = callSite(d);
    const f: InlineFrame = { name: this.dwarf.name(d) ?? '<inlined>', ranges: dieRanges(this.dwarf, d).map((r) => this.biased(r)) };
    const callFile = this.fileName(d.unit, site.file);
    if (callFile !== undefined) f.callFile = callFile;
    if (site.line !== undefined) f.callLine = site.line;
    if (site.column !== undefined) f.callColumn = site.column;
    this.addDecl(f, d);
    return f;
  }

  private addDecl(target: { declFile?: string; declLine?: number }, die: Die): void {
    const file = this.dwarf.inherited(die, DW_AT.decl_file);
    const line = this.dwarf.inherited(die, DW_AT.decl_line);
    const name = file ? this.fileName(file.owner.unit, numberOf(file.value)) : undefined;
    if (name !== undefined) target.declFile = name;
    const n = line ? numberOf(line.value) : undefined;
    if (n !== undefined) target.declLine = n;
  }

  /** A declaration-only global gets its address from the ELF symbol of the same name. */
  private locateDeclaration(v: Variable): Variable {
    if (!v.declarationOnly) return v;
    const sym = this.symbols.byName(v.name);
    if (!sym || sym.type !== 'object') return v;
    const size = this.addressSize;
    const expr = new Uint8Array(1 + size);
    expr[0] = 0x03; // DW_OP_addr
    let a = sym.address - this.bias;
    for (let i = 0; i < size; i++) { expr[1 + i] = Number(a & 0xffn); a >>= 8n; }
    return { ...v, location: { kind: 'expr', expr, addressSize: size, offsetSize: 4, unitOffset: -1 } };
  }

  private fileName(unit: Unit, index: number | undefined): string | undefined {
    if (index === undefined) return undefined;
    return this.lines.tableFor(unit)?.header.files[index]?.path;
  }

  private lineRangesOf(unit: Unit): FileRange[] {
    return this.lines.tableFor(unit)?.sequences.map((s) => ({ low: s.low, high: s.high })) ?? [];
  }

  private biased(r: FileRange): AddressRange {
    return { low: r.low + this.bias, high: r.high + this.bias };
  }

  private safe<T>(fn: () => T, fallback: T): T {
    return this.log.guard(fn, fallback);
  }
}
