// Backdoor traffic records for the inspector: one per call plus reassembled GuestRPC messages, in a bounded ring.
import type { RpcProtocol } from './commands';
import { MAX_RECORD_TEXT } from './constants';
import type { Out32, Regs32 } from './registers32';

export type BackdoorTransport = 'lb' | 'hb' | 'vmcall' | 'vmmcall';

/** What the device understood of a call, for display; every field is optional and small. */
export interface DecodedCall {
  channel?: number;
  protocol?: RpcProtocol;
  /** MESSAGE type, vmmouse subcommand or other sub-operation name. */
  type?: string;
  /** A completed GuestRPC message (cut to MAX_RECORD_TEXT). */
  text?: string;
  /** MESSAGE status as words (SUCCESS, DORECV, HB, ...). */
  status?: string[];
  /** Bytes moved by a high-bandwidth transfer. */
  bytes?: number;
  /** Set when the command is not implemented and answered as unsupported. */
  unsupported?: boolean;
  /** One short line for anything else worth showing (wrong magic, narrow probe, failed memory access). */
  note?: string;
}

export interface BackdoorRecord {
  type: 'call';
  seq: number;
  /** Nanoseconds since the device was created (monotonic clock). */
  timeNs: number;
  vcpu: number;
  rip: bigint;
  transport: BackdoorTransport;
  /** ECX low 16 (LB) or EBX low 16 (HB); -1 for an access that carries no command (narrow probes). */
  command: number;
  name: string;
  in: Regs32;
  out: Out32;
  decoded?: DecodedCall;
  durationNs?: number;
}

/** One whole GuestRPC message, reassembled from the payload calls that carried it. */
export interface RpcRecord {
  type: 'rpc';
  seq: number;
  timeNs: number;
  channel: number;
  protocol: RpcProtocol;
  direction: 'guest->host' | 'host->guest';
  text: string;
}

export type BackdoorTraceEntry = BackdoorRecord | RpcRecord;
export type RecordSink = (entry: BackdoorTraceEntry) => void;

export const DEFAULT_RING_CAPACITY = 10_000;

/** Cut long text so a record stays small; the cut is marked with the number of characters left out. */
export function clipText(text: string): string {
  if (text.length <= MAX_RECORD_TEXT) return text;
  return `${text.slice(0, MAX_RECORD_TEXT)}…(+${text.length - MAX_RECORD_TEXT} chars)`;
}

function bigintAsHex(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `0x${value.toString(16)}` : value;
}

/** One JSON line for an entry; bigints (RIP) become hex strings. */
export function traceEntryToJson(entry: BackdoorTraceEntry): string {
  return JSON.stringify(entry, bigintAsHex);
}

/** Keeps the newest `capacity` entries in arrival (sequence) order. */
export class BackdoorRecordRing {
  private readonly slots: (BackdoorTraceEntry | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity = DEFAULT_RING_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`record ring capacity ${capacity} is invalid: expected a positive integer`);
    }
    this.slots = new Array(capacity);
  }

  get size(): number { return this.count; }

  /** Bound `push` for handing to the device as its recordSink. */
  readonly sink: RecordSink = (entry) => this.push(entry);

  push(entry: BackdoorTraceEntry): void {
    this.slots[(this.head + this.count) % this.capacity] = entry;
    if (this.count < this.capacity) this.count++;
    else this.head = (this.head + 1) % this.capacity;
  }

  private at(i: number): BackdoorTraceEntry { return this.slots[(this.head + i) % this.capacity] as BackdoorTraceEntry; }

  /** Entries with a sequence number greater than `seq`, oldest first (seq -1 gives everything kept). */
  since(seq: number): BackdoorTraceEntry[] {
    // Sequence numbers only grow, so binary-search the first newer entry.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).seq > seq) hi = mid; else lo = mid + 1;
    }
    const out: BackdoorTraceEntry[] = [];
    for (let i = lo; i < this.count; i++) out.push(this.at(i));
    return out;
  }

  toArray(): BackdoorTraceEntry[] { return this.since(-Infinity); }

  clear(): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.count = 0;
  }

  /** Every kept entry as JSON Lines (one object per line, newline-terminated). */
  toJsonLines(): string {
    let s = '';
    for (let i = 0; i < this.count; i++) s += `${traceEntryToJson(this.at(i))}\n`;
    return s;
  }
}
