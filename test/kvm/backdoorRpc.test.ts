// GuestRPC on real KVM: the rpctool guest talks RPCI and TCLO over the backdoor; its transcript and the backdoor log agree.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireKvm } from './kvmAvailable';
import { GUESTS, runCli, type CliResult } from './runCli';

const BDOOR_MAGIC = 0x564d5868;
const PORT_LB = 0x5658;
const PORT_HB = 0x5659;
const CMD_GETVERSION = 10;
const CMD_MESSAGE = 30;
const OPEN_RPCI_WITH_COOKIES = 0xc9435052;
const OPEN_TCLO_WITH_COOKIES = 0xcf4c4354;
/** RECVSIZE announces a waiting message with the SENDSIZE type, RECVPAYLOAD words with the SENDPAYLOAD type. */
const TYPE_SENDSIZE = 1;
const TYPE_SENDPAYLOAD = 2;

interface Regs32 { eax: number; ebx: number; ecx: number; edx: number; esi: number; edi: number; ebp: number }
interface CallEntry {
  type: 'call';
  seq: number;
  transport: 'lb' | 'hb';
  command: number;
  name: string;
  in: Regs32;
  out: Partial<Regs32>;
  decoded?: { channel?: number; protocol?: string; type?: string; text?: string; status?: string[]; bytes?: number; note?: string };
}
interface RpcEntry { type: 'rpc'; seq: number; channel: number; protocol: 'RPCI' | 'TCLO'; direction: 'guest->host' | 'host->guest'; text: string }
type Entry = CallEntry | RpcEntry;

const high16 = (v: number | undefined) => (v ?? 0) >>> 16;
const low16 = (v: number | undefined) => (v ?? 0) & 0xffff;

function exchange(protocol: string, pass: string, request: string, reply: string): string {
  return `${protocol} ${pass}: "${request}" -> "${reply}"\r\n`;
}

function rpciLines(pass: string, log: string, fromhost: string): string {
  return exchange('rpci', pass, log, '1 ')
    + exchange('rpci', pass, 'info-set guestinfo.answer 42', '1 ')
    + exchange('rpci', pass, 'info-get guestinfo.answer', '1 42')
    + exchange('rpci', pass, 'info-get guestinfo.fromhost', `1 ${fromhost}`)
    + exchange('rpci', pass, 'no-such-command', '0 Unknown command');
}

function tcloLines(pass: string, command: string): string {
  return exchange('tclo', pass, 'reset', 'OK ATR rpctool') + exchange('tclo', pass, command, 'OK ');
}

const BANNER = 'rpctool: backdoor version 6 product 2\r\n';
const DONE = 'rpctool: done\r\n';
const LB_LOG = 'log hello from rpctool';
const HB_LOG = 'log hello from rpctool over hb';

/** The whole GuestRPC conversation of one pass, as [protocol, direction, text]. */
function conversation(log: string, fromhost: string, command: string): [string, string, string][] {
  const rpci: [string, string][] = [
    [log, '1 '], ['info-set guestinfo.answer 42', '1 '], ['info-get guestinfo.answer', '1 42'],
    ['info-get guestinfo.fromhost', `1 ${fromhost}`], ['no-such-command', '0 Unknown command'],
  ];
  return [
    ...rpci.flatMap(([req, rep]): [string, string, string][] => [['RPCI', 'guest->host', req], ['RPCI', 'host->guest', rep]]),
    ['TCLO', 'host->guest', 'reset'], ['TCLO', 'guest->host', 'OK ATR rpctool'],
    ['TCLO', 'host->guest', command], ['TCLO', 'guest->host', 'OK '],
  ];
}

function readLog(path: string): Entry[] {
  return readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Entry);
}

const calls = (entries: Entry[]) => entries.filter((e): e is CallEntry => e.type === 'call');
const rpcs = (entries: Entry[]) => entries.filter((e): e is RpcEntry => e.type === 'rpc');
const messages = (entries: Entry[]) => calls(entries).filter((c) => c.transport === 'lb' && c.command === CMD_MESSAGE);

