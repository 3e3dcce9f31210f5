// The VMware backdoor device: port 0x5658 as a BusDevice, plus HB string transfers and hypercalls for the VMM.
import type { Regs } from '../../vmm/cpu/registers';
import type { AccessContext, BusDevice } from '../../vmm/bus/busDevice';
import { createBasicCommands, type BasicState, type CommandHandler, type CommandResult } from './basicCommands';
import { LegacyClipboard } from './clipboard';
import { CMD, commandName, type RpcProtocol } from './commands';
import { resolveConfig, type BackdoorConfig, type BackdoorHooks, type ResolvedConfig } from './config';
import { BDOOR_FLAGS_HB, BDOOR_FLAGS_WRITE, BDOOR_MAGIC, BDOOR_UNSUPPORTED } from './constants';
import { GuestRpc } from './guestRpc';
import { hbTransfer, type HbDirection, type VirtualMemoryAccess } from './highBandwidth';
import { clipText, type BackdoorRecord, type BackdoorTransport, type DecodedCall, type RecordSink, type RpcRecord } from './records';
import { after, outToPatch, regs32, type Out32, type Regs32 } from './registers32';
import { RpciHandler } from './rpci';
import { VmMouse, type PointerEvent } from './vmmouse';

export interface BackdoorCallResult {
  /** Registers to apply before the guest resumes (the VMM completes and skips the instruction). */
  regs: Partial<Regs>;
  record: BackdoorRecord;
}

export interface BackdoorStats {
  channels: number;
  tcloQueue: number;
  tcloChannels: string[];
  bufferedBytes: number;
  largestMessage: number;
  mouseQueueWords: number;
  guestInfoKeys: number;
  capabilities: number;
  clipboardBytes: number;
}

const LB_WIDTH = 4;
const EMPTY_PORT = 0xff;
const LOW16 = 0xffff;
const NO_COMMAND = -1;

const UNSUPPORTED: CommandResult = Object.freeze({ out: Object.freeze({ eax: BDOOR_UNSUPPORTED }), decoded: Object.freeze({ unsupported: true }) });
const WRONG_MAGIC: CommandResult = Object.freeze({ out: Object.freeze({ eax: BDOOR_UNSUPPORTED }), decoded: Object.freeze({ note: 'wrong magic' }) });

/** Memory access for a hypercall made without one: every access fails. */
const NO_MEMORY: VirtualMemoryAccess = {
  read: () => ({ ok: false, reason: 'no guest memory access for this call' }),
  write: () => ({ ok: false, reason: 'no guest memory access for this call' }),
};

/** Hooks are host code: a throwing hook must not turn into a failed guest instruction. */
function guard<A extends unknown[]>(fn: ((...args: A) => void) | undefined): ((...args: A) => void) | undefined {
  if (!fn) return undefined;
  return (...args: A) => { try { fn(...args); } catch { /* reported by the hook's owner, not the guest */ } };
}

/**
 * Wrong magic and unknown commands answer EAX = 0xFFFFFFFF and leave every other register alone, as QEMU does
 * with its default "signal unsupported command" setting; guests that probe for the backdoor test exactly that.
 */
export class VmwareBackdoor implements BusDevice {
  readonly label = 'vmware-backdoor@0x5658';
  /** Port 0x5659 for plain (non-string) IN/OUT, which carries no command: it reads as an empty port. */
  readonly hbPort: BusDevice;
  readonly mouse: VmMouse;
  readonly rpci: RpciHandler;
  readonly clipboard: LegacyClipboard;
  readonly config: ResolvedConfig;
  private readonly rpc: GuestRpc;
  private readonly handlers: Map<number, CommandHandler>;
  private readonly basic: BasicState;
  private readonly sink: RecordSink | undefined;
  private readonly origin: number;
  private seq = 0;
  private readonly pendingRpc: Omit<RpcRecord, 'seq' | 'timeNs'>[] = [];

