// Hex rendering of addresses and values for messages and views: "0x1f", or zero-padded to `digits`.

/** Bigints as unsigned 64-bit (so -1n reads 0xffffffffffffffff); negative numbers as unsigned 32-bit. */
export function hex(v: number | bigint, digits = 0): string {
  const u = typeof v === 'bigint' ? BigInt.asUintN(64, v) : v < 0 ? v >>> 0 : v;
  return `0x${u.toString(16).padStart(digits, '0')}`;
}
