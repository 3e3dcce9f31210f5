// GuestRPC over the MESSAGE command: bounded channels with cookies, sized sends and receives, RPCI and TCLO.
import { messageTypeName, protocolName, statusWords, type RpcProtocol } from './commands';
import {
  GUESTMSG_FLAG_COOKIE, MAX_CHANNELS, MAX_MESSAGE_BYTES, MAX_TCLO_QUEUE, MSG_CLOSE, MSG_OPEN, MSG_RECVPAYLOAD,
  MSG_RECVSIZE, MSG_RECVSTATUS, MSG_SENDPAYLOAD, MSG_SENDSIZE, MSG_STATUS_CPT, MSG_STATUS_DORECV, MSG_STATUS_HB,
  MSG_STATUS_SUCCESS, MSG_GUEST_STATUS_MASK,
} from './constants';
import type { DecodedCall } from './records';
import type { Out32, Regs32 } from './registers32';
import type { RpciHandler } from './rpci';

/** The first command the host sends on a new TCLO channel; the guest answers "OK ATR <channel name>". */
export const TCLO_RESET = 'reset';
const WORD = 4;
const LOW16 = 0xffff;

export interface RpcEvents {
  /** A whole message in either direction, for the trace. */
  conversation(channel: number, protocol: RpcProtocol, direction: 'guest->host' | 'host->guest', text: string): void;
  tcloReply(reply: { channel: number; channelName?: string; command: string; reply: string }): void;
}

export interface RpcOptions {
  offerHighBandwidth: boolean;
  cookieSource: () => number;
  rpci: RpciHandler;
  events: RpcEvents;
}

export interface MessageOutcome { out: Out32; decoded: DecodedCall }
export interface HbOutcome { status: number; decoded: DecodedCall }

interface Channel {
  id: number;
  protocol: RpcProtocol;
  cookies: boolean;
  cookieHigh: number;
  cookieLow: number;
  /** Guest-to-host message being assembled. */
  send: Uint8Array | null;
  sent: number;
  /** Host-to-guest message waiting to be fetched. */
  recv: Uint8Array | null;
  recvOffset: number;
  /** The TCLO command held in `recv` (undefined for RPCI replies). */
  recvCommand?: string;
  /** A TCLO command the guest fetched and has not answered yet. */
  awaiting?: string;
  /** TCLO: false until the guest's first send, which the host answers with "reset". */
  tcloStarted: boolean;
  /** TCLO channel name from the guest's "ATR <name>" reply. */
  name?: string;
  /** A checkpoint happened: the next payload step answers CPT and the guest restarts the transfer. */
  checkpoint: boolean;
}

interface QueuedCommand { text: string; bytes: Uint8Array; target?: string }

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** Message text with one trailing NUL removed (vmtoolsd includes it; vmwgfx and iPXE do not). */
function messageText(bytes: Uint8Array): string {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 0 ? bytes.length - 1 : bytes.length;
  return decoder.decode(bytes.subarray(0, end));
}

function wordAt(bytes: Uint8Array, offset: number): number {
  let v = 0;
  for (let i = 0; i < WORD && offset + i < bytes.length; i++) v |= bytes[offset + i] << (8 * i);
  return v >>> 0;
}

export class GuestRpc {
  private readonly channels: (Channel | undefined)[] = new Array(MAX_CHANNELS).fill(undefined);
  private readonly tcloQueue: QueuedCommand[] = [];

  constructor(private readonly opts: RpcOptions) {}

  /** One LB (or hypercall) MESSAGE call; ECX high 16 is the message type. */
  message(r: Regs32): MessageOutcome {
    const type = r.ecx >>> 16;
    if (type === MSG_OPEN) return this.open(r);
    const id = r.edx >>> 16;
    const ch = this.lookup(id, r.esi, r.edi);
    const base: DecodedCall = { channel: id, type: messageTypeName(type) };
    if (!ch) return this.answer(0, { ...base, note: this.channels[id] ? 'cookie mismatch' : 'no such channel' });
    base.protocol = ch.protocol;
    switch (type) {
      case MSG_SENDSIZE: return this.sendSize(r, ch, base);
      case MSG_SENDPAYLOAD: return this.sendPayload(r, ch, base);
      case MSG_RECVSIZE: return this.recvSize(r, ch, base);
      case MSG_RECVPAYLOAD: return this.recvPayload(r, ch, base);
      case MSG_RECVSTATUS: return this.recvStatus(r, ch, base);
      case MSG_CLOSE:
        this.close(ch);
        return this.answer(MSG_STATUS_SUCCESS, base);
      default: return this.answer(0, { ...base, note: 'unknown message type' });
    }
  }

