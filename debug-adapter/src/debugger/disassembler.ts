// x86 decoding for the debugger: Intel-syntax text in the bitness of the current CS, and which instructions `next` steps over.
import type * as Iced from 'iced-x86';

/**
 * iced-x86 loads its WebAssembly file from beside its own script, so it must be required from node_modules at run time
 * rather than bundled (a bundle would look for the .wasm next to the bundle). The name is in a variable for that reason.
 */
const ICED_MODULE = 'iced-x86';
let iced: typeof Iced | undefined;
function lib(): typeof Iced {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (iced ??= require(ICED_MODULE) as typeof Iced);
}

export interface DecodedInstruction {
  address: bigint;
  length: number;
  bytes: Uint8Array;
  /** Intel syntax, e.g. `mov eax,[ebp+8]`; "(bad)" when the bytes do not decode. */
  text: string;
  invalid: boolean;
  /** Calls, software interrupts and rep-prefixed instructions: `next` runs them to the following instruction. */
  stepsOver: boolean;
  /** Direct near-branch target, for symbol hints. */
  branchTarget?: bigint;
}

/** The longest x86 instruction. */
export const MAX_INSTRUCTION_BYTES = 15;

let formatter: Iced.Formatter | undefined;
function intel(): Iced.Formatter {
  if (!formatter) {
    formatter = new (lib().Formatter)(lib().FormatterSyntax.Intel);
    formatter.hexPrefix = '0x';
    formatter.hexSuffix = '';
    formatter.spaceAfterOperandSeparator = true;
    formatter.branchLeadingZeros = false;
  }
  return formatter;
}

/** Decodes up to `count` instructions from `bytes`, which sit at guest address `address`. */
export function decodeInstructions(bytes: Uint8Array, address: bigint, bitness: 16 | 32 | 64, count: number): DecodedInstruction[] {
  const { Decoder, DecoderOptions, FlowControl } = lib();
  const decoder = new Decoder(bitness, bytes, DecoderOptions.None);
  decoder.ip = address;
  const out: DecodedInstruction[] = [];
  let offset = 0;
  try {
    while (out.length < count && decoder.canDecode) {
      const insn = decoder.decode();
      try {
        // A truncated tail decodes as invalid: report it as such rather than as a made-up instruction.
        const invalid = insn.isInvalid;
        const length = invalid ? 1 : insn.length;
        const flow = insn.flowControl;
        out.push({
          address: address + BigInt(offset),
          length,
          bytes: bytes.slice(offset, offset + length),
          text: invalid ? '(bad)' : intel().format(insn),
          invalid,
          stepsOver: !invalid && (flow === FlowControl.Call || flow === FlowControl.IndirectCall || flow === FlowControl.Interrupt
            || insn.hasRepPrefix || insn.hasRepePrefix || insn.hasRepnePrefix),
          branchTarget: !invalid && (flow === FlowControl.Call || flow === FlowControl.UnconditionalBranch || flow === FlowControl.ConditionalBranch)
            ? insn.nearBranchTarget : undefined,
        });
        offset += length;
        if (invalid) { decoder.position = offset; decoder.ip = address + BigInt(offset); }
      } finally {
        insn.free();
      }
    }
  } finally {
    decoder.free();
  }
  return out;
}
