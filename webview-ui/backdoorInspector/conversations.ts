// Groups reassembled GuestRPC messages by channel into conversations (pure).
import type { BackdoorEntryView } from '../../protocol/webviewMessages';

type RpcView = Extract<BackdoorEntryView, { type: 'rpc' }>;

export interface Conversation {
  channel: number;
  protocols: Set<'RPCI' | 'TCLO'>;
  messages: RpcView[];
}

/** Channels in order of first appearance; a channel number reused after close continues the same conversation. */
export function conversations(entries: readonly BackdoorEntryView[]): Conversation[] {
  const byChannel = new Map<number, Conversation>();
  for (const e of entries) {
    if (e.type !== 'rpc') continue;
    let c = byChannel.get(e.channel);
    if (!c) byChannel.set(e.channel, (c = { channel: e.channel, protocols: new Set(), messages: [] }));
    c.protocols.add(e.protocol);
    c.messages.push(e);
  }
  return [...byChannel.values()];
}
