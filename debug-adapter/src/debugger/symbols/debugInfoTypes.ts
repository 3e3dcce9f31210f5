// Public result types of the DebugInfo facade. Every address here is a run-time (biased) address.
import type { LocationDesc, Variable } from './dwarf/variables';

export interface DebugInfoOptions {
  /** Added to every file address: where the image was loaded relative to its link address. */
  bias?: bigint;
}

export interface SourceLocation {
  /** Absolute, normalised path as recorded by the compiler. */
  file: string;
  line: number;
  column: number;
  isStmt: boolean;
  /** Start address of the line-table row that covers the queried address. */
  address: bigint;
}

export interface LineAddresses {
  /** The line that has code: the requested one, or the next line after it that has some. */
  line: number;
  addresses: bigint[];
}

export interface AddressRange {
  low: bigint;
  /** Exclusive. */
  high: bigint;
}

/** One inlined call active at an address. */
export interface InlineFrame {
  name: string;
  /** Where the inlined function was called from (the line shown for the frame outside it). */
  callFile?: string;
  callLine?: number;
  callColumn?: number;
  declFile?: string;
  declLine?: number;
  ranges: AddressRange[];
}

export interface FunctionInfo {
  name: string;
  linkageName?: string;
  lowPc: bigint;
  /** Exclusive end of the function's highest range. */
  highPc: bigint;
  ranges: AddressRange[];
  declFile?: string;
  declLine?: number;
  /** First address after the prologue: where a function breakpoint goes. */
  prologueEnd: bigint;
  /** DW_AT_frame_base narrowed to the queried address (optimizedOut when absent). */
  frameBase: LocationDesc;
  /** Inlined calls containing the address, innermost first; empty when none. */
  inlineChain: InlineFrame[];
  /** Name of the compilation unit (usually the main source file). */
  unitName?: string;
  /** 'dwarf' when described by debug info, 'symbol' when only an ELF symbol was found. */
  source: 'dwarf' | 'symbol';
}

export interface Scopes {
  params: Variable[];
  /** Innermost lexical block first; an inner variable shadows an outer one of the same name. */
  locals: Variable[];
  /** Variables defined at the level of the compilation unit holding the code. */
  globals: Variable[];
}

/** What evaluating a variable needs from the stopped machine for one frame. */
export interface FrameContext {
  /** Run-time pc of the frame (for caller frames, the return address). */
  pc: bigint;
  /** True for caller frames: locations and CFI are looked up at pc - 1. */
  returnAddress?: boolean;
  readReg: (dwarfReg: number) => bigint | undefined;
  readMemory: (address: bigint, size: number) => Uint8Array | undefined;
  /** The frame's CFA when already known from unwinding; computed from CFI otherwise. */
  cfa?: bigint;
}

export interface BacktraceFrame {
  pc: bigint;
  /** Registers of this frame by DWARF number (unknown ones absent). */
  regs: Map<number, bigint>;
  /** CFA of this frame, when its unwind rules were known. */
  cfa?: bigint;
  /** How this frame was reached: the starting registers, CFI, or the frame-pointer chain. */
  method: 'initial' | 'cfi' | 'frame-pointer';
  /** pc is a return address (every frame but the first, unless reached through a signal frame). */
  returnAddress: boolean;
}
