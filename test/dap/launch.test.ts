// Adapter tests: launch validation, stop on entry, continue, pause, guest output, guest exit and terminate.
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireKvm } from '../kvm/kvmAvailable';
import { join } from 'path';
import { adapterProcess, exited, guest, launchToStop, ROOT, startClient, stopClient, topFrame, waitForOutput } from './dapHarness';

describe('debug adapter: launch and run control', function () {
  requireKvm(this);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  async function launchError(args: Record<string, unknown>): Promise<string> {
    await dc.initializeRequest();
    try {
      await dc.launchRequest(args as DebugProtocol.LaunchRequestArguments);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('launch succeeded but should have failed');
  }

  it('refuses a launch without a kernel, naming the field', async () => {
    assert.match(await launchError({}), /'kernel' is required/);
  });

  it('refuses a kernel that does not exist', async () => {
    assert.match(await launchError({ kernel: guest('no-such-guest.elf') }), /'kernel'.*does not exist/);
  });

  it('refuses wrongly typed fields, naming them', async () => {
    assert.match(await launchError({ kernel: guest('spin.elf'), memory: 'lots' }), /'memory' must be a whole number/);
    await dc.stop();
    dc = await startClient();
    assert.match(await launchError({ kernel: guest('spin.elf'), stopOnEntry: 'yes' }), /'stopOnEntry' must be true or false/);
  });

  it('refuses an image no loader recognises, naming the file', async () => {
    assert.match(await launchError({ kernel: join(ROOT, 'package.json') }), /cannot launch: kernel '.*package\.json': /);
  });

  it('stops on entry in the CPU mode of the image, with one vCPU thread', async () => {
    const warning = waitForOutput(dc, "unknown field 'colour'", 'console');
    const stop = await launchToStop(dc, { kernel: guest('spin.elf'), colour: 'blue' });
    assert.equal(stop.body.reason, 'entry');
    assert.match(stop.body.description ?? '', /32-bit protected mode/);
    await warning;
    const threads = await dc.threadsRequest();
    assert.deepEqual(threads.body.threads.map((t) => t.name), ['vCPU 0']);
    const frame = await topFrame(dc);
    assert.equal(frame.name, '_start');
    assert.match(frame.instructionPointerReference ?? '', /^0x[0-9a-f]+$/);
  });

  it('continues, shows serial output, pauses a spinning guest and ends it on disconnect', async () => {
    await launchToStop(dc, { kernel: guest('spin.elf') });
    const output = waitForOutput(dc, 'spin\r\n');
    await dc.continueRequest({ threadId: 1 });
    await output;
    const [, paused] = await Promise.all([dc.pauseRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal(paused.body.reason, 'pause');
    assert.equal((await topFrame(dc)).name.startsWith('spin_forever'), true);
    const proc = adapterProcess(dc);
    const gone = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    await dc.disconnectRequest({});
    // The adapter process can only exit once the vCPU thread has left KVM_RUN and the worker has ended.
    assert.equal(await gone, 0);
  });

  it('reports the guest exit status and terminates when the guest ends by itself', async () => {
    const exit = exited(dc);
    const terminated = dc.waitForEvent('terminated');
    await Promise.all([
      dc.configurationSequence(),
      dc.launch({ kernel: guest('bploop.elf'), cmdline: 'n=3', stopOnEntry: false } as DebugProtocol.LaunchRequestArguments),
    ]);
    assert.equal((await exit).body.exitCode, 1);
    await terminated;
  });

  it('terminate ends the VM and sends terminated', async () => {
    await launchToStop(dc, { kernel: guest('spin.elf') });
    const terminated = dc.waitForEvent('terminated');
    await dc.terminateRequest({});
    await terminated;
  });
});
