// Debian's real Linux kernel boots through PVH far enough to detect VMware and read its TSC frequency via the backdoor.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireKvm } from './kvmAvailable';
import { debianVmlinux } from './linuxKernel';
import { ROOT } from './runCli';

const DETECTED = 'Hypervisor detected: VMware';
const TSC_FROM_BACKDOOR = 'vmware: TSC freq read from hypervisor';

describe('Linux boots through PVH and finds the VMware backdoor (real KVM)', function () {
  this.timeout(600000);
  requireKvm(this);

  it(`prints "${DETECTED}" and "${TSC_FROM_BACKDOOR}", with those calls in the backdoor log`, async () => {
    const vmlinux = debianVmlinux();
    const log = join(mkdtempSync(join(tmpdir(), 'kvmlab-linux-')), 'backdoor.jsonl');
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'kvmlab.js'), 'run', vmlinux, '--memory', '256',
      '--append', 'earlyprintk=ttyS0 console=ttyS0 nokaslr', '--backdoor-log', log, '--timeout', '500'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    // Only early boot is awaited: the kernel runs in the slow engine on hosts without VMX/SVM.
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (new RegExp(`${TSC_FROM_BACKDOOR} : [0-9.]+ MHz\\r?\\n`).test(out)) resolve();
      });
      child.on('close', () => reject(new Error(`kvmlab ended before the messages appeared\nstdout:\n${out}\nstderr:\n${err}`)));
    });
    child.kill('SIGINT');
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(status, 130, err);
    assert.match(out, /Linux version/);
    assert.ok(out.includes(DETECTED), out);
    const records = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const names = new Set(records.map((r) => r.name));
    // Linux finds VMware through the CPUID signature, then asks the backdoor for the TSC and bus frequencies.
    assert.ok(names.has('GETHZ'), `backdoor calls: ${[...names].join(', ')}`);
    const gethz = records.find((r) => r.name === 'GETHZ');
    // GETHZ answers the TSC frequency in Hz as EBX:EAX and the bus frequency in ECX.
    const tscHz = gethz.out.ebx * 2 ** 32 + gethz.out.eax;
    assert.ok(tscHz > 1e8, `TSC ${tscHz} Hz`);
    assert.equal(gethz.out.ecx, 1e9);
    assert.match(out, new RegExp(`${TSC_FROM_BACKDOOR} : ${(tscHz / 1e6).toFixed(3)} MHz`));
    assert.ok(records.every((r) => r.transport === 'lb'));
  });
});
