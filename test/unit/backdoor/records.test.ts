// Unit tests of trace records: what a call record holds, the bounded ring, since(), clear() and JSON Lines.
import * as assert from 'node:assert/strict';
import { CMD } from '../../../debug-adapter/src/devices/vmwareBackdoor/commands';
import {
  BackdoorRecordRing, clipText, traceEntryToJson, type BackdoorRecord, type BackdoorTraceEntry,
} from '../../../debug-adapter/src/devices/vmwareBackdoor/records';
import { VmwareBackdoor } from '../../../debug-adapter/src/devices/vmwareBackdoor/backdoor';
import { baseConfig, cmd, lb, makeBackdoor, MAGIC } from './helpers';
import { open, rpc, RPCI } from './rpcClient';

function rec(seq: number): BackdoorTraceEntry {
  return { type: 'rpc', seq, timeNs: seq * 10, channel: 0, protocol: 'RPCI', direction: 'guest->host', text: `m${seq}` };
}

describe('backdoor trace records', () => {
  it('records every call with vCPU, RIP, inputs, outputs and timing', () => {
    const { dev, records } = makeBackdoor();
    lb(dev, { ecx: CMD.GETVERSION, ebx: 0, rip: 0xffff_ffff_8123_4567n }, { vcpuId: 1 });
    const r = records[0] as BackdoorRecord;
    assert.equal(r.type, 'call');
    assert.equal(r.seq, 0);
    assert.equal(r.vcpu, 1);
    assert.equal(r.rip, 0xffff_ffff_8123_4567n);
    assert.equal(r.transport, 'lb');
    assert.equal(r.command, CMD.GETVERSION);
    assert.equal(r.name, 'GETVERSION');
    assert.deepEqual(r.in, { eax: MAGIC, ebx: 0, ecx: 10, edx: 0x5658, esi: 0, edi: 0, ebp: 0 });
    assert.deepEqual(r.out, { eax: 6, ebx: MAGIC, ecx: 2 });
    assert.equal(r.durationNs, 100, 'two readings of the injected clock');
    assert.equal(typeof r.timeNs, 'number');
  });

  it('decodes MESSAGE calls and follows them with the reassembled messages in sequence order', () => {
    const { dev, records } = makeBackdoor();
    const ch = open(dev, RPCI);
    rpc(dev, ch, 'log hi');
    const seqs = records.map((r) => r.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => i), 'sequence numbers are dense and ordered');
    const last = records.findIndex((r) => r.type === 'rpc');
    const carrier = records[last - 1] as BackdoorRecord;
    assert.equal(carrier.decoded?.type, 'SENDPAYLOAD');
    assert.equal(carrier.decoded?.text, 'log hi');
    assert.deepEqual(carrier.decoded?.status, ['SUCCESS']);
    assert.equal(carrier.decoded?.protocol, 'RPCI');
    assert.equal(carrier.decoded?.channel, ch.id);
    const open0 = records[0] as BackdoorRecord;
    assert.equal(open0.decoded?.type, 'OPEN');
  });

  it('builds nothing when no sink is attached', () => {
    const dev = new VmwareBackdoor(baseConfig());
    assert.equal(cmd(dev, CMD.GETVERSION).eax, 6);
    const ch = open(dev, RPCI);
    assert.equal(rpc(dev, ch, 'log quiet'), '1 ');
  });

  it('keeps only the newest entries and answers since() from any point', () => {
    const ring = new BackdoorRecordRing(5);
    for (let i = 0; i < 12; i++) ring.push(rec(i));
    assert.equal(ring.size, 5);
    assert.deepEqual(ring.toArray().map((r) => r.seq), [7, 8, 9, 10, 11]);
    assert.deepEqual(ring.since(9).map((r) => r.seq), [10, 11]);
    assert.deepEqual(ring.since(2).map((r) => r.seq), [7, 8, 9, 10, 11]);
    assert.deepEqual(ring.since(11), []);
    ring.clear();
    assert.equal(ring.size, 0);
    assert.deepEqual(ring.since(-1), []);
    ring.push(rec(20));
    assert.deepEqual(ring.since(-1).map((r) => r.seq), [20]);
  });

  it('defaults to 10,000 entries and rejects a useless capacity', () => {
    const ring = new BackdoorRecordRing();
    assert.equal(ring.capacity, 10_000);
    for (let i = 0; i < 10_050; i++) ring.push(rec(i));
    assert.equal(ring.size, 10_000);
    assert.equal(ring.toArray()[0].seq, 50);
    assert.throws(() => new BackdoorRecordRing(0), /capacity 0 is invalid/);
  });

  it('exports JSON Lines with RIP as a hex string', () => {
    const ring = new BackdoorRecordRing();
    const dev = new VmwareBackdoor(baseConfig(), { recordSink: ring.sink });
    lb(dev, { ecx: CMD.GETMEMSIZE, rip: 0xffff_ffff_8000_0010n });
    const lines = ring.toJsonLines().split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines[1], '');
    const obj = JSON.parse(lines[0]) as Record<string, unknown>;
    assert.equal(obj.rip, '0xffffffff80000010');
    assert.equal(obj.name, 'GETMEMSIZE');
    assert.equal(traceEntryToJson(rec(3)), '{"type":"rpc","seq":3,"timeNs":30,"channel":0,"protocol":"RPCI","direction":"guest->host","text":"m3"}');
  });

  it('cuts long message text in records but logs it whole', () => {
    const { dev, records, logs } = makeBackdoor();
    const ch = open(dev, RPCI);
    const long = 'y'.repeat(10_000);
    rpc(dev, ch, `log ${long}`);
    assert.equal(logs[0], long);
    const m = records.find((r) => r.type === 'rpc' && r.direction === 'guest->host');
    assert.ok(m && m.type === 'rpc');
    assert.ok(m.text.length < 4200);
    assert.match(m.text, /…\(\+\d+ chars\)$/);
    assert.equal(clipText('short'), 'short');
  });

  it('survives a hook that throws', () => {
    const dev = new VmwareBackdoor(baseConfig(), { recordSink: () => { throw new Error('sink broke'); }, log: () => { throw new Error('log broke'); } });
    const ch = open(dev, RPCI);
    assert.equal(rpc(dev, ch, 'log x'), '1 ');
  });
});
