// launch.json `sourceMap` and `symbolOffset`: images built elsewhere, and symbols of images loaded away from their link address.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugInfo } from '../../debug-adapter/src/debugger/symbols';
import { requireKvm } from '../kvm/kvmAvailable';
import { guest, launchToStop, ROOT, startClient, stopClient, topFrame } from './dapHarness';

describe('debug adapter: sourceMap and symbolOffset (real KVM)', function () {
  this.timeout(120000);
  requireKvm(this);
  let dc: DebugClient;
  afterEach(async () => { if (dc) await stopClient(dc); });

  it('shows frames in the mapped copy of the sources and binds breakpoints set there', async () => {
    const built = join(ROOT, 'guests', 'multiboot-c');
    const copy = mkdtempSync(join(tmpdir(), 'kvmlab-srcmap-'));
    for (const f of readdirSync(built)) if (/\.[ch]$/.test(f)) copyFileSync(join(built, f), join(copy, f));
    const demo = join(copy, 'demo.c');
    const line = readFileSync(demo, 'utf8').split('\n').findIndex((l) => l.includes('return n * fact(n - 1);')) + 1;
    assert.ok(line > 0);

    dc = await startClient();
    await launchToStop(dc, { kernel: guest('multiboot-c.elf'), sourceMap: { [built]: copy } });
    const bp = await dc.setBreakpointsRequest({ source: { path: demo }, breakpoints: [{ line }] });
    assert.equal(bp.body.breakpoints[0].verified, true, bp.body.breakpoints[0].message);
    assert.equal(bp.body.breakpoints[0].line, line);
    await Promise.all([dc.waitForEvent('stopped'), dc.continueRequest({ threadId: 1 })]);
    const top = await topFrame(dc);
    assert.equal(top.source?.path, demo);
    assert.equal(top.line, line);
  });

  it('adds symbolOffset to every symbol: a function breakpoint lands at the offset address', async () => {
    const info = DebugInfo.fromElf(new Uint8Array(readFileSync(guest('multiboot-c.elf'))));
    const fact = info.symbols.byName('fact')!.address;
    dc = await startClient();
    await launchToStop(dc, { kernel: guest('multiboot-c.elf'), symbolOffset: '0x10000' });
    const r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'fact' }] });
    const b = r.body.breakpoints[0] as DebugProtocol.Breakpoint;
    assert.ok(b.instructionReference, JSON.stringify(b));
    assert.ok(BigInt(b.instructionReference!) >= fact + 0x10000n && BigInt(b.instructionReference!) < fact + 0x10040n,
      `${b.instructionReference} should be fact (0x${fact.toString(16)}) + 0x10000, past its prologue`);
  });

  it('rejects a malformed sourceMap or symbolOffset, naming the field', async () => {
    dc = await startClient();
    await dc.initializeRequest();
    await assert.rejects(dc.launch({ kernel: guest('multiboot-c.elf'), sourceMap: ['x'] } as DebugProtocol.LaunchRequestArguments), /'sourceMap' must be an object/);
    await assert.rejects(dc.launch({ kernel: guest('multiboot-c.elf'), symbolOffset: 'lots' } as DebugProtocol.LaunchRequestArguments), /'symbolOffset'/);
  });
});
