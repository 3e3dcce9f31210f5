// Host side of the framebuffer and backdoor panels against a fake adapter data source and a fake webview.
import assert from 'node:assert/strict';
import type { BackdoorEntryView } from '../../protocol/webviewMessages';
import { BackdoorBridge } from '../../extension/src/panels/backdoorBridge';
import { FramebufferBridge, MAX_QUEUED_FRAMES } from '../../extension/src/panels/framebufferBridge';
import { SessionRouter } from '../../extension/src/sessionRouter';
import { frameHasContent } from '../../extension/src/panels/frameContent';
import { encodeFrameUpdate } from '../../debug-adapter/src/display/frameEncoder';
import { createFramebuffer } from '../../debug-adapter/src/display/framebuffer';

/** A fake adapter feeding one session of a real router. */
function fakeSource() {
  const router = new SessionRouter();
  router.startSession('s', 'VM');
  let seq = 0;
  const emit = (event: string, body: unknown) => router.onAdapterMessage('s', { seq: ++seq, type: 'event', event, body } as never);
  return {
    router,
    frame: (bytes: number[]) => emit('kvmlab.frame', { data: Buffer.from(bytes).toString('base64') }),
    backdoor: (entries: unknown[]) => emit('kvmlab.backdoor', { entries }),
    stop: () => emit('stopped', { reason: 'breakpoint' }),
  };
}

function fakeFramebufferHost() {
  const posted: any[] = [];
  const calls = { inputs: [] as unknown[], refreshes: 0, saved: [] as Uint8Array[], notices: [] as string[] };
  return {
    posted, calls,
    host: {
      post: (m: unknown) => { posted.push(m); },
      sendInput: async (i: unknown) => { calls.inputs.push(i); },
      requestFullFrame: async () => { calls.refreshes++; },
      saveScreenshot: async (png: Uint8Array) => { calls.saved.push(png); return '/ws/.kvmlab/screenshots/vm.png'; },
      notice: (m: string) => { calls.notices.push(m); },
    },
  };
}

const rpc = (n: number): BackdoorEntryView => ({ type: 'rpc', seq: n, timeNs: n, channel: 2, protocol: 'RPCI', direction: 'guest->host', text: `info-set ${n}` });

describe('extension framebuffer panel bridge', () => {
  it('holds frames until the webview is ready, then sends them in order', async () => {
    const src = fakeSource();
    const { host, posted, calls } = fakeFramebufferHost();
    const bridge = new FramebufferBridge(host, 0);
    src.router.subscribe('s', (_id, e) => bridge.onRouterEvent(e));
    src.frame([1]);
    src.frame([2]);
    assert.equal(posted.length, 0);
    await bridge.onWebviewMessage({ type: 'ready' });
    assert.deepEqual(posted.map((m) => m.type), ['session', 'frame', 'frame']);
    assert.deepEqual(posted.slice(1).map((m) => [...m.data]), [[1], [2]]);
    assert.equal(calls.refreshes, 0);
    src.frame([3]);
    assert.deepEqual([...posted[3].data], [3]);
    src.stop();
    assert.deepEqual(posted[4], { type: 'session', name: 'VM', state: 'paused', detail: 'breakpoint' });
  });

  it('asks for a full frame when it loads with nothing queued or after dropping frames', async () => {
    const src = fakeSource();
    const a = fakeFramebufferHost();
    const bridge = new FramebufferBridge(a.host, 0);
    src.router.subscribe('s', (_id, e) => bridge.onRouterEvent(e));
    await bridge.onWebviewMessage({ type: 'ready' });
    assert.equal(a.calls.refreshes, 1);

    const b = fakeFramebufferHost();
    const late = new FramebufferBridge(b.host, 0);
    src.router.subscribe('s', (_id, e) => late.onRouterEvent(e));
    for (let i = 0; i <= MAX_QUEUED_FRAMES; i++) src.frame([i & 0xff]);
    await late.onWebviewMessage({ type: 'ready' });
    assert.equal(b.posted.filter((m) => m.type === 'frame').length, 0, 'stale frames dropped');
    assert.equal(b.calls.refreshes, 1);
  });

  it('forwards valid input, ignores forged messages, and tracks capture', async () => {
    const { host, calls } = fakeFramebufferHost();
    const bridge = new FramebufferBridge(host, 0);
    await bridge.onWebviewMessage({ type: 'input', input: { kind: 'key', code: 'Enter', down: true } });
    await bridge.onWebviewMessage({ type: 'input', input: { kind: 'key', code: 'Enter', down: 'yes' } });
    await bridge.onWebviewMessage({ type: 'captureChanged', captured: true });
    await bridge.onWebviewMessage({ type: 'decodeError', message: 'bad magic' });
    assert.deepEqual(calls.inputs, [{ kind: 'key', code: 'Enter', down: true }]);
    assert.equal(bridge.isCaptured, true);
    assert.deepEqual(calls.notices, ['a frame update could not be shown: bad magic']);
  });

  it('saves the webview\'s screenshot and answers with the path', async () => {
    const { host, posted, calls } = fakeFramebufferHost();
    const bridge = new FramebufferBridge(host, 0);
    await bridge.onWebviewMessage({ type: 'request', id: 4, method: 'saveScreenshot', params: { png: Buffer.from('PNGDATA').toString('base64') } });
    assert.equal(Buffer.from(calls.saved[0]).toString(), 'PNGDATA');
    assert.deepEqual(posted.at(-1), { type: 'response', id: 4, ok: true, result: { path: '/ws/.kvmlab/screenshots/vm.png' } });
  });

  it('reads a PNG snapshot from the webview by request id', async () => {
    const { host, posted } = fakeFramebufferHost();
    const bridge = new FramebufferBridge(host, 0);
    await assert.rejects(bridge.snapshotPng(), /has not loaded yet/);
    await bridge.onWebviewMessage({ type: 'ready' });
    const p = bridge.snapshotPng();
    const req = posted.at(-1);
    assert.equal(req.method, 'snapshotPng');
    await bridge.onWebviewMessage({ type: 'response', id: req.id, ok: true, result: { png: Buffer.from('IMG').toString('base64'), width: 1, height: 1 } });
    assert.equal(Buffer.from(await p).toString(), 'IMG');
  });
});

