// DWARF register numbers of i386 and x86-64 (System V psABI tables), and conversion to/from Regs.
import type { Regs } from '../../vmm/cpu/registers';

export type DwarfArch = 'i386' | 'x86-64';

/** x86-64 psABI DWARF numbering; index = register number, '' = unassigned. */
const X86_64_NAMES: string[] = (() => {
  const t: string[] = [];
  ['rax', 'rdx', 'rcx', 'rbx', 'rsi', 'rdi', 'rbp', 'rsp'].forEach((n, i) => (t[i] = n));
  for (let i = 8; i <= 15; i++) t[i] = `r${i}`;
  t[16] = 'rip';
  for (let i = 0; i < 16; i++) t[17 + i] = `xmm${i}`;
  for (let i = 0; i < 8; i++) t[33 + i] = `st${i}`;
  for (let i = 0; i < 8; i++) t[41 + i] = `mm${i}`;
  t[49] = 'rflags';
  ['es', 'cs', 'ss', 'ds', 'fs', 'gs'].forEach((n, i) => (t[50 + i] = n));
  t[58] = 'fs.base';
  t[59] = 'gs.base';
  t[62] = 'tr';
  t[63] = 'ldtr';
  t[64] = 'mxcsr';
  t[65] = 'fcw';
  t[66] = 'fsw';
  for (let i = 16; i < 32; i++) t[67 + i - 16] = `xmm${i}`;
  for (let i = 0; i < 8; i++) t[118 + i] = `k${i}`;
  return Array.from(t, (n) => n ?? '');
})();

/** i386 psABI DWARF numbering. */
const I386_NAMES: string[] = (() => {
  const t: string[] = [];
  ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'eip', 'eflags'].forEach((n, i) => (t[i] = n));
  for (let i = 0; i < 8; i++) t[11 + i] = `st${i}`;
  for (let i = 0; i < 8; i++) t[21 + i] = `xmm${i}`;
  for (let i = 0; i < 8; i++) t[29 + i] = `mm${i}`;
  t[37] = 'fcw';
  t[38] = 'fsw';
  t[39] = 'mxcsr';
  ['es', 'cs', 'ss', 'ds', 'fs', 'gs'].forEach((n, i) => (t[40 + i] = n));
  t[48] = 'tr';
  t[49] = 'ldtr';
  return Array.from(t, (n) => n ?? '');
})();

const NAMES: Record<DwarfArch, string[]> = { 'x86-64': X86_64_NAMES, i386: I386_NAMES };
const NUMBERS: Record<DwarfArch, Map<string, number>> = {
  'x86-64': new Map(X86_64_NAMES.map((n, i) => [n, i] as [string, number]).filter(([n]) => n !== '')),
  i386: new Map(I386_NAMES.map((n, i) => [n, i] as [string, number]).filter(([n]) => n !== '')),
};

/** Registers the unwinder needs by role. */
export const UNWIND_REGS: Record<DwarfArch, { pc: number; sp: number; fp: number; wordSize: 4 | 8 }> = {
  'x86-64': { pc: 16, sp: 7, fp: 6, wordSize: 8 },
  i386: { pc: 8, sp: 4, fp: 5, wordSize: 4 },
};

/**
 * Registers a called function must preserve (System V psABI): their values carry over to the
 * caller when CFI says nothing. Every other general register is unknown in caller frames.
 */
export const CALLEE_SAVED: Record<DwarfArch, ReadonlySet<number>> = {
  'x86-64': new Set([3, 6, 7, 12, 13, 14, 15]), // rbx rbp rsp r12-r15
  i386: new Set([3, 4, 5, 6, 7]), // ebx esp ebp esi edi
};

export function dwarfRegisterName(arch: DwarfArch, num: number): string | undefined {
  const n = NAMES[arch][num];
  return n ? n : undefined;
}

export function dwarfRegisterNumber(arch: DwarfArch, name: string): number | undefined {
  return NUMBERS[arch].get(name.toLowerCase());
}

/** Regs field for each general register number, per architecture (i386 uses the low halves). */
const REG_FIELDS: Record<DwarfArch, (keyof Regs)[]> = {
  'x86-64': ['rax', 'rdx', 'rcx', 'rbx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip'],
  i386: ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'rip', 'rflags'],
};
const X86_64_RFLAGS = 49;

/** The general registers of a vCPU keyed by DWARF number (32-bit values for i386). */
export function regsToDwarf(regs: Regs, arch: DwarfArch): Map<number, bigint> {
  const out = new Map<number, bigint>();
  const mask = arch === 'i386' ? 0xffffffffn : 0xffffffffffffffffn;
  REG_FIELDS[arch].forEach((field, num) => out.set(num, regs[field] & mask));
  if (arch === 'x86-64') out.set(X86_64_RFLAGS, regs.rflags);
  return out;
}

/** Writes DWARF-numbered values back over a copy of `base`; registers absent from the map keep base. */
export function dwarfToRegs(values: Map<number, bigint>, arch: DwarfArch, base: Regs): Regs {
  const out: Regs = { ...base };
  REG_FIELDS[arch].forEach((field, num) => {
    const v = values.get(num);
    if (v !== undefined) out[field] = v;
  });
  if (arch === 'x86-64') {
    const f = values.get(X86_64_RFLAGS);
    if (f !== undefined) out.rflags = f;
  }
  return out;
}
