// The VM's 16-byte BIOS UUID: parsed from a launch setting or derived stably from the VM name.

const UUID_BYTES = 16;
/** RFC 9562 version 8 ("custom") and the RFC variant, so derived UUIDs are well-formed. */
const VERSION_8 = 0x80;
const VARIANT_RFC = 0x80;
/** FNV-1a 32-bit parameters; four lanes with different starting points make 128 bits. */
const FNV_PRIME = 0x01000193;
const FNV_OFFSET = 0x811c9dc5;
const LANE_SEEDS = [0, 0x9e3779b9, 0x7f4a7c15, 0x6a09e667];

/** Parse "564d1234-5678-9abc-def0-123456789abc" (hyphens and braces optional) into bytes in written order. */
export function parseUuid(text: string): Uint8Array {
  const hex = text.trim().replace(/^\{|\}$/g, '').replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) {
    throw new Error(`invalid VM uuid "${text}": expected 32 hex digits such as 564d0000-1111-2222-3333-444455556666`);
  }
  const out = new Uint8Array(UUID_BYTES);
  for (let i = 0; i < UUID_BYTES; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function formatUuid(bytes: Uint8Array): string {
  const h = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Final avalanche so that similar names give unrelated UUIDs. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A UUID that is the same for the same name on every run and machine. */
export function uuidFromName(name: string): Uint8Array {
  const data = new TextEncoder().encode(name);
  const out = new Uint8Array(UUID_BYTES);
  const view = new DataView(out.buffer);
  LANE_SEEDS.forEach((seed, lane) => {
    let h = (FNV_OFFSET ^ seed) >>> 0;
    for (const b of data) h = Math.imul(h ^ b, FNV_PRIME) >>> 0;
    view.setUint32(lane * 4, mix32(h ^ data.length), false);
  });
  out[6] = (out[6] & 0x0f) | VERSION_8;
  out[8] = (out[8] & 0x3f) | VARIANT_RFC;
  return out;
}

/** The launch `uuid` when given, otherwise a stable hash of the VM name. */
export function deriveVmUuid(opts: { uuid?: string; vmName: string }): Uint8Array {
  return opts.uuid !== undefined && opts.uuid !== '' ? parseUuid(opts.uuid) : uuidFromName(opts.vmName);
}
