// Validation of webview messages in both directions, including a seeded fuzz run over malformed input.
import assert from 'node:assert/strict';
import {
  isBackdoorEntryView, isGuestInput, MAX_TCLO_COMMAND_LENGTH, parseBackdoorToHost, parseBackdoorToWebview, parseFramebufferToHost,
  parseFramebufferToWebview,
} from '../../protocol/webviewMessageGuards';
import { fuzzSeed, mulberry32 } from './helpers';

const call = {
  type: 'call', seq: 3, timeNs: 1200, vcpu: 0, rip: '0x100040', transport: 'lb', command: 10, name: 'GETVERSION',
  in: { eax: 0x564d5868, ebx: 0, ecx: 10, edx: 0x5658, esi: 0, edi: 0, ebp: 0 }, out: { eax: 6, ebx: 0x564d5868 },
};
const rpc = { type: 'rpc', seq: 4, timeNs: 1500, channel: 0, protocol: 'TCLO', direction: 'host->guest', text: 'reset' };

describe('extension webview message validation', () => {
  it('accepts every well-formed framebuffer message to the host', () => {
    assert.deepEqual(parseFramebufferToHost({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFramebufferToHost({ type: 'input', input: { kind: 'key', code: 'KeyA', down: true } }),
      { type: 'input', input: { kind: 'key', code: 'KeyA', down: true } });
    assert.ok(parseFramebufferToHost({ type: 'input', input: { kind: 'mouse', x: 10, y: 20, buttons: 1, wheel: -1 } }));
    assert.deepEqual(parseFramebufferToHost({ type: 'captureChanged', captured: true }), { type: 'captureChanged', captured: true });
    assert.deepEqual(parseFramebufferToHost({ type: 'request', id: 7, method: 'saveScreenshot', params: { png: 'iVBOR' }, extra: 1 }),
      { type: 'request', id: 7, method: 'saveScreenshot', params: { png: 'iVBOR' } });
    assert.ok(parseFramebufferToHost({ type: 'response', id: 2, ok: true, result: { png: 'x' } }));
    assert.ok(parseFramebufferToHost({ type: 'response', id: 2, ok: false, error: 'no image' }));
  });

  it('rejects malformed framebuffer messages', () => {
    for (const bad of [
      null, 'ready', [], {}, { type: 'nope' }, { type: 'input' }, { type: 'input', input: { kind: 'key', code: '', down: true } },
      { type: 'input', input: { kind: 'key', code: 'x'.repeat(33), down: true } }, { type: 'input', input: { kind: 'mouse', x: -1, y: 0, buttons: 0, wheel: 0 } },
      { type: 'input', input: { kind: 'mouse', x: 1, y: 1, buttons: 1.5, wheel: 0 } }, { type: 'input', input: { kind: 'mouse', x: NaN, y: 1, buttons: 0, wheel: 0 } },
      { type: 'request', id: 1, method: 'saveScreenshot', params: { png: '' } }, { type: 'request', id: '1', method: 'saveScreenshot', params: { png: 'a' } },
      { type: 'request', id: 1, method: 'deleteFiles', params: {} }, { type: 'response', id: 1, ok: false }, { type: 'response', id: 1, ok: true },
      { type: 'captureChanged', captured: 'yes' },
    ]) assert.equal(parseFramebufferToHost(bad), undefined, JSON.stringify(bad));
  });

  it('checks messages to the framebuffer webview, frames only as byte arrays', () => {
    assert.ok(parseFramebufferToWebview({ type: 'frame', data: new Uint8Array(4) }));
    assert.equal(parseFramebufferToWebview({ type: 'frame', data: [1, 2] }), undefined);
    assert.ok(parseFramebufferToWebview({ type: 'session', name: 'VM', state: 'paused', detail: 'breakpoint' }));
    assert.equal(parseFramebufferToWebview({ type: 'session', name: 'VM', state: 'sleeping' }), undefined);
    assert.ok(parseFramebufferToWebview({ type: 'request', id: 1, method: 'snapshotPng', params: {} }));
  });

  it('accepts backdoor requests within limits only', () => {
    assert.ok(parseBackdoorToHost({ type: 'request', id: 1, method: 'sendTclo', params: { command: 'ping' } }));
    assert.equal(parseBackdoorToHost({ type: 'request', id: 1, method: 'sendTclo', params: { command: '   ' } }), undefined);
    assert.equal(parseBackdoorToHost({ type: 'request', id: 1, method: 'sendTclo', params: { command: 'x'.repeat(MAX_TCLO_COMMAND_LENGTH + 1) } }), undefined);
    assert.ok(parseBackdoorToHost({ type: 'request', id: 2, method: 'export', params: { fileName: 'backdoor.csv', text: 'a,b' } }));
    for (const fileName of ['../x.csv', 'a/b', '', 'x'.repeat(101)]) {
      assert.equal(parseBackdoorToHost({ type: 'request', id: 2, method: 'export', params: { fileName, text: '' } }), undefined, fileName);
    }
  });

  it('recognises trace entries in the adapter\'s JSON shape', () => {
    assert.ok(isBackdoorEntryView(call));
    assert.ok(isBackdoorEntryView(rpc));
    assert.ok(isBackdoorEntryView({ ...call, decoded: { channel: 1, type: 'OPEN' } }));
    assert.equal(isBackdoorEntryView({ ...call, rip: 0x100040 }), false);
    assert.equal(isBackdoorEntryView({ ...rpc, direction: 'sideways' }), false);
    assert.equal(isBackdoorEntryView({ ...call, decoded: 'x' }), false);
    assert.ok(parseBackdoorToWebview({ type: 'entries', entries: [call, rpc], replace: false }));
    assert.equal(parseBackdoorToWebview({ type: 'entries', entries: [call, { seq: 1 }], replace: false }), undefined);
  });

  it('never throws and never lets an invalid input through (seeded fuzz)', () => {
    const seed = fuzzSeed();
    const rnd = mulberry32(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const atoms = [null, undefined, 0, -1, 1.5, NaN, '', 'x', 'ready', true, false, [], {}, new Uint8Array(2), 'KeyA', 65536, 7];
    const keys = ['type', 'id', 'method', 'params', 'ok', 'result', 'error', 'input', 'kind', 'code', 'down', 'x', 'y', 'buttons', 'wheel',
      'captured', 'png', 'command', 'fileName', 'text', 'entries', 'replace', 'name', 'state', 'data'];
    const types = ['ready', 'input', 'request', 'response', 'session', 'frame', 'entries', 'captureChanged', 'decodeError'];
    const gen = (depth: number): unknown => {
      if (depth > 2 || rnd() < 0.3) return pick(atoms);
      const o: Record<string, unknown> = { type: pick(types) };
      const n = Math.floor(rnd() * 5);
      for (let i = 0; i < n; i++) o[pick(keys)] = gen(depth + 1);
      return o;
    };
    try {
      for (let i = 0; i < 20_000; i++) {
        const m = gen(0);
        for (const parse of [parseFramebufferToHost, parseFramebufferToWebview, parseBackdoorToHost, parseBackdoorToWebview]) {
          const r = parse(m) as { type: string; input?: unknown } | undefined;
          if (r?.type === 'input') assert.ok(isGuestInput(r.input));
        }
      }
    } catch (e) {
      console.error(`webview message fuzz failed with seed ${seed} (replay with FUZZ_SEED=${seed})`);
      throw e;
    }
  });
});