  constructor(config: BackdoorConfig, hooks: BackdoorHooks = {}) {
    this.config = resolveConfig(config);
    this.sink = guard(hooks.recordSink);
    this.origin = this.config.clock.monotonicNs();
    this.basic = { guiOptions: this.config.guiOptions };
    this.mouse = new VmMouse(guard(hooks.onPointerEventQueued));
    this.clipboard = new LegacyClipboard(guard(hooks.onGuestClipboard) ?? (() => {}));
    this.rpci = new RpciHandler(this.config.guestinfo, { log: guard(hooks.log), onGuestInfoSet: guard(hooks.onGuestInfoSet) });
    const onTcloReply = guard(hooks.onTcloReply);
    this.rpc = new GuestRpc({
      offerHighBandwidth: this.config.offerHighBandwidth,
      cookieSource: this.config.cookieSource,
      rpci: this.rpci,
      events: {
        conversation: (channel, protocol, direction, text) => this.noteRpc(channel, protocol, direction, text),
        tcloReply: (reply) => onTcloReply?.(reply),
      },
    });
    this.handlers = createBasicCommands(this.config, this.basic);
    this.addDeviceCommands();
    this.hbPort = {
      label: 'vmware-backdoor-hb@0x5659',
      read: (_offset, data, ctx) => { data.fill(EMPTY_PORT); this.noteNarrow(ctx, 'HB_PORT_IN', 'non-string access to the HB port reads as an empty port'); },
      write: (_offset, _data, ctx) => this.noteNarrow(ctx, 'HB_PORT_OUT', 'non-string access to the HB port is ignored'),
    };
  }

  /** IN from 0x5658: run the command and complete the read with EAX (also written to the register file). */
  read(_offset: number, data: Uint8Array, ctx: AccessContext): void {
    if (data.length !== LB_WIDTH) {
      data.fill(EMPTY_PORT);
      this.noteNarrow(ctx, 'NARROW_IN', `${data.length * 8}-bit IN reads as an empty port`);
      return;
    }
    const eax = this.lbAccess(ctx);
    data[0] = eax & 0xff;
    data[1] = (eax >>> 8) & 0xff;
    data[2] = (eax >>> 16) & 0xff;
    data[3] = eax >>> 24;
  }

  /** OUT to 0x5658 behaves like IN; the EAX result goes through the register file. */
  write(_offset: number, data: Uint8Array, ctx: AccessContext): void {
    if (data.length !== LB_WIDTH) {
      this.noteNarrow(ctx, 'NARROW_OUT', `${data.length * 8}-bit OUT is ignored`);
      return;
    }
    this.lbAccess(ctx);
  }

  /**
   * A REP OUTSB ('out') or REP INSB ('in') on port 0x5659, done in one go. The returned registers complete the
   * instruction (count register 0, pointer advanced, status in EBX high 16); the record also goes to recordSink.
   */
  handleHighBandwidth(dir: HbDirection, regs: Readonly<Regs>, mem: VirtualMemoryAccess, vcpuId = 0): BackdoorCallResult {
    const t0 = this.config.clock.monotonicNs();
    const x = hbTransfer(dir, regs, mem, this.rpc, true);
    const record = this.emitCall('hb', vcpuId, regs.rip, x.command, x.name, x.in32, x.out, x.decoded, t0);
    return { regs: x.patch, record };
  }

  /**
   * VMCALL/VMMCALL with EAX = magic: DX low 16 carries flags instead of the port (0 = LB, HB|WRITE = guest to
   * host, HB = host to guest). The returned registers include RAX, which the VMM hands back as the call's result.
   */
  handleHypercall(kind: 'vmcall' | 'vmmcall', regs: Readonly<Regs>, mem: VirtualMemoryAccess = NO_MEMORY, vcpuId = 0): BackdoorCallResult {
    const t0 = this.config.clock.monotonicNs();
    const flags = Number(regs.rdx & BigInt(LOW16));
    if (flags & BDOOR_FLAGS_HB) {
      const x = hbTransfer(flags & BDOOR_FLAGS_WRITE ? 'out' : 'in', regs, mem, this.rpc, false);
      const record = this.emitCall(kind, vcpuId, regs.rip, x.command, x.name, x.in32, x.out, x.decoded, t0);
      return { regs: { ...x.patch, rax: BigInt(x.in32.eax) }, record };
    }
    const r = regs32(regs);
    const res = this.dispatch(r);
    const command = r.ecx & LOW16;
    const record = this.emitCall(kind, vcpuId, regs.rip, command, commandName(command), r, res.out, res.decoded, t0);
    return { regs: outToPatch({ ...res.out, eax: after(r, res.out, 'eax') }), record };
  }

  /** Queue a pointer event for the vmmouse; false when the device is disabled or its queue is full. */
  pushPointerEvent(ev: PointerEvent): boolean { return this.mouse.push(ev); }

  /** Queue a host command for the guest's TCLO loop (optionally only for the channel named `target`). */
  queueTclo(text: string, target?: string): boolean { return this.rpc.queueTclo(text, target); }

  setHostClipboard(text: string): void { this.clipboard.setHostText(text); }

  /** A snapshot was restored under the guest: in-flight GuestRPC transfers are restarted with CPT. */
  markCheckpoint(): void { this.rpc.markCheckpoint(); }