/** The calls made on one channel, from its OPEN up to and including its CLOSE. */
function channelCalls(entries: Entry[], open: CallEntry): CallEntry[] {
  const all = calls(entries);
  const start = all.indexOf(open);
  const channel = open.decoded!.channel!;
  const out: CallEntry[] = [];
  for (const c of all.slice(start + 1)) {
    // HB calls carry the channel in EDX high 16 as LB MESSAGE calls do; a later OPEN belongs to the next channel.
    const onChannel = (c.transport === 'hb' || c.command === CMD_MESSAGE) && high16(c.in.edx) === channel;
    if (!onChannel || c.decoded?.type === 'OPEN') continue;
    out.push(c);
    if (c.decoded?.type === 'CLOSE') break;
  }
  return out;
}

async function runRpctool(logPath: string, extra: string[]): Promise<{ run: CliResult; entries: Entry[] }> {
  const run = await runCli(['run', join(GUESTS, 'rpctool.elf'), '--timeout', '60', '--backdoor-log', logPath, ...extra], { timeoutMs: 90000 });
  return { run, entries: readLog(logPath) };
}

describe('VMware GuestRPC with the rpctool guest (real KVM)', function () {
  this.timeout(120000);
  requireKvm(this);
  const dir = mkdtempSync(join(tmpdir(), 'kvmlab-rpc-'));

  describe('low bandwidth (4 bytes per IN)', () => {
    let run: CliResult;
    let entries: Entry[];
    before(async () => {
      ({ run, entries } = await runRpctool(join(dir, 'lb.jsonl'), ['--guestinfo', 'fromhost=hi', '--tclo', 'ping']));
    });

    it('prints the exact transcript and exits with status 1', () => {
      assert.equal(run.stdout, BANNER + rpciLines('lb', LB_LOG, 'hi') + tcloLines('lb', 'ping') + DONE, run.stderr);
      assert.equal(run.status, 1, run.stderr);
    });

    it('prints the RPCI log text on stderr as a guest line', () => {
      assert.match(run.stderr, /^guest: hello from rpctool$/m);
    });

    it('logs GETVERSION first: magic in, version 6 and the magic in EBX out', () => {
      const first = calls(entries)[0];
      assert.equal(first.transport, 'lb');
      assert.equal(first.command, CMD_GETVERSION);
      assert.equal(first.name, 'GETVERSION');
      assert.equal(first.in.eax, BDOOR_MAGIC);
      assert.equal(low16(first.in.edx), PORT_LB);
      assert.equal(first.out.eax, 6);
      assert.equal(first.out.ebx, BDOOR_MAGIC);
    });

    it('decodes OPEN with its protocol, the channel id and the cookies it hands out', () => {
      const opens = messages(entries).filter((c) => c.decoded?.type === 'OPEN');
      assert.deepEqual(opens.map((o) => [o.in.ebx >>> 0, o.decoded!.protocol]), [[OPEN_RPCI_WITH_COOKIES, 'RPCI'], [OPEN_TCLO_WITH_COOKIES, 'TCLO']]);
      for (const o of opens) {
        assert.deepEqual(o.decoded!.status, ['SUCCESS']);
        assert.equal(high16(o.out.edx), o.decoded!.channel);
        assert.equal(typeof o.out.esi, 'number');
        assert.equal(typeof o.out.edi, 'number');
      }
    });

    it('every later call on a channel carries its id and cookies, and the channel ends with CLOSE', () => {
      for (const open of messages(entries).filter((c) => c.decoded?.type === 'OPEN')) {
        const later = channelCalls(entries, open);
        assert.ok(later.length > 0);
        for (const c of later) {
          assert.equal(c.in.esi >>> 0, open.out.esi, `seq ${c.seq} cookieHigh`);
          assert.equal(c.in.edi >>> 0, open.out.edi, `seq ${c.seq} cookieLow`);
          assert.equal(c.decoded?.channel, open.decoded!.channel);
          assert.equal(c.decoded?.protocol, open.decoded!.protocol);
          assert.ok(c.decoded?.status?.includes('SUCCESS'), `seq ${c.seq} ${c.decoded?.type}: ${JSON.stringify(c.decoded)}`);
        }
        assert.equal(later[later.length - 1].decoded?.type, 'CLOSE');
      }
    });

    it('sends "log hello from rpctool" as SENDSIZE 22 and six payload words, and receives "1 " in one word', () => {
      const rpci = messages(entries).find((c) => c.decoded?.type === 'OPEN')!;
      const seq = channelCalls(entries, rpci).slice(0, 10);
      assert.deepEqual(seq.map((c) => c.decoded?.type), [
        'SENDSIZE', 'SENDPAYLOAD', 'SENDPAYLOAD', 'SENDPAYLOAD', 'SENDPAYLOAD', 'SENDPAYLOAD', 'SENDPAYLOAD',
        'RECVSIZE', 'RECVPAYLOAD', 'RECVSTATUS',
      ]);
      assert.equal(seq[0].in.ebx, LB_LOG.length);
      const words = seq.slice(1, 7).map((c) => c.in.ebx >>> 0);
      const bytes = Buffer.alloc(24);
      words.forEach((w, i) => bytes.writeUInt32LE(w, i * 4));
      assert.equal(bytes.subarray(0, LB_LOG.length).toString('latin1'), LB_LOG);
      // The last word holds the final two bytes in its low half only.
      assert.equal(words[5] >>> 16, 0);
      assert.equal(seq[6].decoded?.text, LB_LOG);
      assert.equal(seq[7].out.ebx, 2);
      assert.deepEqual(seq[7].decoded?.status, ['SUCCESS', 'DORECV', 'HB']);
      assert.equal(high16(seq[7].out.edx), TYPE_SENDSIZE);
      assert.equal(seq[8].out.ebx, 0x2031);
      assert.equal(high16(seq[8].out.edx), TYPE_SENDPAYLOAD);
      assert.equal(seq[9].in.ebx, 1);
    });

    it('reassembles every command, reply and TCLO exchange as rpc records on the channel that carried it', () => {
      const opens = messages(entries).filter((c) => c.decoded?.type === 'OPEN');
      const channelOf = { RPCI: opens[0].decoded!.channel, TCLO: opens[1].decoded!.channel };
      const got = rpcs(entries);
      assert.deepEqual(got.map((r) => [r.protocol, r.direction, r.text]), conversation(LB_LOG, 'hi', 'ping'));
      for (const r of got) assert.equal(r.channel, channelOf[r.protocol]);
      // Records come in call order: a reply never precedes its request.
      for (let i = 1; i < got.length; i++) assert.ok(got[i].seq > got[i - 1].seq);
    });

    it('the TCLO loop starts with an empty send, and the host answers RECVSIZE without DORECV only when nothing waits', () => {
      const tclo = messages(entries).filter((c) => c.decoded?.type === 'OPEN')[1];
      const later = channelCalls(entries, tclo);
      assert.equal(later[0].decoded?.type, 'SENDSIZE');
      assert.equal(later[0].in.ebx, 0);
      for (const c of later.filter((x) => x.decoded?.type === 'RECVSIZE')) {
        const waiting = c.decoded!.status!.includes('DORECV');
        assert.equal(c.out.ebx === 0, !waiting, `seq ${c.seq}`);
      }
    });
  });

  describe('high bandwidth (REP OUTSB/INSB on port 0x5659)', () => {
    let run: CliResult;
    let entries: Entry[];
    let unsupported: string | undefined;
    before(async () => {
      ({ run, entries } = await runRpctool(join(dir, 'hb.jsonl'), ['--append', 'hb', '--guestinfo', 'fromhost=hi', '--tclo', 'ping', '--tclo', 'pong']));
      unsupported = hbUnsupported(entries);
      if (unsupported) console.log(`    PENDING: ${unsupported}`);
    });
    beforeEach(function () {
      if (unsupported) this.skip();
    });

    it('prints both passes and exits with status 1', () => {
      const expected = BANNER + rpciLines('lb', LB_LOG, 'hi') + tcloLines('lb', 'ping')
        + rpciLines('hb', HB_LOG, 'hi') + tcloLines('hb', 'pong') + DONE;
      assert.equal(run.stdout, expected, run.stderr);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /^guest: hello from rpctool over hb$/m);
    });

    it('moves each hb-pass payload in one transfer with the cookies placed per direction', () => {
      const opens = messages(entries).filter((c) => c.decoded?.type === 'OPEN');
      assert.equal(opens.length, 4);
      let transfers = 0;
      for (const open of opens.slice(2)) {
        for (const c of channelCalls(entries, open).filter((x) => x.transport === 'hb')) {
          transfers++;
          assert.equal(c.name, 'HB_MESSAGE');
          assert.equal(low16(c.in.edx), PORT_HB);
          assert.equal(low16(c.in.ebx), 0);
          assert.deepEqual(c.decoded?.status, ['SUCCESS']);
          assert.equal(c.decoded?.bytes, c.in.ecx);
          assert.equal(c.out.ecx, 0);
          assert.equal(high16(c.out.ebx), 1);
          if (c.decoded?.type === 'SENDPAYLOAD') {
            assert.deepEqual([c.in.ebp >>> 0, c.in.edi >>> 0], [open.out.esi, open.out.edi]);
            assert.equal(c.out.esi, (c.in.esi + c.in.ecx) >>> 0);
          } else {
            assert.equal(c.decoded?.type, 'RECVPAYLOAD');
            assert.deepEqual([c.in.esi >>> 0, c.in.ebp >>> 0], [open.out.esi, open.out.edi]);
            assert.equal(c.out.edi, (c.in.edi + c.in.ecx) >>> 0);
          }
        }
        // No LB payload words on an HB channel: only sizes, statuses, open and close go over port 0x5658.
        for (const c of channelCalls(entries, open).filter((x) => x.transport === 'lb')) {
          assert.ok(!['SENDPAYLOAD', 'RECVPAYLOAD'].includes(c.decoded?.type ?? ''), `seq ${c.seq} ${c.decoded?.type} over LB`);
        }
      }
      // Five RPCI requests and replies, then reset, its reply, the host command and the final reply (the empty
      // first TCLO send has no payload).
      assert.equal(transfers, 14);
    });

    it('reassembles the hb-pass conversation like the lb one', () => {
      const got = rpcs(entries).map((r) => [r.protocol, r.direction, r.text]);
      // The host offers "pong" right after the lb pass answers "ping"; that channel closes without fetching it,
      // so the command goes back to the queue and the hb pass receives it after its reset.
      const offeredThenRequeued: [string, string, string] = ['TCLO', 'host->guest', 'pong'];
      assert.deepEqual(got, [...conversation(LB_LOG, 'hi', 'ping'), offeredThenRequeued, ...conversation(HB_LOG, 'hi', 'pong')]);
    });
  });

  it('without the backdoor (--no-vmware) the guest says so and exits with status 5', async () => {
    const r = await runCli(['run', join(GUESTS, 'rpctool.elf'), '--timeout', '60', '--no-vmware']);
    assert.equal(r.stdout, 'rpctool: no VMware backdoor\r\n');
    assert.equal(r.status, 5);
  });

  it('bench-backdoor makes n GETVERSION calls, each one logged, and fails without the backdoor', async () => {
    const log = join(dir, 'bench.jsonl');
    const r = await runCli(['run', join(GUESTS, 'bench-backdoor.elf'), '--append', 'n=5', '--backdoor-log', log]);
    assert.equal(r.status, 1, r.stderr);
    const got = calls(readLog(log));
    assert.equal(got.length, 5);
    for (const c of got) assert.deepEqual([c.command, c.out.eax, c.out.ebx], [CMD_GETVERSION, 6, BDOOR_MAGIC]);
    const none = await runCli(['run', join(GUESTS, 'bench-backdoor.elf'), '--append', 'n=5', '--no-vmware']);
    assert.equal(none.status, 5);
  });
});

/**
 * Whether this VMM completes HB string I/O, judged from the run itself: the first REP OUTSB of the hb pass must
 * reach the device as the whole message SENDSIZE announced. A device call with fewer bytes means the VMM handed
 * over a half-done instruction (the string op was not completed as one transfer); that, and only that, makes the
 * HB tests pending. Every other outcome is asserted.
 */
function hbUnsupported(entries: Entry[]): string | undefined {
  const all = calls(entries);
  const first = all.findIndex((c) => c.transport === 'hb');
  if (first < 0) return undefined;
  const size = all.slice(0, first).reverse().find((c) => c.decoded?.type === 'SENDSIZE');
  const hb = all[first];
  if (size && hb.decoded?.type === 'SENDPAYLOAD' && hb.in.ecx < size.in.ebx) {
    return `the VMM handed the backdoor ${hb.in.ecx} of the ${size.in.ebx} bytes of a REP OUTSB on port 0x5659 `
      + '(HB string I/O is not yet completed as one transfer); HB GuestRPC tests are pending';
  }
  return undefined;
}
