// Memory references as the debugger hands them out and accepts them: `0x1000` (guest-virtual) or `phys:0x1000`.

export interface MemoryLocation { address: bigint; physical: boolean }

export class MemoryReferenceError extends Error {}

const PHYS = 'phys:';

export function formatMemoryReference(address: bigint, physical = false): string {
  return `${physical ? PHYS : ''}0x${BigInt.asUintN(64, address).toString(16)}`;
}

/** Accepts hex (0x...) or decimal addresses, with an optional `phys:` prefix; `offset` may be negative. */
export function parseMemoryReference(ref: string, offset = 0): MemoryLocation {
  const text = ref.trim();
  const physical = text.toLowerCase().startsWith(PHYS);
  const body = physical ? text.slice(PHYS.length).trim() : text;
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(body)) {
    throw new MemoryReferenceError(`memory reference '${ref}' is not an address: expected 0x1234 or phys:0x1234`);
  }
  return { address: BigInt.asUintN(64, BigInt(body) + BigInt(offset)), physical };
}
