// Pins every KVM struct size, field offset, ioctl number and constant the project uses to the machine's <linux/kvm.h>.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import koffi = require('koffi');
import * as C from '../../../native/src/kvm/constants';
import { IOCTL_NAMES } from '../../../native/src/kvm/ioctls';
import { RUN } from '../../../native/src/kvm/kvmRun';
import * as S from '../../../native/src/kvm/structs';

/** Field offsets checked in addition to every struct size. */
const OFFSETS: [string, string, string, koffi.TypeObject][] = [
  ['kvm_run', 'immediate_exit', 'immediate_exit', S.KvmRun],
  ['kvm_run', 'exit_reason', 'exit_reason', S.KvmRun],
  ['kvm_run', 'if_flag', 'if_flag', S.KvmRun],
  ['kvm_run', 'cr8', 'cr8', S.KvmRun],
  ['kvm_run', 'kvm_valid_regs', 'kvm_valid_regs', S.KvmRun],
  ['kvm_run', 'kvm_dirty_regs', 'kvm_dirty_regs', S.KvmRun],
  ['kvm_run', 's', 's', S.KvmRun],
  ['kvm_regs', 'rip', 'rip', S.KvmRegs],
  ['kvm_regs', 'rflags', 'rflags', S.KvmRegs],
  ['kvm_segment', 'selector', 'selector', S.KvmSegment],
  ['kvm_segment', 'unusable', 'unusable', S.KvmSegment],
  ['kvm_sregs', 'gdt', 'gdt', S.KvmSregs],
  ['kvm_sregs', 'cr0', 'cr0', S.KvmSregs],
  ['kvm_sregs', 'efer', 'efer', S.KvmSregs],
  ['kvm_sregs', 'apic_base', 'apic_base', S.KvmSregs],
  ['kvm_sregs', 'interrupt_bitmap', 'interrupt_bitmap', S.KvmSregs],
  ['kvm_vcpu_events', 'sipi_vector', 'sipi_vector', S.KvmVcpuEvents],
  ['kvm_vcpu_events', 'exception_payload', 'exception_payload', S.KvmVcpuEvents],
  ['kvm_sync_regs', 'sregs', 'sregs', S.KvmSyncRegs],
  ['kvm_sync_regs', 'events', 'events', S.KvmSyncRegs],
  ['kvm_guest_debug', 'arch', 'debugreg', S.KvmGuestDebug],
  ['kvm_fpu', 'xmm', 'xmm', S.KvmFpu],
  ['kvm_fpu', 'mxcsr', 'mxcsr', S.KvmFpu],
  ['kvm_debugregs', 'dr7', 'dr7', S.KvmDebugregs],
  ['kvm_translation', 'valid', 'valid', S.KvmTranslation],
  ['kvm_dirty_log', 'dirty_bitmap', 'dirty_bitmap', S.KvmDirtyLog],
  ['kvm_cpuid_entry2', 'edx', 'edx', S.KvmCpuidEntry2],
  ['kvm_msr_entry', 'data', 'data', S.KvmMsrEntry],
  ['kvm_userspace_memory_region', 'userspace_addr', 'userspace_addr', S.KvmUserspaceMemoryRegion],
];

/** Exit-union members, checked as offsets inside kvm_run. */
const RUN_OFFSETS: [string, number][] = [
  ['io.direction', RUN.io.direction], ['io.size', RUN.io.size], ['io.port', RUN.io.port], ['io.count', RUN.io.count],
  ['io.data_offset', RUN.io.dataOffset], ['mmio.phys_addr', RUN.mmio.physAddr], ['mmio.data', RUN.mmio.data],
  ['mmio.len', RUN.mmio.len], ['mmio.is_write', RUN.mmio.isWrite], ['debug.arch.exception', RUN.debug.exception],
  ['debug.arch.pc', RUN.debug.pc], ['debug.arch.dr6', RUN.debug.dr6], ['debug.arch.dr7', RUN.debug.dr7],
  ['internal.suberror', RUN.internal.suberror], ['internal.ndata', RUN.internal.ndata], ['internal.data', RUN.internal.data],
  ['system_event.type', RUN.systemEvent.type], ['hypercall.nr', RUN.hypercall.nr], ['hypercall.ret', RUN.hypercall.ret],
  ['fail_entry.hardware_entry_failure_reason', RUN.failEntry.reason], ['s.regs.regs', RUN.syncRegs],
  ['s.regs.sregs', RUN.syncSregs], ['s.regs.events', RUN.syncEvents],
];

