// Text exports of the (filtered) trace: JSON Lines for tools, CSV for spreadsheets (pure).
import type { BackdoorEntryView } from '../../protocol/webviewMessages';
import { channelOf, commandOf, summaryOf, timeOf, transportOf } from './rows';

export function toJsonLines(entries: readonly BackdoorEntryView[]): string {
  return entries.map((e) => `${JSON.stringify(e)}\n`).join('');
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export const CSV_HEADER = ['seq', 'time_ms', 'kind', 'vcpu', 'transport', 'command', 'channel', 'rip', 'summary'];

export function toCsv(entries: readonly BackdoorEntryView[]): string {
  const rows = [CSV_HEADER.join(',')];
  for (const e of entries) {
    rows.push([
      String(e.seq), timeOf(e), e.type, e.type === 'call' ? String(e.vcpu) : '', transportOf(e), commandOf(e),
      String(channelOf(e) ?? ''), e.type === 'call' ? e.rip : '', summaryOf(e),
    ].map(csvField).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
