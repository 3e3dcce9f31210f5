// Builds the reference KVM loop (refloop.c) into build/refloop with gcc -O2; run alone or from scripts/buildGuests.mjs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const defaultRoot = join(here, '..', '..');

/** The header refloop.c needs; Debian ships it in linux-libc-dev, which build-essential pulls in. */
const KVM_HEADER = '/usr/include/linux/kvm.h';

/**
 * Compiles refloop unless build/refloop is newer than its source and this script.
 * Returns the output path and whether it was rebuilt; throws an Error with a one-line message on failure.
 */
export function buildRefloop(root = defaultRoot) {
  const source = join(here, 'refloop.c');
  const output = join(root, 'build', 'refloop');
  const inputs = [source, join(here, 'debugRates.h'), fileURLToPath(import.meta.url)];
  if (existsSync(output)) {
    const built = statSync(output).mtimeMs;
    if (inputs.every((f) => statSync(f).mtimeMs <= built)) return { output, rebuilt: false };
  }
  if (!existsSync(KVM_HEADER)) {
    throw new Error(`refloop: ${KVM_HEADER} not found; install the Debian package linux-libc-dev (part of build-essential)`);
  }
  mkdirSync(dirname(output), { recursive: true });
  try {
    execFileSync('gcc', ['-O2', '-std=gnu11', '-Wall', '-Wextra', '-o', output, source], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (err) {
    const reason = err && err.code === 'ENOENT' ? 'gcc not found; install the Debian package build-essential' : 'gcc failed (see above)';
    throw new Error(`refloop: ${reason}`);
  }
  return { output, rebuilt: true };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { output, rebuilt } = buildRefloop();
    console.log(`refloop: ${rebuilt ? 'built' : 'up to date'} ${relative(process.cwd(), output) || output}`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
