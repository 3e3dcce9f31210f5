// Runs after `npm install`: makes sure the tools that build the example guests are present (installs them as root on Debian).
import { execFileSync, spawnSync } from 'node:child_process';

const tools = {
  gcc: 'gcc', as: 'binutils', ld: 'binutils', objcopy: 'binutils', readelf: 'binutils', objdump: 'binutils',
  // The equivalence tests boot the same images under QEMU and compare serial output and exit status.
  'qemu-system-x86_64': 'qemu-system-x86', xz: 'xz-utils',
};
const have = (t) => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status === 0;
const missing = Object.keys(tools).filter((t) => !have(t));
// The kernel headers give the layout test <linux/kvm.h>.
const headersMissing = spawnSync('sh', ['-c', 'test -f /usr/include/linux/kvm.h'], { stdio: 'ignore' }).status !== 0;

if (missing.length === 0 && !headersMissing) process.exit(0);
const packages = [...new Set([...missing.map((t) => tools[t]), ...(headersMissing ? ['linux-libc-dev'] : []), 'libc6-dev'])];
const isRoot = process.getuid?.() === 0;
if (isRoot && have('apt-get')) {
  console.log(`kvmlab setup: installing ${packages.join(' ')} (needed to build the example guests and run the tests)`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    process.exit(0);
  } catch {
    console.error('kvmlab setup: apt-get failed; install these packages yourself: ' + packages.join(' '));
    process.exit(0);
  }
}
console.error(`kvmlab setup: missing ${[...missing, ...(headersMissing ? ['<linux/kvm.h>'] : [])].join(', ')}; `
  + `install them (Debian: apt-get install ${packages.join(' ')}) before npm test`);
