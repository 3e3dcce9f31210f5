// Unwinds one frame with CFI rules (or the frame-pointer chain) and walks whole call stacks.
import { ProblemLog, SymbolsError } from '../errors';
import { CALLEE_SAVED, DwarfArch, UNWIND_REGS } from '../dwarfRegisters';
import { evaluateToValue, littleEndian } from '../dwarf/expression/evaluator';
import { UnwindRow, rowForPc } from './cfaMachine';
import { CfiTable, Fde, findFde } from './cfiParser';

export type ReadMemory = (address: bigint, size: number) => Uint8Array | undefined;

/** One unwound (caller) frame. Registers are keyed by DWARF number; absent means unknown. */
export interface UnwoundFrame {
  regs: Map<number, bigint>;
  /** The caller's pc: the return address. */
  pc: bigint;
  /** Canonical frame address of the frame that was unwound (the caller's stack pointer after return). */
  cfa: bigint;
  method: 'cfi' | 'frame-pointer';
  /**
   * True when `pc` is a return address, so lookups must use pc - 1 (a call may be the last
   * instruction of a function). False after a signal/interrupt frame, whose saved pc is exact.
   */
  returnAddress: boolean;
}

export interface UnwindOptions {
  /** The pc in `regs` is a return address (every frame but the innermost). */
  returnAddress?: boolean;
}

export class CfiUnwinder {
  constructor(
    private readonly tables: CfiTable[],
    readonly arch: DwarfArch,
    /** Added to file addresses to get run-time addresses. */
    readonly bias: bigint,
    private readonly problems = new ProblemLog(),
  ) {}

  /** The FDE covering a run-time pc; .debug_frame is consulted before .eh_frame. */
  fdeFor(pc: bigint): Fde | undefined {
    const filePc = pc - this.bias;
    for (const t of this.tables) {
      const fde = findFde(t, filePc);
      if (fde) return fde;
    }
    return undefined;
  }

  /** The unwind rules in effect at a run-time pc. Row `loc` values are run-time addresses too. */
  rowFor(pc: bigint): UnwindRow | undefined {
    const fde = this.fdeFor(pc);
    if (!fde) return undefined;
    const row = this.problems.guard(() => rowForPc(fde, pc - this.bias), undefined);
    return row ? { ...row, loc: row.loc + this.bias } : undefined;
  }

  /** The canonical frame address of the frame whose registers are `regs`, from its CFI rule. */
  cfaFor(regs: Map<number, bigint>, readMemory: ReadMemory, opts: UnwindOptions = {}): bigint | undefined {
    return this.frameRules(regs, readMemory, opts)?.cfa;
  }

  private frameRules(regs: Map<number, bigint>, readMemory: ReadMemory, opts: UnwindOptions): { fde: Fde; row: UnwindRow; cfa: bigint } | undefined {
    const { pc: pcReg, wordSize } = UNWIND_REGS[this.arch];
    const pc = regs.get(pcReg);
    if (pc === undefined) return undefined;
    // A return address may be one past the function's last byte (a call to a noreturn
    // function), so caller frames are looked up at pc - 1.
    const lookup = opts.returnAddress ? pc - 1n : pc;
    const fde = this.fdeFor(lookup);
    if (!fde) return undefined;
    const mask = wordSize === 8 ? 0xffffffffffffffffn : 0xffffffffn;
    try {
      const row = rowForPc(fde, lookup - this.bias);
      if (!row) return undefined;
      let cfa: bigint | undefined;
      if (row.cfa.kind === 'regOffset') {
        const base = regs.get(row.cfa.reg);
        cfa = base === undefined ? undefined : (base + row.cfa.offset) & mask;
      } else {
        cfa = evaluateToValue(row.cfa.expr, { addressSize: wordSize, readReg: (n) => regs.get(n), readMemory, addressBias: this.bias });
      }
      return cfa === undefined ? undefined : { fde, row, cfa };
    } catch (err) {
      if (!(err instanceof SymbolsError)) throw err;
      this.problems.add(err.message);
      return undefined;
    }
  }

