// Pure parts of the webviews: scaling and pointer mapping, capture keys, trace filters, virtual rows, conversations, exports.
import assert from 'node:assert/strict';
import type { BackdoorEntryView } from '../../protocol/webviewMessages';
import { guestButtons, isReleaseChord, wheelLines } from '../../webview-ui/framebuffer/capture';
import { clientToGuest, scaleFactor } from '../../webview-ui/framebuffer/scaling';
import { conversations } from '../../webview-ui/backdoorInspector/conversations';
import { CSV_HEADER, toCsv, toJsonLines } from '../../webview-ui/backdoorInspector/exportFormat';
import { compileFilter, NO_FILTER } from '../../webview-ui/backdoorInspector/filter';
import { commandOf, searchText, summaryOf } from '../../webview-ui/backdoorInspector/rows';
import { scrollToReveal, visibleRows } from '../../webview-ui/backdoorInspector/virtualWindow';

const regs = { eax: 0x564d5868, ebx: 0, ecx: 0x1e, edx: 0x5658, esi: 0, edi: 0, ebp: 0 };
function call(seq: number, name: string, transport: 'lb' | 'hb' = 'lb', decoded?: object): BackdoorEntryView {
  return { type: 'call', seq, timeNs: seq * 1000, vcpu: 0, rip: `0x${(0x100000 + seq).toString(16)}`, transport, command: 30, name, in: regs, out: { eax: 0 }, decoded };
}
function rpc(seq: number, channel: number, direction: 'guest->host' | 'host->guest', text: string): BackdoorEntryView {
  return { type: 'rpc', seq, timeNs: seq * 1000, channel, protocol: direction === 'guest->host' ? 'RPCI' : 'TCLO', direction, text };
}

describe('extension framebuffer webview logic', () => {
  it('scales to fit with whole steps when growing and fractions when shrinking', () => {
    const screen = { width: 640, height: 480 };
    assert.equal(scaleFactor('fit', screen, { width: 1400, height: 1000 }), 2);
    assert.equal(scaleFactor('fit', screen, { width: 700, height: 2000 }), 1);
    assert.equal(scaleFactor('fit', screen, { width: 320, height: 480 }), 0.5);
    assert.equal(scaleFactor('1x', screen, { width: 10, height: 10 }), 1);
    assert.equal(scaleFactor('2x', screen, { width: 10, height: 10 }), 2);
    assert.equal(scaleFactor('fit', { width: 0, height: 0 }, { width: 100, height: 100 }), 1);
  });

  it('maps client coordinates to guest pixels and clamps at the edges', () => {
    const box = { left: 100, top: 50, width: 1280, height: 960 };
    const screen = { width: 640, height: 480 };
    assert.deepEqual(clientToGuest(100, 50, box, screen), { x: 0, y: 0 });
    assert.deepEqual(clientToGuest(101.9, 51.9, box, screen), { x: 0, y: 0 });
    assert.deepEqual(clientToGuest(102, 52, box, screen), { x: 1, y: 1 });
    assert.deepEqual(clientToGuest(1379, 1009, box, screen), { x: 639, y: 479 });
    assert.deepEqual(clientToGuest(5000, -20, box, screen), { x: 639, y: 0 });
  });

  it('releases capture on Ctrl+Alt in either order, and only then', () => {
    assert.ok(isReleaseChord({ code: 'AltLeft', ctrlKey: true, altKey: true }));
    assert.ok(isReleaseChord({ code: 'ControlRight', ctrlKey: true, altKey: true }));
    assert.ok(!isReleaseChord({ code: 'KeyA', ctrlKey: true, altKey: true }));
    assert.ok(!isReleaseChord({ code: 'ControlLeft', ctrlKey: true, altKey: false }));
    assert.equal(guestButtons(0x1f), 0x7);
    assert.equal(wheelLines(120, 0), 3);
    assert.equal(wheelLines(-3, 1), -3);
    assert.equal(wheelLines(1, 2), 25);
    assert.equal(wheelLines(5, 0), 1, 'a small pixel scroll still moves one line');
  });
});

