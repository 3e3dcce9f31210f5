// Adapter tests for the extension's custom traffic: raw serial bytes, VM statistics, backdoor trace, TCLO, serial input, reset.
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { decodeFrameUpdate } from '../../debug-adapter/src/display/frameDecoder';
import {
  BACKDOOR_EVENT, FRAME_EVENT, FRAME_REFRESH_REQUEST, INPUT_REQUEST, RESET_REQUEST, SERIAL_EVENT, SERIAL_INPUT_REQUEST, TCLO_REQUEST, VM_STATS_EVENT,
} from '../../protocol/extensionEvents';
import { requireKvm } from '../kvm/kvmAvailable';
import { exited, guest, launchToStop, startClient, stopClient, topFrame } from './dapHarness';

/**
 * 32-bit code: mov eax, 0x564D5868; mov ecx, 10 (GETVERSION); mov ebx, 0; mov dx, 0x5658; in eax, dx;
 * cmp ebx, 0x564D5868; setne al; out 0xF4, al — exit status 1 when the backdoor answered.
 */
const GETVERSION_CALL = [0xb8, 0x68, 0x58, 0x4d, 0x56, 0xb9, 0x0a, 0, 0, 0, 0xbb, 0, 0, 0, 0, 0x66, 0xba, 0x58, 0x56,
  0xed, 0x81, 0xfb, 0x68, 0x58, 0x4d, 0x56, 0x0f, 0x95, 0xc0, 0xe6, 0xf4, 0xf4];

/**
 * 32-bit code: ABSPOINTER_COMMAND READ_ID (enables the vmmouse), ABSPOINTER_COMMAND REQUEST_ABSOLUTE, then poll
 * ABSPOINTER_STATUS until 5 words are queued and exit with that count.
 */
const VMMOUSE_WAIT_FOR_EVENT = [
  0xb8, 0x68, 0x58, 0x4d, 0x56, 0xbb, 0x52, 0x45, 0x41, 0x45, 0xb9, 0x29, 0, 0, 0, 0x66, 0xba, 0x58, 0x56, 0xed,
  0xb8, 0x68, 0x58, 0x4d, 0x56, 0xbb, 0x52, 0x41, 0x42, 0x53, 0xb9, 0x29, 0, 0, 0, 0x66, 0xba, 0x58, 0x56, 0xed,
  0xb8, 0x68, 0x58, 0x4d, 0x56, 0xb9, 0x28, 0, 0, 0, 0x66, 0xba, 0x58, 0x56, 0xed, 0x3c, 0x05, 0x75, 0xed,
  0xe6, 0xf4, 0xf4,
];

/** Set-1 make code of the A key. */
const KEY_A_MAKE = 0x1e;

