// Worker thread for the symbol-reader fuzz test: corrupts an ELF many ways and drives the whole facade.
import { parentPort, workerData } from 'node:worker_threads';
import { DebugInfo } from '../../../../debug-adapter/src/debugger/symbols/debugInfo';
import { readLocationBytes } from '../../../../debug-adapter/src/debugger/symbols/dwarf/expression/locationValue';
import { typeName, typeSize } from '../../../../debug-adapter/src/debugger/symbols/dwarf/types';
import { SymbolsError } from '../../../../debug-adapter/src/debugger/symbols/errors';
import { mulberry32 } from '../../../support/mulberry32';

export { mulberry32 };

export interface FuzzJob {
  bytes: Uint8Array;
  seed: number;
  count: number;
  /** Source file and lines to query, and code addresses taken from the intact image. */
  file: string;
  lines: number[];
  addresses: bigint[];
  /** File ranges of the sections worth corrupting (debug and unwind sections). */
  hotRanges: [number, number][];
}

export type FuzzMessage =
  | { type: 'progress'; index: number }
  | { type: 'failure'; index: number; mutation: string; error: string }
  | { type: 'done'; rejected: number; accepted: number; problems: number };

const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0];

export function mutate(original: Uint8Array, hot: [number, number][], rnd: () => number): { bytes: Uint8Array; what: string } {
  const pick = (n: number) => Math.floor(rnd() * n);
  const pos = (): number => {
    if (rnd() < 0.85 && hot.length > 0) {
      const [s, e] = hot[pick(hot.length)];
      return s + pick(Math.max(1, e - s));
    }
    return pick(original.length);
  };
  const kind = pick(10);
  if (kind === 0) {
    const len = pick(original.length);
    return { bytes: original.slice(0, len), what: `truncate to ${len}` };
  }
  const bytes = original.slice();
  if (kind <= 6) {
    const n = 1 + pick(8);
    const at: number[] = [];
    for (let i = 0; i < n; i++) {
      const p = pos();
      bytes[p] ^= 1 << pick(8);
      at.push(p);
    }
    return { bytes, what: `bit flips at ${at.join(',')}` };
  }
  if (kind <= 8) {
    const p = pos() & ~3;
    const v = INTERESTING[pick(INTERESTING.length)];
    if (p + 4 <= bytes.length) new DataView(bytes.buffer).setUint32(p, v >>> 0, true);
    return { bytes, what: `u32 ${v.toString(16)} at ${p}` };
  }
  // Copy a random run of bytes over another place (duplicated records, shifted headers).
  const from = pos();
  const to = pos();
  const len = 1 + pick(64);
  bytes.copyWithin(to, from, Math.min(from + len, bytes.length));
  return { bytes, what: `copy ${len} bytes ${from} -> ${to}` };
}

/** Every facade entry point, with a fake machine whose memory is a fixed pattern. */
export function exercise(di: DebugInfo, job: Pick<FuzzJob, 'file' | 'lines' | 'addresses'>): void {
  const readMemory = (addr: bigint, size: number) => (addr % 7n === 3n ? undefined : new Uint8Array(size).fill(Number(addr & 0xffn)));
  di.sourceFiles();
  di.breakpointLines(job.file, 1, 80);
  for (const line of job.lines) di.lineToAddresses(job.file, line);
  di.typeByName('struct node');
  di.typeByName('node_t *');
  for (const g of di.globals()) {
    typeName(g.type);
    typeSize(g.type);
    di.completeType(g.type);
  }
  for (const a of job.addresses) {
    di.addressToLine(a);
    const fn = di.functionAt(a);
    const regs = new Map<number, bigint>([[0, 1n], [3, 0x1000n], [4, 0x7000n], [5, 0x7100n], [6, 0x7f00n], [7, 0x7e00n], [8, a], [16, a]]);
    for (let depth = 0; depth <= (fn?.inlineChain.length ?? 0) && depth < 3; depth++) {
      const scopes = di.scopesAt(a, depth);
      for (const v of [...(scopes?.params ?? []), ...(scopes?.locals ?? []), ...(scopes?.globals ?? [])]) {
        typeName(v.type);
        const loc = di.evaluate(v.location, { pc: a, readReg: (n) => regs.get(n), readMemory });
        readLocationBytes(loc, Math.min(typeSize(v.type) ?? 4, 64), { readMemory, readReg: (n) => regs.get(n) });
      }
    }
    di.unwindRowAt(a);
    di.backtrace(regs, readMemory, { maxFrames: 16 });
  }
}

if (parentPort && workerData) {
  const job = workerData as FuzzJob;
  const rnd = mulberry32(job.seed);
  let rejected = 0;
  let accepted = 0;
  let problems = 0;
  for (let i = 0; i < job.count; i++) {
    const { bytes, what } = mutate(job.bytes, job.hotRanges, rnd);
    try {
      let di: DebugInfo;
      try {
        di = DebugInfo.fromElf(bytes);
      } catch (err) {
        if (!(err instanceof SymbolsError)) throw err;
        rejected++;
        parentPort.postMessage({ type: 'progress', index: i } satisfies FuzzMessage);
        continue;
      }
      exercise(di, job);
      accepted++;
      if (di.problems.length > 0) problems++;
    } catch (err) {
      if (!(err instanceof SymbolsError)) {
        parentPort.postMessage({ type: 'failure', index: i, mutation: what, error: (err as Error).stack ?? String(err) } satisfies FuzzMessage);
        break;
      }
    }
    parentPort.postMessage({ type: 'progress', index: i } satisfies FuzzMessage);
  }
  parentPort.postMessage({ type: 'done', rejected, accepted, problems } satisfies FuzzMessage);
}
