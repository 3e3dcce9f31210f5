// Builds every guest kernel from guests/ into build/guests/ (and the reference KVM loop into build/refloop).
// A guest is rebuilt only when one of its inputs is newer than its oldest output; --force rebuilds all.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRefloop } from '../bench/refloop/build.mjs';

const scriptPath = fileURLToPath(import.meta.url);
const root = join(dirname(scriptPath), '..');
const guestsDir = join(root, 'guests');
const outDir = join(root, 'build', 'guests');
const objRoot = join(outDir, 'obj');
const force = process.argv.includes('--force');

/** Each tool and the Debian package that provides it. */
const TOOLS = [
  ['gcc', 'build-essential'],
  ['as', 'binutils'],
  ['ld', 'binutils'],
  ['objcopy', 'binutils'],
];

class BuildError extends Error {}

function checkTools() {
  for (const [tool, pkg] of TOOLS) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
    } catch {
      throw new BuildError(`guests: '${tool}' not found; install the Debian package ${pkg}`);
    }
  }
}

/** ld warns about the RWX load segment every guest has on purpose; binutils 2.39+ can be told not to. */
function ldQuietFlags() {
  const help = execFileSync('ld', ['--help'], { encoding: 'utf8' });
  return help.includes('--no-warn-rwx-segments') ? ['--no-warn-rwx-segments'] : [];
}

/** Kernel code: no libc, no SSE/x87 (some hosts emulate CPL0 code and lack vector instructions), frame pointers kept. */
const C_FLAGS = [
  '-std=gnu11', '-ffreestanding', '-nostdlib', '-fno-pic', '-fno-pie', '-fno-stack-protector',
  '-fcf-protection=none', '-mgeneral-regs-only', '-mno-sse', '-mno-mmx', '-fno-builtin',
  '-fno-tree-loop-distribute-patterns', '-fno-asynchronous-unwind-tables', '-fno-omit-frame-pointer',
  '-g', '-gdwarf-5', '-Wall', '-Wextra',
];
const C32_FLAGS = ['-m32', ...C_FLAGS];
const C64_FLAGS = ['-m64', '-mno-red-zone', ...C_FLAGS];
const ASM_FLAGS = ['-g', '-gdwarf-5', '-Wall'];
const LINKERS = { elf32: ['-m', 'elf_i386'], elf64: ['-m', 'elf_x86_64'] };

