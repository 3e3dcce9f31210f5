// Adapter tests for C variables on real KVM: scopes per frame, struct and array expansion, C evaluation, assignment.
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { join } from 'path';
import { requireKvm } from '../kvm/kvmAvailable';
import { guest, launchToStop, ROOT, setInstructionBreakpoints, startClient, stopClient, waitForOutput } from './dapHarness';

const DEMO_C = join(ROOT, 'guests', 'multiboot-c', 'demo.c');
/** demo.c lines: fact()'s test, its `return 1;`, the return in local_shape_area2(), `g_sum += i;` in count_up(). */
const FACT_TEST_LINE = 22;
const FACT_BASE_LINE = 23;
const LOCAL_SHAPE_RETURN_LINE = 42;
const COUNT_UP_SUM_LINE = 49;
/** demo.c: the first statement of mix(), whose six parameters have six different types. */
const MIX_FIRST_LINE = 56;
/** The Multiboot loader's magic in EAX, which kmain receives as `magic`. */
const MULTIBOOT_MAGIC = 0x2badb002;
/** multiboot-c-O2.elf: an instruction inside count_up's loop, where `i` lives in EAX and `rounds` has no location. */
const O2_LOOP_INSN = 0x100404n;

type Vars = Map<string, DebugProtocol.Variable>;

async function scopeVariables(dc: DebugClient, frameId: number, scope: string): Promise<Vars> {
  const scopes = await dc.scopesRequest({ frameId });
  const s = scopes.body.scopes.find((x) => x.name === scope);
  if (!s) throw new Error(`frame ${frameId} has no '${scope}' scope (has ${scopes.body.scopes.map((x) => x.name).join(', ')})`);
  return children(dc, s.variablesReference);
}

async function children(dc: DebugClient, variablesReference: number): Promise<Vars> {
  const r = await dc.variablesRequest({ variablesReference });
  return new Map(r.body.variables.map((v) => [v.name, v]));
}

function value(vars: Vars, name: string): string {
  const v = vars.get(name);
  if (!v) throw new Error(`no variable '${name}' among ${[...vars.keys()].join(', ')}`);
  return v.value;
}

async function evaluate(dc: DebugClient, expression: string, context = 'watch', frameId = 1): Promise<DebugProtocol.EvaluateResponse['body']> {
  return (await dc.evaluateRequest({ expression, context, frameId })).body;
}

async function runTo(dc: DebugClient, line: number, kernel = 'multiboot-c.elf'): Promise<DebugProtocol.StackFrame[]> {
  await launchToStop(dc, { kernel: guest(kernel) });
  const set = await dc.setBreakpointsRequest({ source: { path: DEMO_C }, breakpoints: [{ line }] });
  assert.equal(set.body.breakpoints[0].verified, true);
  return continueToStop(dc);
}

async function continueToStop(dc: DebugClient): Promise<DebugProtocol.StackFrame[]> {
  const [, stop] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
  assert.match(stop.body.reason, /^((function|instruction) )?breakpoint$/);
  return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
}

