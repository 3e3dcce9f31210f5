// The session router: run state from DAP traffic, serial from events or stdout, per-session routing and replay.
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { BACKDOOR_BACKLOG, SERIAL_HISTORY_BYTES, SessionRouter, type RouterEvent } from '../../extension/src/sessionRouter';

let seq = 0;
const event = (name: string, body?: unknown): DebugProtocol.Event => ({ seq: ++seq, type: 'event', event: name, body });
const request = (command: string): DebugProtocol.Request => ({ seq: ++seq, type: 'request', command });
const response = (command: string, success = true): DebugProtocol.Response => ({ seq: ++seq, type: 'response', request_seq: 1, command, success });
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const text = (e: RouterEvent) => (e.kind === 'serial' ? Buffer.from(e.bytes).toString('utf8') : '');
const rpcEntry = (n: number) => ({ type: 'rpc', seq: n, timeNs: n * 1000, channel: 1, protocol: 'RPCI', direction: 'guest->host', text: `msg ${n}` });

function collect(router: SessionRouter, id: string): RouterEvent[] {
  const events: RouterEvent[] = [];
  router.subscribe(id, (_id, e) => events.push(e));
  return events;
}

describe('extension session router', () => {
  it('follows the run state through launch, stops, resumes, exit and termination', () => {
    const r = new SessionRouter();
    r.startSession('s1', 'Boot');
    const states = (): string => `${r.session('s1')!.state}${r.session('s1')!.detail ? `:${r.session('s1')!.detail}` : ''}`;
    assert.equal(states(), 'starting');
    r.onAdapterMessage('s1', response('configurationDone'));
    assert.equal(states(), 'running');
    r.onAdapterMessage('s1', event('stopped', { reason: 'entry', description: 'Paused on entry' }));
    assert.equal(states(), 'paused:Paused on entry');
    r.onClientMessage('s1', request('stackTrace'));
    assert.equal(states(), 'paused:Paused on entry');
    r.onClientMessage('s1', request('next'));
    assert.equal(states(), 'running');
    r.onAdapterMessage('s1', event('stopped', { reason: 'breakpoint' }));
    assert.equal(states(), 'paused:breakpoint');
    r.onAdapterMessage('s1', event('continued', { threadId: 1 }));
    assert.equal(states(), 'running');
    r.onAdapterMessage('s1', event('exited', { exitCode: 1 }));
    assert.equal(states(), 'exited:exit status 1');
    assert.equal(r.session('s1')!.exitCode, 1);
    r.onAdapterMessage('s1', event('terminated'));
    assert.equal(states(), 'terminated:exit status 1');
    assert.equal(r.activeSession(), undefined);
  });

  it('treats stdout output as serial data until the adapter sends kvmlab.serial events', () => {
    const r = new SessionRouter();
    r.startSession('s', 'VM');
    const events = collect(r, 's');
    r.onAdapterMessage('s', event('output', { category: 'stdout', output: 'boot\r\n' }));
    r.onAdapterMessage('s', event('output', { category: 'console', output: 'adapter note\n' }));
    r.onAdapterMessage('s', event('kvmlab.serial', { data: b64('from event\r\n') }));
    r.onAdapterMessage('s', event('output', { category: 'stdout', output: 'duplicate\r\n' }));
    assert.deepEqual(events.filter((e) => e.kind === 'serial').map(text), ['boot\r\n', 'from event\r\n']);
  });

  it('routes by session id and replays history to a late subscriber', () => {
    const r = new SessionRouter();
    r.startSession('a', 'A');
    r.startSession('b', 'B');
    const a = collect(r, 'a');
    r.onAdapterMessage('a', event('kvmlab.serial', { data: b64('to A') }));
    r.onAdapterMessage('b', event('kvmlab.serial', { data: b64('to B 1;') }));
    r.onAdapterMessage('b', event('kvmlab.serial', { data: b64('to B 2') }));
    r.onAdapterMessage('b', event('kvmlab.backdoor', { entries: [rpcEntry(1), { junk: true }, rpcEntry(2)] }));
    assert.deepEqual(a.filter((e) => e.kind === 'serial').map(text), ['to A']);
    const late = collect(r, 'b');
    assert.deepEqual(late.map((e) => e.kind), ['state', 'serial', 'backdoor']);
    assert.equal(text(late[1]), 'to B 1;to B 2');
    const bd = late[2];
    assert.ok(bd.kind === 'backdoor');
    assert.deepEqual(bd.entries.map((e) => e.seq), [1, 2]);
    assert.equal(r.activeSession()!.id, 'b');
  });

  it('keeps bounded serial history and backdoor backlog', () => {
    const r = new SessionRouter();
    r.startSession('s', 'VM');
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 8; i++) r.onAdapterMessage('s', event('kvmlab.serial', { data: b64(chunk) }));
    const entries = Array.from({ length: BACKDOOR_BACKLOG + 5 }, (_, i) => rpcEntry(i));
    r.onAdapterMessage('s', event('kvmlab.backdoor', { entries }));
    const replay = collect(r, 's');
    const serial = replay.find((e) => e.kind === 'serial');
    assert.ok(serial && serial.kind === 'serial');
    assert.ok(serial.bytes.length <= SERIAL_HISTORY_BYTES && serial.bytes.length >= SERIAL_HISTORY_BYTES - chunk.length);
    const bd = replay.find((e) => e.kind === 'backdoor');
    assert.ok(bd && bd.kind === 'backdoor');
    assert.equal(bd.entries.length, BACKDOOR_BACKLOG);
    assert.equal(bd.entries[0].seq, 5);
  });

  it('forwards frames, decoded from base64, only to their session', () => {
    const r = new SessionRouter();
    r.startSession('a', 'A');
    r.startSession('b', 'B');
    const a = collect(r, 'a');
    const b = collect(r, 'b');
    r.onAdapterMessage('a', event('kvmlab.frame', { data: Buffer.from([1, 2, 3]).toString('base64') }));
    r.onAdapterMessage('a', event('kvmlab.frame', { data: 17 }));
    const frames = a.filter((e) => e.kind === 'frame');
    assert.equal(frames.length, 1);
    assert.ok(frames[0].kind === 'frame');
    assert.deepEqual([...frames[0].bytes], [1, 2, 3]);
    assert.equal(b.filter((e) => e.kind === 'frame').length, 0);
  });

  it('computes exits per second from stats events on an injected clock', () => {
    let now = 1000;
    const r = new SessionRouter(() => now);
    r.startSession('s', 'VM');
    r.onAdapterMessage('s', response('configurationDone'));
    r.onAdapterMessage('s', event('kvmlab.vmStats', { exits: 100, cpuMode: 'protected' }));
    assert.equal(r.session('s')!.exitsPerSecond, undefined);
    now = 1500;
    r.onAdapterMessage('s', event('kvmlab.vmStats', { exits: 600, cpuMode: 'long' }));
    assert.equal(r.session('s')!.exitsPerSecond, 1000);
    assert.equal(r.session('s')!.cpuMode, 'long');
    assert.equal(r.session('s')!.totalExits, 600);
    r.onAdapterMessage('s', event('stopped', { reason: 'pause' }));
    assert.equal(r.session('s')!.exitsPerSecond, undefined);
  });

  it('records boot information and tells all-session listeners, ignoring unknown sessions', () => {
    const r = new SessionRouter();
    const seen: string[] = [];
    r.subscribeAll((id, e) => seen.push(`${id}:${e.kind}`));
    r.onAdapterMessage('ghost', event('stopped', { reason: 'entry' }));
    r.startSession('s', 'VM');
    r.onAdapterMessage('s', event('kvmlab.vmInfo', { format: 'multiboot', pvm: true, notes: [] }));
    assert.equal(r.session('s')!.format, 'multiboot');
    assert.equal(r.session('s')!.pvm, true);
    r.endSession('s');
    r.endSession('s');
    assert.deepEqual(seen, ['s:state', 's:state', 's:ended']);
    r.forget('s');
    assert.equal(r.session('s'), undefined);
  });

  it('stops delivering to a disposed subscription', () => {
    const r = new SessionRouter();
    r.startSession('s', 'VM');
    const got: RouterEvent[] = [];
    const sub = r.subscribe('s', (_id, e) => got.push(e));
    sub.dispose();
    r.onAdapterMessage('s', event('kvmlab.serial', { data: b64('x') }));
    assert.deepEqual(got.map((e) => e.kind), ['state']);
  });
});
