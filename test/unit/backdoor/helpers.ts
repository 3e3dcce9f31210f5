// Test helpers for the backdoor: a device with fixed clocks, and one-call LB accesses through a fake register file.
import { fakeRegisterAccess } from '../../../debug-adapter/src/vmm/bus/busDevice';
import type { Regs } from '../../../debug-adapter/src/vmm/cpu/registers';
import { VmwareBackdoor } from '../../../debug-adapter/src/devices/vmwareBackdoor/backdoor';
import type { BackdoorClock, BackdoorConfig, BackdoorHooks } from '../../../debug-adapter/src/devices/vmwareBackdoor/config';
import type { BackdoorTraceEntry } from '../../../debug-adapter/src/devices/vmwareBackdoor/records';

export const MAGIC = 0x564d5868;
export const LB_PORT = 0x5658;
/** 2024-01-02T03:04:05.678901234Z */
export const FIXED_REALTIME_NS = 1704164645_678901234n;

/** Realtime fixed; monotonic advances by 100 ns per reading so durations are deterministic. */
export function fixedClock(): BackdoorClock {
  let t = 1_000_000;
  return { realtimeNs: () => FIXED_REALTIME_NS, monotonicNs: () => (t += 100) };
}

export const TEST_UUID = Uint8Array.from([0x56, 0x4d, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06]);

export function baseConfig(extra: Partial<BackdoorConfig> = {}): BackdoorConfig {
  return {
    memSizeMiB: 512, tscKhz: 2_596_142, uuid: TEST_UUID, clock: fixedClock(),
    screen: () => ({ width: 1280, height: 800 }), ...extra,
  };
}

export interface Harness {
  dev: VmwareBackdoor;
  records: BackdoorTraceEntry[];
  logs: string[];
}

export function makeBackdoor(extra: Partial<BackdoorConfig> = {}, hooks: BackdoorHooks = {}): Harness {
  const records: BackdoorTraceEntry[] = [];
  const logs: string[] = [];
  const dev = new VmwareBackdoor(baseConfig(extra), {
    recordSink: (r) => records.push(r), log: (t) => logs.push(t), ...hooks,
  });
  return { dev, records, logs };
}

export interface In32 { eax?: number; ebx?: number; ecx?: number; edx?: number; esi?: number; edi?: number; ebp?: number; rip?: bigint }

export function regsFrom(i: In32): Partial<Regs> {
  return {
    rax: BigInt((i.eax ?? MAGIC) >>> 0), rbx: BigInt((i.ebx ?? 0) >>> 0), rcx: BigInt((i.ecx ?? 0) >>> 0),
    rdx: BigInt((i.edx ?? LB_PORT) >>> 0), rsi: BigInt((i.esi ?? 0) >>> 0), rdi: BigInt((i.edi ?? 0) >>> 0),
    rbp: BigInt((i.ebp ?? 0) >>> 0), rip: i.rip ?? 0x1000n,
  };
}

export interface LbResult { eax: number; ebx: number; ecx: number; edx: number; esi: number; edi: number; ebp: number; data: Uint8Array; regs: Regs }

function low(v: bigint): number { return Number(v & 0xffffffffn); }

/** One IN (default) or OUT of `width` bytes at port 0x5658 with the given registers. */
export function lb(dev: VmwareBackdoor, i: In32, opts: { width?: number; out?: boolean; vcpuId?: number } = {}): LbResult {
  const access = fakeRegisterAccess(regsFrom(i));
  const data = new Uint8Array(opts.width ?? 4);
  const ctx = { vcpuId: opts.vcpuId ?? 0, address: LB_PORT, regs: access };
  if (opts.out) {
    data.set(new Uint8Array(new Uint32Array([i.eax ?? MAGIC]).buffer).subarray(0, data.length));
    dev.write(0, data, ctx);
  } else {
    dev.read(0, data, ctx);
  }
  const r = access.current;
  return {
    eax: low(r.rax), ebx: low(r.rbx), ecx: low(r.rcx), edx: low(r.rdx), esi: low(r.rsi), edi: low(r.rdi), ebp: low(r.rbp),
    data, regs: r,
  };
}

/** A command call: EAX = magic, ECX = (sub << 16) | cmd. */
export function cmd(dev: VmwareBackdoor, command: number, i: In32 = {}, sub = 0): LbResult {
  return lb(dev, { ...i, ecx: ((sub << 16) | command) >>> 0 });
}

/** Bytes of a text as little-endian 4-byte words (the LB payload encoding). */
export function words(text: string): number[] {
  const b = new TextEncoder().encode(text);
  const out: number[] = [];
  for (let i = 0; i < b.length; i += 4) {
    let v = 0;
    for (let k = 0; k < 4 && i + k < b.length; k++) v |= b[i + k] << (8 * k);
    out.push(v >>> 0);
  }
  return out;
}

export function fromWords(ws: number[], length: number): string {
  const b = new Uint8Array(ws.length * 4);
  ws.forEach((w, i) => new DataView(b.buffer).setUint32(i * 4, w, true));
  return new TextDecoder().decode(b.subarray(0, length));
}
