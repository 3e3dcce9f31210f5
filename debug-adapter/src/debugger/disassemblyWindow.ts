// Builds the instruction window the Disassembly view asks for, including instructions before an address (x86 cannot be
// decoded backwards, so decoding restarts at earlier bytes until it lands exactly on the address).
import { decodeInstructions, MAX_INSTRUCTION_BYTES, type DecodedInstruction } from './disassembler';

/** Reads guest bytes; unreadable bytes are reported so they show as unknown rather than as zeros. */
export type ByteSource = (address: bigint, length: number) => Promise<{ bytes: Uint8Array; readable: boolean[] }>;

export interface WindowInstruction extends DecodedInstruction { readable: boolean }

/** All-or-nothing reads, as the stub answers them. */
export type MemoryRead = (address: bigint, length: number) => Promise<{ ok: true; bytes: Uint8Array } | { ok: false; error: string }>;

/** A ByteSource that falls back to page-sized pieces, so one unmapped page does not blank the whole window. */
export function pageWiseSource(read: MemoryRead): ByteSource {
  return async (address, length) => {
    const whole = await read(address, length);
    if (whole.ok) return { bytes: whole.bytes, readable: new Array<boolean>(length).fill(true) };
    const bytes = new Uint8Array(length);
    const readable = new Array<boolean>(length).fill(false);
    for (let at = 0; at < length;) {
      const n = Math.min(PAGE - Number((address + BigInt(at)) & PAGE_MASK), length - at);
      const piece = await read(address + BigInt(at), n);
      if (piece.ok) { bytes.set(piece.bytes, at); readable.fill(true, at, at + n); }
      at += n;
    }
    return { bytes, readable };
  };
}

const PAGE = 0x1000;
const PAGE_MASK = 0xfffn;

function unknown(address: bigint): WindowInstruction {
  return { address, length: 1, bytes: new Uint8Array(0), text: '??', invalid: true, stepsOver: false, readable: false };
}

async function forward(read: ByteSource, start: bigint, count: number, bitness: 16 | 32 | 64): Promise<WindowInstruction[]> {
  const out: WindowInstruction[] = [];
  let at = start;
  while (out.length < count) {
    const want = Math.min(4096, (count - out.length) * MAX_INSTRUCTION_BYTES);
    const { bytes, readable } = await read(at, want);
    const firstBad = readable.indexOf(false);
    if (firstBad === 0) { out.push(unknown(at)); at += 1n; continue; }
    const usable = firstBad < 0 ? bytes : bytes.subarray(0, firstBad);
    const decoded = decodeInstructions(usable, at, bitness, count - out.length);
    // The last instruction may have been cut by the read size: keep only those that fit fully unless that is all we have.
    let used = 0;
    for (const d of decoded) {
      if (d.invalid && used + MAX_INSTRUCTION_BYTES > usable.length && firstBad < 0 && decoded.length > 1) break;
      out.push({ ...d, readable: true });
      used += d.length;
    }
    if (used === 0) { out.push(unknown(at)); used = 1; }
    at += BigInt(used);
  }
  return out.slice(0, count);
}

async function backward(read: ByteSource, end: bigint, count: number, bitness: 16 | 32 | 64): Promise<WindowInstruction[]> {
  if (count <= 0) return [];
  const span = BigInt(count * MAX_INSTRUCTION_BYTES);
  const start = end > span ? end - span : 0n;
  // Try successive start bytes until a decode ends exactly at `end`; x86 decoding resynchronises within a few instructions.
  for (let skew = 0n; skew < BigInt(MAX_INSTRUCTION_BYTES) && start + skew < end; skew++) {
    const from = start + skew;
    const list = await forward(read, from, Number(end - from), bitness);
    const upTo: WindowInstruction[] = [];
    let at = from;
    for (const i of list) {
      if (at >= end) break;
      upTo.push(i);
      at += BigInt(i.length);
    }
    if (at === end && upTo.length > 0) {
      const tail = upTo.slice(-count);
      const pad: WindowInstruction[] = [];
      for (let a = tail[0].address - 1n; pad.length + tail.length < count && a >= 0n; a--) pad.unshift(unknown(a));
      return [...pad, ...tail];
    }
  }
  return Array.from({ length: count }, (_, i) => unknown(end - BigInt(count - i)));
}

/** `count` instructions starting `instructionOffset` instructions from `address` (negative: before it). */
export async function disassemblyWindow(
  read: ByteSource, address: bigint, instructionOffset: number, count: number, bitness: 16 | 32 | 64,
): Promise<WindowInstruction[]> {
  if (instructionOffset >= 0) {
    const list = await forward(read, address, instructionOffset + count, bitness);
    return list.slice(instructionOffset);
  }
  const before = Math.min(-instructionOffset, count);
  const head = await backward(read, address, -instructionOffset, bitness);
  const after = count - before;
  return [...head.slice(0, before), ...(after > 0 ? await forward(read, address, after, bitness) : [])];
}
