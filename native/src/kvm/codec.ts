// Converts kvm_regs / kvm_sregs / kvm_segment bytes to and from the project's plain register types, by struct offsets.
import koffi = require('koffi');
import type { DescriptorTable, Regs, Segment, Sregs } from '../../../debug-adapter/src/vmm/cpu/registers';
import { KvmDtable, KvmRegs, KvmSegment, KvmSregs } from './structs';

const REG_NAMES = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rsp', 'rbp', 'r8', 'r9', 'r10', 'r11',
  'r12', 'r13', 'r14', 'r15', 'rip', 'rflags'] as const;
const REG_OFFSETS = REG_NAMES.map((n) => koffi.offsetof(KvmRegs, n));
/** Byte offset of each named register inside kvm_regs (and inside the sync_regs copy of it). */
export const REG_OFFSET: Record<keyof Regs, number> =
  Object.fromEntries(REG_NAMES.map((n, i) => [n, REG_OFFSETS[i]])) as Record<keyof Regs, number>;

const SEG = {
  base: koffi.offsetof(KvmSegment, 'base'), limit: koffi.offsetof(KvmSegment, 'limit'),
  selector: koffi.offsetof(KvmSegment, 'selector'), type: koffi.offsetof(KvmSegment, 'type'),
  present: koffi.offsetof(KvmSegment, 'present'), dpl: koffi.offsetof(KvmSegment, 'dpl'),
  db: koffi.offsetof(KvmSegment, 'db'), s: koffi.offsetof(KvmSegment, 's'), l: koffi.offsetof(KvmSegment, 'l'),
  g: koffi.offsetof(KvmSegment, 'g'), avl: koffi.offsetof(KvmSegment, 'avl'),
  unusable: koffi.offsetof(KvmSegment, 'unusable'),
};
const DT = { base: koffi.offsetof(KvmDtable, 'base'), limit: koffi.offsetof(KvmDtable, 'limit') };
const SEGMENT_NAMES = ['cs', 'ds', 'es', 'fs', 'gs', 'ss', 'tr', 'ldt'] as const;
/** Byte offset of each kvm_sregs field. */
export const SREG_OFF = Object.fromEntries(
  [...SEGMENT_NAMES, 'gdt', 'idt', 'cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'efer', 'apic_base', 'interrupt_bitmap']
    .map((n) => [n, koffi.offsetof(KvmSregs, n)]),
) as Record<string, number>;

export const REGS_SIZE = koffi.sizeof(KvmRegs);
export const SREGS_SIZE = koffi.sizeof(KvmSregs);

export function decodeRegs(buf: Buffer, at = 0): Regs {
  const r = {} as Regs;
  for (let i = 0; i < REG_NAMES.length; i++) r[REG_NAMES[i]] = buf.readBigUInt64LE(at + REG_OFFSETS[i]);
  return r;
}

export function encodeRegs(buf: Buffer, regs: Partial<Regs>, at = 0): void {
  for (let i = 0; i < REG_NAMES.length; i++) {
    const v = regs[REG_NAMES[i]];
    if (v !== undefined) buf.writeBigUInt64LE(BigInt.asUintN(64, v), at + REG_OFFSETS[i]);
  }
}

function decodeSegment(buf: Buffer, at: number): Segment {
  return {
    base: buf.readBigUInt64LE(at + SEG.base), limit: buf.readUInt32LE(at + SEG.limit),
    selector: buf.readUInt16LE(at + SEG.selector), type: buf[at + SEG.type], present: buf[at + SEG.present],
    dpl: buf[at + SEG.dpl], db: buf[at + SEG.db], s: buf[at + SEG.s], l: buf[at + SEG.l], g: buf[at + SEG.g],
    avl: buf[at + SEG.avl], unusable: buf[at + SEG.unusable],
  };
}

function encodeSegment(buf: Buffer, at: number, s: Segment): void {
  buf.writeBigUInt64LE(BigInt.asUintN(64, s.base), at + SEG.base);
  buf.writeUInt32LE(s.limit >>> 0, at + SEG.limit);
  buf.writeUInt16LE(s.selector & 0xffff, at + SEG.selector);
  buf[at + SEG.type] = s.type; buf[at + SEG.present] = s.present; buf[at + SEG.dpl] = s.dpl;
  buf[at + SEG.db] = s.db; buf[at + SEG.s] = s.s; buf[at + SEG.l] = s.l; buf[at + SEG.g] = s.g;
  buf[at + SEG.avl] = s.avl; buf[at + SEG.unusable] = s.unusable;
}

function decodeDtable(buf: Buffer, at: number): DescriptorTable {
  return { base: buf.readBigUInt64LE(at + DT.base), limit: buf.readUInt16LE(at + DT.limit) };
}

function encodeDtable(buf: Buffer, at: number, d: DescriptorTable): void {
  buf.writeBigUInt64LE(BigInt.asUintN(64, d.base), at + DT.base);
  buf.writeUInt16LE(d.limit & 0xffff, at + DT.limit);
}

export function decodeSregs(buf: Buffer, at = 0): Sregs {
  const seg = (n: string) => decodeSegment(buf, at + SREG_OFF[n]);
  const u64 = (n: string) => buf.readBigUInt64LE(at + SREG_OFF[n]);
  return {
    cs: seg('cs'), ds: seg('ds'), es: seg('es'), fs: seg('fs'), gs: seg('gs'), ss: seg('ss'), tr: seg('tr'), ldt: seg('ldt'),
    gdt: decodeDtable(buf, at + SREG_OFF.gdt), idt: decodeDtable(buf, at + SREG_OFF.idt),
    cr0: u64('cr0'), cr2: u64('cr2'), cr3: u64('cr3'), cr4: u64('cr4'), cr8: u64('cr8'), efer: u64('efer'),
    apicBase: u64('apic_base'),
  };
}

/** Writes the given fields over an existing kvm_sregs image (read-modify-write keeps the interrupt bitmap). */
export function encodeSregs(buf: Buffer, sregs: Partial<Sregs>, at = 0): void {
  for (const n of SEGMENT_NAMES) { const s = sregs[n]; if (s) encodeSegment(buf, at + SREG_OFF[n], s); }
  if (sregs.gdt) encodeDtable(buf, at + SREG_OFF.gdt, sregs.gdt);
  if (sregs.idt) encodeDtable(buf, at + SREG_OFF.idt, sregs.idt);
  const put = (n: string, v: bigint | undefined) => {
    if (v !== undefined) buf.writeBigUInt64LE(BigInt.asUintN(64, v), at + SREG_OFF[n]);
  };
  put('cr0', sregs.cr0); put('cr2', sregs.cr2); put('cr3', sregs.cr3); put('cr4', sregs.cr4);
  put('cr8', sregs.cr8); put('efer', sregs.efer); put('apic_base', sregs.apicBase);
}