  /** HB guest-to-host payload: `count` bytes fetched by `read` (which returns bytes or a failure reason). */
  hbSend(id: number, cookieHigh: number, cookieLow: number, count: number, read: (n: number) => Uint8Array | string): HbOutcome {
    const ch = this.lookup(id, cookieHigh, cookieLow);
    const decoded: DecodedCall = { channel: id, type: 'SENDPAYLOAD', bytes: count };
    if (!ch) return this.hb(0, { ...decoded, note: 'no such channel or cookie mismatch' });
    decoded.protocol = ch.protocol;
    if (ch.checkpoint) {
      ch.checkpoint = false;
      ch.send = null;
      return this.hb(MSG_STATUS_CPT, decoded);
    }
    if (!ch.send || count > ch.send.length - ch.sent) return this.hb(0, { ...decoded, note: 'payload larger than announced' });
    const data = read(count);
    if (typeof data === 'string') {
      ch.send = null;
      return this.hb(0, { ...decoded, note: data });
    }
    ch.send.set(data.subarray(0, count), ch.sent);
    ch.sent += count;
    if (ch.sent === ch.send.length) decoded.text = this.complete(ch);
    return this.hb(MSG_STATUS_SUCCESS, decoded);
  }

  /** HB host-to-guest payload: `count` bytes of the waiting message handed to `write` (undefined or a failure reason). */
  hbRecv(id: number, cookieHigh: number, cookieLow: number, count: number, write: (bytes: Uint8Array) => string | undefined): HbOutcome {
    const ch = this.lookup(id, cookieHigh, cookieLow);
    const decoded: DecodedCall = { channel: id, type: 'RECVPAYLOAD', bytes: count };
    if (!ch) return this.hb(0, { ...decoded, note: 'no such channel or cookie mismatch' });
    decoded.protocol = ch.protocol;
    if (ch.checkpoint) {
      ch.checkpoint = false;
      ch.recvOffset = 0;
      return this.hb(MSG_STATUS_CPT, decoded);
    }
    if (!ch.recv || count > ch.recv.length - ch.recvOffset) return this.hb(0, { ...decoded, note: 'no message of that size waiting' });
    const err = write(ch.recv.subarray(ch.recvOffset, ch.recvOffset + count));
    if (err !== undefined) return this.hb(0, { ...decoded, note: err });
    ch.recvOffset += count;
    return this.hb(MSG_STATUS_SUCCESS, decoded);
  }

  /** Queue a host command for the guest's TCLO loop; false when the queue is full or the text too long. */
  queueTclo(text: string, target?: string): boolean {
    const bytes = encoder.encode(text);
    if (this.tcloQueue.length >= MAX_TCLO_QUEUE || bytes.length > MAX_MESSAGE_BYTES) return false;
    this.tcloQueue.push({ text, bytes, target });
    return true;
  }

  /** After a snapshot restore: every channel's next payload step answers CPT so the guest restarts it. */
  markCheckpoint(): void { for (const ch of this.channels) if (ch) ch.checkpoint = true; }

  /** Forget every channel and queued command (VM reset). */
  reset(): void {
    this.channels.fill(undefined);
    this.tcloQueue.length = 0;
  }

  /** Sizes for the inspector and for memory-bound checks. */
  stats(): { channels: number; tcloQueue: number; bufferedBytes: number; largestMessage: number; tcloNames: string[] } {
    let buffered = 0;
    let largest = 0;
    const names: string[] = [];
    for (const ch of this.channels) {
      if (!ch) continue;
      const s = ch.send?.length ?? 0;
      const r = ch.recv?.length ?? 0;
      buffered += s + r;
      largest = Math.max(largest, s, r);
      if (ch.name !== undefined) names.push(ch.name);
    }
    for (const q of this.tcloQueue) largest = Math.max(largest, q.bytes.length);
    return { channels: this.channels.filter(Boolean).length, tcloQueue: this.tcloQueue.length, bufferedBytes: buffered, largestMessage: largest, tcloNames: names };
  }

