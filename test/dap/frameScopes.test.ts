// Adapter tests on real KVM: scope order per frame (source frames open on Locals) and caller frames' unwound registers.
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { join } from 'path';
import { requireKvm } from '../kvm/kvmAvailable';
import { guest, launchToStop, registerGroup, ROOT, setInstructionBreakpoints, startClient, stopClient } from './dapHarness';

const DEMO_C = join(ROOT, 'guests', 'multiboot-c', 'demo.c');
/** demo.c: fact()'s `if (n <= 1)`. */
const FACT_TEST_LINE = 22;
/** multiboot-c-O2.elf: the first instruction of shape_area2() inlined into local_shape_area2(), called at demo.c:42. */
const O2_INLINED_INSN = 0x1003b2n;
const SHAPE_AREA_CALL_LINE = 42;

async function scopeNames(dc: DebugClient, frameId: number): Promise<string[]> {
  return (await dc.scopesRequest({ frameId })).body.scopes.map((s) => s.name);
}

async function registersOf(dc: DebugClient, frameId: number): Promise<{ ref: number; vars: Map<string, DebugProtocol.Variable> }> {
  const scope = (await dc.scopesRequest({ frameId })).body.scopes.find((s) => s.name === 'Registers')!;
  const vars = await dc.variablesRequest({ variablesReference: scope.variablesReference });
  return { ref: scope.variablesReference, vars: new Map(vars.body.variables.map((v) => [v.name, v])) };
}

/** Stops in fact(3), called from fact(4), fact(5) and kmain. */
async function stopInFact3(dc: DebugClient): Promise<DebugProtocol.StackFrame[]> {
  await launchToStop(dc, { kernel: guest('multiboot-c.elf') });
  await dc.setBreakpointsRequest({ source: { path: DEMO_C }, breakpoints: [{ line: FACT_TEST_LINE, hitCondition: '3' }] });
  await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
  return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
}

describe('debug adapter: scopes per frame', function () {
  requireKvm(this);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  it('lists Registers first in code no DWARF function describes', async () => {
    await launchToStop(dc, { kernel: guest('halt.elf') });
    const atEntry = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    const names = await scopeNames(dc, atEntry.id);
    assert.equal(names[0], 'Registers');
    assert.ok(!names.includes('Locals'));
  });

  it('lists Locals and Arguments before Registers in a C function', async () => {
    await launchToStop(dc, { kernel: guest('multiboot-c.elf') });
    await dc.setBreakpointsRequest({ source: { path: DEMO_C }, breakpoints: [{ line: FACT_TEST_LINE }] });
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.deepEqual(await scopeNames(dc, top.id), ['Locals', 'Arguments', 'Registers', 'Globals']);
  });

  it('shows a caller frame its own unwound registers, read-only, with its return address as eip', async () => {
    const frames = await stopInFact3(dc);
    assert.ok(frames.length >= 4, `expected fact(3), fact(4), fact(5), kmain; got ${frames.map((f) => f.name).join(', ')}`);
    const general = await registerGroup(dc, 'General');
    const eip0 = BigInt(general.get('eip')!.value.split(' ')[0]);
    assert.equal(eip0, BigInt(frames[0].instructionPointerReference!));
    const caller = await registersOf(dc, frames[1].id);
    assert.match(caller.vars.get('note')!.value, /unwinder/);
    const eip1 = BigInt(caller.vars.get('eip')!.value);
    assert.notEqual(eip1, eip0);
    assert.equal(eip1, BigInt(frames[1].instructionPointerReference!));
    // fact(4)'s frame sits above fact(3)'s on the stack.
    const esp1 = BigInt(caller.vars.get('esp')!.value);
    assert.ok(esp1 > BigInt(general.get('esp')!.value.split(' ')[0]));
    assert.deepEqual(caller.vars.get('eip')!.presentationHint?.attributes, ['readOnly']);
    await assert.rejects(dc.setVariableRequest({ variablesReference: caller.ref, name: 'eip', value: '0' }), /read-only/);
    const outer = await registersOf(dc, frames[2].id);
    assert.equal(BigInt(outer.vars.get('eip')!.value), BigInt(frames[2].instructionPointerReference!));
  });

  it('lists an inlined call as a frame of its own at the same pc, each with its own variables', async () => {
    await launchToStop(dc, { kernel: guest('multiboot-c-O2.elf') });
    const set = await setInstructionBreakpoints(dc, [{ instructionReference: `0x${O2_INLINED_INSN.toString(16)}` }]);
    assert.equal(set[0].verified, true);
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    assert.match(frames[0].name, /^shape_area2 \[inlined\]/);
    assert.match(frames[1].name, /^local_shape_area2/);
    assert.equal(BigInt(frames[0].instructionPointerReference!), O2_INLINED_INSN);
    assert.equal(BigInt(frames[1].instructionPointerReference!), O2_INLINED_INSN);
    assert.equal(frames[1].source?.path, DEMO_C);
    assert.equal(frames[1].line, SHAPE_AREA_CALL_LINE);
    const inner = await scopeNames(dc, frames[0].id);
    assert.equal(inner[0], 'Locals');
    const args = (await dc.scopesRequest({ frameId: frames[0].id })).body.scopes.find((x) => x.name === 'Arguments')!;
    const innerArgs = (await dc.variablesRequest({ variablesReference: args.variablesReference })).body.variables.map((v) => v.name);
    assert.deepEqual(innerArgs, ['s']);
    const locals = (await dc.scopesRequest({ frameId: frames[1].id })).body.scopes.find((x) => x.name === 'Locals')!;
    const outerLocals = (await dc.variablesRequest({ variablesReference: locals.variablesReference })).body.variables.map((v) => v.name);
    assert.ok(outerLocals.includes('local'), `local_shape_area2's locals: ${outerLocals.join(', ')}`);
    assert.ok(!outerLocals.includes('c'));
  });
});