describe('extension backdoor inspector logic', () => {
  const entries: BackdoorEntryView[] = [
    call(1, 'GETVERSION'),
    call(2, 'MESSAGE', 'lb', { channel: 3, type: 'OPEN', protocol: 'RPCI' }),
    call(3, 'MESSAGE', 'hb', { channel: 3, type: 'SENDPAYLOAD', bytes: 48, status: ['SUCCESS'] }),
    rpc(4, 3, 'guest->host', 'info-set guestinfo.ip 10.0.0.2'),
    rpc(5, 1, 'host->guest', 'reset'),
    rpc(6, 3, 'host->guest', '1 '),
    call(7, 'GETTIME', 'lb', { unsupported: true }),
  ];

  it('describes rows in words', () => {
    assert.equal(commandOf(entries[0]), 'GETVERSION (30)');
    assert.equal(commandOf(entries[3]), 'RPCI → host');
    assert.equal(summaryOf(entries[2]), 'SENDPAYLOAD [SUCCESS] 48 bytes');
    assert.equal(summaryOf(entries[6]), 'unsupported');
    assert.equal(summaryOf(entries[0]), 'eax=0x00000000 ebx=0x00000000');
  });

  it('filters by command, transport and all words of the text', () => {
    const run = (f: Partial<typeof NO_FILTER>) => entries.filter((e) => compileFilter({ ...NO_FILTER, ...f })(e)).map((e) => e.seq);
    assert.deepEqual(run({}), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(run({ command: 'MESSAGE' }), [2, 3]);
    assert.deepEqual(run({ transport: 'hb' }), [3]);
    assert.deepEqual(run({ transport: 'rpc' }), [4, 5, 6]);
    assert.deepEqual(run({ text: 'GUESTINFO  ip' }), [4]);
    assert.deepEqual(run({ text: 'open', command: 'MESSAGE' }), [2]);
    assert.deepEqual(run({ text: '0x100007' }), [7]);
    assert.deepEqual(run({ command: 'RPCI message', text: 'info-set' }), [4]);
  });

  it('filters 10,000 rows with cached search text and keeps their order', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? rpc(i, i % 7, 'guest->host', `log line ${i}`) : call(i, i % 2 ? 'MESSAGE' : 'GETVERSION')));
    const texts = many.map(searchText);
    const keep = compileFilter({ ...NO_FILTER, text: 'log 99' });
    const shown = many.filter((e, i) => keep(e, texts[i]));
    assert.ok(shown.length > 0);
    assert.ok(shown.every((e) => e.type === 'rpc' && e.text.includes('99')));
    assert.deepEqual(shown.map((e) => e.seq), [...shown.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('renders only the rows in view, with overscan, and scrolls a selection into view', () => {
    assert.deepEqual(visibleRows(0, 220, 22, 10_000, 5), { start: 0, end: 16, offset: 0 });
    assert.deepEqual(visibleRows(22 * 5000, 220, 22, 10_000, 5), { start: 4995, end: 5016, offset: 4995 * 22 });
    assert.deepEqual(visibleRows(22 * 20000, 220, 22, 10_000, 5), { start: 9994, end: 10_000, offset: 9994 * 22 });
    assert.deepEqual(visibleRows(0, 220, 22, 0), { start: 0, end: 0, offset: 0 });
    assert.equal(scrollToReveal(3, 0, 220, 22), undefined);
    assert.equal(scrollToReveal(20, 0, 220, 22), 20 * 22 + 22 - 220);
    assert.equal(scrollToReveal(2, 200, 220, 22), 44);
  });

  it('groups GuestRPC messages into conversations per channel', () => {
    const convs = conversations(entries);
    assert.deepEqual(convs.map((c) => [c.channel, [...c.protocols].sort(), c.messages.map((m) => m.seq)]), [
      [3, ['RPCI', 'TCLO'], [4, 6]],
      [1, ['TCLO'], [5]],
    ]);
  });

  it('exports JSON Lines and CSV with quoting', () => {
    const jsonl = toJsonLines(entries.slice(3, 5));
    assert.deepEqual(jsonl.trim().split('\n').map((l) => JSON.parse(l).seq), [4, 5]);
    const csv = toCsv([rpc(9, 2, 'guest->host', 'say "hi", then\nbye')]).split('\r\n');
    assert.equal(csv[0], CSV_HEADER.join(','));
    assert.equal(csv[1], '9,0.009,rpc,,rpc,RPCI → host,2,,"say ""hi"", then\nbye"');
    assert.equal(csv[2], '');
  });
});
