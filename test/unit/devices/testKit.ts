// Shared helpers for device and bus unit tests: a seeded PRNG, recording IRQ lines and byte sinks, access shorthands.
import assert from 'node:assert/strict';
import { fakeRegisterAccess, type AccessContext, type BusDevice, type ByteSink, type IrqLine } from '../../../debug-adapter/src/vmm/bus/busDevice';
import { mulberry32 } from '../../support/mulberry32';

export { mulberry32 };

/** A PRNG with integer helpers. */
export class Rng {
  private readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

/** The seed for a fuzz run: FUZZ_SEED from the environment to replay a failure, else a fixed default. */
export function fuzzSeed(fallback: number): number {
  const fromEnv = process.env.FUZZ_SEED;
  return fromEnv === undefined || fromEnv === '' ? fallback : Number(fromEnv) >>> 0;
}

/** Runs a fuzz body and prefixes any failure with the seed and step so it can be replayed. */
export function withSeed(seed: number, body: (rng: Rng, step: (n: number) => void) => void): void {
  let at = -1;
  try {
    body(new Rng(seed), (n) => { at = n; });
  } catch (err) {
    const e = err as Error;
    e.message = `fuzz failure with FUZZ_SEED=${seed} at step ${at}: ${e.message}`;
    throw e;
  }
}

/** An IRQ line that records its level and fails if a device drives the level it already has. */
export class RecordingIrq implements IrqLine {
  level = false;
  raises = 0;
  lowers = 0;
  set(level: boolean): void {
    assert.notEqual(level, this.level, `irq.set(${level}) called without a level change`);
    this.level = level;
    if (level) this.raises++;
    else this.lowers++;
  }
}

export class BufferSink implements ByteSink {
  readonly chunks: Uint8Array[] = [];
  write(bytes: Uint8Array): void {
    this.chunks.push(bytes);
  }
  get bytes(): number[] {
    return this.chunks.flatMap((c) => [...c]);
  }
  get text(): string {
    return String.fromCharCode(...this.bytes);
  }
}

export function testContext(address = 0): AccessContext {
  return { vcpuId: 0, address, regs: fakeRegisterAccess() };
}

export const ctx = testContext();

export function read8(dev: BusDevice, offset: number): number {
  const data = new Uint8Array(1);
  dev.read(offset, data, ctx);
  return data[0];
}

export function write8(dev: BusDevice, offset: number, value: number): void {
  dev.write(offset, Uint8Array.of(value), ctx);
}

/** Little-endian read of `size` bytes. */
export function readN(dev: BusDevice, offset: number, size: number): number {
  const data = new Uint8Array(size);
  dev.read(offset, data, ctx);
  return data.reduceRight((acc, b) => acc * 256 + b, 0);
}

export function writeN(dev: BusDevice, offset: number, size: number, value: number): void {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = Math.floor(value / 256 ** i) & 0xff;
  dev.write(offset, data, ctx);
}
