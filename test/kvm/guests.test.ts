// Every guest in guests/manifest.json boots under `kvmlab run` on real KVM with its expected serial output and status.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadManifest } from '../unit/guests/guestManifest';
import { requireKvm } from './kvmAvailable';
import { GUESTS, runCli } from './runCli';

describe('guests boot under kvmlab run (real KVM)', function () {
  this.timeout(120000);
  requireKvm(this);
  const manifest = loadManifest();

  for (const g of manifest.guests.filter((x) => x.exit !== 'none')) {
    it(`${g.name}: ${g.format} image prints its transcript and ends with status ${g.exitStatus}`, async () => {
      const args = ['run', join(GUESTS, g.file), '--timeout', '60'];
      if (g.cmdline) args.push('--append', g.cmdline);
      const r = await runCli(args, { timeoutMs: 90000 });
      if (g.serial !== undefined) assert.equal(r.stdout, g.serial, `serial output of ${g.name}\nstderr: ${r.stderr}`);
      if (g.serialPattern !== undefined) assert.match(r.stdout, new RegExp(g.serialPattern), `stderr: ${r.stderr}`);
      assert.equal(r.status, g.exitStatus, `exit status of ${g.name}; stderr: ${r.stderr}`);
      if (g.exit === 'tripleFault') assert.match(r.stderr, /triple fault[\s\S]*RIP=/);
      else assert.doesNotMatch(r.stderr, /internal error|Error:/);
    });
  }

  it('a guest spinning without exits is stopped by --timeout with status 124', async () => {
    const r = await runCli(['run', join(GUESTS, 'spin.elf'), '--timeout', '1'], { timeoutMs: 30000 });
    assert.equal(r.stdout, 'spin\r\n');
    assert.equal(r.status, 124);
    assert.match(r.stderr, /timeout: the guest was stopped after 1 s/);
  });

  it('the timer guest needs the irqchip: without it the VMM says why it waits and the timeout ends it', async () => {
    const r = await runCli(['run', join(GUESTS, 'timer.elf'), '--no-irqchip', '--timeout', '2'], { timeoutMs: 30000 });
    assert.equal(r.status, 124);
    assert.match(r.stderr, /halted waiting for an interrupt/);
  });

  it('--stats prints exit statistics as JSON on stderr', async () => {
    const r = await runCli(['run', join(GUESTS, 'bench-serial.elf'), '--append', 'n=200', '--serial', 'none', '--stats']);
    assert.equal(r.status, 1);
    const stats = JSON.parse(r.stderr.trim().split('\n').pop()!);
    assert.equal(stats.end, 'debugExit');
    assert.ok(stats.exits.io >= 200, JSON.stringify(stats));
    assert.ok(stats.totalExits >= stats.exits.io);
    assert.equal(typeof stats.exitsPerSecond, 'number');
  });

  it('stdin feeds the UART: the multiboot guest echoes nothing but still boots with piped input', async () => {
    const r = await runCli(['run', join(GUESTS, 'multiboot-c.elf')], { input: 'typed\n' });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /done\r\n$/);
  });

  it('--serial file:PATH writes the guest bytes to the file', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = join(mkdtempSync(join(tmpdir(), 'kvmlab-')), 'serial.txt');
    const r = await runCli(['run', join(GUESTS, 'halt.elf'), '--serial', `file:${path}`]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '');
    assert.equal(readFileSync(path, 'utf8'), 'halt: bye\r\n');
  });
});
