// What the backdoor answers with (machine facts, clocks, guestinfo) and the host hooks it reports to.
import type { RecordSink } from './records';
import { PRODUCT_ESX } from './constants';

export interface ScreenSize { width: number; height: number }

export interface BackdoorClock {
  /** Host UTC time in nanoseconds since the Unix epoch (GETTIME, GETTIMEFULL, PRECISIONCLOCK). */
  realtimeNs(): bigint;
  /** A monotonic nanosecond counter for trace timestamps and durations. */
  monotonicNs(): number;
}

/** The host's clocks (tests inject fixed ones). */
export const systemClock: BackdoorClock = {
  realtimeNs: () => BigInt(Date.now()) * 1_000_000n,
  monotonicNs: () => Number(process.hrtime.bigint()),
};

export interface BackdoorConfig {
  memSizeMiB: number;
  /** Guest TSC frequency in kHz (GETHZ, GETMHZ, CPUID 0x40000010); 0 means unknown and GETHZ is unsupported. */
  tscKhz: number;
  /** Local APIC timer (bus) frequency in kHz; KVM's APIC bus runs at 1 GHz. */
  busKhz?: number;
  /** BIOS UUID bytes in written order (see deriveVmUuid). */
  uuid: Uint8Array;
  /** Current display size for GETSCREENSIZE. */
  screen?: () => ScreenSize;
  clock?: BackdoorClock;
  /** guestinfo values the host provides; keys with or without the "guestinfo." prefix. */
  guestinfo?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
  /** GETVERSION ECX (default 2, ESX, as QEMU reports). */
  productType?: number;
  /** GETHWVERSION EAX (virtual hardware version). */
  hwVersion?: number;
  /** Whether the guest CPUID has x2APIC (GET_VCPU_INFO LEGACY_X2APIC, as QEMU answers). */
  x2apic?: boolean;
  /** Advertise high-bandwidth payloads in MESSAGE statuses (default true, as VMware does). */
  offerHighBandwidth?: boolean;
  /** GETTIME/GETTIMEFULL maximum time lag in microseconds. */
  maxTimeLagUs?: number;
  /** GETTIME EDX: host UTC offset in minutes, east positive. */
  utcOffsetMinutes?: number;
  /** Initial GETGUIOPTIONS bits. */
  guiOptions?: number;
  /** Source of channel cookies (unsigned 32-bit values); tests inject a fixed sequence. */
  cookieSource?: () => number;
}

/** Hooks the VMM and UI attach; all are optional and may be called on the vCPU thread. */
export interface BackdoorHooks {
  /** Receives every trace entry (calls and reassembled GuestRPC messages). */
  recordSink?: RecordSink;
  /** RPCI "log <text>" from the guest. */
  log?: (text: string, channel: number) => void;
  onGuestInfoSet?: (key: string, value: string) => void;
  /** A guest reply to a host TCLO command. */
  onTcloReply?: (reply: { channel: number; channelName?: string; command: string; reply: string }) => void;
  /** A vmmouse event was queued: the i8042 model should now raise a PS/2 mouse packet (IRQ12). */
  onPointerEventQueued?: () => void;
  /** The guest finished sending its clipboard text over the legacy commands. */
  onGuestClipboard?: (text: string) => void;
}

export interface ResolvedConfig extends Required<Omit<BackdoorConfig, 'guestinfo' | 'screen'>> {
  screen: () => ScreenSize;
  guestinfo: ReadonlyMap<string, string>;
}

export const DEFAULT_BUS_KHZ = 1_000_000;
const DEFAULT_HW_VERSION = 14;
const DEFAULT_SCREEN: ScreenSize = { width: 1024, height: 768 };

function randomCookie(): number { return Math.floor(Math.random() * 0x1_0000_0000) >>> 0; }

function checkCount(name: string, v: number, allowZero: boolean): void {
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0) || Math.floor(v) !== v) {
    throw new Error(`backdoor ${name} ${v} is invalid: expected a ${allowZero ? 'non-negative' : 'positive'} integer`);
  }
}

/** Check the configuration and fill defaults; throws one line naming the bad setting. */
export function resolveConfig(c: BackdoorConfig): ResolvedConfig {
  checkCount('memSizeMiB', c.memSizeMiB, false);
  checkCount('tscKhz', c.tscKhz, true);
  if (c.busKhz !== undefined) checkCount('busKhz', c.busKhz, false);
  if (!(c.uuid instanceof Uint8Array) || c.uuid.length !== 16) {
    throw new Error(`backdoor uuid has ${c.uuid?.length ?? 0} bytes: expected 16`);
  }
  const gi = new Map<string, string>();
  const entries = c.guestinfo instanceof Map ? [...c.guestinfo] : Object.entries(c.guestinfo ?? {});
  for (const [k, v] of entries) gi.set(k.startsWith('guestinfo.') ? k : `guestinfo.${k}`, String(v));
  return {
    memSizeMiB: c.memSizeMiB,
    tscKhz: c.tscKhz,
    busKhz: c.busKhz ?? DEFAULT_BUS_KHZ,
    uuid: c.uuid.slice(),
    screen: c.screen ?? (() => DEFAULT_SCREEN),
    clock: c.clock ?? systemClock,
    guestinfo: gi,
    productType: c.productType ?? PRODUCT_ESX,
    hwVersion: c.hwVersion ?? DEFAULT_HW_VERSION,
    x2apic: c.x2apic ?? false,
    offerHighBandwidth: c.offerHighBandwidth ?? true,
    maxTimeLagUs: c.maxTimeLagUs ?? 0,
    utcOffsetMinutes: c.utcOffsetMinutes ?? 0,
    guiOptions: c.guiOptions ?? 0,
    cookieSource: c.cookieSource ?? randomCookie,
  };
}
