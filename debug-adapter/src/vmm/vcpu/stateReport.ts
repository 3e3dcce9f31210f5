// One-screen register dump for reports on triple faults, emulation failures and failed entries.
import type { Regs, Segment, Sregs } from '../cpu/registers';
import { cpuMode } from '../cpu/registers';

const hex = (v: bigint | number, width = 16) => v.toString(16).padStart(width, '0');

function seg(name: string, s: Segment): string {
  return `${name.toUpperCase().padEnd(3)}=${hex(s.selector, 4)} base=${hex(s.base)} limit=${hex(s.limit, 8)} `
    + `type=${s.type.toString(16)} dpl=${s.dpl} p=${s.present} db=${s.db} l=${s.l} g=${s.g}`;
}

export function formatRegisterDump(regs: Regs, sregs: Sregs): string {
  const r = regs;
  const lines = [
    `mode: ${cpuMode(sregs, regs.rflags)}`,
    `RAX=${hex(r.rax)} RBX=${hex(r.rbx)} RCX=${hex(r.rcx)} RDX=${hex(r.rdx)}`,
    `RSI=${hex(r.rsi)} RDI=${hex(r.rdi)} RBP=${hex(r.rbp)} RSP=${hex(r.rsp)}`,
    `R8 =${hex(r.r8)} R9 =${hex(r.r9)} R10=${hex(r.r10)} R11=${hex(r.r11)}`,
    `R12=${hex(r.r12)} R13=${hex(r.r13)} R14=${hex(r.r14)} R15=${hex(r.r15)}`,
    `RIP=${hex(r.rip)} RFLAGS=${hex(r.rflags, 8)}`,
    ...(['cs', 'ds', 'es', 'fs', 'gs', 'ss', 'tr', 'ldt'] as const).map((n) => seg(n, sregs[n])),
    `GDT=${hex(sregs.gdt.base)} limit=${hex(sregs.gdt.limit, 4)}  IDT=${hex(sregs.idt.base)} limit=${hex(sregs.idt.limit, 4)}`,
    `CR0=${hex(sregs.cr0, 8)} CR2=${hex(sregs.cr2)} CR3=${hex(sregs.cr3)} CR4=${hex(sregs.cr4, 8)} EFER=${hex(sregs.efer, 8)}`,
  ];
  return lines.join('\n');
}
