// Call-stack walk by frame pointers (push bp; mov bp, sp): return addresses of the callers, innermost first.
// Code built without frame pointers, or interrupted between its prologue instructions, gives a short or odd stack.
import { modeBitness, type CpuMode, type Regs, type Sregs } from '../vmm/cpu/registers';
import type { SourcePosition, SymbolIndex } from './symbolIndex';

/** `inlined`: an inlined call, listed as a frame of its own at the pc of the frame that holds it. */
export interface FrameInfo { name: string; address: bigint; source?: SourcePosition; inlined?: boolean }

type MemoryRead = (address: bigint, length: number) => Promise<{ ok: true; bytes: Uint8Array } | { ok: false }>;

/** The current instruction, then callers found by walking frame pointers (32- and 64-bit code only). */
export async function stackFrames(
  s: { regs: Regs; sregs: Sregs; mode: CpuMode; pc: bigint }, read: MemoryRead, symbols: SymbolIndex | undefined,
): Promise<FrameInfo[]> {
  const frame = (address: bigint, isReturnAddress: boolean): FrameInfo => {
    // A return address may lie just past its function (a call as the last instruction): its line is the call's.
    const source = symbols?.source(isReturnAddress ? address - 1n : address);
    return { name: symbols?.label(address) ?? `0x${address.toString(16)}`, address, source };
  };
  const frames = [frame(s.pc, false)];
  const bits = modeBitness(s.mode);
  if (bits === 16) return frames;
  const wordSize = bits / 8 as 4 | 8;
  const stackBase = bits === 64 ? 0n : s.sregs.ss.base;
  const callers = await callerAddresses({
    sp: stackBase + s.regs.rsp, fp: stackBase + s.regs.rbp, wordSize, atFunctionEntry: symbols?.startingAt(s.pc) !== undefined,
  }, wordReader(read, wordSize));
  for (const ret of callers) frames.push(frame(ret, true));
  return withInlinedCalls(frames, symbols);
}

/**
 * Lists each inlined call as a frame of its own, as gdb does: at the same pc, the innermost inlined function at the
 * stopped line, then each caller at the line of the call it inlines, down to the function that holds the code.
 */
export function withInlinedCalls(frames: FrameInfo[], symbols: SymbolIndex | undefined): FrameInfo[] {
  if (!symbols?.hasLineInfo) return frames;
  return frames.flatMap((f, i) => {
    const pc = i === 0 ? f.address : f.address - 1n;
    const fn = symbols.debugInfoAt(pc).functionAt(pc);
    const chain = fn?.source === 'dwarf' ? fn.inlineChain : [];
    if (!fn || chain.length === 0) return [f];
    const out: FrameInfo[] = [{ ...f, name: `${chain[0].name} [inlined]`, inlined: true }];
    for (let k = 1; k <= chain.length; k++) {
      const call = chain[k - 1];
      const source = call.callFile && call.callLine ? { file: call.callFile, line: call.callLine, column: call.callColumn ?? 0 } : f.source;
      out.push(k < chain.length
        ? { name: `${chain[k].name} [inlined]`, address: f.address, source, inlined: true }
        : { name: f.name, address: f.address, source });
    }
    return out;
  });
}

/** Reads one stack word at a linear address; undefined when it cannot be read. */
export type WordReader = (address: bigint) => Promise<bigint | undefined>;

export interface StackStart {
  /** Linear stack pointer and frame pointer of the innermost frame. */
  sp: bigint;
  fp: bigint;
  wordSize: 4 | 8;
  /** The pc is on a function's first instruction: its return address is still at [sp] and bp is the caller's. */
  atFunctionEntry: boolean;
}

/** Turns an all-or-nothing memory read into a little-endian word reader. */
export function wordReader(read: MemoryRead, wordSize: 4 | 8): WordReader {
  return async (address) => {
    const r = await read(address, wordSize);
    if (!r.ok) return undefined;
    let v = 0n;
    for (let i = wordSize - 1; i >= 0; i--) v = (v << 8n) | BigInt(r.bytes[i]);
    return v;
  };
}

/** A frame chain longer than this is assumed to be garbage. */
export const MAX_FRAMES = 64;

/** Return addresses of up to `max` callers. The walk stops at a zero or unreadable word or a frame pointer that does not grow. */
export async function callerAddresses(start: StackStart, read: WordReader, max = MAX_FRAMES): Promise<bigint[]> {
  const out: bigint[] = [];
  const w = BigInt(start.wordSize);
  if (start.atFunctionEntry) {
    const ret = await read(start.sp);
    if (ret === undefined || ret === 0n) return out;
    out.push(ret);
  }
  let fp = start.fp;
  while (out.length < max && fp !== 0n) {
    const ret = await read(fp + w);
    const next = await read(fp);
    if (ret === undefined || next === undefined || ret === 0n) break;
    out.push(ret);
    // Stacks grow down, so each caller's frame sits higher; anything else is a broken or foreign chain.
    if (next <= fp) break;
    fp = next;
  }
  return out;
}
