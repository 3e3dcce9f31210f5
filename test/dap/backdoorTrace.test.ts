// Adapter tests for the backdoor trace on real KVM: rpctool's calls arrive as events, and the adapter's own record
// answers fetch, clear and export; the launch configuration's VMware fields reach the guest.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  BACKDOOR_CLEAR_REQUEST, BACKDOOR_EVENT, BACKDOOR_EXPORT_REQUEST, BACKDOOR_FETCH_REQUEST,
} from '../../protocol/extensionEvents';
import { requireKvm } from '../kvm/kvmAvailable';
import { collectOutput, exited, guest, launchToStop, startClient, stopClient } from './dapHarness';

interface Entry { type: 'call' | 'rpc'; seq: number; name?: string; transport?: string; rip?: string; direction?: string; protocol?: string; text?: string }

const LOG_TEXT = 'log hello from rpctool';

async function fetchEntries(dc: DebugClient, args: Record<string, unknown> = {}): Promise<Entry[]> {
  const r = await dc.customRequest(BACKDOOR_FETCH_REQUEST, args);
  return r.body.entries as Entry[];
}

describe('debug adapter: backdoor trace', function () {
  requireKvm(this);
  this.timeout(120_000);
  let dc: DebugClient;
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await stopClient(dc); });

  it('streams rpctool\'s calls and keeps them for fetch, export and clear', async () => {
    const streamed: Entry[] = [];
    dc.on(BACKDOOR_EVENT, (e: DebugProtocol.Event) => streamed.push(...(e.body.entries as Entry[])));
    const serial = collectOutput(dc, 'stdout');
    await launchToStop(dc, { kernel: guest('rpctool.elf'), guestinfo: { fromhost: 'launch value' }, tclo: ['ping'] });
    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exit).body.exitCode, 1);

    // The launch fields reached the device: the guest read the guestinfo value and received the queued command.
    assert.match(serial.text(), /rpci lb: "info-get guestinfo.fromhost" -> "1 launch value"/);
    assert.match(serial.text(), /tclo lb: "ping" -> "OK "/);

    const first = streamed[0];
    assert.equal(first.type, 'call');
    assert.equal(first.name, 'GETVERSION');
    assert.equal(first.transport, 'lb');
    assert.match(first.rip!, /^0x[0-9a-f]+$/);
    const log = streamed.find((e) => e.type === 'rpc' && e.text === LOG_TEXT);
    assert.ok(log, 'the RPCI log message is one reassembled record');
    assert.equal(log.direction, 'guest->host');
    assert.equal(log.protocol, 'RPCI');

    const kept = await fetchEntries(dc);
    assert.deepEqual(kept, streamed);
    const later = await fetchEntries(dc, { sinceSeq: log.seq });
    assert.deepEqual(later, streamed.filter((e) => e.seq > log.seq));
    await assert.rejects(dc.customRequest(BACKDOOR_FETCH_REQUEST, { sinceSeq: 'x' }), /'sinceSeq' must be a whole number/);

    const dir = mkdtempSync(join(tmpdir(), 'kvmlab-trace-'));
    const file = join(dir, 'trace.jsonl');
    const exported = await dc.customRequest(BACKDOOR_EXPORT_REQUEST, { path: file });
    assert.equal(exported.body.count, streamed.length);
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.pop(), '', 'the file ends with a newline');
    assert.deepEqual(lines.map((l) => JSON.parse(l)), streamed);
    await assert.rejects(dc.customRequest(BACKDOOR_EXPORT_REQUEST, { path: 'relative.jsonl' }), /'path' must be an absolute file path/);
    await assert.rejects(dc.customRequest(BACKDOOR_EXPORT_REQUEST, { path: join(dir, 'no', 'such', 'dir.jsonl') }), /cannot write the backdoor trace.*ENOENT/);

    await dc.customRequest(BACKDOOR_CLEAR_REQUEST);
    assert.deepEqual(await fetchEntries(dc), []);
    const empty = await dc.customRequest(BACKDOOR_EXPORT_REQUEST, { path: file });
    assert.equal(empty.body.count, 0);
    assert.equal(readFileSync(file, 'utf8'), '');
  });

  it('with backdoor false the guest finds no backdoor and nothing is traced', async () => {
    const streamed: Entry[] = [];
    dc.on(BACKDOOR_EVENT, (e: DebugProtocol.Event) => streamed.push(...(e.body.entries as Entry[])));
    const serial = collectOutput(dc, 'stdout');
    await launchToStop(dc, { kernel: guest('rpctool.elf'), backdoor: false });
    const exit = exited(dc);
    await dc.continueRequest({ threadId: 1 });
    // rpctool exits with code 2 (status 5) when the backdoor is missing.
    assert.equal((await exit).body.exitCode, 5);
    assert.match(serial.text(), /rpctool: no VMware backdoor/);
    assert.deepEqual(streamed, []);
    assert.deepEqual(await fetchEntries(dc), []);
  });
});
