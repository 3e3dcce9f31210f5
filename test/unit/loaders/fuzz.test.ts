// Fuzz test: mutated images of every format must give a plan that fits in RAM or an ImageFormatError, nothing else.
import assert from 'node:assert/strict';
import { planImage } from '../../../debug-adapter/src/loaders/probe';
import { ImageFormatError, type ImageFormat, type LoadPlan } from '../../../debug-adapter/src/loaders/loadPlan';
import { putU16, putU32 } from '../../../debug-adapter/src/loaders/bytes';
import type { PlanOptions } from '../../../debug-adapter/src/loaders/options';
import {
  aoutKernel, bootSector, buildBzImage, buildElf, code, multibootElf, PT_NOTE, pvhNote,
} from './imageBuilders';
import { MiB, mulberry32 } from './planReader';

const ITERATIONS = 10_000;
const SEED = Number(process.env.LOADER_FUZZ_SEED ?? 0x5eed1);

interface Corpus {
  name: string;
  format: ImageFormat;
  image: Uint8Array;
  /** File offsets of header fields worth smashing with boundary values. */
  fields: number[];
}

function range(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  for (let i = start; i < end; i += step) out.push(i);
  return out;
}

const elfFields = [...range(16, 64, 2), ...range(64, 64 + 3 * 56, 4)];
const corpora: Corpus[] = [
  { name: 'boot sector', format: 'bootsector', image: bootSector(), fields: [508, 510] },
  { name: 'multiboot ELF32', format: 'multiboot', image: multibootElf({ bss: 0x1000 }), fields: [...range(16, 52, 2), ...range(52, 84, 4), 96, 100, 104] },
  { name: 'multiboot a.out', format: 'multiboot', image: aoutKernel({ bss: 0x1000, entryOffset: 0x10 }), fields: range(0x40, 0x60, 4) },
  {
    name: 'PVH ELF64', format: 'pvh', fields: elfFields,
    image: buildElf({
      bits: 64, entry: 0x100000,
      segments: [{ paddr: 0x100000, data: code(0x200), memsz: 0x3000 }, { type: PT_NOTE, paddr: 0, data: pvhNote(0x100010) }],
    }),
  },
  {
    name: 'ELF64', format: 'elf64', fields: elfFields,
    image: buildElf({
      bits: 64, entry: 0xffffffff80100010n,
      segments: [
        { paddr: 0x100000, vaddr: 0xffffffff80100000n, data: code(0x200) },
        { paddr: 0x200000, vaddr: 0xffffffff80200000n, data: code(0x40), memsz: 0x2000 },
      ],
    }),
  },
  { name: 'bzImage', format: 'bzimage', image: buildBzImage({ kernelSize: 0x800 }), fields: range(0x1f0, 0x268, 1) },
  { name: 'flat', format: 'flat', image: code(0x400), fields: [] },
];

const BOUNDARY = [0, 1, 0x7f, 0x80, 0xff, 0xfff, 0x1000, 0xffff, 0x10000, 0x100000, 0x7ffffff, 0x8000000,
  0x7fffffff, 0x80000000, 0xfffff000, 0xffffffff];

function mutate(base: Uint8Array, fields: number[], rand: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(rand() * n);
  let image = base.slice();
  const rounds = 1 + pick(3);
  for (let r = 0; r < rounds; r++) {
    const kind = pick(5);
    if (kind === 0) {
      for (let i = 0, n = 1 + pick(8); i < n && image.length > 0; i++) image[pick(image.length)] = pick(256);
    } else if (kind === 1) {
      image = image.slice(0, pick(image.length + 1));
    } else if (kind === 2 && fields.length > 0) {
      const off = fields[pick(fields.length)];
      const value = rand() < 0.7 ? BOUNDARY[pick(BOUNDARY.length)] : pick(0x100000000);
      if (off + 4 <= image.length) putU32(image, off, value);
      else if (off + 2 <= image.length) putU16(image, off, value & 0xffff);
    } else if (kind === 3) {
      const extra = Uint8Array.from({ length: pick(256) }, () => pick(256));
      const grown = new Uint8Array(image.length + extra.length);
      grown.set(image);
      grown.set(extra, image.length);
      image = grown;
    } else if (image.length >= 4) {
      putU32(image, pick(image.length - 3) & ~3, BOUNDARY[pick(BOUNDARY.length)]);
    }
  }
  return image;
}

function options(format: ImageFormat, rand: () => number): PlanOptions {
  const pick = (n: number) => Math.floor(rand() * n);
  const ramSize = [2 * MiB, 4 * MiB, 16 * MiB, 128 * MiB][pick(4)];
  const opts: PlanOptions = { ramSize, cmdline: rand() < 0.5 ? '' : 'console=ttyS0 x', modules: [] };
  if (format === 'flat') {
    const loadAddress = rand() < 0.5 ? [0, 0x7c00, 0x8000, 0x100000, ramSize - 0x200, 0xfffff000][pick(6)] : pick(0x200000);
    const entry = rand() < 0.7 ? loadAddress + pick(0x500) : pick(0x10000000);
    opts.flat = { loadAddress, entry, mode: ([16, 32, 64] as const)[pick(3)] };
  }
  // Small extras keep the cost low while still exercising placement (and its failures on a 2 MiB guest).
  if (rand() < 0.3) opts.initrd = { name: 'initrd', bytes: new Uint8Array(pick(3) * 0x80000 + pick(5000)) };
  if (rand() < 0.3) opts.modules = [{ name: 'mod', bytes: new Uint8Array(pick(9000)), cmdline: 'a=1' }];
  return opts;
}

function checkPlan(plan: LoadPlan, ramSize: number): void {
  let total = 0;
  for (const s of plan.segments) {
    assert.ok(s.gpa >= 0 && s.gpa + s.bytes.length <= ramSize, `segment ${s.what} at ${s.gpa} (+${s.bytes.length}) outside RAM`);
    total += s.bytes.length;
  }
  for (const z of plan.zeroFill) assert.ok(z.gpa >= 0 && z.gpa + z.length <= ramSize, `zero fill at ${z.gpa} outside RAM`);
  assert.ok(total <= ramSize, `plan writes ${total} bytes into ${ramSize} of RAM`);
  assert.ok(plan.entry.regs.rip !== undefined, 'every plan has an entry point');
}

describe('loaders/fuzz', () => {
  for (const [index, corpus] of corpora.entries()) {
    it(`${corpus.name}: ${ITERATIONS} mutated images give a fitting plan or an ImageFormatError`, () => {
      const seed = SEED + index;
      const rand = mulberry32(seed);
      let plans = 0;
      let errors = 0;
      for (let i = 0; i < ITERATIONS; i++) {
        const image = mutate(corpus.image, corpus.fields, rand);
        const opts = options(corpus.format, rand);
        for (const format of ['auto', corpus.format] as const) {
          try {
            checkPlan(planImage(image, opts, format), opts.ramSize);
            plans++;
          } catch (e) {
            if (e instanceof ImageFormatError && !e.message.includes('\n')) {
              errors++;
              continue;
            }
            const detail = e instanceof Error ? e.stack ?? e.message : String(e);
            assert.fail(`seed ${seed} (LOADER_FUZZ_SEED=${SEED}), iteration ${i}, format ${format}: ${detail}`);
          }
        }
      }
      // Both outcomes must actually occur, or the mutations are too weak (or too strong) to test anything.
      assert.ok(plans > ITERATIONS / 20, `only ${plans} plans (seed ${seed})`);
      assert.ok(errors > ITERATIONS / 20, `only ${errors} errors (seed ${seed})`);
    });
  }
});