  /** VM reset: channels, queues and the mouse go back to their power-on state. */
  reset(): void {
    this.rpc.reset();
    this.mouse.reset();
    this.basic.guiOptions = this.config.guiOptions;
  }

  guestInfo(key: string): string | undefined { return this.rpci.guestInfo(key); }

  stats(): BackdoorStats {
    const s = this.rpc.stats();
    return {
      channels: s.channels, tcloQueue: s.tcloQueue, tcloChannels: s.tcloNames, bufferedBytes: s.bufferedBytes,
      largestMessage: s.largestMessage, mouseQueueWords: this.mouse.queuedWords, guestInfoKeys: this.rpci.storedKeys,
      capabilities: this.rpci.capabilities.size, clipboardBytes: this.clipboard.heldBytes,
    };
  }

  private addDeviceCommands(): void {
    const h = this.handlers;
    h.set(CMD.MESSAGE, (r) => this.rpc.message(r));
    h.set(CMD.ABSPOINTER_STATUS, () => ({ out: { eax: this.mouse.statusWord() } }));
    h.set(CMD.ABSPOINTER_DATA, (r) => {
      const words = this.mouse.data(r.ebx >>> 0);
      return words ? { out: words, decoded: { type: 'DATA' } } : { out: {}, decoded: { type: 'DATA', note: 'bad read: device disabled' } };
    });
    h.set(CMD.ABSPOINTER_COMMAND, (r) => ({ out: {}, decoded: { type: this.mouse.command(r.ebx) } }));
    h.set(CMD.ABSPOINTER_RESTRICT, (r) => { this.mouse.restrict(r.ebx); return { out: {} }; });
    h.set(CMD.GETSELLENGTH, () => ({ out: { eax: this.clipboard.length() } }));
    h.set(CMD.GETNEXTPIECE, () => ({ out: { eax: this.clipboard.nextPiece() } }));
    h.set(CMD.SETSELLENGTH, (r) => (this.clipboard.setLength(r.ebx >>> 0) ? { out: {} } : { out: {}, decoded: { note: 'selection too long' } }));
    h.set(CMD.SETNEXTPIECE, (r) => (this.clipboard.setPiece(r.ebx) ? { out: {} } : { out: {}, decoded: { note: 'no selection being sent' } }));
  }

  private dispatch(r: Regs32): CommandResult {
    if (r.eax !== BDOOR_MAGIC) return WRONG_MAGIC;
    return this.handlers.get(r.ecx & LOW16)?.(r) ?? UNSUPPORTED;
  }

  /** One 32-bit LB access: dispatch, write the outputs back, return the EAX the guest sees. */
  private lbAccess(ctx: AccessContext): number {
    const t0 = this.sink ? this.config.clock.monotonicNs() : 0;
    const regs = ctx.regs.get();
    const r = regs32(regs);
    const res = this.dispatch(r);
    const eax = after(r, res.out, 'eax');
    ctx.regs.set(outToPatch({ ...res.out, eax }));
    if (this.sink) {
      const command = r.ecx & LOW16;
      this.emitCall('lb', ctx.vcpuId, regs.rip, command, commandName(command), r, res.out, res.decoded, t0);
    }
    return eax;
  }

  private noteNarrow(ctx: AccessContext, name: string, note: string): void {
    if (!this.sink) return;
    const regs = ctx.regs.get();
    this.emitCall('lb', ctx.vcpuId, regs.rip, NO_COMMAND, name, regs32(regs), {}, { note }, this.config.clock.monotonicNs());
  }

  private noteRpc(channel: number, protocol: RpcProtocol, direction: RpcRecord['direction'], text: string): void {
    if (this.sink) this.pendingRpc.push({ type: 'rpc', channel, protocol, direction, text: clipText(text) });
  }

  /** Build the call record, hand it to the sink, then the GuestRPC messages the call completed. */
  private emitCall(
    transport: BackdoorTransport, vcpu: number, rip: bigint, command: number, name: string,
    r: Regs32, out: Out32, decoded: DecodedCall | undefined, t0: number,
  ): BackdoorRecord {
    const t1 = this.config.clock.monotonicNs();
    if (decoded?.text !== undefined) decoded.text = clipText(decoded.text);
    const record: BackdoorRecord = {
      type: 'call', seq: this.seq++, timeNs: t0 - this.origin, vcpu, rip, transport, command, name, in: r, out,
      ...(decoded ? { decoded } : {}), durationNs: t1 - t0,
    };
    this.sink?.(record);
    for (const p of this.pendingRpc) this.sink?.({ ...p, seq: this.seq++, timeNs: t1 - this.origin });
    this.pendingRpc.length = 0;
    return record;
  }
}
