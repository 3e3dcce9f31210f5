// Reads and writes guest-virtual ranges page by page through the page walker, all-or-nothing.
import type { GuestMemory } from './guestMemory';
import { pagingMode, translate, type AccessIntent, type PagingRegisters, type TranslationFault, type WalkOptions } from './pageWalker';
import { hex } from '../../common/hex';

export type VirtualReadResult = { ok: true; bytes: Uint8Array } | VirtualAccessFailure;
export type VirtualWriteResult = { ok: true } | VirtualAccessFailure;

export interface VirtualAccessFailure {
  ok: false;
  /** One line: the failing address and why. */
  reason: string;
  /** The first guest-virtual address that could not be accessed. */
  gva: bigint;
  /** The walk that failed, when the failure is a translation fault (absent when the page is unbacked). */
  fault?: TranslationFault;
}

/** Physical chunks never cross a 4 KiB frame, so memory regions only need to be page aligned. */
const FRAME = 0x1000;
const MASK32 = 0xffffffffn;
const MASK64 = (1n << 64n) - 1n;

interface Chunk { gpa: number; length: number; offset: number }


/**
 * Resolve [gva, gva+length) to physical chunks. Outside long mode linear addresses wrap at 4 GiB, in long mode
 * at 2^64 (a range that runs into the non-canonical hole fails at the first non-canonical page).
 */
function resolve(
  gva: bigint, length: number, cpu: PagingRegisters, mem: GuestMemory, access: AccessIntent, options: WalkOptions,
): Chunk[] | VirtualAccessFailure {
  const chunks: Chunk[] = [];
  const mode = pagingMode(cpu);
  const wrap = mode === 'long4' || mode === 'long5' ? MASK64 : MASK32;
  let done = 0;
  while (done < length) {
    const addr = (BigInt.asUintN(64, gva) + BigInt(done)) & wrap;
    const t = translate(addr, cpu, mem, access, options);
    if (!t.ok) return { ok: false, reason: `guest virtual ${hex(addr)}: ${t.reason}`, gva: addr, fault: t };
    // Stay within the mapped page, then within one 4 KiB frame of it.
    const inFrame = FRAME - (t.gpa % FRAME);
    const n = Math.min(length - done, inFrame);
    if (!mem.contains(t.gpa, n)) {
      return { ok: false, reason: `guest virtual ${hex(addr)} maps to guest physical ${hex(t.gpa)}, which is not backed by guest memory`, gva: addr };
    }
    const last = chunks[chunks.length - 1];
    if (last && last.gpa + last.length === t.gpa && mem.contains(last.gpa, last.length + n)) last.length += n;
    else chunks.push({ gpa: t.gpa, length: n, offset: done });
    done += n;
  }
  return chunks;
}

/** Read `length` bytes at a guest-virtual address; nothing is returned unless every byte is readable. */
export function readVirtual(
  gva: bigint, length: number, cpu: PagingRegisters, mem: GuestMemory, access: AccessIntent = {}, options: WalkOptions = {},
): VirtualReadResult {
  const chunks = resolve(gva, length, cpu, mem, { ...access, write: false }, options);
  if (!Array.isArray(chunks)) return chunks;
  const bytes = new Uint8Array(length);
  for (const c of chunks) bytes.set(mem.view(c.gpa, c.length), c.offset);
  return { ok: true, bytes };
}

/** Write `bytes` at a guest-virtual address; every page is translated first, so a failure writes nothing. */
export function writeVirtual(
  gva: bigint, bytes: Uint8Array, cpu: PagingRegisters, mem: GuestMemory, access: AccessIntent = {}, options: WalkOptions = {},
): VirtualWriteResult {
  const chunks = resolve(gva, bytes.length, cpu, mem, { ...access, write: true }, options);
  if (!Array.isArray(chunks)) return chunks;
  for (const c of chunks) mem.view(c.gpa, c.length).set(bytes.subarray(c.offset, c.offset + c.length));
  return { ok: true };
}