/** Runs one tool in guests/ (so DWARF names sources relative to it); on failure shows its output and throws. */
function run(tool, args, what) {
  try {
    execFileSync(tool, args, { cwd: guestsDir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (err) {
    const output = `${err.stdout ?? ''}${err.stderr ?? ''}`.trim();
    if (output) console.error(output);
    throw new BuildError(`guests: ${tool} failed while building ${what}`);
  }
}

/** The steps one guest recipe can use; object files go to build/guests/obj/<variant>/. */
function makeBuilder(variant, ldExtra) {
  const objDir = join(objRoot, variant);
  mkdirSync(objDir, { recursive: true });
  const includeFlags = (src) => ['-I', 'common', '-I', dirname(src)];
  const objectFor = (src) => join(objDir, src.replace(/[/\\]/g, '_').replace(/\.[cS]$/, '.o'));
  return {
    compile(src, flags) {
      const obj = objectFor(src);
      run('gcc', [...flags, ...includeFlags(src), '-c', src, '-o', obj], src);
      return obj;
    },
    link(kind, script, objects, output) {
      const out = join(outDir, output);
      const args = [...LINKERS[kind], '-T', script, '-nostdlib', '--build-id=none',
        '-z', 'max-page-size=0x1000', '-z', 'noexecstack', ...ldExtra, '-o', out, ...objects];
      run('ld', args, output);
      return out;
    },
    flat(elfOutput, binOutput) {
      run('objcopy', ['-O', 'binary', join(outDir, elfOutput), join(outDir, binOutput)], binOutput);
    },
  };
}

const multibootC = (variant, opt) => ({
  name: variant,
  dirs: ['multiboot-c', 'common'],
  outputs: [`${variant}.elf`],
  build(b) {
    const flags = [opt, ...C32_FLAGS];
    const objects = [
      b.compile('common/multibootEntry.S', ['-m32', ...ASM_FLAGS]),
      ...['multiboot-c/kmain.c', 'multiboot-c/demo.c', 'common/serial.c', 'common/text.c'].map((src) => b.compile(src, flags)),
    ];
    b.link('elf32', 'common/multiboot32.ld', objects, `${variant}.elf`);
  },
});

/** A Multiboot guest made of one 32-bit assembly file (extra -D flags select variants). */
const multibootAsm = (name, dir, src, defines = []) => ({
  name,
  dirs: [dir, 'common'],
  outputs: [`${name}.elf`],
  build(b) {
    const obj = b.compile(src, ['-m32', ...ASM_FLAGS, ...defines]);
    b.link('elf32', 'common/multiboot32.ld', [obj], `${name}.elf`);
  },
});

/** A 512-byte boot sector, plus the ELF it is cut from (for its symbols). */
const bootSector = (name, src) => ({
  name,
  dirs: [dirname(src), 'common'],
  outputs: [`${name}.bin`, `${name}.elf`],
  build(b) {
    const obj = b.compile(src, ['-m32', ...ASM_FLAGS]);
    b.link('elf32', 'common/bootsector.ld', [obj], `${name}.elf`);
    b.flat(`${name}.elf`, `${name}.bin`);
  },
});

const RECIPES = [
  bootSector('bootsector', 'bootsector/bootsector.S'),
  multibootC('multiboot-c', '-O0'),
  multibootC('multiboot-c-O2', '-O2'),
  {
    name: 'pvh64',
    dirs: ['pvh64', 'common'],
    outputs: ['pvh64.elf'],
    build(b) {
      const obj = b.compile('pvh64/pvh64.S', ['-m64', ...ASM_FLAGS]);
      b.link('elf64', 'pvh64/pvh64.ld', [obj], 'pvh64.elf');
    },
  },
  {
    name: 'elf64',
    dirs: ['elf64', 'common'],
    outputs: ['elf64.elf'],
    build(b) {
      const objects = [
        b.compile('elf64/entry.S', ['-m64', ...ASM_FLAGS]),
        ...['elf64/kmain.c', 'common/serial.c'].map((src) => b.compile(src, ['-O0', ...C64_FLAGS])),
      ];
      b.link('elf64', 'common/elf64.ld', objects, 'elf64.elf');
    },
  },
  {
    name: 'bzimage',
    dirs: ['bzimage', 'common'],
    outputs: ['bzimage.bin', 'bzimage.elf'],
    build(b) {
      const objects = ['bzimage/setup.S', 'bzimage/payload.S'].map((src) => b.compile(src, ['-m64', ...ASM_FLAGS]));
      b.link('elf64', 'bzimage/bzimage.ld', objects, 'bzimage.elf');
      b.flat('bzimage.elf', 'bzimage.bin');
    },
  },
  {
    name: 'svga',
    dirs: ['svga', 'common'],
    outputs: ['svga.elf'],
    build(b) {
      const objects = [
        b.compile('common/multibootEntry.S', ['-m32', ...ASM_FLAGS, '-DC_MAIN=svga_main', '-DSTACK_SIZE=8192']),
        ...['svga/svga.c', 'common/serial.c', 'common/text.c'].map((src) => b.compile(src, ['-O1', ...C32_FLAGS])),
      ];
      b.link('elf32', 'common/multiboot32.ld', objects, 'svga.elf');
    },
  },
  multibootAsm('timer', 'timer', 'timer/timer.S'),
  multibootAsm('triplefault', 'triplefault', 'triplefault/triplefault.S'),
  multibootAsm('halt', 'halt', 'halt/halt.S'),
  bootSector('modeswitch', 'modeswitch/modeswitch.S'),
  multibootAsm('spin', 'spin', 'spin/spin.S'),
  multibootAsm('bploop', 'bploop', 'bploop/bploop.S'),
  multibootAsm('selfcopy', 'selfcopy', 'selfcopy/selfcopy.S'),
  multibootAsm('bench-serial', 'bench', 'bench/bench.S', ['-DBENCH_SERIAL']),
  multibootAsm('bench-pio', 'bench', 'bench/bench.S', ['-DBENCH_PIO']),
  multibootAsm('bench-mmio', 'bench', 'bench/bench.S', ['-DBENCH_MMIO']),
  {
    name: 'rpctool',
    dirs: ['rpctool', 'common'],
    outputs: ['rpctool.elf'],
    build(b) {
      const objects = [
        b.compile('common/multibootEntry.S', ['-m32', ...ASM_FLAGS, '-DSTACK_SIZE=8192']),
        b.compile('rpctool/backdoor.S', ['-m32', ...ASM_FLAGS]),
        ...['rpctool/kmain.c', 'rpctool/rpc.c', 'common/serial.c', 'common/text.c'].map((src) => b.compile(src, ['-O0', ...C32_FLAGS])),
      ];
      b.link('elf32', 'common/multiboot32.ld', objects, 'rpctool.elf');
    },
  },
  {
    // Shares the backdoor numbers with rpctool.
    ...multibootAsm('bench-backdoor', 'bench-backdoor', 'bench-backdoor/benchBackdoor.S'),
    dirs: ['bench-backdoor', 'rpctool', 'common'],
  },
];

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Up to date when every output exists and none is older than any source or this script. */
function isUpToDate(recipe) {
  if (force) return false;
  let oldestOutput = Infinity;
  for (const output of recipe.outputs) {
    try {
      oldestOutput = Math.min(oldestOutput, statSync(join(outDir, output)).mtimeMs);
    } catch {
      return false;
    }
  }
  const inputs = [scriptPath, ...recipe.dirs.flatMap((dir) => filesUnder(join(guestsDir, dir)))];
  return inputs.every((input) => statSync(input).mtimeMs <= oldestOutput);
}

function main() {
  checkTools();
  mkdirSync(outDir, { recursive: true });
  const ldExtra = ldQuietFlags();
  let upToDate = 0;
  for (const recipe of RECIPES) {
    if (isUpToDate(recipe)) {
      upToDate++;
      continue;
    }
    recipe.build(makeBuilder(recipe.name, ldExtra));
    console.log(`guests: built ${recipe.name} (${recipe.outputs.join(', ')})`);
  }
  if (upToDate > 0) console.log(`guests: ${upToDate} of ${RECIPES.length} up to date in ${relative(process.cwd(), outDir) || outDir}`);

  const refloop = buildRefloop(root);
  if (refloop.rebuilt) console.log(`refloop: built ${relative(process.cwd(), refloop.output) || refloop.output}`);
}

try {
  main();
} catch (err) {
  if (!(err instanceof BuildError) && !(err instanceof Error && err.message.startsWith('refloop:'))) throw err;
  console.error(err.message);
  process.exit(1);
}
