// Adapter tests on a 64-bit guest with paging: page-walked memory access, page-table listing, stepping in long mode,
// and what a KVM emulation failure looks like.
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireKvm } from '../kvm/kvmAvailable';
import { guest, launchToStop, startClient, stopClient, topFrame } from './dapHarness';

/** `movq xmm0, rax`: CPL0 code on a PVM host cannot execute it (the emulator lacks it); hardware runs it. */
const MOVQ_XMM0_RAX = [0x66, 0x48, 0x0f, 0x6e, 0xc0];

async function evaluate(dc: DebugClient, expression: string, context = 'watch'): Promise<string> {
  return (await dc.evaluateRequest({ expression, context, frameId: 1 })).body.result;
}

describe('debug adapter: 64-bit guest', function () {
  requireKvm(this);
  let dc: DebugClient;
  let pvm: boolean;
  beforeEach(async () => {
    dc = await startClient();
    dc.once('kvmlab.vmInfo', (e: DebugProtocol.Event) => { pvm = (e.body as { pvm: boolean }).pvm; });
  });
  afterEach(async () => { await stopClient(dc); });

  it('translates virtual addresses through the page tables and fails clearly where nothing is mapped', async () => {
    await launchToStop(dc, { kernel: guest('elf64.elf') });
    const pc = (await topFrame(dc)).instructionPointerReference!;
    const r = await dc.send('readMemory', { memoryReference: pc, count: 8 }) as DebugProtocol.ReadMemoryResponse;
    assert.equal(Buffer.from(r.body!.data!, 'base64').length, 8);
    await assert.rejects(dc.send('readMemory', { memoryReference: '0x7fff00000000', count: 8 }), /guest virtual 0x7fff00000000: .*not present/);
    await assert.rejects(dc.send('readMemory', { memoryReference: '0x8000000000000000', count: 8 }), /not canonical/);
    assert.match(await evaluate(dc, 'info tab', 'repl'), /^0x0000000000000000-0x[0-9a-f]{16} -> 0x000000000000 W/);
  });

  it('steps 64-bit code and lands where the decoder said', async () => {
    await launchToStop(dc, { kernel: guest('elf64.elf') });
    const pc = BigInt((await topFrame(dc)).instructionPointerReference!);
    const dis = await dc.send('disassemble', { memoryReference: `0x${pc.toString(16)}`, instructionCount: 2 }) as DebugProtocol.DisassembleResponse;
    const second = BigInt(dis.body!.instructions[1].address);
    await Promise.all([dc.stepInRequest({ threadId: 1, granularity: 'instruction' }), dc.waitForEvent('stopped')]);
    assert.equal(BigInt((await topFrame(dc)).instructionPointerReference!), second);
  });

  it('stops with the KVM report when the emulator cannot run an instruction (PVM), or runs it (VMX/SVM)', async () => {
    await launchToStop(dc, { kernel: guest('elf64.elf') });
    const pc = BigInt((await topFrame(dc)).instructionPointerReference!);
    await dc.send('writeMemory', { memoryReference: `0x${pc.toString(16)}`, data: Buffer.from(MOVQ_XMM0_RAX).toString('base64') });
    const [, stop] = await Promise.all([dc.stepInRequest({ threadId: 1, granularity: 'instruction' }), dc.waitForEvent('stopped')]);
    assert.equal(typeof pvm, 'boolean', 'the adapter announces the host flavour in its vmInfo event');
    if (pvm) {
      assert.equal(stop.body.reason, 'exception');
      assert.equal(stop.body.text, 'KVM internal error');
      const info = await dc.send('exceptionInfo', { threadId: 1 }) as DebugProtocol.ExceptionInfoResponse;
      assert.match(info.body!.description ?? '', /instruction emulation failed/);
      assert.equal(BigInt((await topFrame(dc)).instructionPointerReference!), pc);
    } else {
      assert.equal(stop.body.reason, 'step');
      assert.equal(BigInt((await topFrame(dc)).instructionPointerReference!), pc + BigInt(MOVQ_XMM0_RAX.length));
    }
  });
});