  /**
   * The caller's registers, from the CFI rules at the pc in `regs`. Undefined at the end of the
   * stack (the return address rule is undefined or zero) or when no CFI covers the pc or the
   * saved values cannot be read.
   */
  unwindStep(regs: Map<number, bigint>, readMemory: ReadMemory, opts: UnwindOptions = {}): UnwoundFrame | undefined {
    const { pc: pcReg, sp: spReg, wordSize } = UNWIND_REGS[this.arch];
    const frame = this.frameRules(regs, readMemory, opts);
    if (!frame) return undefined;
    const { fde, row, cfa } = frame;
    const mask = wordSize === 8 ? 0xffffffffffffffffn : 0xffffffffn;
    const exprCtx = (initialStack: bigint[]) => ({
      addressSize: wordSize, readReg: (n: number) => regs.get(n), readMemory, initialStack, addressBias: this.bias,
    });
    const readWord = (addr: bigint): bigint | undefined => {
      const b = readMemory(addr & mask, wordSize);
      return b && b.length >= wordSize ? littleEndian(b, wordSize) : undefined;
    };

    const out = calleeSaved(regs, this.arch);
    for (const [reg, rule] of row.regs) {
      let value: bigint | undefined;
      try {
        switch (rule.kind) {
          case 'undefined': value = undefined; break;
          case 'sameValue': value = regs.get(reg); break;
          case 'offset': value = readWord(cfa + rule.offset); break;
          case 'valOffset': value = (cfa + rule.offset) & mask; break;
          case 'register': value = regs.get(rule.reg); break;
          case 'expression': {
            const addr = evaluateToValue(rule.expr, exprCtx([cfa]));
            value = addr === undefined ? undefined : readWord(addr);
            break;
          }
          case 'valExpression': value = evaluateToValue(rule.expr, exprCtx([cfa])); break;
        }
      } catch (err) {
        if (!(err instanceof SymbolsError)) throw err;
        this.problems.add(err.message);
        value = undefined;
      }
      if (value === undefined) out.delete(reg); else out.set(reg, value & mask);
    }
    if (!row.regs.has(spReg)) out.set(spReg, cfa);
    const raRule = row.regs.get(fde.cie.raReg);
    const ra = raRule ? out.get(fde.cie.raReg) : undefined;
    if (ra === undefined || ra === 0n) return undefined;
    out.set(pcReg, ra);
    // Unwinding through an interrupt/signal frame yields the exact interrupted pc, not a return address.
    return { regs: out, pc: ra, cfa, method: 'cfi', returnAddress: !fde.cie.signalFrame };
  }
}

/**
 * The classic rbp/ebp chain: [fp] holds the caller's fp and [fp + word] the return address.
 * Only meaningful once the function has pushed its frame pointer; callers use it where no CFI exists.
 */
export function framePointerStep(regs: Map<number, bigint>, readMemory: ReadMemory, arch: DwarfArch): UnwoundFrame | undefined {
  const { pc: pcReg, sp: spReg, fp: fpReg, wordSize } = UNWIND_REGS[arch];
  const fp = regs.get(fpReg);
  if (fp === undefined || fp === 0n || fp % BigInt(wordSize) !== 0n) return undefined;
  const word = BigInt(wordSize);
  const savedFp = readMemory(fp, wordSize);
  const ret = readMemory(fp + word, wordSize);
  if (!savedFp || !ret || savedFp.length < wordSize || ret.length < wordSize) return undefined;
  const pc = littleEndian(ret, wordSize);
  if (pc === 0n) return undefined;
  const out = calleeSaved(regs, arch);
  const cfa = fp + 2n * word;
  out.set(fpReg, littleEndian(savedFp, wordSize));
  out.set(spReg, cfa);
  out.set(pcReg, pc);
  return { regs: out, pc, cfa, method: 'frame-pointer', returnAddress: true };
}

/** The registers that survive a call unchanged unless CFI says otherwise. */
function calleeSaved(regs: Map<number, bigint>, arch: DwarfArch): Map<number, bigint> {
  const keep = CALLEE_SAVED[arch];
  const out = new Map<number, bigint>();
  for (const [k, v] of regs) if (keep.has(k)) out.set(k, v);
  return out;
}
