// How one backdoor trace entry reads in the table: short column texts and a one-line summary (pure).
import type { BackdoorEntryView } from '../../protocol/webviewMessages';

/** Transport column; GuestRPC messages reassembled from many calls show as "rpc". */
export function transportOf(e: BackdoorEntryView): string {
  return e.type === 'rpc' ? 'rpc' : e.transport;
}

/** Command column: the name with its number ("GETVERSION (10)"), or the RPC protocol and direction. */
export function commandOf(e: BackdoorEntryView): string {
  if (e.type === 'rpc') return `${e.protocol} ${e.direction === 'guest->host' ? '→ host' : '→ guest'}`;
  return e.command < 0 ? e.name : `${e.name} (${e.command})`;
}

/** The name alone, for the command filter list. */
export function commandName(e: BackdoorEntryView): string {
  return e.type === 'rpc' ? `${e.protocol} message` : e.name;
}

export function channelOf(e: BackdoorEntryView): number | undefined {
  return e.type === 'rpc' ? e.channel : e.decoded?.channel;
}

export function hex32(v: number | undefined): string {
  return v === undefined ? '' : `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}

/** Milliseconds with microsecond precision from the device's nanosecond clock. */
export function timeOf(e: BackdoorEntryView): string {
  return (e.timeNs / 1e6).toFixed(3);
}

export function summaryOf(e: BackdoorEntryView): string {
  if (e.type === 'rpc') return e.text;
  const d = e.decoded;
  const parts: string[] = [];
  if (d?.type) parts.push(d.type);
  if (d?.text !== undefined) parts.push(JSON.stringify(d.text));
  if (d?.status?.length) parts.push(`[${d.status.join(' ')}]`);
  if (d?.bytes !== undefined) parts.push(`${d.bytes} bytes`);
  if (d?.unsupported) parts.push('unsupported');
  if (d?.note) parts.push(d.note);
  if (parts.length === 0) parts.push(`eax=${hex32(e.out.eax ?? e.in.eax)} ebx=${hex32(e.out.ebx ?? e.in.ebx)}`);
  return parts.join(' ');
}

/** Everything searchable about an entry, lower-cased once and cached by the table. */
export function searchText(e: BackdoorEntryView): string {
  return [commandOf(e), transportOf(e), summaryOf(e), e.type === 'call' ? e.rip : '', String(channelOf(e) ?? '')].join(' ').toLowerCase();
}
