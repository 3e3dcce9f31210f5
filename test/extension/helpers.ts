// Shared helpers for the extension tests: the repository root and a seeded PRNG for fuzzing.
import { join } from 'path';
import { mulberry32 } from '../support/mulberry32';

export { mulberry32 };

export const ROOT = join(__dirname, '..', '..', '..');

/** The seed for a fuzz run: FUZZ_SEED when set (to replay a failure), else a fresh one. */
export function fuzzSeed(): number {
  const fromEnv = Number(process.env.FUZZ_SEED);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (Math.random() * 0xffffffff) >>> 0;
}