describe('debug adapter: extension channel', function () {
  requireKvm(this);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  it('sends raw serial bytes and exit statistics', async () => {
    await launchToStop(dc, { kernel: guest('spin.elf') });
    // Bytes come as the output rings deliver them: a line may arrive in pieces.
    let bytes = '';
    const line = new Promise<void>((resolve) => dc.on(SERIAL_EVENT, (e: DebugProtocol.Event) => {
      bytes += Buffer.from(e.body.data, 'base64').toString('latin1');
      if (bytes.length >= 'spin\r\n'.length) resolve();
    }));
    await dc.continueRequest({ threadId: 1 });
    await line;
    assert.equal(bytes, 'spin\r\n');
    const stats = await dc.waitForEvent(VM_STATS_EVENT);
    assert.equal(typeof stats.body.exits, 'number');
    assert.ok(stats.body.exits > 0);
  });

  it('reports backdoor calls as trace entries', async () => {
    await launchToStop(dc, { kernel: guest('spin.elf') });
    const pc = (await topFrame(dc)).instructionPointerReference!;
    await dc.send('writeMemory', { memoryReference: pc, data: Buffer.from(GETVERSION_CALL).toString('base64') });
    const trace = dc.waitForEvent(BACKDOOR_EVENT);
    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    const entries = (await trace).body.entries as { name: string; transport: string; rip: string }[];
    assert.equal(entries[0].name, 'GETVERSION');
    assert.equal(entries[0].transport, 'lb');
    assert.equal(BigInt(entries[0].rip), BigInt(pc) + 0x13n);
    assert.equal((await exit).body.exitCode, 1);
  });

  it('accepts serial input and TCLO commands, and refuses malformed ones', async () => {
    await launchToStop(dc, { kernel: guest('spin.elf') });
    await dc.customRequest(SERIAL_INPUT_REQUEST, { data: Buffer.from('hi\r').toString('base64') });
    await assert.rejects(dc.customRequest(SERIAL_INPUT_REQUEST, { data: 42 }), /'data' must be a base64 string/);
    await dc.customRequest(TCLO_REQUEST, { command: 'ping' });
    await assert.rejects(dc.customRequest(TCLO_REQUEST, {}), /'command' must be a non-empty string/);
    await assert.rejects(dc.customRequest(INPUT_REQUEST, { kind: 'mouse', x: 1, y: 1, buttons: 0, wheel: 0 }), /has not enabled the VMware mouse/);
    await assert.rejects(dc.customRequest(INPUT_REQUEST, { kind: 'wave' }), /kvmlab.input: expected a key \(kind 'key', code, down\) or a pointer/);
    await assert.rejects(dc.customRequest(INPUT_REQUEST, { kind: 'key', code: 'Hyper', down: true }), /key 'Hyper' has no PS\/2 scan code/);
    await assert.rejects(dc.customRequest('kvmlab.noSuchThing'), /unknown request 'kvmlab.noSuchThing'/);
  });

  it('delivers keys to the guest through the i8042 as scan code set 1', async () => {
    await launchToStop(dc, { kernel: guest('spin.elf') });
    await dc.customRequest(INPUT_REQUEST, { kind: 'key', code: 'KeyA', down: true });
    // in al, 0x60; out 0xf4, al; hlt: the guest exits with the scan code it read.
    const pc = (await topFrame(dc)).instructionPointerReference!;
    await dc.send('writeMemory', { memoryReference: pc, data: Buffer.from([0xe4, 0x60, 0xe6, 0xf4, 0xf4]).toString('base64') });
    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exit).body.exitCode, ((KEY_A_MAKE << 1) | 1) & 0xff);
  });

  it('queues pointer events for the VMware mouse once the guest has enabled it', async () => {
    await launchToStop(dc, { kernel: guest('spin.elf') });
    const pc = (await topFrame(dc)).instructionPointerReference!;
    await dc.send('writeMemory', { memoryReference: pc, data: Buffer.from(VMMOUSE_WAIT_FOR_EVENT).toString('base64') });
    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    // The guest enables the device right after it resumes; until then the adapter refuses the event.
    let accepted = false;
    for (let attempt = 0; attempt < 100 && !accepted; attempt++) {
      accepted = await dc.customRequest(INPUT_REQUEST, { kind: 'mouse', x: 10, y: 20, buttons: 1, wheel: 0 }).then(() => true, () => false);
      if (!accepted) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(accepted);
    // One version word from READ_ID plus the 4-word pointer packet.
    assert.equal((await exit).body.exitCode, (5 << 1) | 1);
  });

  it('resets the VM on request', async () => {
    await launchToStop(dc, { kernel: guest('bploop.elf'), cmdline: 'n=5' });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'tick', hitCondition: '==3' }] });
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    const [, stop] = await Promise.all([dc.customRequest(RESET_REQUEST), dc.waitForEvent('stopped')]);
    assert.equal((stop as DebugProtocol.StoppedEvent).body.reason, 'entry');
    const counter = await dc.evaluateRequest({ expression: '*(u32*)tick_count', context: 'watch' });
    assert.match(counter.body.result, /^0x0 /);
  });
});

describe('debug adapter: screen frames', function () {
  requireKvm(this);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  it('sends frame updates of the VGA text screen and a whole frame on request', async () => {
    await launchToStop(dc, { kernel: guest('bootsector.bin') });
    const exit = exited(dc);
    const first = dc.waitForEvent(FRAME_EVENT);
    await dc.continueRequest({ threadId: 1 });
    const update = decodeFrameUpdate(new Uint8Array(Buffer.from((await first).body.data, 'base64')));
    assert.ok(update.width > 0 && update.height > 0);
    assert.ok(update.rects.length > 0);
    await exit;
  });

  it('answers a refresh with a key frame covering the whole screen', async () => {
    await launchToStop(dc, { kernel: guest('bootsector.bin') });
    const [, frame] = await Promise.all([dc.customRequest(FRAME_REFRESH_REQUEST), dc.waitForEvent(FRAME_EVENT)]);
    const update = decodeFrameUpdate(new Uint8Array(Buffer.from(frame.body.data, 'base64')));
    assert.deepEqual(update.rects.map((r) => [r.x, r.y, r.width, r.height]), [[0, 0, update.width, update.height]]);
  });
});
