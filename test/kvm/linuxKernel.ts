// Provides Debian's own Linux kernel as an uncompressed ELF (vmlinux) for boot tests, fetched with apt and cached.
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import { homedir } from 'os';
import { join } from 'path';

const CACHE = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kvmlab', 'linux');
const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);

/**
 * Returns the path of a vmlinux extracted from the distribution's current kernel package. The bzImage's XZ payload
 * is the uncompressed kernel ELF, which carries a PVH entry note, so it boots without running the decompressor
 * (far too slow on emulating hosts). Throws with a one-line reason when apt or xz cannot provide it.
 */
export function debianVmlinux(): string {
  const done = join(CACHE, 'vmlinux');
  if (existsSync(done)) return done;
  mkdirSync(CACHE, { recursive: true });
  const work = join(CACHE, 'work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  const run = (cmd: string, args: string[], cwd = work) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  let pkg = '';
  try {
    pkg = run('apt-cache', ['depends', 'linux-image-amd64']).toString().split('\n')
      .map((l) => l.trim()).find((l) => /^Depends: linux-image-\d/.test(l))?.replace('Depends: ', '') ?? '';
    if (!pkg) {
      run('apt-get', ['update', '-qq']);
      pkg = run('apt-cache', ['depends', 'linux-image-amd64']).toString().match(/Depends: (linux-image-\d\S*)/)?.[1] ?? '';
    }
    if (!pkg) throw new Error('apt knows no linux-image-amd64 package');
    run('apt-get', ['download', pkg]);
  } catch (e) {
    throw new Error(`cannot fetch Debian's kernel package with apt (${e instanceof Error ? e.message.split('\n')[0] : e})`);
  }
  const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`);
  run('sh', ['-c', `dpkg-deb --fsys-tarfile '${deb}' | tar -x ./boot`]);
  const vmlinuz = readdirSync(join(work, 'boot')).find((f) => f.startsWith('vmlinuz-'));
  if (!vmlinuz) throw new Error(`${deb} contains no /boot/vmlinuz-*`);
  const image = readFileSync(join(work, 'boot', vmlinuz));
  const at = image.indexOf(XZ_MAGIC);
  if (at < 0) throw new Error(`${vmlinuz} has no XZ payload`);
  writeFileSync(join(work, 'payload.xz'), image.subarray(at));
  // xz stops with an error at the padding after the stream; the decompressed kernel is complete by then.
  const elf = execFileSync('sh', ['-c', 'xz -dc payload.xz 2>/dev/null; true'], { cwd: work, maxBuffer: 1 << 28 });
  if (elf.length < 1 << 20 || elf.readUInt32BE(0) !== 0x7f454c46) throw new Error('the XZ payload did not decompress to an ELF kernel');
  writeFileSync(join(work, 'vmlinux'), elf);
  renameSync(join(work, 'vmlinux'), done);
  rmSync(work, { recursive: true, force: true });
  return done;
}
