// Adapter tests: registers (groups, widths by mode, editing), memory, disassembly, evaluate and console commands.
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireKvm } from '../kvm/kvmAvailable';
import { guest, launchToStop, registerGroup, startClient, stopClient, topFrame } from './dapHarness';

/** The Multiboot hand-off magic a Multiboot kernel finds in EAX. */
const MULTIBOOT_MAGIC = '0x2badb002';
/** The first instruction of the Multiboot test guests: `cld`. */
const CLD = 0xfc;

async function readMemory(dc: DebugClient, memoryReference: string, count: number): Promise<DebugProtocol.ReadMemoryResponse> {
  return dc.send('readMemory', { memoryReference, count }) as Promise<DebugProtocol.ReadMemoryResponse>;
}

async function disassemble(dc: DebugClient, memoryReference: string, instructionOffset: number, instructionCount: number) {
  const r = await dc.send('disassemble', { memoryReference, instructionOffset, instructionCount }) as DebugProtocol.DisassembleResponse;
  return r.body!.instructions;
}

async function evaluate(dc: DebugClient, expression: string, context = 'watch'): Promise<string> {
  return (await dc.evaluateRequest({ expression, context, frameId: 1 })).body.result;
}

describe('debug adapter: registers, memory and disassembly', function () {
  requireKvm(this);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  it('shows register groups at the width of the mode, with a registers scope', async () => {
    await launchToStop(dc, { kernel: guest('spin.elf') });
    const scopes = await dc.scopesRequest({ frameId: (await topFrame(dc)).id });
    assert.equal(scopes.body.scopes[0].presentationHint, 'registers');
    const general = await registerGroup(dc, 'General');
    assert.equal(general.get('eax')!.value, MULTIBOOT_MAGIC);
    assert.equal(general.has('rax'), false);
    assert.match(general.get('eip')!.value, /^0x[0-9a-f]{8}$/);
    assert.match((await registerGroup(dc, 'Segments')).get('cs')!.value, /base=0x0 limit=0xffffffff .*D\/B/);
    assert.match((await registerGroup(dc, 'Control')).get('cr0')!.value, /\(PE/);
    assert.equal((await registerGroup(dc, 'Flags')).get('IF')!.value, '0');
    assert.match((await registerGroup(dc, 'Debug')).get('dr7')!.value, /^0x/);
    assert.match((await registerGroup(dc, 'FPU/SSE')).get('xmm0')!.value, /^0x[0-9a-f]{32}$/);
    assert.ok((await registerGroup(dc, 'MSRs')).has('EFER'));
  });

  it('edits a register and a flag, and says the view is stale', async () => {
    await launchToStop(dc, { kernel: guest('spin.elf') });
    const general = await registerGroup(dc, 'General');
    const ref = (await dc.variablesRequest({ variablesReference: 1 })).body.variables.find((v) => v.name === 'General')!.variablesReference;
    const invalidated = dc.waitForEvent('invalidated');
    const r = await dc.setVariableRequest({ variablesReference: ref, name: 'ebx', value: '0x1234 + 1' });
    assert.equal(r.body.value, '0x00001235');
    await invalidated;
    assert.match(await evaluate(dc, '$ebx'), /^0x1235/);
    assert.ok(general.get('ebx'));
    const flagsRef = (await dc.variablesRequest({ variablesReference: 1 })).body.variables.find((v) => v.name === 'Flags')!.variablesReference;
    await dc.setVariableRequest({ variablesReference: flagsRef, name: 'CF', value: '1' });
    assert.equal((await registerGroup(dc, 'Flags')).get('CF')!.value, '1');
    assert.equal(BigInt((await evaluate(dc, 'eflags & 1')).split(' ')[0]), 1n);
  });

  it('sets watch expressions that name registers or memory', async () => {
    await launchToStop(dc, { kernel: guest('bploop.elf') });
    const set = (expression: string, value: string) => dc.send('setExpression', { expression, value, frameId: 1 }) as Promise<DebugProtocol.SetExpressionResponse>;
    assert.equal((await set('$ebx', '0x55')).body.value, '0x55');
    assert.match(await evaluate(dc, 'ebx'), /^0x55 /);
    assert.equal((await set('*(u32*)tick_count', '7')).body.value, '0x7');
    assert.equal((await set('byte [tick_count + 1]', '1')).body.value, '0x1');
    assert.match(await evaluate(dc, '[tick_count]'), /^0x107 /);
    await assert.rejects(set('$eax + 1', '2'), /cannot be assigned to/);
  });

  it('reads and writes guest memory by virtual and physical address; unmapped memory is an error', async () => {
    await launchToStop(dc, { kernel: guest('bploop.elf') });
    const pc = (await topFrame(dc)).instructionPointerReference!;
    const mem = await readMemory(dc, pc, 4);
    assert.equal(Buffer.from(mem.body!.data!, 'base64')[0], CLD);
    const phys = await readMemory(dc, `phys:${pc}`, 4);
    assert.equal(phys.body!.data, mem.body!.data);
    const counter = (await evaluate(dc, 'tick_count')).split(' ')[0];
    await dc.send('writeMemory', { memoryReference: counter, data: Buffer.from([0x2a, 0, 0, 0]).toString('base64') });
    assert.match(await evaluate(dc, '*(u32*)tick_count'), /^0x2a /);
    await assert.rejects(readMemory(dc, '0xfff00000', 16), /not backed by guest memory/);
    await assert.rejects(readMemory(dc, 'over there', 16), /is not an address/);
  });

  it('disassembles in the bitness of the code, with symbols and bytes, also before an address', async () => {
    await launchToStop(dc, { kernel: guest('bploop.elf') });
    const pc = (await topFrame(dc)).instructionPointerReference!;
    const list = await disassemble(dc, pc, 0, 3);
    assert.equal(list.length, 3);
    assert.equal(list[0].instruction, 'cld');
    assert.equal(list[0].symbol, '_start');
    assert.equal(list[0].instructionBytes, 'fc');
    assert.match(list[1].instruction, /^mov esp, 0x/);
    const callLoop = (await evaluate(dc, 'call_loop')).split(' ')[0];
    const around = await disassemble(dc, callLoop, -2, 4);
    assert.equal(around.length, 4);
    assert.equal(BigInt(around[2].address), BigInt(callLoop));
    assert.match(around[2].instruction, /^call 0x/);
  });

  it('stops in 64-bit mode for an ELF64 kernel and in real mode for a boot sector', async () => {
    const stop64 = await launchToStop(dc, { kernel: guest('elf64.elf') });
    assert.match(stop64.body.description ?? '', /64-bit long mode/);
    assert.ok((await registerGroup(dc, 'General')).has('r15'));
    assert.match((await disassemble(dc, (await topFrame(dc)).instructionPointerReference!, 0, 1))[0].instruction, /\S/);
    await stopClient(dc);
    dc = await startClient();
    const stop16 = await launchToStop(dc, { kernel: guest('bootsector.bin') });
    assert.match(stop16.body.description ?? '', /real mode/);
    const general = await registerGroup(dc, 'General');
    assert.match(general.get('ip')!.value, /^0x7c00$/);
  });

  it('evaluates expressions and console commands', async () => {
    await launchToStop(dc, { kernel: guest('bploop.elf') });
    assert.match(await evaluate(dc, 'eax'), /^0x2badb002/);
    assert.match(await evaluate(dc, '(tick + 2) - tick'), /^0x2 \(2\)/);
    assert.match(await evaluate(dc, 'x/4xb _start', 'repl'), /^0x0010000c: 0xfc /);
    assert.match(await evaluate(dc, 'xp/2xw 0x10000c', 'repl'), /^phys 0x0010000c: 0x[0-9a-f]{8} 0x[0-9a-f]{8}$/);
    assert.match(await evaluate(dc, 'info gdt', 'repl'), /^GDT base=0x/);
    assert.match(await evaluate(dc, 'info tab', 'repl'), /paging is off/);
    await assert.rejects(evaluate(dc, 'rax +'), /ends early/);
    const c = await dc.send('completions', { text: 'x/4xb tic', column: 10, frameId: 1 }) as DebugProtocol.CompletionsResponse;
    assert.ok(c.body.targets.some((t) => t.label === 'tick' && t.start === 6 && t.length === 3));
  });

  it('decodes the IDT of a long-mode guest and edits a control register', async () => {
    await launchToStop(dc, { kernel: guest('timer.elf') });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'setup_pic' }] });
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    const idt = await evaluate(dc, 'info idt', 'repl');
    assert.match(idt, /^IDT base=0x/);
    assert.match(idt, /vector +32: interrupt gate 0x[0-9a-f]{4}:0x[0-9a-f]+/);
    const ref = (await dc.variablesRequest({ variablesReference: 1 })).body.variables.find((v) => v.name === 'Control')!.variablesReference;
    const r = await dc.setVariableRequest({ variablesReference: ref, name: 'cr2', value: '0x1234' });
    assert.equal(r.body.value, '0x1234');
    assert.equal((await registerGroup(dc, 'Control')).get('cr2')!.value, '0x1234');
  });

  it('stops on a triple fault with the state still inspectable', async () => {
    await Promise.all([dc.configurationSequence(), dc.launch({ kernel: guest('triplefault.elf'), stopOnEntry: false } as DebugProtocol.LaunchRequestArguments)]);
    const stop = await dc.waitForEvent('stopped') as DebugProtocol.StoppedEvent;
    assert.equal(stop.body.reason, 'exception');
    assert.equal(stop.body.text, 'Triple fault');
    const info = await dc.send('exceptionInfo', { threadId: 1 }) as DebugProtocol.ExceptionInfoResponse;
    assert.equal(info.body!.exceptionId, 'Triple fault');
    assert.match((await registerGroup(dc, 'Segments')).get('idtr')!.value, /limit=0x0$/);
  });

  it('restart resets the VM and stops at the entry point again', async () => {
    await launchToStop(dc, { kernel: guest('bploop.elf'), cmdline: 'n=100' });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'tick' }] });
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    const [, again] = await Promise.all([dc.restartRequest({}), dc.waitForEvent('stopped')]);
    assert.equal(again.body.reason, 'entry');
    assert.match(await evaluate(dc, '*(u32*)tick_count'), /^0x0 /);
    // The breakpoint survives the reset.
    const [, hit] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal(hit.body.reason, 'function breakpoint');
  });
});
