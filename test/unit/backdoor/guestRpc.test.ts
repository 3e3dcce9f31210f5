// Unit tests of GuestRPC over LB: the reference "log hello" exchange word for word, guestinfo, cookies and bounds.
import * as assert from 'node:assert/strict';
import type { RpcRecord } from '../../../debug-adapter/src/devices/vmwareBackdoor/records';
import { cmd, lb, makeBackdoor, MAGIC } from './helpers';
import { call, close, COOKIE_FLAG, CPT, DORECV, HB, MESSAGE, open, receive, rpc, RPCI, send, status, SUCCESS, TCLO } from './rpcClient';

/** Cookies handed out in order: channels 0..2 take the first six, channel 3 gets the reference's pair. */
function cookieSequence(): () => number {
  const seq = [1, 2, 3, 4, 5, 6, 0x1234abcd, 0x5678ef01];
  let i = 0;
  return () => seq[i++ % seq.length];
}

describe('GuestRPC over LB: the reference exchange', () => {
  it('reproduces RPCI "log hello" on channel 3 register for register', () => {
    const { dev, logs, records } = makeBackdoor({ offerHighBandwidth: false, cookieSource: cookieSequence() });
    for (let i = 0; i < 3; i++) open(dev, RPCI);
    const cookies = { esi: 0x1234abcd, edi: 0x5678ef01 };
    type Step = { ebx?: number; ecx: number; edx: number; esi?: number; edi?: number; expect: Record<string, number> };
    const steps: Step[] = [
      { ebx: 0xc9435052, ecx: 0x0000001e, edx: 0x00005658, expect: { ecx: 0x00010000, edx: 0x00035658, esi: 0x1234abcd, edi: 0x5678ef01 } },
      { ebx: 0x00000009, ecx: 0x0001001e, edx: 0x00035658, ...cookies, expect: { ecx: 0x00010000 } },
      { ebx: 0x20676f6c, ecx: 0x0002001e, edx: 0x00035658, ...cookies, expect: { ecx: 0x00010000 } },
      { ebx: 0x6c6c6568, ecx: 0x0002001e, edx: 0x00035658, ...cookies, expect: { ecx: 0x00010000 } },
      { ebx: 0x0000006f, ecx: 0x0002001e, edx: 0x00035658, ...cookies, expect: { ecx: 0x00010000 } },
      { ecx: 0x0003001e, edx: 0x00035658, ...cookies, expect: { ecx: 0x00030000, edx: 0x00015658, ebx: 0x00000002 } },
      { ebx: 0x00000001, ecx: 0x0004001e, edx: 0x00035658, ...cookies, expect: { ecx: 0x00010000, edx: 0x00025658, ebx: 0x00002031 } },
      { ebx: 0x00000001, ecx: 0x0005001e, edx: 0x00035658, ...cookies, expect: { ecx: 0x00010000 } },
      { ecx: 0x0006001e, edx: 0x00035658, ...cookies, expect: { ecx: 0x00010000 } },
    ];
    steps.forEach((s, n) => {
      const r = lb(dev, s) as unknown as Record<string, number>;
      for (const [reg, v] of Object.entries(s.expect)) assert.equal(r[reg] >>> 0, v, `step ${n + 1} ${reg}`);
      assert.equal(r.eax, MAGIC, `step ${n + 1} leaves EAX as the magic`);
      if (n === 4) assert.deepEqual(logs, ['hello'], 'the host logs after the last payload word');
    });
    const rpcs = records.filter((r): r is RpcRecord => r.type === 'rpc');
    assert.deepEqual(rpcs.map((r) => [r.channel, r.protocol, r.direction, r.text]), [
      [3, 'RPCI', 'guest->host', 'log hello'], [3, 'RPCI', 'host->guest', '1 '],
    ]);
    assert.equal(dev.stats().channels, 3);
  });

  it('stores info-set values and returns them with info-get, alongside configured guestinfo', () => {
    const set: [string, string][] = [];
    const { dev } = makeBackdoor({ guestinfo: { 'ip': '10.0.0.2', 'guestinfo.role': 'lab' } }, { onGuestInfoSet: (k, v) => set.push([k, v]) });
    const ch = open(dev, RPCI);
    assert.equal(rpc(dev, ch, 'info-set guestinfo.foo bar'), '1 ');
    assert.deepEqual(set, [['guestinfo.foo', 'bar']]);
    assert.equal(rpc(dev, ch, 'info-get guestinfo.foo'), '1 bar');
    assert.equal(rpc(dev, ch, 'info-get guestinfo.ip\0'), '1 10.0.0.2', 'one trailing NUL is accepted');
    assert.equal(rpc(dev, ch, 'info-get guestinfo.role'), '1 lab');
    assert.equal(rpc(dev, ch, 'info-get guestinfo.missing'), '0 No value found');
    assert.equal(rpc(dev, ch, 'info-set guestinfo.ip 10.9.9.9'), '1 ');
    assert.equal(rpc(dev, ch, 'info-get guestinfo.ip'), '1 10.9.9.9', 'guest-set values win');
    assert.equal(rpc(dev, ch, 'info-set notguestinfo.x y')?.startsWith('0 '), true);
    assert.equal(dev.guestInfo('foo'), 'bar');
  });

  it('answers the tools commands and unknown commands', () => {
    const { dev } = makeBackdoor();
    const ch = open(dev, RPCI);
    assert.equal(rpc(dev, ch, 'tools.set.version 12352\0'), '1 ');
    assert.equal(dev.rpci.toolsVersion, '12352');
    assert.equal(rpc(dev, ch, 'tools.capability.resolution_set 1'), '1 ');
    assert.equal(rpc(dev, ch, 'tools.capability.statechange '), '1 ');
    assert.deepEqual([...dev.rpci.capabilities], [['resolution_set', '1'], ['statechange', '']]);
    assert.equal(rpc(dev, ch, 'vmx.capability.unified_loop toolbox'), '1 ');
    assert.ok(dev.rpci.unifiedLoops.has('toolbox'));
    assert.equal(rpc(dev, ch, 'SetGuestInfo  4 build-1234'), '1 ');
    assert.equal(dev.rpci.guestInfoTypes.get(4), 'build-1234');
    assert.equal(rpc(dev, ch, 'frobnicate now'), '0 Unknown command');
    assert.equal(rpc(dev, ch, ''), '0 Unknown command');
  });

  it('gives iPXE the exact ECX values it compares, with HB offered and no cookies', () => {
    const { dev } = makeBackdoor();
    const o = cmd(dev, MESSAGE, { ebx: RPCI, esi: 0xaaaa, edi: 0xbbbb }, 0);
    assert.equal(o.ecx, 0x00010000);
    assert.deepEqual([o.esi, o.edi], [0xaaaa, 0xbbbb], 'no cookies without the flag');
    const ch = { id: o.edx >>> 16, cookieHigh: 0x1111, cookieLow: 0x2222 };
    assert.equal(call(dev, ch, 1, 4).ecx, 0x00810000);
    assert.equal(call(dev, ch, 2, 0x20676f6c).ecx, 0x00010000);
    assert.equal(call(dev, ch, 3).ecx, 0x00830000);
  });
});