const CONSTANTS: [string, number][] = [
  ...Object.entries(C.KVM_EXIT).map(([k, v]) => [`KVM_EXIT_${k}`, v] as [string, number]),
  ...Object.entries(C.KVM_CAP).map(([k, v]) => [`KVM_CAP_${k}`, v] as [string, number]),
  ...Object.entries(C.KVM_GUESTDBG).map(([k, v]) => [`KVM_GUESTDBG_${k}`, v] as [string, number]),
  ...Object.entries(C.KVM_MP_STATE).map(([k, v]) => [`KVM_MP_STATE_${k}`, v] as [string, number]),
  ...Object.entries(C.KVM_SYNC_X86).map(([k, v]) => [`KVM_SYNC_X86_${k}`, v] as [string, number]),
  ['KVM_INTERNAL_ERROR_EMULATION', C.KVM_INTERNAL_ERROR.EMULATION], ['KVM_SYSTEM_EVENT_RESET', C.KVM_SYSTEM_EVENT.RESET],
  ['KVM_SYSTEM_EVENT_SHUTDOWN', C.KVM_SYSTEM_EVENT.SHUTDOWN], ['KVM_MEM_LOG_DIRTY_PAGES', C.KVM_MEM_LOG_DIRTY_PAGES],
  ['KVM_MEM_READONLY', C.KVM_MEM_READONLY], ['KVM_API_VERSION', C.KVM_API_VERSION],
  ['KVM_EXIT_IO_IN', C.KVM_EXIT_IO_IN], ['KVM_EXIT_IO_OUT', C.KVM_EXIT_IO_OUT],
];

function probeProgram(): string {
  const lines: string[] = [];
  const out = (key: string, expr: string) => lines.push(`  printf("%s %llu\\n", "${key}", (unsigned long long)(${expr}));`);
  for (const name of Object.keys(S.ALL_STRUCTS)) out(`sizeof:${name}`, `sizeof(struct ${name})`);
  for (const [st, cField] of OFFSETS) out(`offsetof:${st}.${cField}`, `offsetof(struct ${st}, ${cField})`);
  for (const [path] of RUN_OFFSETS) out(`run:${path}`, `offsetof(struct kvm_run, ${path})`);
  for (const name of Object.keys(IOCTL_NAMES)) out(`ioctl:${name}`, name);
  for (const [name] of CONSTANTS) out(`const:${name}`, name);
  return ['#include <stdio.h>', '#include <stddef.h>', '#include <linux/kvm.h>', 'int main(void) {', ...lines, '  return 0;', '}', ''].join('\n');
}

describe('native KVM layout against <linux/kvm.h>', function () {
  this.timeout(60000);
  let facts: Map<string, number>;

  before(function () {
    const dir = mkdtempSync(join(tmpdir(), 'kvmlab-layout-'));
    try {
      writeFileSync(join(dir, 'probe.c'), probeProgram());
      execFileSync('gcc', ['-o', join(dir, 'probe'), join(dir, 'probe.c')], { stdio: 'pipe' });
      const text = execFileSync(join(dir, 'probe'), { encoding: 'utf8' });
      facts = new Map(text.trim().split('\n').map((l) => { const [k, v] = l.split(' '); return [k, Number(v)]; }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('struct sizes match', () => {
    for (const [name, type] of Object.entries(S.ALL_STRUCTS)) {
      assert.equal(koffi.sizeof(type), facts.get(`sizeof:${name}`), `sizeof(struct ${name})`);
    }
  });

  it('field offsets match', () => {
    for (const [st, cField, koffiField, type] of OFFSETS) {
      assert.equal(koffi.offsetof(type, koffiField), facts.get(`offsetof:${st}.${cField}`), `offsetof(${st}, ${cField})`);
    }
  });

  it('kvm_run exit-union and sync_regs offsets match', () => {
    for (const [path, ours] of RUN_OFFSETS) assert.equal(ours, facts.get(`run:${path}`), `offsetof(kvm_run, ${path})`);
  });

  it('ioctl numbers match', () => {
    for (const [name, ours] of Object.entries(IOCTL_NAMES)) assert.equal(ours, facts.get(`ioctl:${name}`), name);
    assert.equal(IOCTL_NAMES.KVM_RUN, 0xae80);
    assert.equal(IOCTL_NAMES.KVM_GET_REGS, 0x8090ae81);
  });

  it('constants match', () => {
    for (const [name, ours] of CONSTANTS) assert.equal(ours, facts.get(`const:${name}`), name);
  });
});
