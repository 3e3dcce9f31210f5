// Adapter tests: function and instruction breakpoints in software and hardware mode, conditions, hit counts, logpoints.
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { VM_INFO_EVENT } from '../../protocol/customRequests';
import { requireKvm } from '../kvm/kvmAvailable';
import { collectOutput, exited, guest, launchToStop, setInstructionBreakpoints, startClient, stopClient, topFrame } from './dapHarness';

/** bploop's exit status when tick ran exactly n times (its self-check passed); selfcopy's when its copy ran. */
const BPLOOP_OK = 1;

async function continueToStop(dc: DebugClient): Promise<DebugProtocol.StoppedEvent> {
  const [, stop] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
  return stop as DebugProtocol.StoppedEvent;
}

async function evaluate(dc: DebugClient, expression: string): Promise<bigint> {
  const r = await dc.evaluateRequest({ expression, context: 'watch', frameId: 1 });
  return BigInt(r.body.result.split(' ')[0]);
}

describe('debug adapter: breakpoints', function () {
  requireKvm(this);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  it('a breakpoint on code the guest writes later (a loader copying code into place) is planted again and hit', async () => {
    await launchToStop(dc, { kernel: guest('selfcopy.elf') });
    const dest = await evaluate(dc, 'copy_dest');
    const source = await evaluate(dc, 'copy_source');
    const [bp] = await setInstructionBreakpoints(dc, [{ instructionReference: `0x${dest.toString(16)}` }]);
    assert.equal(bp.verified, true);
    const console = collectOutput(dc, 'console');
    // The guest copies its routine over the planted int3, prints a line (an exit: the stub plants again), calls the copy.
    const stop = await continueToStop(dc);
    assert.deepEqual(stop.body.hitBreakpointIds, [bp.id]);
    assert.equal(BigInt((await topFrame(dc)).instructionPointerReference!), dest);
    assert.match(console.text(), /the guest wrote new code there; the breakpoint is planted again/);
    // Memory shows the guest's code, not the int3 and not the zeros that were there before.
    const read = async (a: bigint) => Buffer.from((await dc.send('readMemory', { memoryReference: `0x${a.toString(16)}`, count: 6 }) as DebugProtocol.ReadMemoryResponse).body!.data!, 'base64');
    assert.deepEqual(await read(dest), await read(source));
    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exit).body.exitCode, BPLOOP_OK);
  });

  for (const mode of ['software', 'hardware'] as const) {
    it(`stops on every call of a function (${mode} breakpoint) without losing or repeating one`, async () => {
      await launchToStop(dc, { kernel: guest('bploop.elf'), cmdline: 'n=3' });
      const tick = await evaluate(dc, 'tick');
      const set = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'tick', mode } as DebugProtocol.FunctionBreakpoint] });
      const bp = set.body.breakpoints[0];
      assert.equal(bp.verified, true);
      for (let i = 0; i < 3; i++) {
        const stop = await continueToStop(dc);
        assert.equal(stop.body.reason, 'function breakpoint');
        assert.deepEqual(stop.body.hitBreakpointIds, [bp.id]);
        assert.equal(BigInt((await topFrame(dc)).instructionPointerReference!), tick);
        assert.equal(await evaluate(dc, '*(u32*)tick_count'), BigInt(i));
      }
      const exit = exited(dc);
      await dc.continueRequest({ threadId: 1 });
      assert.equal((await exit).body.exitCode, BPLOOP_OK);
    });
  }

  it('hides planted int3 bytes from memory reads and disassembly', async () => {
    await launchToStop(dc, { kernel: guest('bploop.elf'), cmdline: 'n=3' });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'tick' }] });
    await continueToStop(dc);
    const tick = await evaluate(dc, 'tick');
    const mem = await dc.send('readMemory', { memoryReference: `0x${tick.toString(16)}`, count: 1 }) as DebugProtocol.ReadMemoryResponse;
    // tick starts with `incl tick_count` (FF 05 ...), never our 0xCC.
    assert.equal(Buffer.from(mem.body!.data!, 'base64')[0], 0xff);
  });

  it('hides planted int3 bytes from memory reads while the guest runs', async () => {
    await launchToStop(dc, { kernel: guest('spin.elf') });
    const start = await evaluate(dc, '_start');
    await dc.continueRequest({ threadId: 1 });
    // _start has run already, so this breakpoint stays planted while the guest spins.
    const set = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: '_start' }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    const mem = await dc.send('readMemory', { memoryReference: `0x${start.toString(16)}`, count: 1 }) as DebugProtocol.ReadMemoryResponse;
    assert.equal(Buffer.from(mem.body!.data!, 'base64')[0], 0xfc);
    const phys = await dc.send('readMemory', { memoryReference: `phys:0x${start.toString(16)}`, count: 1 }) as DebugProtocol.ReadMemoryResponse;
    assert.equal(Buffer.from(phys.body!.data!, 'base64')[0], 0xfc);
  });

  it('checks conditions and hit counts in the stub and stops only when they hold', async () => {
    await launchToStop(dc, { kernel: guest('bploop.elf'), cmdline: 'n=4' });
    const set = await dc.setFunctionBreakpointsRequest({ breakpoints: [
      { name: 'tick', condition: '[tick_count] == 1 || [tick_count] == 3', hitCondition: '==2' },
    ] });
    assert.equal(set.body.breakpoints[0].verified, true);
    const stop = await continueToStop(dc);
    assert.equal(stop.body.reason, 'function breakpoint');
    // Condition true on calls 2 and 4; the hit condition keeps only its second match.
    assert.equal(await evaluate(dc, '*(u32*)tick_count'), 3n);
    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exit).body.exitCode, BPLOOP_OK);
  });

  it('passes a breakpoint whose condition never holds thousands of times without stopping', async () => {
    await launchToStop(dc, { kernel: guest('bploop.elf'), cmdline: 'n=2000' });
    const set = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'tick', condition: 'eax == 0xdeadbeef' }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    let stopped = false;
    dc.on('stopped', () => { stopped = true; });
    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    // The guest checks that tick ran exactly n times: every pass stepped over the breakpoint once.
    assert.equal((await exit).body.exitCode, BPLOOP_OK);
    assert.equal(stopped, false);
  });

  it('logpoints print interpolated values and never stop', async () => {
    await launchToStop(dc, { kernel: guest('bploop.elf'), cmdline: 'n=3' });
    const tick = await evaluate(dc, 'tick');
    const console = collectOutput(dc, 'console');
    await setInstructionBreakpoints(dc, [
      { instructionReference: `0x${tick.toString(16)}`, logMessage: 'tick count={[tick_count]}' } as DebugProtocol.InstructionBreakpoint,
    ]);
    let stopped = false;
    dc.on('stopped', () => { stopped = true; });
    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exit).body.exitCode, BPLOOP_OK);
    assert.equal(stopped, false);
    assert.match(console.text(), /tick count=0x0\n[^]*tick count=0x1\n[^]*tick count=0x2\n/);
  });

  it('delivers logpoint output written before a stop ahead of the stop', async () => {
    await launchToStop(dc, { kernel: guest('bploop.elf'), cmdline: 'n=3' });
    const tick = await evaluate(dc, 'tick');
    const callLoop = await evaluate(dc, 'call_loop');
    await setInstructionBreakpoints(dc, [
      { instructionReference: `0x${tick.toString(16)}`, logMessage: 'in tick' } as DebugProtocol.InstructionBreakpoint,
      { instructionReference: `0x${callLoop.toString(16)}` },
    ]);
    const order: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.output.includes('in tick')) order.push('log'); });
    dc.on('stopped', () => order.push('stop'));
    // The first iteration stops at call_loop before tick ran; the second logs in tick, then stops at call_loop.
    await continueToStop(dc);
    await continueToStop(dc);
    assert.deepEqual(order, ['stop', 'log', 'stop']);
  });

  it('refuses a fifth hardware breakpoint, an unknown function and a bad condition, with messages', async () => {
    await launchToStop(dc, { kernel: guest('bploop.elf'), cmdline: 'n=3' });
    const base = await evaluate(dc, 'call_loop');
    const hw = await setInstructionBreakpoints(dc, [0, 1, 2, 3, 5].map((o) => ({
      instructionReference: `0x${(base + BigInt(o)).toString(16)}`, mode: 'hardware',
    })));
    assert.deepEqual(hw.map((b) => b.verified), [true, true, true, true, false]);
    assert.match(hw[4].message ?? '', /DR0-DR3/);
    const fn = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'no_such_function' }, { name: 'tick', condition: 'rax ==' }] });
    assert.equal(fn.body.breakpoints[0].verified, false);
    assert.match(fn.body.breakpoints[0].message ?? '', /no symbol named 'no_such_function'/);
    assert.equal(fn.body.breakpoints[1].verified, false);
    assert.match(fn.body.breakpoints[1].message ?? '', /ends early/);
  });

  it('watches a C global with a data breakpoint: it fires where the host delivers watchpoints, else says why', async () => {
    const vmInfo = dc.waitForEvent(VM_INFO_EVENT);
    await launchToStop(dc, { kernel: guest('multiboot-c.elf') });
    const pvm = (await vmInfo).body.pvm as boolean;
    const info = await dc.send('dataBreakpointInfo', { name: 'g_counter', frameId: 1 }) as DebugProtocol.DataBreakpointInfoResponse;
    const counter = BigInt(/^0x[0-9a-f]+/.exec(info.body.dataId!)![0]);
    assert.equal(info.body.dataId, `0x${counter.toString(16)}/4`);
    assert.deepEqual(info.body.accessTypes, ['write', 'readWrite']);
    // An address with a byte count ("Add Data Breakpoint at Address"), and ranges the debug registers cannot watch.
    const byAddress = await dc.send('dataBreakpointInfo', { name: `0x${counter.toString(16)}`, asAddress: true, bytes: 2 }) as DebugProtocol.DataBreakpointInfoResponse;
    assert.equal(byAddress.body.dataId, `0x${counter.toString(16)}/2`);
    const odd = await dc.send('dataBreakpointInfo', { name: `0x${counter.toString(16)}`, asAddress: true, bytes: 3 }) as DebugProtocol.DataBreakpointInfoResponse;
    assert.equal(odd.body.dataId, null);
    assert.match(odd.body.description, /watch 1, 2, 4 or 8 bytes, not 3/);

    const set = await dc.send('setDataBreakpoints', { breakpoints: [
      { dataId: info.body.dataId, accessType: 'write' },
      { dataId: info.body.dataId, accessType: 'read' },
      { dataId: 'g_counter' },
    ] }) as DebugProtocol.SetDataBreakpointsResponse;
    const [watch, reads, foreign] = set.body.breakpoints;
    assert.match(reads.message ?? '', /cannot watch reads alone/);
    assert.match(foreign.message ?? '', /not a data breakpoint id of this debugger/);
    if (!pvm) {
      // VMX/SVM: count_up's first write to g_counter stops right after the writing instruction.
      assert.equal(watch.verified, true);
      const stop = await continueToStop(dc);
      assert.equal(stop.body.reason, 'data breakpoint');
      assert.deepEqual(stop.body.hitBreakpointIds, [watch.id]);
      assert.equal((await topFrame(dc)).name.split('+')[0], 'count_up');
    } else {
      assert.equal(watch.verified, false);
      assert.match(watch.message ?? '', /never fire on this host: its KVM \(PVM, no VMX\/SVM\) does not deliver debug-register watchpoints/);
    }
  });
});
