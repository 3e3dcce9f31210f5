// Registers and CFA of each stack frame the debugger shows, from the DWARF unwinder, for reading that frame's variables.
import type { Regs } from '../../vmm/cpu/registers';
import { regsToDwarf, type DebugInfo, type FrameContext } from '../symbols';
import { withMemory, type MemoryCache } from './memoryCache';

export interface FrameState {
  /** Index in the call stack as shown (0 = innermost). */
  index: number;
  pc: bigint;
  /** Caller frames: pc is a return address, so scopes and locations are looked up at pc - 1. */
  returnAddress: boolean;
  /** Registers by DWARF number; those the unwinder could not recover are absent. */
  regs: Map<number, bigint>;
  cfa?: bigint;
  /** Inlined calls outside the innermost one at this pc (0 = the innermost function shown at this pc). */
  inlineDepth: number;
}

/**
 * Unwinds from the vCPU registers and pairs the result with the call stack the client was shown (`framePcs`,
 * innermost first). Frames are matched by pc in order, so a stack walked differently (frame pointers vs CFI)
 * still finds its registers where both agree; a frame with no match gets undefined. A frame that repeats the
 * previous pc without a stack frame of its own is an inlined call's caller, one inline level further out.
 */
export async function unwindFrames(info: DebugInfo, regs: Regs, framePcs: bigint[], cache: MemoryCache): Promise<(FrameState | undefined)[]> {
  const arch = info.arch;
  if (!arch || framePcs.length === 0) return framePcs.map(() => undefined);
  const start = regsToDwarf(regs, arch);
  const trace = await withMemory(cache, () => info.backtrace(start, (a, s) => cache.peek(a, s), { maxFrames: framePcs.length + 4, pastEntry: true }));
  const out: (FrameState | undefined)[] = [];
  let j = 0;
  for (let i = 0; i < framePcs.length; i++) {
    const prev = out[i - 1];
    if (prev && framePcs[i] === framePcs[i - 1] && trace[j]?.pc !== framePcs[i]) {
      out.push({ ...prev, index: i, inlineDepth: prev.inlineDepth + 1 });
      continue;
    }
    let k = j;
    while (k < trace.length && trace[k].pc !== framePcs[i]) k++;
    if (k >= trace.length) {
      out.push(i === 0 ? { index: 0, pc: framePcs[0], returnAddress: false, regs: start, inlineDepth: 0 } : undefined);
      continue;
    }
    const f = trace[k];
    out.push({ index: i, pc: f.pc, returnAddress: f.returnAddress, regs: f.regs, cfa: f.cfa, inlineDepth: 0 });
    j = k + 1;
  }
  return out;
}

/** The address whose scopes and location-list entries apply to a frame. */
export function lookupPc(frame: FrameState): bigint {
  return frame.returnAddress ? frame.pc - 1n : frame.pc;
}

/** What DebugInfo.evaluate needs for one frame, reading memory through the cache. */
export function frameContext(frame: FrameState | undefined, cache: MemoryCache): FrameContext {
  const readMemory = (a: bigint, s: number) => cache.peek(a, s);
  if (!frame) return { pc: 0n, readReg: () => undefined, readMemory };
  return { pc: frame.pc, returnAddress: frame.returnAddress, readReg: (n) => frame.regs.get(n), readMemory, cfa: frame.cfa };
}