describe('GuestRPC over LB: channel rules and bounds', () => {
  it('checks cookies only on channels opened with the cookie flag', () => {
    const { dev } = makeBackdoor({ cookieSource: cookieSequence() });
    const ch = open(dev, RPCI, true);
    assert.equal(status(call(dev, { ...ch, cookieLow: ch.cookieLow ^ 1 }, 1, 4).ecx), 0);
    assert.equal(status(call(dev, ch, 1, 4).ecx) & SUCCESS, SUCCESS);
  });

  it('opens at most 8 channels and reuses closed ids', () => {
    const { dev } = makeBackdoor();
    const chans = Array.from({ length: 8 }, () => open(dev, RPCI));
    assert.deepEqual(chans.map((c) => c.id), [0, 1, 2, 3, 4, 5, 6, 7]);
    const ninth = cmd(dev, MESSAGE, { ebx: RPCI | COOKIE_FLAG }, 0);
    assert.equal(status(ninth.ecx), 0);
    assert.equal(close(dev, chans[5]), SUCCESS);
    assert.equal(open(dev, TCLO).id, 5);
    assert.equal(dev.stats().channels, 8);
  });

  it('refuses unknown protocols, unknown types, closed channels and oversize messages', () => {
    const { dev } = makeBackdoor();
    assert.equal(status(cmd(dev, MESSAGE, { ebx: 0x12345678 }, 0).ecx), 0);
    const ch = open(dev, RPCI);
    assert.equal(status(call(dev, ch, 9).ecx), 0);
    assert.equal(status(call(dev, ch, 1, 65537).ecx), 0);
    assert.equal(status(call(dev, ch, 1, 65536).ecx) & SUCCESS, SUCCESS, '64 KiB is the largest message');
    assert.equal(status(call(dev, ch, 4, 1).ecx), 0, 'nothing to receive');
    assert.equal(status(call(dev, ch, 5, 1).ecx), 0, 'nothing to acknowledge');
    close(dev, ch);
    assert.equal(status(call(dev, ch, 3).ecx), 0);
    assert.equal(status(call(dev, { id: 200, cookieHigh: 0, cookieLow: 0 }, 3).ecx), 0);
  });

  it('refuses payload words nobody announced and restarts on a new SENDSIZE', () => {
    const { dev, logs } = makeBackdoor();
    const ch = open(dev, RPCI);
    assert.equal(status(call(dev, ch, 2, 0x41414141).ecx), 0);
    call(dev, ch, 1, 8);
    call(dev, ch, 2, 0x41414141);
    send(dev, ch, 'log x');
    assert.deepEqual(logs, ['x']);
    assert.equal(receive(dev, ch), '1 ');
  });

  it('keeps a message the guest failed to take and drops it once acknowledged', () => {
    const { dev } = makeBackdoor();
    const ch = open(dev, RPCI);
    send(dev, ch, 'info-get guestinfo.none');
    assert.equal(call(dev, ch, 3).ebx, 16);
    call(dev, ch, 4, 1);
    assert.equal(status(call(dev, ch, 5, 0).ecx), SUCCESS);
    assert.equal(receive(dev, ch), '0 No value found');
    assert.equal(status(call(dev, ch, 3).ecx) & DORECV, 0);
  });

  it('answers CPT after a checkpoint so the guest restarts the transfer', () => {
    const { dev, logs } = makeBackdoor();
    const ch = open(dev, RPCI);
    call(dev, ch, 1, 9);
    call(dev, ch, 2, 0x20676f6c);
    dev.markCheckpoint();
    assert.equal(status(call(dev, ch, 2, 0x6c6c6568).ecx), CPT);
    assert.equal(status(call(dev, ch, 2, 0x6c6c6568).ecx), 0, 'the partial message is gone');
    send(dev, ch, 'log hello');
    assert.deepEqual(logs, ['hello']);
    assert.equal(call(dev, ch, 3).ebx, 2);
    dev.markCheckpoint();
    assert.equal(status(call(dev, ch, 4, 1).ecx), CPT);
    assert.equal(receive(dev, ch), '1 ', 'the reply survives and is fetched again from RECVSIZE');
  });

  it('offers HB in SENDSIZE and RECVSIZE statuses when configured', () => {
    const { dev } = makeBackdoor({ offerHighBandwidth: true });
    const ch = open(dev, RPCI);
    assert.equal(send(dev, ch, 'log hb') & HB, HB);
    assert.equal(status(call(dev, ch, 3).ecx), SUCCESS | DORECV | HB);
  });
});