describe('debug adapter: C variables', function () {
  requireKvm(this);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  it('shows each recursion level its own argument, and the caller its arguments', async () => {
    const frames = await runTo(dc, FACT_BASE_LINE);
    assert.deepEqual(frames.slice(0, 5).map((f) => f.name.split('+')[0]), ['fact', 'fact', 'fact', 'fact', 'fact']);
    for (let depth = 0; depth < 5; depth++) {
      assert.equal(value(await scopeVariables(dc, frames[depth].id, 'Arguments'), 'n'), String(depth + 1), `n at depth ${depth}`);
    }
    const kmain = frames[5];
    assert.match(kmain.name, /^kmain/);
    assert.equal(value(await scopeVariables(dc, kmain.id, 'Arguments'), 'magic'), String(MULTIBOOT_MAGIC));
    const scopes = (await dc.scopesRequest({ frameId: frames[0].id })).body.scopes;
    assert.deepEqual(scopes.map((s) => [s.name, s.presentationHint, s.expensive]),
      [['Locals', 'locals', false], ['Arguments', 'arguments', false], ['Registers', 'registers', false], ['Globals', undefined, true]]);
    // Expressions see the selected frame's variables.
    assert.equal((await evaluate(dc, 'n * 10 + 1', 'watch', frames[2].id)).result, '31');
    assert.equal((await evaluate(dc, 'n', 'hover', frames[4].id)).type, 'uint32_t');
  });

  it('expands a struct local with nested struct and array members', async () => {
    await runTo(dc, LOCAL_SHAPE_RETURN_LINE);
    const frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    const locals = await scopeVariables(dc, frame.id, 'Locals');
    const local = locals.get('local')!;
    assert.equal(local.type, 'struct shape');
    assert.ok(local.variablesReference > 0);
    const members = await children(dc, local.variablesReference);
    assert.deepEqual([...members.keys()], ['name', 'origin', 'corners', 'flags', 'color', 'anchor']);
    assert.equal(value(members, 'name'), '"wide"');
    assert.equal(value(members, 'origin'), '{x=11, y=2}');
    assert.equal(value(members, 'color'), '4660');
    assert.equal(members.get('corners')!.type, 'struct point [3]');
    const corners = await children(dc, members.get('corners')!.variablesReference);
    assert.deepEqual([...corners.keys()], ['[0]', '[1]', '[2]']);
    assert.equal(value(corners, '[1]'), '{x=8, y=0}');
    assert.equal(corners.get('[1]')!.evaluateName, 'local.corners[1]');
    const anchor = await children(dc, members.get('anchor')!.variablesReference);
    assert.equal(value(anchor, 'x'), '-7');
    assert.equal(value(anchor, 'y'), '9');
    // The pointer's memory reference opens the bytes it points at: g_anchor = { -7, 9 }.
    const mem = await dc.send('readMemory', { memoryReference: members.get('anchor')!.memoryReference, count: 8 }) as DebugProtocol.ReadMemoryResponse;
    assert.deepEqual([...Buffer.from(mem.body!.data!, 'base64')], [0xf9, 0xff, 0xff, 0xff, 9, 0, 0, 0]);
  });

  it('evaluates C expressions for hovers, watches and the console', async () => {
    await runTo(dc, LOCAL_SHAPE_RETURN_LINE);
    assert.equal((await evaluate(dc, 'g_triangle.corners[1]', 'hover')).result, '{x=4, y=0}');
    assert.equal((await evaluate(dc, 'local.corners[1].x')).result, '8');
    const counter = await evaluate(dc, '&g_counter', 'repl');
    assert.equal(counter.type, 'uint32_t *');
    assert.match(counter.result, /^0x[0-9a-f]+$/);
    assert.equal(counter.memoryReference, counter.result);
    assert.equal((await evaluate(dc, '*g_triangle.anchor')).result, '{x=-7, y=9}');
    assert.equal((await evaluate(dc, 'g_triangle.anchor->y - 10')).result, '-1');
    assert.equal((await evaluate(dc, '(unsigned char)g_triangle.color')).result, "52 '4'");
    assert.equal((await evaluate(dc, 'g_triangle.flags == 5 && local.origin.x > 10')).result, '1');
    const cast = await evaluate(dc, `(struct point *)${counter.result}`);
    assert.equal(cast.type, 'struct point *');
    const viaCast = await children(dc, (await evaluate(dc, '(struct point *)&local.corners[2]')).variablesReference);
    assert.equal(value(viaCast, 'y'), '3');
    assert.match((await evaluate(dc, 'local.name')).result, /^"wide"$/);
    assert.equal((await evaluate(dc, 'local.origin,x')).result, '{x=0xb, y=0x2}');
    // A function's name is its address, as in C.
    const factAddress = (await dc.evaluateRequest({ expression: 'fact', context: 'repl' })).body.result;
    const pointer = await evaluate(dc, '&fact', 'repl');
    assert.match(pointer.result, /^0x[0-9a-f]+ <fact>$/);
    assert.equal(BigInt(pointer.result.split(' ')[0]), BigInt(/^0x[0-9a-f]+/.exec(factAddress)![0]));
    // Registers and raw memory stay with the machine-level evaluator.
    assert.match((await evaluate(dc, '$esp')).result, /^0x[0-9a-f]+/);
    assert.match((await evaluate(dc, '[ebp+8]')).result, /^0x[0-9a-f]+/);
    await assert.rejects(dc.evaluateRequest({ expression: 'local.missing', context: 'watch', frameId: 1 }), /has no member named 'missing'/);
  });

  it('shows parameters of six types: signed, small unsigned, char pointer with its string, struct by value', async () => {
    const frames = await runTo(dc, MIX_FIRST_LINE);
    const args = await scopeVariables(dc, frames[0].id, 'Arguments');
    assert.deepEqual([...args.keys()], ['a', 'b', 'c', 'd', 'tag', 'p']);
    assert.deepEqual([...args.values()].map((v) => v.type), ['int32_t', 'uint8_t', 'uint16_t', 'uint32_t', 'const char *', 'struct point']);
    assert.equal(value(args, 'a'), '-3');
    assert.equal(value(args, 'b'), "7 '\\a'");
    assert.equal(value(args, 'c'), '300');
    assert.equal(value(args, 'd'), '100000');
    assert.match(value(args, 'tag'), /^0x[0-9a-f]+ "tag"$/);
    assert.equal(args.get('tag')!.memoryReference, value(args, 'tag').split(' ')[0]);
    assert.equal(value(args, 'p'), '{x=5, y=6}');
    assert.equal((await evaluate(dc, 'tag[1]')).result, "97 'a'");
    assert.equal((await evaluate(dc, 'a * p.x + b')).result, '-8');
  });

  it('shows a global changing across a continue and a line step', async () => {
    const frames = await runTo(dc, COUNT_UP_SUM_LINE);
    assert.equal(value(await scopeVariables(dc, frames[0].id, 'Globals'), 'g_counter'), '1');
    assert.equal(value(await scopeVariables(dc, frames[0].id, 'Locals'), 'i'), '0');
    const again = await continueToStop(dc);
    assert.equal(value(await scopeVariables(dc, again[0].id, 'Globals'), 'g_counter'), '2');
    assert.equal((await evaluate(dc, 'i')).result, '1');
    assert.equal((await evaluate(dc, 'g_sum + g_counter')).result, '2');
    // Stepping over `g_sum += i` with i == 1 changes g_sum from 0 to 1.
    assert.equal(value(await scopeVariables(dc, again[0].id, 'Globals'), 'g_sum'), '0');
    await dc.setBreakpointsRequest({ source: { path: DEMO_C }, breakpoints: [] });
    const [, step] = await Promise.all([dc.nextRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal(step.body.reason, 'step');
    const stepped = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    assert.equal(stepped[0].line, COUNT_UP_SUM_LINE + 1);
    assert.equal(value(await scopeVariables(dc, stepped[0].id, 'Globals'), 'g_sum'), '1');
  });

  it('sets an argument and the guest computes with the new value', async () => {
    const frames = await runTo(dc, FACT_TEST_LINE);
    const args = (await dc.scopesRequest({ frameId: frames[0].id })).body.scopes.find((s) => s.name === 'Arguments')!;
    const invalidated = dc.waitForEvent('invalidated');
    const set = await dc.setVariableRequest({ variablesReference: args.variablesReference, name: 'n', value: '1 + 2' });
    assert.equal(set.body.value, '3');
    await invalidated;
    assert.equal(value(await children(dc, args.variablesReference), 'n'), '3');
    await dc.setBreakpointsRequest({ source: { path: DEMO_C }, breakpoints: [] });
    const output = waitForOutput(dc, 'fact(5)=6\r\n');
    await dc.continueRequest({ threadId: 1 });
    await output;
  });

  it('releases spin() by setting a volatile global from a watch expression', async () => {
    await launchToStop(dc, { kernel: guest('multiboot-c.elf'), cmdline: 'spin' });
    const spinning = waitForOutput(dc, 'spinning\r\n');
    await dc.continueRequest({ threadId: 1 });
    await spinning;
    await Promise.all([dc.pauseRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal((await evaluate(dc, 'spin_release')).result, '0');
    const set = await dc.send('setExpression', { expression: 'spin_release', value: '7', frameId: 1 }) as DebugProtocol.SetExpressionResponse;
    assert.equal(set.body.value, '7');
    const released = waitForOutput(dc, 'released\r\n');
    await dc.continueRequest({ threadId: 1 });
    await released;
  });

  it('reads location lists in optimised code: a register value, then an optimised-out argument', async () => {
    await launchToStop(dc, { kernel: guest('multiboot-c-O2.elf') });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'count_up' }] });
    let frames = await continueToStop(dc);
    assert.equal(value(await scopeVariables(dc, frames[0].id, 'Arguments'), 'rounds'), '10');
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    await setInstructionBreakpoints(dc, [{ instructionReference: `0x${O2_LOOP_INSN.toString(16)}` }]);
    frames = await continueToStop(dc);
    assert.equal(value(await scopeVariables(dc, frames[0].id, 'Arguments'), 'rounds'), '<optimised out>');
    assert.equal(value(await scopeVariables(dc, frames[0].id, 'Locals'), 'i'), '0');
    frames = await continueToStop(dc);
    const i = (await scopeVariables(dc, frames[0].id, 'Locals')).get('i')!;
    assert.equal(i.value, '1');
    assert.equal(i.memoryReference, undefined, 'a variable in a register has no memory reference');
    const locals = (await dc.scopesRequest({ frameId: frames[0].id })).body.scopes.find((x) => x.name === 'Locals')!;
    const set = await dc.setVariableRequest({ variablesReference: locals.variablesReference, name: 'i', value: '8' });
    assert.equal(set.body.value, '8');
    assert.match((await evaluate(dc, '$eax')).result, /^0x8 /);
  });
});
