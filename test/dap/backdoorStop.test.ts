// Adapter tests for the "Backdoor command" exception filter on real KVM: rpctool stops right after its GETVERSION call.
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireKvm } from '../kvm/kvmAvailable';
import { collectOutput, guest, startClient, stopClient, topFrame } from './dapHarness';

const FILTER = 'backdoorCommand';
/** `in eax, dx` is one byte (ED). */
const IN_LENGTH = 1n;
const HYPERCALL_WARNING = /does not forward VMware hypercalls/g;

/** Launches rpctool stopped at entry with the given exception filter options, before configurationDone. */
async function launchWithFilter(
  dc: DebugClient, filterOptions: DebugProtocol.ExceptionFilterOptions[], extra: Record<string, unknown> = {},
): Promise<DebugProtocol.SetExceptionBreakpointsResponse> {
  let answer!: DebugProtocol.SetExceptionBreakpointsResponse;
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      answer = await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions });
      await dc.configurationDoneRequest();
    }),
    dc.launch({ kernel: guest('rpctool.elf'), ...extra } as DebugProtocol.LaunchRequestArguments),
    dc.waitForEvent('stopped'),
  ]);
  return answer;
}

/** The address of the `in` instruction in bdoor_lb, found from its symbol and the adapter's disassembly. */
async function bdoorLbIn(dc: DebugClient): Promise<bigint> {
  const symbol = (await dc.evaluateRequest({ expression: 'bdoor_lb', context: 'watch' })).body.result.split(' ')[0];
  const r = await dc.send('disassemble', { memoryReference: symbol, instructionCount: 40 }) as DebugProtocol.DisassembleResponse;
  const ins = r.body!.instructions.find((i) => /^in\s+eax\s*,\s*dx$/i.test(i.instruction));
  assert.ok(ins, `no 'in eax,dx' in bdoor_lb: ${r.body!.instructions.map((i) => i.instruction).join('; ')}`);
  return BigInt(ins.address);
}

describe('debug adapter: backdoor command exception filter', function () {
  requireKvm(this);
  this.timeout(120_000);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  it('declares the filter, off by default, with a condition', async () => {
    const init = await dc.initializeRequest();
    const f = init.body!.exceptionBreakpointFilters!.find((x) => x.filter === FILTER);
    assert.ok(f);
    assert.equal(f.label, 'Backdoor command');
    assert.equal(f.default, false);
    assert.equal(f.supportsCondition, true);
    assert.match(f.conditionDescription!, /MESSAGE, GETVERSION/);
    assert.equal(init.body!.supportsExceptionFilterOptions, true);
  });

  it('stops right after GETVERSION with the call in words and the RIP of the calling instruction', async () => {
    const console = collectOutput(dc, 'console');
    const answer = await launchWithFilter(dc, [{ filterId: FILTER, condition: 'GETVERSION' }], { hypercall: 'vmcall' });
    assert.deepEqual(answer.body?.breakpoints, [{ verified: true }]);
    const inAddress = await bdoorLbIn(dc);

    const [, stop] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal(stop.body.reason, 'exception');
    assert.equal(stop.body.text, 'Backdoor GETVERSION');
    const info = await dc.send('exceptionInfo', { threadId: 1 }) as DebugProtocol.ExceptionInfoResponse;
    assert.equal(info.body.exceptionId, 'backdoor');
    assert.match(info.body.description!, /GETVERSION \(10\) over LB/);
    assert.match(info.body.description!, /in: eax=0x564d5868 .*ecx=0x[0-9a-f]*000a /);
    const rip = /at rip (0x[0-9a-f]+)/.exec(info.body.description!);
    assert.ok(rip, info.body.description);
    assert.equal(BigInt(rip[1]), inAddress);
    // The stop is after the call: the instruction is complete and the guest sees the answer.
    assert.equal(BigInt((await topFrame(dc)).instructionPointerReference!), inAddress + IN_LENGTH);
    const ebx = (await dc.evaluateRequest({ expression: '$rbx', context: 'watch' })).body.result.split(' ')[0];
    assert.equal(BigInt(ebx) & 0xffffffffn, 0x564d5868n);

    // GETVERSION is called once: the rest of the run (MESSAGE calls) does not stop.
    const [, ended] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('exited')]);
    assert.equal(ended.body.exitCode, 1);
    // The hypercall transport this host cannot forward is explained once.
    assert.equal(console.text().match(HYPERCALL_WARNING)?.length, 1, console.text());
  });

  it('refuses an unknown command name in the condition and does not stop', async () => {
    const answer = await launchWithFilter(dc, [{ filterId: FILTER, condition: 'GETVERSION, FROBNICATE' }]);
    const [bp] = answer.body!.breakpoints!;
    assert.equal(bp.verified, false);
    assert.match(bp.message!, /backdoor command 'FROBNICATE' is unknown: expected command names or numbers/);
    const [, ended] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('exited')]);
    assert.equal(ended.body.exitCode, 1);
  });
});
