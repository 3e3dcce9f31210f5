// Detail pane of the selected trace entry, and the per-channel conversation view.
import type { BackdoorEntryView } from '../../protocol/webviewMessages';
import { clear, h } from '../common/dom';
import { conversations } from './conversations';
import { commandOf, hex32, timeOf, transportOf } from './rows';

const REGISTERS = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp'] as const;

export function renderDetail(pane: HTMLElement, e: BackdoorEntryView | undefined): void {
  clear(pane);
  if (!e) {
    pane.append(h('p', { class: 'hint' }, 'Select a row to see its registers and decoded fields.'));
    return;
  }
  pane.append(h('h3', {}, `#${e.seq} ${commandOf(e)}`));
  const facts: [string, string][] = [['time', `${timeOf(e)} ms`], ['via', transportOf(e)]];
  if (e.type === 'rpc') {
    facts.push(['channel', String(e.channel)], ['protocol', e.protocol], ['direction', e.direction]);
    pane.append(factList(facts), h('pre', { class: 'message' }, e.text));
    return;
  }
  facts.push(['vCPU', String(e.vcpu)], ['RIP', e.rip]);
  if (e.durationNs !== undefined) facts.push(['duration', `${(e.durationNs / 1000).toFixed(1)} µs`]);
  pane.append(factList(facts));
  const table = h('table', { class: 'regs' }, h('tr', {}, h('th', {}, 'reg'), h('th', {}, 'in'), h('th', {}, 'out')));
  for (const r of REGISTERS) {
    const out = e.out[r];
    table.append(h('tr', { class: out !== undefined && out !== e.in[r] ? 'changed' : '' }, h('td', {}, r), h('td', {}, hex32(e.in[r])), h('td', {}, out === undefined ? '—' : hex32(out))));
  }
  pane.append(table);
  if (e.decoded) pane.append(h('h4', {}, 'decoded'), h('pre', {}, JSON.stringify(e.decoded, null, 2)));
}

function factList(facts: [string, string][]): HTMLElement {
  return h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** One column per channel, messages as alternating bubbles: guest → host on the left, host → guest on the right. */
export function renderConversations(pane: HTMLElement, entries: readonly BackdoorEntryView[]): void {
  clear(pane);
  const convs = conversations(entries);
  if (convs.length === 0) {
    pane.append(h('p', { class: 'hint' }, 'No GuestRPC messages yet. Guests using VMware Tools or open-vm-tools talk over RPCI and TCLO channels.'));
    return;
  }
  for (const c of convs) {
    const list = h('div', { class: 'messages' });
    for (const m of c.messages) {
      list.append(h('div', { class: `bubble ${m.direction === 'guest->host' ? 'from-guest' : 'from-host'}`, title: `#${m.seq} at ${timeOf(m)} ms` },
        h('span', { class: 'who' }, m.direction === 'guest->host' ? `guest (${m.protocol})` : `host (${m.protocol})`), m.text));
    }
    pane.append(h('section', { class: 'conversation' }, h('h3', {}, `channel ${c.channel} · ${[...c.protocols].join('/')} · ${c.messages.length} messages`), list));
  }
}