describe('GuestRPC over LB: TCLO', () => {
  it('sends "reset" after the first empty send, learns the channel name, then delivers queued commands', () => {
    const replies: { command: string; reply: string; channelName?: string }[] = [];
    const { dev, records } = makeBackdoor({}, { onTcloReply: (r) => replies.push(r) });
    const ch = open(dev, TCLO);
    assert.equal(receive(dev, ch), undefined, 'nothing before the guest first sends');
    send(dev, ch, '');
    assert.equal(receive(dev, ch), 'reset');
    assert.ok(dev.queueTclo('ping'));
    assert.ok(dev.queueTclo('Set_Option broadcastIP 1'));
    send(dev, ch, 'OK ATR toolbox');
    assert.deepEqual(dev.stats().tcloChannels, ['toolbox']);
    assert.equal(receive(dev, ch), 'ping');
    send(dev, ch, 'OK ');
    assert.equal(receive(dev, ch), 'Set_Option broadcastIP 1');
    send(dev, ch, 'OK ');
    assert.equal(receive(dev, ch), undefined, 'queue drained');
    send(dev, ch, '');
    assert.equal(receive(dev, ch), undefined);
    assert.deepEqual(replies.map((r) => [r.command, r.reply, r.channelName]), [
      ['reset', 'OK ATR toolbox', 'toolbox'], ['ping', 'OK ', 'toolbox'], ['Set_Option broadcastIP 1', 'OK ', 'toolbox'],
    ]);
    const conv = records.filter((r): r is RpcRecord => r.type === 'rpc').map((r) => `${r.direction} ${r.text}`);
    assert.deepEqual(conv, [
      'host->guest reset', 'guest->host OK ATR toolbox', 'host->guest ping', 'guest->host OK ',
      'host->guest Set_Option broadcastIP 1', 'guest->host OK ',
    ]);
  });

  it('delivers the reference words for "reset" and accepts the reference reply words', () => {
    const { dev } = makeBackdoor({ offerHighBandwidth: false });
    const ch = open(dev, TCLO);
    call(dev, ch, 1, 0);
    const sz = call(dev, ch, 3);
    assert.deepEqual([status(sz.ecx), sz.ebx], [SUCCESS | DORECV, 5]);
    assert.equal(call(dev, ch, 4, 1).ebx, 0x65736572);
    assert.equal(call(dev, ch, 4, 1).ebx, 0x00000074);
    call(dev, ch, 5, 1);
    call(dev, ch, 1, 14);
    for (const w of [0x41204b4f, 0x74205254, 0x626c6f6f, 0x0000786f]) call(dev, ch, 2, w);
    assert.deepEqual(dev.stats().tcloChannels, ['toolbox']);
  });

  it('bounds the host queue, routes targeted commands and requeues undelivered ones on close', () => {
    const { dev } = makeBackdoor();
    for (let i = 0; i < 64; i++) assert.ok(dev.queueTclo(`cmd${i}`));
    assert.equal(dev.queueTclo('one too many'), false);
    assert.equal(dev.queueTclo('x'.repeat(70000)), false);
    const { dev: d2 } = makeBackdoor();
    d2.queueTclo('for-ui', 'toolbox-ui');
    d2.queueTclo('for-anyone');
    const ch = open(d2, TCLO);
    send(d2, ch, '');
    receive(d2, ch);
    send(d2, ch, 'OK ATR toolbox');
    assert.equal(receive(d2, ch), 'for-anyone');
    send(d2, ch, 'OK ');
    assert.equal(receive(d2, ch), undefined, 'the targeted command waits for its channel');
    d2.queueTclo('again');
    send(d2, ch, '');
    close(d2, ch);
    assert.equal(d2.stats().tcloQueue, 2, 'the unfetched command went back to the queue');
  });
});