  private open(r: Regs32): MessageOutcome {
    const protocol = protocolName((r.ebx & ~GUESTMSG_FLAG_COOKIE) >>> 0);
    const decoded: DecodedCall = { type: 'OPEN', protocol };
    if (!protocol) return this.answer(0, { ...decoded, note: 'unknown protocol' });
    const id = this.channels.findIndex((c) => c === undefined);
    if (id < 0) return this.answer(0, { ...decoded, note: 'all channels in use' });
    const cookies = (r.ebx & GUESTMSG_FLAG_COOKIE) !== 0;
    const ch: Channel = {
      id, protocol, cookies, cookieHigh: 0, cookieLow: 0, send: null, sent: 0, recv: null, recvOffset: 0,
      tcloStarted: false, checkpoint: false,
    };
    if (cookies) {
      ch.cookieHigh = this.opts.cookieSource() >>> 0;
      ch.cookieLow = this.opts.cookieSource() >>> 0;
    }
    this.channels[id] = ch;
    decoded.channel = id;
    const out = this.answer(MSG_STATUS_SUCCESS, decoded);
    out.out.edx = ((id << 16) | (r.edx & LOW16)) >>> 0;
    // Channels opened without the cookie flag leave ESI/EDI alone (iPXE never loads them).
    if (cookies) {
      out.out.esi = ch.cookieHigh;
      out.out.edi = ch.cookieLow;
    }
    return out;
  }

  private sendSize(r: Regs32, ch: Channel, d: DecodedCall): MessageOutcome {
    ch.checkpoint = false;
    const length = r.ebx >>> 0;
    if (length > MAX_MESSAGE_BYTES) {
      ch.send = null;
      return this.answer(0, { ...d, note: `message of ${length} bytes exceeds ${MAX_MESSAGE_BYTES}` });
    }
    ch.send = new Uint8Array(length);
    ch.sent = 0;
    if (length === 0) d.text = this.complete(ch);
    return this.answer(MSG_STATUS_SUCCESS | (this.opts.offerHighBandwidth ? MSG_STATUS_HB : 0), d);
  }

  private sendPayload(r: Regs32, ch: Channel, d: DecodedCall): MessageOutcome {
    if (ch.checkpoint) {
      ch.checkpoint = false;
      ch.send = null;
      return this.answer(MSG_STATUS_CPT, d);
    }
    const buf = ch.send;
    if (!buf || ch.sent >= buf.length) return this.answer(0, { ...d, note: 'no message being sent' });
    for (let i = 0; i < WORD && ch.sent < buf.length; i++) buf[ch.sent++] = (r.ebx >>> (8 * i)) & 0xff;
    if (ch.sent === buf.length) d.text = this.complete(ch);
    return this.answer(MSG_STATUS_SUCCESS, d);
  }

  private recvSize(r: Regs32, ch: Channel, d: DecodedCall): MessageOutcome {
    // RECVSIZE is where a receive (re)starts, so a pending checkpoint has nothing left to interrupt.
    ch.checkpoint = false;
    if (!ch.recv) {
      const o = this.answer(MSG_STATUS_SUCCESS, d);
      o.out.ebx = 0;
      return o;
    }
    ch.recvOffset = 0;
    const o = this.answer(MSG_STATUS_SUCCESS | MSG_STATUS_DORECV | (this.opts.offerHighBandwidth ? MSG_STATUS_HB : 0), d);
    o.out.ebx = ch.recv.length;
    o.out.edx = ((MSG_SENDSIZE << 16) | (r.edx & LOW16)) >>> 0;
    return o;
  }

  private recvPayload(r: Regs32, ch: Channel, d: DecodedCall): MessageOutcome {
    if (ch.checkpoint) {
      ch.checkpoint = false;
      ch.recvOffset = 0;
      return this.answer(MSG_STATUS_CPT, d);
    }
    if (!ch.recv || ch.recvOffset >= ch.recv.length) return this.answer(0, { ...d, note: 'no message being received' });
    const o = this.answer(MSG_STATUS_SUCCESS, d);
    o.out.ebx = wordAt(ch.recv, ch.recvOffset);
    o.out.edx = ((MSG_SENDPAYLOAD << 16) | (r.edx & LOW16)) >>> 0;
    ch.recvOffset = Math.min(ch.recv.length, ch.recvOffset + WORD);
    return o;
  }

