// Adapter tests on real KVM: breakpoint conditions, hit counts and logpoints written in C over DWARF variables.
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { join } from 'path';
import { requireKvm } from '../kvm/kvmAvailable';
import { collectOutput, exited, guest, launchToStop, ROOT, setInstructionBreakpoints, startClient, stopClient } from './dapHarness';

const DEMO_C = join(ROOT, 'guests', 'multiboot-c', 'demo.c');
/** demo.c: fact()'s `if (n <= 1)`, reached once per call of fact(5): n = 5, 4, 3, 2, 1. */
const FACT_TEST_LINE = 22;

async function argument(dc: DebugClient, name: string): Promise<string> {
  const frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
  const scopes = await dc.scopesRequest({ frameId: frame.id });
  const args = scopes.body.scopes.find((s) => s.name === 'Arguments')!;
  const vars = await dc.variablesRequest({ variablesReference: args.variablesReference });
  return vars.body.variables.find((v) => v.name === name)!.value;
}

async function continueToStop(dc: DebugClient): Promise<DebugProtocol.StoppedEvent> {
  const [, stop] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
  return stop as DebugProtocol.StoppedEvent;
}

describe('debug adapter: C breakpoint conditions and logpoints', function () {
  requireKvm(this);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  it('stops a source breakpoint only where its C condition holds', async () => {
    await launchToStop(dc, { kernel: guest('multiboot-c.elf') });
    const set = await dc.setBreakpointsRequest({ source: { path: DEMO_C }, breakpoints: [{ line: FACT_TEST_LINE, condition: 'n == 2' }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    const stop = await continueToStop(dc);
    assert.equal(stop.body.reason, 'breakpoint');
    assert.deepEqual(stop.body.hitBreakpointIds, [set.body.breakpoints[0].id]);
    assert.equal(await argument(dc, 'n'), '2');
    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exit).body.exitCode, 1);
  });

  it('prints C logpoint values on every call without stopping', async () => {
    await launchToStop(dc, { kernel: guest('multiboot-c.elf') });
    const console = collectOutput(dc, 'console');
    await dc.setBreakpointsRequest({ source: { path: DEMO_C }, breakpoints: [{ line: FACT_TEST_LINE, logMessage: 'fact({n}) x={g_triangle.corners[1].x}' }] });
    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exit).body.exitCode, 1);
    const lines = console.text().split('\n').filter((l) => l.startsWith('fact('));
    assert.deepEqual(lines, ['fact(5) x=4', 'fact(4) x=4', 'fact(3) x=4', 'fact(2) x=4', 'fact(1) x=4']);
  });

  it('counts hits only where the C condition holds', async () => {
    await launchToStop(dc, { kernel: guest('multiboot-c.elf') });
    await dc.setBreakpointsRequest({ source: { path: DEMO_C }, breakpoints: [{ line: FACT_TEST_LINE, condition: 'n < 5', hitCondition: '2' }] });
    assert.equal((await continueToStop(dc)).body.reason, 'breakpoint');
    // n = 4 is the first hit that counts, n = 3 the second.
    assert.equal(await argument(dc, 'n'), '3');
    await continueToStop(dc);
    assert.equal(await argument(dc, 'n'), '2');
  });

  it('runs C conditions on function breakpoints and C logpoints on instruction breakpoints', async () => {
    await launchToStop(dc, { kernel: guest('multiboot-c.elf') });
    const console = collectOutput(dc, 'console');
    const fn = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'fact', condition: 'g_triangle.corners[1].x == 4 && n == 1' }] });
    assert.equal(fn.body.breakpoints[0].verified, true);
    const address = fn.body.breakpoints[0].instructionReference!;
    const logged = await setInstructionBreakpoints(dc, [{ instructionReference: address, logMessage: 'enter {n,x}' } as DebugProtocol.InstructionBreakpoint]);
    assert.equal(logged[0].verified, true);
    const stop = await continueToStop(dc);
    assert.deepEqual(stop.body.hitBreakpointIds, [fn.body.breakpoints[0].id]);
    assert.equal(await argument(dc, 'n'), '1');
    assert.deepEqual(console.text().split('\n').filter((l) => l.startsWith('enter ')), ['enter 0x5', 'enter 0x4', 'enter 0x3', 'enter 0x2', 'enter 0x1']);
  });

  it('stops on a C condition that cannot be evaluated and says why once', async () => {
    await launchToStop(dc, { kernel: guest('multiboot-c.elf') });
    const console = collectOutput(dc, 'console');
    await dc.setBreakpointsRequest({ source: { path: DEMO_C }, breakpoints: [{ line: FACT_TEST_LINE, condition: '*n == 1' }] });
    assert.equal((await continueToStop(dc)).body.reason, 'breakpoint');
    assert.equal(await argument(dc, 'n'), '5');
    assert.equal((await continueToStop(dc)).body.reason, 'breakpoint');
    assert.equal(await argument(dc, 'n'), '4');
    const messages = console.text().split('\n').filter((l) => l.includes('cannot be evaluated'));
    assert.equal(messages.length, 1);
    assert.match(messages[0], /demo\.c:22: condition '\*n == 1' cannot be evaluated: .+/);
  });
});
