// The adapter's own record of backdoor traffic: a bounded ring the inspector fetches from, clears and exports.
import { writeFileSync } from 'fs';
import { isAbsolute } from 'path';
import { BackdoorRecordRing, DEFAULT_RING_CAPACITY, type BackdoorTraceEntry } from '../devices/vmwareBackdoor/records';

/** A trace entry as it crossed from the worker: plain JSON with RIP as a hex string. */
interface JsonEntry { seq: number }

export class BackdoorTrace {
  private readonly ring: BackdoorRecordRing;
  private lastSeq = -1;

  constructor(capacity = DEFAULT_RING_CAPACITY) {
    this.ring = new BackdoorRecordRing(capacity);
  }

  get size(): number { return this.ring.size; }

  /** Keeps one entry; a sequence number that goes back means a new machine (restart), whose trace starts afresh. */
  push(entry: unknown): void {
    const seq = (entry as JsonEntry).seq;
    if (typeof seq !== 'number') return;
    if (seq <= this.lastSeq) this.ring.clear();
    this.lastSeq = seq;
    // The ring only looks at `seq`; its JSON Lines output is the same for hex-string and bigint RIPs.
    this.ring.push(entry as BackdoorTraceEntry);
  }

  /** Entries newer than `sinceSeq` (all kept ones when absent), oldest first. */
  fetch(sinceSeq?: unknown): unknown[] {
    if (sinceSeq !== undefined && (typeof sinceSeq !== 'number' || !Number.isInteger(sinceSeq))) {
      throw new Error(`'sinceSeq' must be a whole number (a trace entry's seq), not ${JSON.stringify(sinceSeq)}`);
    }
    return this.ring.since((sinceSeq as number | undefined) ?? -1);
  }

  clear(): void { this.ring.clear(); }

  /** Writes the kept entries as JSON Lines to an absolute path; returns how many. */
  exportTo(path: unknown): number {
    if (typeof path !== 'string' || path === '') throw new Error(`'path' must be a file path (a non-empty string), not ${JSON.stringify(path)}`);
    if (!isAbsolute(path)) throw new Error(`'path' must be an absolute file path, not '${path}'`);
    const count = this.ring.size;
    try {
      writeFileSync(path, this.ring.toJsonLines());
    } catch (e) {
      throw new Error(`cannot write the backdoor trace to '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return count;
  }
}
