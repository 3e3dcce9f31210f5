// Debugger requests the worker serves while the vCPU is paused: breakpoints, run mode, memory, extra register state.
import { MSR } from '../../../../native/src/kvm/constants';
import { KvmDebugregs, KvmFpu } from '../../../../native/src/kvm/structs';
import koffi = require('koffi');
import type { Machine } from '../machine/machine';
import { readVirtual, writeVirtual } from '../memory/virtualMemory';
import { registerRequestHandlers } from '../vcpu/vmRequests';
import type { DebugStub } from './debugStub';
import { scancodesFor } from './keyboardInput';
import { PointerTranslator, type ScreenPointer } from './pointerInput';
import { STUB_OP, type BreakpointSpec, type ExtraState, type MemoryResult } from './stubTypes';

const XMM_COUNT = 16;
const XMM_BYTES = 16;
/** MSRs the Registers view lists; ones KVM refuses are simply absent. */
const SHOWN_MSRS = [MSR.EFER, MSR.STAR, MSR.LSTAR, MSR.CSTAR, MSR.SFMASK, MSR.FS_BASE, MSR.GS_BASE, MSR.KERNEL_GS_BASE, MSR.APIC_BASE];

function physical(m: Machine, gpa: bigint, length: number): { ok: true; gpa: number } | { ok: false; error: string } {
  const g = Number(gpa);
  if (!Number.isSafeInteger(g) || !m.memory.contains(g, length)) {
    return { ok: false, error: `guest physical 0x${gpa.toString(16)} (+${length}) is not backed by guest memory` };
  }
  return { ok: true, gpa: g };
}

function readMemory(m: Machine, a: { address: bigint; length: number; physical: boolean }, stub: DebugStub): MemoryResult {
  const r = readRaw(m, a);
  if (r.ok) stub.hideBreakpoints(r.bytes, a.address, a.physical);
  return r;
}

function readRaw(m: Machine, a: { address: bigint; length: number; physical: boolean }): MemoryResult {
  if (a.physical) {
    const p = physical(m, a.address, a.length);
    return p.ok ? { ok: true, bytes: m.memory.read(p.gpa, a.length) } : p;
  }
  const r = readVirtual(a.address, a.length, m.vcpu.getSregs(), m.memory);
  return r.ok ? r : { ok: false, error: r.reason };
}

function writeMemory(m: Machine, a: { address: bigint; bytes: Uint8Array; physical: boolean }): MemoryResult {
  if (a.physical) {
    const p = physical(m, a.address, a.bytes.length);
    if (!p.ok) return p;
    m.memory.write(p.gpa, a.bytes);
    return { ok: true, bytes: a.bytes };
  }
  const r = writeVirtual(a.address, a.bytes, m.vcpu.getSregs(), m.memory);
  return r.ok ? { ok: true, bytes: a.bytes } : { ok: false, error: r.reason };
}

function extraState(m: Machine): ExtraState {
  const dbg = m.vcpu.getStruct('KVM_GET_DEBUGREGS', KvmDebugregs);
  const dbOff = koffi.offsetof(KvmDebugregs, 'db');
  const fpu = m.vcpu.getStruct('KVM_GET_FPU', KvmFpu);
  const xmmOff = koffi.offsetof(KvmFpu, 'xmm');
  return {
    debugRegs: Array.from({ length: 4 }, (_, i) => dbg.readBigUInt64LE(dbOff + 8 * i)),
    dr6: dbg.readBigUInt64LE(koffi.offsetof(KvmDebugregs, 'dr6')),
    dr7: dbg.readBigUInt64LE(koffi.offsetof(KvmDebugregs, 'dr7')),
    xmm: Array.from({ length: XMM_COUNT }, (_, i) => new Uint8Array(fpu.subarray(xmmOff + i * XMM_BYTES, xmmOff + (i + 1) * XMM_BYTES))),
    mxcsr: fpu.readUInt32LE(koffi.offsetof(KvmFpu, 'mxcsr')),
    fcw: fpu.readUInt16LE(koffi.offsetof(KvmFpu, 'fcw')),
    fsw: fpu.readUInt16LE(koffi.offsetof(KvmFpu, 'fsw')),
    msrs: m.vcpu.getMsrs(SHOWN_MSRS),
  };
}

export function registerStubRequests(stub: DebugStub): void {
  const pointer = new PointerTranslator();
  registerRequestHandlers({
    [STUB_OP.pointer]: (m, a: ScreenPointer) => {
      if (!m.backdoor) throw new Error('the VMware backdoor is off in this VM, so there is no VMware mouse');
      if (!m.backdoor.pushPointerEvent(pointer.translate(a, m.backdoor.mouse.absolute))) {
        throw new Error('the guest has not enabled the VMware mouse (or is not draining its queue)');
      }
      return true;
    },
    [STUB_OP.setBreakpoints]: (_m, a: { specs: BreakpointSpec[] }) => stub.setBreakpoints(a.specs),
    [STUB_OP.setExceptionFilters]: (_m, a: { guestInt3: boolean }) => { stub.setStopOnGuestInt3(a.guestInt3); return true; },
    [STUB_OP.readMemory]: (m, a) => readMemory(m, a, stub),
    [STUB_OP.writeMemory]: writeMemory,
    [STUB_OP.extraState]: extraState,
    [STUB_OP.assign]: (_m, a: { text: string; value: bigint; symbols: Record<string, bigint> }) => stub.assign(a.text, a.value, a.symbols),
    [STUB_OP.evaluate]: (_m, a: { text: string; symbols: Record<string, bigint> }) => stub.evaluate(a.text, a.symbols),
    [STUB_OP.sendTclo]: (m, a: { command: string }) => {
      if (!m.backdoor) throw new Error('the VMware backdoor is off in this VM, so there is no tools channel to send to');
      if (!m.backdoor.queueTclo(a.command)) throw new Error(`the TCLO command '${a.command}' was not queued (the queue is full)`);
      return true;
    },
    [STUB_OP.keyFrame]: (m) => m.display?.keyFrame(),
    [STUB_OP.key]: (m, a: { code: string; down: boolean }) => {
      const bytes = scancodesFor(a.code, a.down);
      if (!bytes) throw new Error(`key '${a.code}' has no PS/2 scan code`);
      return m.i8042.pushScancodes(bytes) === bytes.length;
    },
    [STUB_OP.translate]: (m, a: { address: bigint }) => {
      const r = readVirtual(a.address, 1, m.vcpu.getSregs(), m.memory);
      return r.ok ? true : r.reason;
    },
  });
}
