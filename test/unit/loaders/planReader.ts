// Test helpers that read guest memory as a load plan would leave it, and a seeded PRNG for fuzzing.
import assert from 'node:assert/strict';
import { ImageFormatError, type LoadPlan, type LoadSegment } from '../../../debug-adapter/src/loaders/loadPlan';
import type { PlanOptions } from '../../../debug-adapter/src/loaders/options';
import { getU16, getU32, getU64 } from '../../../debug-adapter/src/loaders/bytes';
import { mulberry32 } from '../../support/mulberry32';

export { mulberry32 };

export function segmentAt(plan: LoadPlan, gpa: number, length = 1): LoadSegment {
  const seg = plan.segments.find((s) => gpa >= s.gpa && gpa + length <= s.gpa + s.bytes.length);
  if (!seg) throw new Error(`no segment covers 0x${gpa.toString(16)} (+${length})`);
  return seg;
}

export function bytesAt(plan: LoadPlan, gpa: number, length: number): Uint8Array {
  const seg = segmentAt(plan, gpa, length);
  return seg.bytes.subarray(gpa - seg.gpa, gpa - seg.gpa + length);
}

export function u8At(plan: LoadPlan, gpa: number): number {
  return bytesAt(plan, gpa, 1)[0];
}

export function u16At(plan: LoadPlan, gpa: number): number {
  return getU16(bytesAt(plan, gpa, 2), 0);
}

export function u32At(plan: LoadPlan, gpa: number): number {
  return getU32(bytesAt(plan, gpa, 4), 0);
}

export function u64At(plan: LoadPlan, gpa: number): bigint {
  return getU64(bytesAt(plan, gpa, 8), 0);
}

export function cStringAt(plan: LoadPlan, gpa: number): string {
  const seg = segmentAt(plan, gpa);
  const start = gpa - seg.gpa;
  const end = seg.bytes.indexOf(0, start);
  if (end < 0) throw new Error(`string at 0x${gpa.toString(16)} is not terminated`);
  return new TextDecoder().decode(seg.bytes.subarray(start, end));
}

export const MiB = 1024 * 1024;
export const RAM = 128 * MiB;

export function baseOptions(over: Partial<PlanOptions> = {}): PlanOptions {
  return { ramSize: RAM, cmdline: '', modules: [], ...over };
}

/** The call must fail with a one-line ImageFormatError whose message matches `pattern`. */
export function expectImageError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ImageFormatError, `expected ImageFormatError, got ${String(e)}`);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'), 'error messages are one line');
    return true;
  });
}
