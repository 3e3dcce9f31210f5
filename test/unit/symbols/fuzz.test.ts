// Fuzzes the facade with thousands of corrupted copies of real ELF images: only SymbolsError may escape, nothing may hang.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DebugInfo } from '../../../debug-adapter/src/debugger/symbols/debugInfo';
import { FuzzJob, FuzzMessage } from './helpers/fuzzWorker';
import { Variant, build, fixtureDir, variantName } from './helpers/toolchain';

/** Override with SYMBOLS_FUZZ_SEED to explore; failures print the seed and variant index to replay. */
const SEED = Number(process.env.SYMBOLS_FUZZ_SEED ?? 0x5eed2024);
/** A worker that reports no progress for this long is stuck in a loop (a hang, not slowness). */
const HANG_GUARD_MS = 60_000;

function jobFor(v: Variant, count: number, seed: number): FuzzJob {
  const bytes = build(v).bytes();
  const di = DebugInfo.fromElf(bytes);
  const addresses = di.symbols.functions().flatMap((f) => [f.address, f.address + BigInt(Math.max(0, f.size - 3))]);
  const hotRanges: [number, number][] = di.elf.sections
    .filter((s) => s.name.startsWith('.debug_') || s.name === '.eh_frame' || s.name === '.symtab' || s.name === '.strtab')
    .map((s) => [s.offset, s.offset + s.size]);
  return { bytes, seed, count, file: join(fixtureDir(), 'kernel.c'), lines: [14, 23, 27, 37, 41, 56], addresses, hotRanges };
}

function runWorker(job: FuzzJob): Promise<Extract<FuzzMessage, { type: 'done' }>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'helpers', 'fuzzWorker.js'), { workerData: job });
    let last = -1;
    let timer = setTimeout(onHang, HANG_GUARD_MS);
    function onHang() {
      void worker.terminate();
      reject(new Error(`fuzz worker stuck after variant ${last} (seed ${job.seed}): an unbounded loop`));
    }
    worker.on('message', (m: FuzzMessage) => {
      clearTimeout(timer);
      timer = setTimeout(onHang, HANG_GUARD_MS);
      if (m.type === 'progress') last = m.index;
      else if (m.type === 'failure') {
        clearTimeout(timer);
        void worker.terminate();
        reject(new Error(`variant ${m.index} (seed ${job.seed}, ${m.mutation}) threw a non-SymbolsError:\n${m.error}`));
      } else {
        clearTimeout(timer);
        void worker.terminate();
        resolve(m);
      }
    });
    worker.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

describe('symbols: fuzzing the facade with corrupted ELF images', function () {
  this.timeout(10 * 60_000);
  const cases: [Variant, number][] = [
    [{ bits: 64, opt: 2, dwarf: 5 }, 2000],
    [{ bits: 32, opt: 0, dwarf: 4 }, 600],
    [{ bits: 32, opt: 2, dwarf: 5, frames: 'debug' }, 400],
  ];
  for (const [v, count] of cases) {
    it(`${count} corrupted variants of ${variantName(v)} raise only SymbolsError and terminate`, async () => {
      const result = await runWorker(jobFor(v, count, SEED));
      assert.equal(result.rejected + result.accepted, count, `seed ${SEED}`);
      // The mutations must mostly reach the DWARF readers rather than die in the ELF header.
      assert.ok(result.accepted > count / 2, `only ${result.accepted} variants opened (seed ${SEED})`);
      assert.ok(result.problems > count / 20, `only ${result.problems} variants reported problems (seed ${SEED})`);
    });
  }
});
