// Shared helpers for the extension tests: the repository root and a seeded PRNG for fuzzing.
import { join } from 'path';

export const ROOT = join(__dirname, '..', '..', '..');

/** mulberry32: tiny, fast and good enough to make fuzz inputs reproducible from a printed seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed for a fuzz run: FUZZ_SEED when set (to replay a failure), else a fresh one. */
export function fuzzSeed(): number {
  const fromEnv = Number(process.env.FUZZ_SEED);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (Math.random() * 0xffffffff) >>> 0;
}
