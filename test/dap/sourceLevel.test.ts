// Adapter tests with DWARF line tables: breakpoints and logpoints on source lines, frames with source positions.
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { join } from 'path';
import { requireKvm } from '../kvm/kvmAvailable';
import { collectOutput, exited, guest, launchToStop, ROOT, startClient, stopClient } from './dapHarness';

const KMAIN_C = join(ROOT, 'guests', 'multiboot-c', 'kmain.c');
const DEMO_C = join(ROOT, 'guests', 'multiboot-c', 'demo.c');
/** kmain.c: `uint32_t f = fact(5);` */
const FACT_CALL_LINE = 57;
/** demo.c: the recursive `return n * fact(n - 1);` of fact(). */
const FACT_RECURSION_LINE = 24;
/** demo.c: blank line between fact() and the next function. */
const BLANK_LINE = 26;

describe('debug adapter: source level (DWARF)', function () {
  requireKvm(this);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  it('stops on a source line and shows the frame at that line', async () => {
    await launchToStop(dc, { kernel: guest('multiboot-c.elf') });
    const set = await dc.setBreakpointsRequest({ source: { path: KMAIN_C }, breakpoints: [{ line: FACT_CALL_LINE }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    assert.equal(set.body.breakpoints[0].line, FACT_CALL_LINE);
    const [, stop] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal(stop.body.reason, 'breakpoint');
    const frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(frame.source?.path, KMAIN_C);
    assert.equal(frame.line, FACT_CALL_LINE);
    assert.match(frame.name, /^kmain/);
    const dis = await dc.send('disassemble', { memoryReference: frame.instructionPointerReference, instructionCount: 1 }) as DebugProtocol.DisassembleResponse;
    assert.equal(dis.body!.instructions[0].location?.path, KMAIN_C);
    assert.equal(dis.body!.instructions[0].line, FACT_CALL_LINE);
  });

  it('moves a breakpoint on a line without code to the next line that has some, and refuses unknown files', async () => {
    await launchToStop(dc, { kernel: guest('multiboot-c.elf') });
    const moved = await dc.setBreakpointsRequest({ source: { path: DEMO_C }, breakpoints: [{ line: BLANK_LINE }] });
    assert.equal(moved.body.breakpoints[0].verified, true);
    assert.ok(moved.body.breakpoints[0].line! > BLANK_LINE);
    const none = await dc.setBreakpointsRequest({ source: { path: join(ROOT, 'no', 'such.c') }, breakpoints: [{ line: 3 }] });
    assert.equal(none.body.breakpoints[0].verified, false);
    assert.match(none.body.breakpoints[0].message ?? '', /no code at or after line 3/);
  });

  it('lists breakpoint lines and jumps to a line (goto)', async () => {
    await launchToStop(dc, { kernel: guest('multiboot-c.elf') });
    const locations = await dc.send('breakpointLocations', { source: { path: KMAIN_C }, line: FACT_CALL_LINE - 2, endLine: FACT_CALL_LINE + 1 }) as DebugProtocol.BreakpointLocationsResponse;
    assert.ok(locations.body.breakpoints.some((b) => b.line === FACT_CALL_LINE));
    await dc.setBreakpointsRequest({ source: { path: KMAIN_C }, breakpoints: [{ line: FACT_CALL_LINE }] });
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    const targets = await dc.send('gotoTargets', { source: { path: KMAIN_C }, line: FACT_CALL_LINE + 1 }) as DebugProtocol.GotoTargetsResponse;
    assert.ok(targets.body.targets.length > 0);
    const [, stop] = await Promise.all([dc.send('goto', { threadId: 1, targetId: targets.body.targets[0].id }), dc.waitForEvent('stopped')]);
    assert.equal(stop.body.reason, 'goto');
    const frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(frame.line, FACT_CALL_LINE + 1);
    assert.equal(frame.instructionPointerReference, targets.body.targets[0].instructionPointerReference);
  });

  it('runs logpoints on source lines with register and memory interpolation', async () => {
    await launchToStop(dc, { kernel: guest('multiboot-c.elf') });
    const console = collectOutput(dc, 'console');
    const set = await dc.setBreakpointsRequest({
      source: { path: DEMO_C }, breakpoints: [{ line: FACT_RECURSION_LINE, logMessage: 'fact n={[ebp+8]}' }],
    });
    assert.equal(set.body.breakpoints[0].verified, true);
    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exit).body.exitCode, 1);
    const lines = console.text().split('\n').filter((l) => l.startsWith('fact n='));
    assert.deepEqual(lines, ['fact n=0x5', 'fact n=0x4', 'fact n=0x3', 'fact n=0x2']);
  });
});

describe('debug adapter: source-line stepping', function () {
  requireKvm(this);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  async function stepAndWait(kind: 'next' | 'stepIn' | 'stepOut'): Promise<DebugProtocol.StackFrame> {
    const args = { threadId: 1 };
    const request = kind === 'next' ? dc.nextRequest(args) : kind === 'stepIn' ? dc.stepInRequest(args) : dc.stepOutRequest(args);
    const [, stop] = await Promise.all([request, dc.waitForEvent('stopped')]);
    assert.equal(stop.body.reason, 'step');
    return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
  }

  async function runToLine(file: string, line: number, hitCondition?: string): Promise<void> {
    await launchToStop(dc, { kernel: guest('multiboot-c.elf') });
    await dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line, hitCondition }] });
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    await dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [] });
  }

  it('steps over a line with a call, into a function and back out', async () => {
    await runToLine(KMAIN_C, FACT_CALL_LINE);
    const next = await stepAndWait('next');
    assert.equal(next.line, FACT_CALL_LINE + 1);
    assert.equal(next.source?.path, KMAIN_C);
    const into = await stepAndWait('stepIn');
    assert.match(into.name, /^serial_puts/);
    assert.match(into.source?.path ?? '', /serial\.c$/);
    const out = await stepAndWait('stepOut');
    assert.match(out.name, /^kmain/);
    assert.equal(out.source?.path, KMAIN_C);
  });

  it('steps over a recursive call and stays in the same activation', async () => {
    await runToLine(DEMO_C, FACT_RECURSION_LINE, '==1');
    const n = async () => (await dc.evaluateRequest({ expression: '[ebp+8]', context: 'watch' })).body.result.split(' ')[0];
    assert.equal(await n(), '0x5');
    const next = await stepAndWait('next');
    assert.equal(next.line, FACT_RECURSION_LINE + 1);
    assert.equal(await n(), '0x5');
  });
});
