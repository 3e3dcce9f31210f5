// Adapter tests across CPU modes: a boot sector that goes real -> protected -> long mode, stopped at each switch.
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireKvm } from '../kvm/kvmAvailable';
import { exited, guest, launchToStop, registerGroup, setInstructionBreakpoints, startClient, stopClient, topFrame, waitForOutput } from './dapHarness';

/** modeswitch maps its first 2 MiB a second time here, and runs long mode through that mapping. */
const HIGH_ALIAS = 0x40000000n;

async function continueToStop(dc: DebugClient): Promise<DebugProtocol.StoppedEvent> {
  const [, stop] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
  return stop as DebugProtocol.StoppedEvent;
}

describe('debug adapter: mode switches', function () {
  requireKvm(this);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  it('stops at the entry of each mode with registers of the right width', async () => {
    const entry = await launchToStop(dc, { kernel: guest('modeswitch.bin'), symbols: guest('modeswitch.elf') });
    assert.match(entry.body.description ?? '', /real mode/);
    assert.equal((await topFrame(dc)).name, 'boot_entry');
    const set = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'protected_mode_entry' }, { name: 'long_mode_entry' }] });
    assert.deepEqual(set.body.breakpoints.map((b) => b.verified), [true, true]);

    const realOutput = waitForOutput(dc, 'real\r\n');
    const pm = await continueToStop(dc);
    await realOutput;
    assert.deepEqual(pm.body.hitBreakpointIds, [set.body.breakpoints[0].id]);
    assert.equal((await topFrame(dc)).name, 'protected_mode_entry');
    assert.ok((await registerGroup(dc, 'General')).has('eax'));

    // Step one instruction in 32-bit code, then run on into long mode.
    const [, step] = await Promise.all([dc.stepInRequest({ threadId: 1, granularity: 'instruction' }), dc.waitForEvent('stopped')]);
    assert.match(step.body.description ?? '', /32-bit protected mode/);
    const lm = await continueToStop(dc);
    assert.deepEqual(lm.body.hitBreakpointIds, [set.body.breakpoints[1].id]);
    assert.ok((await registerGroup(dc, 'General')).has('r15'));
    assert.match((await registerGroup(dc, 'Control')).get('efer')!.value, /LMA/);

    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exit).body.exitCode, 1);
  });

  it('a breakpoint set with paging off on an address mapped only later waits in a debug register and stops there', async () => {
    await launchToStop(dc, { kernel: guest('modeswitch.bin'), symbols: guest('modeswitch.elf') });
    const low = BigInt(/^0x[0-9a-f]+/.exec((await dc.evaluateRequest({ expression: 'long_mode_high', context: 'repl' })).body.result)![0]);
    const high = HIGH_ALIAS + low;
    const [bp] = await setInstructionBreakpoints(dc, [{ instructionReference: `0x${high.toString(16)}` }]);
    assert.equal(bp.verified, true);
    assert.match(bp.message ?? '', /0x40007c[0-9a-f]+ is not (mapped|backed by guest RAM) now: a debug register watches it/);

    const stop = await continueToStop(dc);
    assert.equal(stop.body.reason, 'instruction breakpoint');
    assert.deepEqual(stop.body.hitBreakpointIds, [bp.id]);
    assert.equal(BigInt((await topFrame(dc)).instructionPointerReference!), high);
    // From here the address is mapped: the int3 is planted, and the run goes on to the guest's normal end.
    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exit).body.exitCode, 1);
  });

  it('an int3 planted before paging, reached through another mapping, is stepped over and never taken for the guest\'s', async () => {
    await launchToStop(dc, { kernel: guest('modeswitch.bin'), symbols: guest('modeswitch.elf') });
    // The low address of long_mode_high: planted now (paging off, linear = physical); the guest runs it only at
    // HIGH_ALIAS + that address, right after turning paging on, before any exit could re-plant.
    const set = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'long_mode_high' }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    const note = waitForOutput(dc, 'another mapping', 'console');
    let stops = 0;
    dc.on('stopped', () => { stops++; });
    const output = waitForOutput(dc, 'long\r\n');
    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exit).body.exitCode, 1);
    await output;
    assert.match(await note, /breakpoint at 0x7c[0-9a-f]+: the guest ran the same instruction at 0x40007c/);
    assert.equal(stops, 0);
  });

  it('takes symbols from a list of images, each at its load offset (the same code seen through two mappings)', async () => {
    await launchToStop(dc, {
      kernel: guest('modeswitch.bin'),
      symbols: [guest('modeswitch.elf'), { path: guest('modeswitch.elf'), offset: `0x${HIGH_ALIAS.toString(16)}` }],
    });
    assert.equal((await topFrame(dc)).name, 'boot_entry');
    const low = BigInt(/^0x[0-9a-f]+/.exec((await dc.evaluateRequest({ expression: 'long_mode_high', context: 'repl' })).body.result)![0]);
    const [bp] = await setInstructionBreakpoints(dc, [{ instructionReference: `0x${(HIGH_ALIAS + low).toString(16)}` }]);
    assert.equal(bp.verified, true);
    await continueToStop(dc);
    // The pc is in the second image: its symbols name the frame and label the disassembly.
    assert.equal((await topFrame(dc)).name, 'long_mode_high');
    const dis = await dc.send('disassemble', { memoryReference: `0x${(HIGH_ALIAS + low).toString(16)}`, instructionCount: 1 }) as DebugProtocol.DisassembleResponse;
    assert.equal(dis.body!.instructions[0].symbol, 'long_mode_high');
  });

  it('says so when the symbols file is not ELF', async () => {
    const note = waitForOutput(dc, "symbols: '", 'console');
    await launchToStop(dc, { kernel: guest('bootsector.bin'), symbols: guest('bootsector.bin') });
    assert.match(await note, /is not an ELF file; no symbols are loaded/);
  });

  it('steps real-mode code at CS base + IP', async () => {
    await launchToStop(dc, { kernel: guest('bootsector.bin'), symbols: guest('bootsector.elf') });
    const before = BigInt((await topFrame(dc)).instructionPointerReference!);
    const dis = await dc.send('disassemble', { memoryReference: `0x${before.toString(16)}`, instructionCount: 2 }) as DebugProtocol.DisassembleResponse;
    await Promise.all([dc.stepInRequest({ threadId: 1, granularity: 'instruction' }), dc.waitForEvent('stopped')]);
    assert.equal(BigInt((await topFrame(dc)).instructionPointerReference!), BigInt(dis.body!.instructions[1].address));
  });

  it('drops guest serial output when serial is "none"', async () => {
    let serial = '';
    dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') serial += e.body.output; });
    const exit = exited(dc);
    await Promise.all([
      dc.configurationSequence(),
      dc.launch({ kernel: guest('bootsector.bin'), stopOnEntry: false, serial: 'none' } as DebugProtocol.LaunchRequestArguments),
    ]);
    assert.equal((await exit).body.exitCode, 1);
    assert.equal(serial, '');
  });
});