  private recvStatus(r: Regs32, ch: Channel, d: DecodedCall): MessageOutcome {
    if (!ch.recv) return this.answer(0, { ...d, note: 'no message to acknowledge' });
    if ((r.ebx & MSG_GUEST_STATUS_MASK) === 0) {
      // The guest failed to take it: keep the message for another RECVSIZE.
      ch.recvOffset = 0;
      return this.answer(MSG_STATUS_SUCCESS, { ...d, note: 'guest reported failure; message kept' });
    }
    if (ch.recvCommand !== undefined) ch.awaiting = ch.recvCommand;
    ch.recv = null;
    ch.recvCommand = undefined;
    ch.recvOffset = 0;
    return this.answer(MSG_STATUS_SUCCESS, d);
  }

  private close(ch: Channel): void {
    // A host command the guest never fetched goes back to the front of the queue for the next channel.
    if (ch.recvCommand !== undefined && ch.recvCommand !== TCLO_RESET && this.tcloQueue.length < MAX_TCLO_QUEUE) {
      this.tcloQueue.unshift({ text: ch.recvCommand, bytes: ch.recv ?? encoder.encode(ch.recvCommand) });
    }
    this.channels[ch.id] = undefined;
  }

  private lookup(id: number, cookieHigh: number, cookieLow: number): Channel | undefined {
    const ch = id < MAX_CHANNELS ? this.channels[id] : undefined;
    if (!ch) return undefined;
    if (ch.cookies && (ch.cookieHigh !== cookieHigh >>> 0 || ch.cookieLow !== cookieLow >>> 0)) return undefined;
    return ch;
  }

  /** A whole guest message arrived: run RPCI or advance the TCLO loop. Returns the text for the trace. */
  private complete(ch: Channel): string {
    const bytes = ch.send ?? new Uint8Array(0);
    ch.send = null;
    ch.sent = 0;
    const text = messageText(bytes);
    if (ch.protocol === 'RPCI') {
      this.opts.events.conversation(ch.id, 'RPCI', 'guest->host', text);
      this.place(ch, encoder.encode(this.opts.rpci.handle(text, ch.id)), undefined);
    } else {
      this.tcloSend(ch, text);
    }
    return text;
  }

  private tcloSend(ch: Channel, text: string): void {
    const events = this.opts.events;
    if (text !== '' || ch.awaiting !== undefined) events.conversation(ch.id, 'TCLO', 'guest->host', text);
    if (!ch.tcloStarted) {
      ch.tcloStarted = true;
      this.place(ch, encoder.encode(TCLO_RESET), TCLO_RESET);
      return;
    }
    if (ch.awaiting !== undefined) {
      const command = ch.awaiting;
      ch.awaiting = undefined;
      if (command === TCLO_RESET) {
        const m = /^OK ATR (\S+)/.exec(text);
        if (m) ch.name = m[1];
      }
      events.tcloReply({ channel: ch.id, channelName: ch.name, command, reply: text });
    }
    if (!ch.recv) this.deliverNext(ch);
  }

  private deliverNext(ch: Channel): void {
    const i = this.tcloQueue.findIndex((q) => q.target === undefined || q.target === ch.name);
    if (i < 0) return;
    const [q] = this.tcloQueue.splice(i, 1);
    this.place(ch, q.bytes, q.text);
  }

  private place(ch: Channel, bytes: Uint8Array, command: string | undefined): void {
    ch.recv = bytes;
    ch.recvOffset = 0;
    ch.recvCommand = command;
    this.opts.events.conversation(ch.id, ch.protocol, 'host->guest', command ?? decoder.decode(bytes));
  }

  private answer(status: number, decoded: DecodedCall): MessageOutcome {
    decoded.status = statusWords(status);
    return { out: { ecx: (status << 16) >>> 0 }, decoded };
  }

  private hb(status: number, decoded: DecodedCall): HbOutcome {
    decoded.status = statusWords(status);
    return { status, decoded };
  }
}
