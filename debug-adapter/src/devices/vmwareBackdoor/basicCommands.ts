// Backdoor commands that answer machine facts and host time: version, frequencies, memory, UUID, screen, clocks.
import { CMD } from './commands';
import {
  BDOOR_MAGIC, BDOOR_UNSUPPORTED, BDOOR_VERSION, MEMSIZE_EBX, STEALCLOCK_NOT_AVAILABLE, VCPU_INFO_LEGACY_X2APIC,
} from './constants';
import type { ResolvedConfig } from './config';
import type { DecodedCall } from './records';
import type { Out32, Regs32 } from './registers32';

export interface CommandResult { out: Out32; decoded?: DecodedCall }
export type CommandHandler = (r: Regs32) => CommandResult;

/** Mutable state a few of these commands keep (it survives for the life of the VM). */
export interface BasicState { guiOptions: number }

const MIB = 1024 * 1024;
const NS_PER_S = 1_000_000_000n;
const NS_PER_US = 1000n;
const TWO32 = 0x1_0000_0000;
const MASK16 = 0xffff;
/** PRECISIONCLOCK subcommands (ECX high 16). */
const PRECISIONCLOCK_GETTIME = 0;

const UNSUPPORTED: CommandResult = { out: { eax: BDOOR_UNSUPPORTED }, decoded: { unsupported: true } };

function hostTime(cfg: ResolvedConfig): { seconds: bigint; micros: number } {
  const ns = cfg.clock.realtimeNs();
  return { seconds: ns / NS_PER_S, micros: Number((ns % NS_PER_S) / NS_PER_US) };
}

/** The handlers keyed by command number. */
export function createBasicCommands(cfg: ResolvedConfig, state: BasicState): Map<number, CommandHandler> {
  const m = new Map<number, CommandHandler>();

  m.set(CMD.GETVERSION, () => ({ out: { eax: BDOOR_VERSION, ebx: BDOOR_MAGIC, ecx: cfg.productType } }));

  m.set(CMD.GETMHZ, () => (cfg.tscKhz === 0 ? UNSUPPORTED : { out: { eax: Math.round(cfg.tscKhz / 1000) } }));

  // Linux pre-loads EBX with all ones and treats it still being there as "no frequency": keep it on failure.
  m.set(CMD.GETHZ, () => {
    if (cfg.tscKhz === 0) return UNSUPPORTED;
    const hz = cfg.tscKhz * 1000;
    return { out: { eax: hz % TWO32, ebx: Math.floor(hz / TWO32), ecx: (cfg.busKhz * 1000) % TWO32 } };
  });

  m.set(CMD.GET_VCPU_INFO, () => ({ out: { eax: cfg.x2apic ? VCPU_INFO_LEGACY_X2APIC : 0 } }));

  // QEMU's answer: bytes truncated to 32 bits plus a fixed EBX (some sources say MiB; QEMU is the one we can check).
  m.set(CMD.GETMEMSIZE, () => ({ out: { eax: (cfg.memSizeMiB * MIB) % TWO32, ebx: MEMSIZE_EBX } }));

  m.set(CMD.GETUUID, () => {
    const v = new DataView(cfg.uuid.buffer, cfg.uuid.byteOffset, 16);
    return { out: { eax: v.getUint32(0, true), ebx: v.getUint32(4, true), ecx: v.getUint32(8, true), edx: v.getUint32(12, true) } };
  });

  m.set(CMD.GETSCREENSIZE, () => {
    const s = cfg.screen();
    const w = Math.max(0, Math.min(MASK16, Math.floor(s.width)));
    const h = Math.max(0, Math.min(MASK16, Math.floor(s.height)));
    return { out: { eax: ((w << 16) | h) >>> 0 } };
  });

  m.set(CMD.GETHWVERSION, () => ({ out: { eax: cfg.hwVersion, ebx: BDOOR_MAGIC } }));

  m.set(CMD.GETGUIOPTIONS, () => ({ out: { eax: state.guiOptions } }));
  m.set(CMD.SETGUIOPTIONS, (r) => { state.guiOptions = r.ebx; return { out: {} }; });

  m.set(CMD.GETTIME, () => {
    const t = hostTime(cfg);
    return { out: { eax: Number(t.seconds % BigInt(TWO32)), ebx: t.micros, ecx: cfg.maxTimeLagUs, edx: cfg.utcOffsetMinutes >>> 0 } };
  });

  // Success is signalled by EAX still holding the magic.
  const timeFull = (withLag: boolean): CommandHandler => () => {
    const t = hostTime(cfg);
    const out: Out32 = {
      eax: BDOOR_MAGIC, edx: Number(t.seconds % BigInt(TWO32)), esi: Number(t.seconds / BigInt(TWO32)),
      ebx: t.micros, ecx: cfg.maxTimeLagUs,
    };
    if (withLag) out.edi = 0;
    return { out };
  };
  m.set(CMD.GETTIMEFULL, timeFull(false));
  m.set(CMD.GETTIMEFULL_WITH_LAG, timeFull(true));

  m.set(CMD.STOPCATCHUP, () => ({ out: {} }));

  // No steal-time accounting: answer "not available" so Linux does not register per-CPU areas.
  m.set(CMD.STEALCLOCK, () => ({ out: { eax: STEALCLOCK_NOT_AVAILABLE }, decoded: { note: 'steal clock not available' } }));

  m.set(CMD.PRECISIONCLOCK, (r) => {
    const sub = r.ecx >>> 16;
    if (sub !== PRECISIONCLOCK_GETTIME) return { out: { eax: BDOOR_UNSUPPORTED }, decoded: { type: `SUB_${sub}`, unsupported: true } };
    const ns = BigInt.asUintN(64, cfg.clock.realtimeNs());
    return { out: { eax: 0, ebx: Number(ns >> 32n), ecx: Number(ns & 0xffffffffn) }, decoded: { type: 'GETTIME' } };
  });

  return m;
}
