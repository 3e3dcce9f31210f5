// Builds the symbol-reader fixtures with the machine's gcc/ld at test time and runs binutils on them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type Bits = 32 | 64;

export interface Variant {
  bits: Bits;
  opt: 0 | 2;
  dwarf: 3 | 4 | 5;
  /** eh: .eh_frame (gcc's default); debug: .debug_frame only. */
  frames?: 'eh' | 'debug';
  /** Extra compiler flags, e.g. -fdebug-types-section or -gz. */
  extra?: string[];
}

export interface Built {
  variant: Variant;
  dir: string;
  /** Linked executable. */
  elf: string;
  /** The kernel.c object, not linked (ET_REL, relocations pending). */
  kernelObj: string;
  bytes(): Uint8Array;
}

let workDir: string | undefined;
const cache = new Map<string, Built>();

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root above ' + __dirname);
    dir = up;
  }
  return dir;
}

export function fixtureDir(): string {
  return join(repoRoot(), 'test', 'fixtures', 'symbols');
}

export function variantName(v: Variant): string {
  return `m${v.bits}-O${v.opt}-dwarf${v.dwarf}-${v.frames ?? 'eh'}${(v.extra ?? []).join('')}`;
}

export function run(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Compiles kernel.c and list.c (relative names, compiled from the fixture directory so that the
 * DWARF records a comp_dir) and links them at ld's default address. Results are cached per run.
 */
export function build(v: Variant): Built {
  const key = variantName(v);
  const hit = cache.get(key);
  if (hit) return hit;
  if (!workDir) {
    const dir = mkdtempSync(join(tmpdir(), 'kvmlab-symbols-'));
    workDir = dir;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const dir = join(workDir, key);
  mkdirSync(dir, { recursive: true });
  const src = fixtureDir();
  const flags = [
    `-m${v.bits}`, `-O${v.opt}`, `-gdwarf-${v.dwarf}`, '-ffreestanding', '-fno-builtin', '-nostdlib', '-fno-pie',
    '-fno-stack-protector', '-fcf-protection=none',
    ...(v.frames === 'debug' ? ['-fno-asynchronous-unwind-tables', '-fno-unwind-tables'] : []),
    ...(v.extra ?? []),
  ];
  const objs: string[] = [];
  for (const file of ['kernel.c', 'list.c', 'cfi.c']) {
    const obj = join(dir, file.replace(/\.c$/, '.o'));
    run('gcc', [...flags, '-c', file, '-o', obj], src);
    objs.push(obj);
  }
  const elf = join(dir, 'kernel.elf');
  const ldFlags = v.extra?.includes('-gz') ? ['--compress-debug-sections=zlib'] : [];
  run('ld', ['-m', v.bits === 32 ? 'elf_i386' : 'elf_x86_64', ...ldFlags, '-e', '_start', '-o', elf, ...objs]);
  const built: Built = { variant: v, dir, elf, kernelObj: objs[0], bytes: () => new Uint8Array(readFileSync(elf)) };
  cache.set(key, built);
  return built;
}

export function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** The compiler/DWARF matrix most comparison tests run over. */
export const MATRIX: Variant[] = [];
for (const bits of [32, 64] as const) {
  for (const opt of [0, 2] as const) {
    for (const dwarf of [4, 5] as const) MATRIX.push({ bits, opt, dwarf });
  }
}
