// Plain register-file types shared by the VMM, devices, loaders and the debugger; no KVM or DAP imports.

/** General-purpose registers, RIP and RFLAGS. 64-bit values are bigint so higher-half addresses stay exact. */
export interface Regs {
  rax: bigint; rbx: bigint; rcx: bigint; rdx: bigint;
  rsi: bigint; rdi: bigint; rsp: bigint; rbp: bigint;
  r8: bigint; r9: bigint; r10: bigint; r11: bigint;
  r12: bigint; r13: bigint; r14: bigint; r15: bigint;
  rip: bigint; rflags: bigint;
}

export const GPR_NAMES = [
  'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rsp', 'rbp',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
] as const;

/** A segment register with its hidden (descriptor-cache) part, as KVM reports it. */
export interface Segment {
  base: bigint;
  limit: number;
  selector: number;
  type: number;
  present: number;
  dpl: number;
  db: number;
  s: number;
  l: number;
  g: number;
  avl: number;
  unusable: number;
}

export interface DescriptorTable { base: bigint; limit: number }

/** System registers (KVM's kvm_sregs without the interrupt bitmap). */
export interface Sregs {
  cs: Segment; ds: Segment; es: Segment; fs: Segment; gs: Segment; ss: Segment;
  tr: Segment; ldt: Segment;
  gdt: DescriptorTable; idt: DescriptorTable;
  cr0: bigint; cr2: bigint; cr3: bigint; cr4: bigint; cr8: bigint;
  efer: bigint; apicBase: bigint;
}

export type SegmentName = 'cs' | 'ds' | 'es' | 'fs' | 'gs' | 'ss' | 'tr' | 'ldt';

/** The execution mode a vCPU is in, derived from CR0/EFER/CS. */
export type CpuMode = 'real' | 'protected16' | 'protected32' | 'compat' | 'long64' | 'vm86';

export function zeroRegs(): Regs {
  return {
    rax: 0n, rbx: 0n, rcx: 0n, rdx: 0n, rsi: 0n, rdi: 0n, rsp: 0n, rbp: 0n,
    r8: 0n, r9: 0n, r10: 0n, r11: 0n, r12: 0n, r13: 0n, r14: 0n, r15: 0n,
    rip: 0n, rflags: 2n,
  };
}

export function segment(partial: Partial<Segment> = {}): Segment {
  return {
    base: 0n, limit: 0xffff, selector: 0, type: 3, present: 1, dpl: 0, db: 0,
    s: 1, l: 0, g: 0, avl: 0, unusable: 0, ...partial,
  };
}

/** Bits of CR0/CR4/EFER that mode detection, loaders and the page walker need. */
export const CR0_PE = 1n << 0n;
export const CR0_MP = 1n << 1n;
/** Extension type: hard-wired to 1 on every CPU since the 486; KVM reports it set. */
export const CR0_ET = 1n << 4n;
export const CR0_NE = 1n << 5n;
export const CR0_WP = 1n << 16n;
export const CR0_AM = 1n << 18n;
export const CR0_PG = 1n << 31n;
export const CR4_PSE = 1n << 4n;
export const CR4_PAE = 1n << 5n;
export const CR4_OSFXSR = 1n << 9n;
export const CR4_OSXMMEXCPT = 1n << 10n;
export const CR4_LA57 = 1n << 12n;
export const CR4_SMEP = 1n << 20n;
export const EFER_LME = 1n << 8n;
export const EFER_LMA = 1n << 10n;
export const EFER_NXE = 1n << 11n;
export const RFLAGS_IF = 1n << 9n;
export const RFLAGS_TF = 1n << 8n;
export const RFLAGS_VM = 1n << 17n;

/** The mode of the code at CS, which decides instruction decoding width. */
export function cpuMode(sregs: Pick<Sregs, 'cr0' | 'efer' | 'cs'>, rflags = 0n): CpuMode {
  if ((sregs.cr0 & CR0_PE) === 0n) return 'real';
  if ((rflags & RFLAGS_VM) !== 0n) return 'vm86';
  if ((sregs.efer & EFER_LMA) !== 0n) return sregs.cs.l ? 'long64' : 'compat';
  return sregs.cs.db ? 'protected32' : 'protected16';
}

/** Instruction bitness for a mode (what a disassembler needs). */
export function modeBitness(mode: CpuMode): 16 | 32 | 64 {
  switch (mode) {
    case 'real': case 'vm86': case 'protected16': return 16;
    case 'protected32': case 'compat': return 32;
    case 'long64': return 64;
  }
}
