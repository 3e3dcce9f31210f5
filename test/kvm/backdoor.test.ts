// The VMware backdoor on real KVM: a guest's GETVERSION call is answered, logged as JSON Lines, and gone with --no-vmware.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireKvm } from './kvmAvailable';
import { runCli } from './runCli';

/**
 * 32-bit flat code: mov eax, 0x564D5868; mov ecx, 10 (GETVERSION); mov ebx, 0; mov dx, 0x5658; in eax, dx;
 * cmp ebx, 0x564D5868; setne al; out 0xF4, al — status 1 when the backdoor answered with the magic in EBX.
 */
const GETVERSION_GUEST = [0xb8, 0x68, 0x58, 0x4d, 0x56, 0xb9, 0x0a, 0, 0, 0, 0xbb, 0, 0, 0, 0, 0x66, 0xba, 0x58, 0x56,
  0xed, 0x81, 0xfb, 0x68, 0x58, 0x4d, 0x56, 0x0f, 0x95, 0xc0, 0xe6, 0xf4, 0xf4];

describe('VMware backdoor (real KVM)', function () {
  this.timeout(60000);
  requireKvm(this);
  const image = join(mkdtempSync(join(tmpdir(), 'kvmlab-bd-')), 'getversion.bin');
  writeFileSync(image, Uint8Array.from(GETVERSION_GUEST));
  const flat = ['--format', 'flat', '--load-address', '0x100000', '--entry', '0x100000', '--mode', '32'];

  it('answers GETVERSION and writes the call to --backdoor-log as a JSON line', async () => {
    const r = await runCli(['run', image, ...flat, '--backdoor-log', '-']);
    assert.equal(r.status, 1, r.stderr);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(records.length, 1);
    const [rec] = records;
    assert.equal(rec.transport, 'lb');
    assert.equal(rec.command, 10);
    assert.equal(rec.name, 'GETVERSION');
    assert.equal(rec.rip, '0x100013');
    assert.equal(rec.in.eax, 0x564d5868);
    assert.equal(rec.out.ebx, 0x564d5868);
    assert.equal(typeof rec.seq, 'number');
  });

  it('with --no-vmware the port is empty: the guest sees no magic', async () => {
    const r = await runCli(['run', image, ...flat, '--no-vmware']);
    assert.equal(r.status, 3);
    assert.match(r.stderr, /unhandled port read from 0x5658/);
  });
});
