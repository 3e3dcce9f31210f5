// Test helper: a guest-side GuestRPC client over LB, written from the protocol description (open, send, receive).
import type { VmwareBackdoor } from '../../../debug-adapter/src/devices/vmwareBackdoor/backdoor';
import { cmd, fromWords, words } from './helpers';

export const MESSAGE = 30;
export const RPCI = 0x49435052;
export const TCLO = 0x4f4c4354;
export const COOKIE_FLAG = 0x80000000;
export const SUCCESS = 1;
export const DORECV = 2;
export const CPT = 0x10;
export const HB = 0x80;

export interface Chan { id: number; cookieHigh: number; cookieLow: number }

export function status(ecx: number): number { return ecx >>> 16; }

export function open(dev: VmwareBackdoor, protocol: number, cookies = true): Chan {
  const r = cmd(dev, MESSAGE, { ebx: (protocol | (cookies ? COOKIE_FLAG : 0)) >>> 0 }, 0);
  if (!(status(r.ecx) & SUCCESS)) throw new Error(`OPEN failed: ecx 0x${r.ecx.toString(16)}`);
  return { id: r.edx >>> 16, cookieHigh: cookies ? r.esi : 0, cookieLow: cookies ? r.edi : 0 };
}

export function call(dev: VmwareBackdoor, ch: Chan, type: number, ebx = 0): ReturnType<typeof cmd> {
  return cmd(dev, MESSAGE, { ebx, edx: ((ch.id << 16) | 0x5658) >>> 0, esi: ch.cookieHigh, edi: ch.cookieLow }, type);
}

/** SENDSIZE + SENDPAYLOAD words; returns the SENDSIZE status. */
export function send(dev: VmwareBackdoor, ch: Chan, text: string): number {
  const len = new TextEncoder().encode(text).length;
  const s = status(call(dev, ch, 1, len).ecx);
  if (!(s & SUCCESS)) throw new Error(`SENDSIZE failed: 0x${s.toString(16)}`);
  for (const w of words(text)) {
    const p = status(call(dev, ch, 2, w).ecx);
    if (!(p & SUCCESS)) throw new Error(`SENDPAYLOAD failed: 0x${p.toString(16)}`);
  }
  return s;
}

/** RECVSIZE + RECVPAYLOAD words + RECVSTATUS; undefined when nothing is waiting. */
export function receive(dev: VmwareBackdoor, ch: Chan): string | undefined {
  const sz = call(dev, ch, 3);
  if (!(status(sz.ecx) & DORECV)) return undefined;
  const len = sz.ebx;
  const ws: number[] = [];
  for (let i = 0; i < len; i += 4) {
    const p = call(dev, ch, 4, 1);
    if (!(status(p.ecx) & SUCCESS)) throw new Error('RECVPAYLOAD failed');
    ws.push(p.ebx);
  }
  call(dev, ch, 5, 1);
  return fromWords(ws, len);
}

export function rpc(dev: VmwareBackdoor, ch: Chan, text: string): string | undefined {
  send(dev, ch, text);
  return receive(dev, ch);
}

export function close(dev: VmwareBackdoor, ch: Chan): number { return status(call(dev, ch, 6).ecx); }
