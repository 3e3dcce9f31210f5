// Adapter tests: instruction stepping (step in, next over a call, step out) on a 32-bit guest with symbols.
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireKvm } from '../kvm/kvmAvailable';
import { guest, launchToStop, setInstructionBreakpoints, startClient, stopClient, topFrame } from './dapHarness';

/** bploop: `call_loop: call tick` (5 bytes), then `dec ecx`. */
const CALL_LENGTH = 5n;

async function pc(dc: DebugClient): Promise<bigint> {
  return BigInt((await topFrame(dc)).instructionPointerReference!);
}

async function evaluate(dc: DebugClient, expression: string): Promise<bigint> {
  const r = await dc.evaluateRequest({ expression, context: 'watch', frameId: 1 });
  return BigInt(r.body.result.split(' ')[0]);
}

async function stepAndWait(dc: DebugClient, kind: 'stepIn' | 'next' | 'stepOut' | 'continue'): Promise<DebugProtocol.StoppedEvent> {
  const args = { threadId: 1, granularity: 'instruction' as const };
  const request = kind === 'stepIn' ? dc.stepInRequest(args) : kind === 'next' ? dc.nextRequest(args)
    : kind === 'stepOut' ? dc.stepOutRequest(args) : dc.continueRequest(args);
  const [, stop] = await Promise.all([request, dc.waitForEvent('stopped')]);
  return stop as DebugProtocol.StoppedEvent;
}

describe('debug adapter: instruction stepping', function () {
  requireKvm(this);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  it('steps one instruction from the entry point', async () => {
    await launchToStop(dc, { kernel: guest('bploop.elf'), cmdline: 'n=2' });
    const entry = await pc(dc);
    assert.equal(entry, await evaluate(dc, '_start'));
    const stop = await stepAndWait(dc, 'stepIn');
    assert.equal(stop.body.reason, 'step');
    // The first instruction of bploop is `cld` (one byte).
    assert.equal(await pc(dc), entry + 1n);
  });

  it('next runs a call to the following instruction; step in enters it and step out returns', async () => {
    await launchToStop(dc, { kernel: guest('bploop.elf'), cmdline: 'n=3' });
    const callLoop = await evaluate(dc, 'call_loop');
    const tick = await evaluate(dc, 'tick');
    const bp = await setInstructionBreakpoints(dc, [{ instructionReference: `0x${callLoop.toString(16)}` }]);
    assert.equal(bp[0].verified, true);
    const hit = await stepAndWait(dc, 'continue');
    assert.equal(hit.body.reason, 'instruction breakpoint');
    assert.equal(await pc(dc), callLoop);
    assert.equal(await evaluate(dc, '*(u32*)tick_count'), 0n);

    const over = await stepAndWait(dc, 'next');
    assert.equal(over.body.reason, 'step');
    assert.equal(await pc(dc), callLoop + CALL_LENGTH);
    assert.equal(await evaluate(dc, '*(u32*)tick_count'), 1n);

    // Back on the call (dec ecx; jnz call_loop), then into tick and out again.
    await stepAndWait(dc, 'stepIn');
    await stepAndWait(dc, 'stepIn');
    assert.equal(await pc(dc), callLoop);
    await setInstructionBreakpoints(dc, []);
    await stepAndWait(dc, 'stepIn');
    assert.equal(await pc(dc), tick);
    const out = await stepAndWait(dc, 'stepOut');
    assert.equal(out.body.reason, 'step');
    assert.equal(await pc(dc), callLoop + CALL_LENGTH);
    assert.equal(await evaluate(dc, '*(u32*)tick_count'), 2n);
  });
});

describe('debug adapter: call stack', function () {
  requireKvm(this);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  it('walks frame pointers through a recursive C function back to kmain', async () => {
    await launchToStop(dc, { kernel: guest('multiboot-c.elf') });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'fact', hitCondition: '==3' }] });
    const stop = await stepAndWait(dc, 'continue');
    assert.equal(stop.body.reason, 'function breakpoint');
    const st = await dc.stackTraceRequest({ threadId: 1 });
    const names = st.body.stackFrames.map((f) => f.name.replace(/\+0x[0-9a-f]+$/, ''));
    assert.deepEqual(names.slice(0, 4), ['fact', 'fact', 'fact', 'kmain']);
    assert.equal(st.body.stackFrames[0].name, 'fact');
    const top2 = await dc.stackTraceRequest({ threadId: 1, startFrame: 1, levels: 2 });
    assert.deepEqual(top2.body.stackFrames.map((f) => f.id), [2, 3]);
  });
});
