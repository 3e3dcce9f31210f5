// DR0-DR3 and DR7 for KVM_SET_GUEST_DEBUG: instruction breakpoints and data watchpoints in slot order.

/** What a debug register watches: an instruction fetch, or writes (or reads and writes) of 1, 2, 4 or 8 bytes. */
export interface DebugSlot {
  address: bigint;
  kind: 'exec' | 'write' | 'readWrite';
  length: 1 | 2 | 4 | 8;
}

/** DR7 R/W field: 00 instruction fetch, 01 data writes, 11 data reads and writes (10 is I/O, unused). */
const RW: Record<DebugSlot['kind'], bigint> = { exec: 0b00n, write: 0b01n, readWrite: 0b11n };
/** DR7 LEN field: 00 one byte, 01 two, 11 four, 10 eight. Instruction breakpoints must use 00. */
const LEN: Record<DebugSlot['length'], bigint> = { 1: 0b00n, 2: 0b01n, 4: 0b11n, 8: 0b10n };
/** DR7.GE: exact data breakpoints (recommended whenever data watchpoints are armed). */
const DR7_GE = 1n << 9n;

/** Global enable of slot i is bit 2i+1; its R/W field is at bit 16+4i and its LEN field at 18+4i. */
export function debugRegisters(slots: readonly DebugSlot[], skip?: bigint): { dr: bigint[]; dr7: bigint } {
  const dr = [0n, 0n, 0n, 0n];
  let dr7 = 0n;
  slots.forEach((s, i) => {
    // The instruction being stepped over must not trigger again on its own fetch.
    if (s.kind === 'exec' && s.address === skip) return;
    dr[i] = s.address;
    const len = s.kind === 'exec' ? 0n : LEN[s.length];
    dr7 |= (1n << BigInt(2 * i + 1)) | (RW[s.kind] << BigInt(16 + 4 * i)) | (len << BigInt(18 + 4 * i));
    if (s.kind !== 'exec') dr7 |= DR7_GE;
  });
  return { dr, dr7 };
}

/** Indexes of the slots DR6 says matched (its B0-B3 bits). */
export function matchedSlots(dr6: bigint): number[] {
  return [0, 1, 2, 3].filter((i) => (dr6 & (1n << BigInt(i))) !== 0n);
}

/** Why a data watch cannot be armed as asked, or undefined when it can. */
export function dataWatchProblem(address: bigint, length: number, access: string): string | undefined {
  if (![1, 2, 4, 8].includes(length)) return `x86 debug registers watch 1, 2, 4 or 8 bytes, not ${length}`;
  if (address % BigInt(length) !== 0n) return `0x${address.toString(16)} is not aligned to ${length} bytes, as x86 debug registers require`;
  if (access === 'read') return 'x86 debug registers cannot watch reads alone: use read/write (readWrite)';
  if (access !== 'write' && access !== 'readWrite') return `unknown access type '${access}' (expected write or readWrite)`;
  return undefined;
}
