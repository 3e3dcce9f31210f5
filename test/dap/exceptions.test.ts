// Adapter tests: the guest's own int3 stops under the "Guest breakpoint instructions" filter, or reaches the guest without it.
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireKvm } from '../kvm/kvmAvailable';
import { guest, startClient, stopClient, topFrame } from './dapHarness';

const INT3 = 0xcc;

/** Launches bploop stopped at entry with the given exception filters, then makes `tick` start with the guest's own int3. */
async function bploopWithGuestInt3(dc: DebugClient, filters: string[]): Promise<bigint> {
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      await dc.setExceptionBreakpointsRequest({ filters });
      await dc.configurationDoneRequest();
    }),
    dc.launch({ kernel: guest('bploop.elf'), cmdline: 'n=2' } as DebugProtocol.LaunchRequestArguments),
    dc.waitForEvent('stopped'),
  ]);
  const tick = BigInt((await dc.evaluateRequest({ expression: 'tick', context: 'watch' })).body.result.split(' ')[0]);
  await dc.send('writeMemory', { memoryReference: `0x${tick.toString(16)}`, data: Buffer.from([INT3]).toString('base64') });
  return tick;
}

async function continueToStop(dc: DebugClient): Promise<DebugProtocol.StoppedEvent> {
  const [, stop] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
  return stop as DebugProtocol.StoppedEvent;
}

describe('debug adapter: guest exceptions', function () {
  requireKvm(this);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  it('stops on an int3 the guest executes itself when the filter is on', async () => {
    const tick = await bploopWithGuestInt3(dc, ['guestInt3']);
    const stop = await continueToStop(dc);
    assert.equal(stop.body.reason, 'exception');
    assert.equal(stop.body.text, 'Guest breakpoint instruction');
    assert.equal(BigInt((await topFrame(dc)).instructionPointerReference!), tick);
    const info = await dc.send('exceptionInfo', { threadId: 1 }) as DebugProtocol.ExceptionInfoResponse;
    assert.match(info.body!.description ?? '', /int3 at 0x/);
  });

  it('lets the int3 reach the guest when the filter is off (this guest has no IDT, so it triple-faults)', async () => {
    await bploopWithGuestInt3(dc, []);
    const stop = await continueToStop(dc);
    assert.equal(stop.body.reason, 'exception');
    assert.equal(stop.body.text, 'Triple fault');
  });
});
