// Unit tests for the "Backdoor command" filter (condition parsing, matching, stop words) and the adapter's trace ring.
import assert from 'node:assert/strict';
import { BackdoorTrace } from '../../../debug-adapter/src/dap/backdoorTrace';
import type { BackdoorRecord } from '../../../debug-adapter/src/devices/vmwareBackdoor/records';
import {
  backdoorStopDetail, BackdoorWatch, matchesBackdoorFilter, parseBackdoorCondition,
} from '../../../debug-adapter/src/vmm/debugStub/backdoorStop';

const MAGIC = 0x564d5868;

function call(command: number, name: string, transport: BackdoorRecord['transport'] = 'lb', extra: Partial<BackdoorRecord> = {}): BackdoorRecord {
  return {
    type: 'call', seq: 0, timeNs: 0, vcpu: 0, rip: 0x10003fn, transport, command, name,
    in: { eax: MAGIC, ebx: 0, ecx: command, edx: 0x5658, esi: 0, edi: 0, ebp: 0 }, out: { eax: 6, ebx: MAGIC }, ...extra,
  };
}

describe('backdoor command filter', () => {
  it('parses names and numbers, any case, with an empty condition meaning every call', () => {
    assert.deepEqual(parseBackdoorCondition(''), { all: true, commands: [], hbCommands: [] });
    assert.deepEqual(parseBackdoorCondition(undefined), { all: true, commands: [], hbCommands: [] });
    assert.deepEqual(parseBackdoorCondition(' getversion , 0x14, 23 '), { all: false, commands: [10, 20, 23], hbCommands: [] });
    // MESSAGE also covers the high-bandwidth transfers that carry message payloads.
    assert.deepEqual(parseBackdoorCondition('MESSAGE'), { all: false, commands: [30], hbCommands: [0] });
    assert.deepEqual(parseBackdoorCondition('HB_VASSERT'), { all: false, commands: [], hbCommands: [1] });
  });

  it('refuses unknown names and out-of-range numbers in one line', () => {
    assert.throws(() => parseBackdoorCondition('GETVERSION, FROB'), /^Error: backdoor command 'FROB' is unknown: expected command names or numbers, comma-separated/);
    assert.throws(() => parseBackdoorCondition('70000'), /'70000' is unknown/);
  });

  it('matches by transport: LB and hypercall commands, HB commands, never narrow probes', () => {
    const f = parseBackdoorCondition('GETVERSION, MESSAGE');
    assert.equal(matchesBackdoorFilter(f, call(10, 'GETVERSION')), true);
    assert.equal(matchesBackdoorFilter(f, call(10, 'GETVERSION', 'vmcall')), true);
    assert.equal(matchesBackdoorFilter(f, call(20, 'GETMEMSIZE')), false);
    assert.equal(matchesBackdoorFilter(f, call(0, 'HB_MESSAGE', 'hb')), true);
    assert.equal(matchesBackdoorFilter(parseBackdoorCondition('GETVERSION'), call(0, 'HB_MESSAGE', 'hb')), false);
    assert.equal(matchesBackdoorFilter(parseBackdoorCondition(''), call(-1, 'NARROW_IN')), false);
    assert.equal(matchesBackdoorFilter(parseBackdoorCondition(''), call(97, 'PRECISIONCLOCK')), true);
  });

  it('describes the stop in words with the calling RIP and the decoded call', () => {
    const d = backdoorStopDetail(call(30, 'MESSAGE', 'lb', { decoded: { protocol: 'RPCI', channel: 1, type: 'SENDSIZE', status: ['SUCCESS'] } }));
    assert.equal(d.reason, 'exception');
    assert.equal(d.exceptionId, 'backdoor');
    assert.equal(d.text, 'Backdoor MESSAGE');
    assert.match(d.description!, /^backdoor call MESSAGE \(30\) over LB from the instruction at rip 0x10003f; in: eax=0x564d5868 /);
    assert.match(d.description!, /out: eax=0x6 ebx=0x564d5868; decoded: RPCI, channel 1, SENDSIZE, status SUCCESS$/);
  });

  it('a watch holds one pending stop only while a filter is set', () => {
    const w = new BackdoorWatch();
    w.note(call(10, 'GETVERSION'));
    assert.equal(w.pending, undefined);
    w.setFilter(parseBackdoorCondition('GETVERSION'));
    w.note({ type: 'rpc' });
    w.note(call(20, 'GETMEMSIZE'));
    assert.equal(w.pending, undefined);
    w.note(call(10, 'GETVERSION', 'lb', { rip: 0x1000n }));
    w.note(call(10, 'GETVERSION', 'lb', { rip: 0x2000n }));
    assert.match(w.take()!.description!, /rip 0x1000;/);
    assert.equal(w.take(), undefined);
    w.note(call(10, 'GETVERSION'));
    w.setFilter(undefined);
    assert.equal(w.pending, undefined);
  });
});

describe('adapter backdoor trace', () => {
  const entry = (seq: number) => ({ type: 'call', seq, rip: `0x${seq.toString(16)}`, name: 'GETVERSION' });

  it('keeps the newest entries, fetches by sequence number and starts afresh when a new machine restarts the numbering', () => {
    const t = new BackdoorTrace(3);
    for (let i = 0; i < 5; i++) t.push(entry(i));
    assert.deepEqual(t.fetch().map((e) => (e as { seq: number }).seq), [2, 3, 4]);
    assert.deepEqual(t.fetch(3).map((e) => (e as { seq: number }).seq), [4]);
    t.push(entry(0));
    assert.deepEqual(t.fetch(), [entry(0)]);
    t.clear();
    assert.equal(t.size, 0);
    assert.throws(() => t.fetch('5'), /'sinceSeq' must be a whole number/);
    assert.throws(() => t.exportTo(''), /'path' must be a file path/);
  });
});
