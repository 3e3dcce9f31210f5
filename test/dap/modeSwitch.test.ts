// Adapter tests across CPU modes: a boot sector that goes real -> protected -> long mode, stopped at each switch.
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireKvm } from '../kvm/kvmAvailable';
import { exited, guest, launchToStop, registerGroup, startClient, stopClient, topFrame, waitForOutput } from './dapHarness';

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
