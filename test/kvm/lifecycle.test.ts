// VM lifecycle on real KVM: pause/resume of a spinning guest, and no fds or threads left after many run/stop cycles.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planImage } from '../../debug-adapter/src/loaders/probe';
import type { MachineConfig } from '../../debug-adapter/src/vmm/vcpu/protocol';
import { VmHost } from '../../debug-adapter/src/vmm/vmHost';
import { requireKvm } from './kvmAvailable';
import { GUESTS, ROOT } from './runCli';

const WORKER_DIR = join(ROOT, 'out', 'debug-adapter', 'src', 'vmm', 'vcpu');

function config(file: string, cmdline = '', startPaused = false): MachineConfig {
  const ramSize = 32 << 20;
  const plan = planImage(new Uint8Array(readFileSync(join(GUESTS, file))), { ramSize, cmdline, modules: [] }, 'auto');
  return { memoryBytes: ramSize, irqchip: true, plan, startPaused, serialEnabled: true, reportUnhandled: false,
    vmware: { enabled: true, vmName: file, guestinfo: {}, tclo: [] }, recordBackdoor: false };
}

const once = <T extends unknown[]>(vm: VmHost, event: 'paused' | 'ready' | 'ended'): Promise<T> =>
  new Promise((resolve, reject) => {
    vm.once(event, (...a: unknown[]) => resolve(a as T));
    // A VM that ends before the awaited event (a setup failure, say) must fail the test, not hang it.
    if (event !== 'ended') vm.once('ended', (end) => reject(new Error(`the VM ended (${JSON.stringify(end)}) before '${event}'`)));
  });

describe('VM lifecycle (real KVM)', function () {
  this.timeout(120000);
  requireKvm(this);

  it('pauses a guest that spins without exits, reads its registers, resumes and stops it', async () => {
    const vm = new VmHost(config('spin.elf'), WORKER_DIR);
    let serial = '';
    vm.on('serial', (b) => { serial += Buffer.from(b).toString(); });
    await once(vm, 'ready');
    while (!serial.includes('spin')) await new Promise((r) => setTimeout(r, 20));
    const paused = once<[{ rip: string; reason: string }]>(vm, 'paused');
    vm.pause();
    const [p] = await paused;
    assert.equal(p.reason, 'pause');
    const regs = await vm.request<{ rip: bigint }>('getRegs');
    const first = regs.rip;
    assert.ok(first > 0x100000n, `rip ${first.toString(16)} should be inside the kernel`);
    // Paused means paused: the instruction pointer does not move.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await vm.request<{ rip: bigint }>('getRegs')).rip, first);
    vm.resume();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(vm.running, true);
    const ended = once<[{ reason: string }]>(vm, 'ended');
    await vm.stop();
    assert.equal((await ended)[0].reason, 'stopped');
  });

  it('a guest started paused does not run until resumed', async () => {
    const vm = new VmHost(config('halt.elf', '', true), WORKER_DIR);
    let serial = '';
    vm.on('serial', (b) => { serial += Buffer.from(b).toString(); });
    const [p] = await once<[{ reason: string }]>(vm, 'paused');
    assert.equal(p.reason, 'entry');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(serial, '');
    const ended = once<[{ reason: string }]>(vm, 'ended');
    vm.resume();
    assert.equal((await ended)[0].reason, 'halted');
    assert.equal(serial, 'halt: bye\r\n');
    await vm.whenExited();
  });

  it('50 run/stop cycles leave no file descriptors or threads behind', async () => {
    const fds = () => readdirSync('/proc/self/fd').length;
    const threads = () => readdirSync('/proc/self/task').length;
    /** Other suites' child processes and sockets close asynchronously: wait for the counts to stop moving. */
    const settle = async () => {
      let last = -1;
      for (let i = 0; i < 50 && fds() + 1000 * threads() !== last; i++) {
        last = fds() + 1000 * threads();
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    // One warm-up cycle so lazily created process-wide resources (libuv, V8 platform threads) exist before counting.
    const warm = new VmHost(config('spin.elf'), WORKER_DIR);
    await once(warm, 'ready');
    await warm.stop();
    await settle();
    const fd0 = fds();
    const th0 = threads();
    for (let i = 0; i < 50; i++) {
      const vm = new VmHost(config(i % 2 ? 'spin.elf' : 'halt.elf'), WORKER_DIR);
      await once(vm, 'ready');
      await vm.stop();
    }
    await settle();
    assert.ok(fds() <= fd0, `file descriptors after 50 cycles: ${fds()} > ${fd0}`);
    assert.ok(threads() <= th0, `threads after 50 cycles: ${threads()} > ${th0}`);
  });
});
