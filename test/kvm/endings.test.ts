// How a run ends: guest-requested resets (i8042, port 0x92, 0xCF9), Ctrl-C, and flat binaries entered in each mode.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireKvm } from './kvmAvailable';
import { GUESTS, ROOT, runCli } from './runCli';

const dir = mkdtempSync(join(tmpdir(), 'kvmlab-end-'));
function flat(name: string, bytes: number[]): string {
  const p = join(dir, name);
  writeFileSync(p, Uint8Array.from(bytes));
  return p;
}
/** mov al, imm8; out imm8, al — then hlt as a backstop. */
const outByte = (port: number, value: number) => [0xb0, value, 0xe6, port, 0xf4];

describe('run endings (real KVM)', function () {
  this.timeout(60000);
  requireKvm(this);

  const resets: [string, number, number, RegExp][] = [
    ['the i8042 reset line (0xFE to port 0x64)', 0x64, 0xfe, /i8042 reset line/],
    ['a fast reset through port 0x92', 0x92, 0x01, /port 0x92 fast reset/],
  ];
  for (const [what, port, value, source] of resets) {
    it(`${what} ends the run with status 0, as QEMU with -no-reboot`, async () => {
      const image = flat(`reset-${port}.bin`, outByte(port, value));
      const r = await runCli(['run', image, '--format', 'flat', '--load-address', '0x7c00', '--entry', '0x7c00', '--mode', '16']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, source);
    });
  }

  it('a reset through the PCI reset control register (0xCF9) ends the run', async () => {
    // mov dx, 0xcf9; mov al, 6; out dx, al; hlt
    const image = flat('reset-cf9.bin', [0xba, 0xf9, 0x0c, 0xb0, 0x06, 0xee, 0xf4]);
    const r = await runCli(['run', image, '--format', 'flat', '--load-address', '0x7c00', '--entry', '0x7c00', '--mode', '16']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /0xCF9/);
  });

  it('a flat 32-bit binary runs in protected mode and exits through isa-debug-exit', async () => {
    // mov al, 'K'; mov dx, 0x3f8; out dx, al; mov al, 5; out 0xf4, al
    const image = flat('flat32.bin', [0xb0, 0x4b, 0x66, 0xba, 0xf8, 0x03, 0xee, 0xb0, 0x05, 0xe6, 0xf4, 0xf4]);
    const r = await runCli(['run', image, '--format', 'flat', '--load-address', '0x100000', '--entry', '0x100000', '--mode', '32']);
    assert.equal(r.stdout, 'K');
    assert.equal(r.status, 11);
  });

  it('a flat 64-bit binary runs in long mode', async () => {
    // mov al, 'L'; mov dx, 0x3f8; out dx, al; mov al, 0; out 0xf4, al
    const image = flat('flat64.bin', [0xb0, 0x4c, 0x66, 0xba, 0xf8, 0x03, 0xee, 0xb0, 0x00, 0xe6, 0xf4, 0xf4]);
    const r = await runCli(['run', image, '--format', 'flat', '--load-address', '0x200000', '--entry', '0x200000', '--mode', '64']);
    assert.equal(r.stdout, 'L');
    assert.equal(r.status, 1);
  });

  it('Ctrl-C (SIGINT) stops a spinning guest cleanly with status 130', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'kvmlab.js'), 'run', join(GUESTS, 'spin.elf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    await new Promise<void>((resolve) => child.stdout.on('data', (d) => { stdout += d; if (stdout.includes('spin')) resolve(); }));
    child.kill('SIGINT');
    const status = await new Promise<number | null>((resolve) => child.on('close', (s) => resolve(s)));
    assert.equal(status, 130, stderr);
    assert.match(stderr, /interrupted: the guest was stopped/);
  });
});