describe('extension backdoor panel bridge', () => {
  function setup() {
    const src = fakeSource();
    const posted: any[] = [];
    const sent: string[] = [];
    const exported: [string, string][] = [];
    const bridge = new BackdoorBridge({
      post: (m) => { posted.push(m); },
      sendTclo: async (c) => { if (c === 'fail') throw new Error('no TCLO channel open'); sent.push(c); },
      saveExport: async (f, t) => { exported.push([f, t]); return `/ws/${f}`; },
    });
    return { src, posted, sent, exported, bridge };
  }

  it('replays the backlog on ready, then streams new entries', async () => {
    const { src, posted, bridge } = setup();
    src.backdoor([rpc(1), rpc(2)]);
    src.router.subscribe('s', (_id, e) => bridge.onRouterEvent(e));
    src.backdoor([rpc(3)]);
    assert.equal(posted.length, 0);
    await bridge.onWebviewMessage({ type: 'ready' });
    assert.equal(posted[0].type, 'session');
    assert.deepEqual(posted[1].entries.map((e: BackdoorEntryView) => e.seq), [1, 2, 3]);
    assert.equal(posted[1].replace, true);
    src.backdoor([rpc(4)]);
    assert.deepEqual(posted[2], { type: 'entries', entries: [rpc(4)], replace: false });
    // A webview that reloads gets the whole table again.
    bridge.reset();
    await bridge.onWebviewMessage({ type: 'ready' });
    assert.deepEqual(posted.at(-1).entries.map((e: BackdoorEntryView) => e.seq), [1, 2, 3, 4]);
  });

  it('sends TCLO commands and exports, answering each request', async () => {
    const { posted, sent, exported, bridge } = setup();
    await bridge.onWebviewMessage({ type: 'request', id: 1, method: 'sendTclo', params: { command: ' ping ' } });
    await bridge.onWebviewMessage({ type: 'request', id: 2, method: 'sendTclo', params: { command: 'fail' } });
    await bridge.onWebviewMessage({ type: 'request', id: 3, method: 'export', params: { fileName: 'backdoor.csv', text: 'seq\r\n' } });
    await bridge.onWebviewMessage({ type: 'request', id: 4, method: 'export', params: { fileName: '../../etc/passwd', text: 'x' } });
    assert.deepEqual(sent, ['ping']);
    assert.deepEqual(exported, [['backdoor.csv', 'seq\r\n']]);
    assert.deepEqual(posted, [
      { type: 'response', id: 1, ok: true, result: null },
      { type: 'response', id: 2, ok: false, error: 'no TCLO channel open' },
      { type: 'response', id: 3, ok: true, result: { path: '/ws/backdoor.csv' } },
    ]);
  });
});

describe('extension framebuffer auto-open rule', () => {
  const screen = (fill: number) => {
    const fb = createFramebuffer(8, 4);
    fb.bytes.fill(0);
    if (fill) fb.bytes[4 * 9 + 2] = fill;
    return encodeFrameUpdate({ sequence: 1, framebuffer: fb, rects: [{ x: 0, y: 0, width: 8, height: 4 }], modeChanged: true });
  };

  it('opens for a drawn screen only, never for a blank or malformed update', () => {
    assert.equal(frameHasContent(screen(0)), false);
    assert.equal(frameHasContent(screen(0x80)), true);
    assert.equal(frameHasContent(new Uint8Array([1, 2, 3])), false);
  });
});
