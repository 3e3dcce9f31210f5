// Register groups as the Registers view shows them: names and hex values for the current mode, flags and control bits named.
import { MSR } from '../../../native/src/kvm/constants';
import type { CpuMode, Regs, Segment, Sregs } from '../vmm/cpu/registers';
import { modeBitness } from '../vmm/cpu/registers';
import type { ExtraState } from '../vmm/debugStub/stubTypes';
import { hex } from '../common/hex';

export interface RegisterItem {
  name: string;
  value: string;
  /** setVariable accepts it. */
  editable: boolean;
  /** The value is an address worth opening in a memory view. */
  pointer?: boolean;
}

export const REGISTER_GROUPS = ['General', 'Segments', 'Control', 'Flags', 'Debug', 'FPU/SSE', 'MSRs'] as const;
export type RegisterGroupName = typeof REGISTER_GROUPS[number];

export const MODE_NAMES: Record<CpuMode, string> = {
  real: 'real mode', vm86: 'virtual-8086 mode', protected16: '16-bit protected mode', protected32: '32-bit protected mode',
  compat: 'compatibility mode', long64: '64-bit long mode',
};

/** One group; the rarely opened ones (debug, FPU, MSRs) are read on demand through `extra`. */
export async function registerGroup(
  group: RegisterGroupName, regs: Regs, sregs: Sregs, mode: CpuMode, extra: () => Promise<ExtraState>,
): Promise<RegisterItem[]> {
  switch (group) {
    case 'General': return generalRegisters(regs, mode);
    case 'Segments': return segmentRegisters(sregs);
    case 'Control': return controlRegisters(sregs);
    case 'Flags': return flagRegisters(regs.rflags);
    case 'Debug': return debugRegisters(await extra());
    case 'FPU/SSE': return fpuRegisters(await extra());
    case 'MSRs': return msrRegisters(await extra());
  }
}

export { hex };

const GPR16 = ['ax', 'bx', 'cx', 'dx', 'si', 'di', 'sp', 'bp'] as const;
const POINTERS = new Set(['sp', 'bp', 'si', 'di', 'ip']);

/** General registers at the width of the current mode (eax.. in 32-bit code, rax..r15 in 64-bit code). */
export function generalRegisters(regs: Regs, mode: CpuMode): RegisterItem[] {
  const bits = modeBitness(mode);
  const digits = bits / 4;
  const mask = (1n << BigInt(bits)) - 1n;
  const prefix = bits === 64 ? 'r' : bits === 32 ? 'e' : '';
  const item = (name: string, full: keyof Regs, stem: string): RegisterItem => ({
    name, value: hex(regs[full] & mask, digits), editable: true, pointer: POINTERS.has(stem),
  });
  const out = GPR16.map((r) => item(prefix + r, `r${r}` as keyof Regs, r));
  if (bits === 64) for (let i = 8; i < 16; i++) out.push(item(`r${i}`, `r${i}` as keyof Regs, ''));
  out.push(item(`${prefix}ip`, 'rip', 'ip'));
  out.push({ name: bits === 16 ? 'flags' : `${prefix}flags`, value: hex(regs.rflags & mask, Math.min(digits, 8)), editable: true });
  return out;
}

const SEGMENTS = ['cs', 'ds', 'es', 'fs', 'gs', 'ss', 'tr', 'ldt'] as const;

export function describeSegment(s: Segment): string {
  if (s.unusable) return `${hex(s.selector, 4)} (unusable)`;
  const attrs = [`type=${s.type.toString(16)}`, `dpl=${s.dpl}`, s.present ? 'P' : 'NP', s.s ? 'S' : 'SYS'];
  if (s.db) attrs.push('D/B');
  if (s.l) attrs.push('L');
  if (s.g) attrs.push('G');
  return `${hex(s.selector, 4)} base=${hex(s.base)} limit=${hex(s.limit)} ${attrs.join(' ')}`;
}

export function segmentRegisters(sregs: Sregs): RegisterItem[] {
  const out: RegisterItem[] = SEGMENTS.map((n) => ({ name: n, value: describeSegment(sregs[n]), editable: false }));
  out.push({ name: 'gdtr', value: `base=${hex(sregs.gdt.base)} limit=${hex(sregs.gdt.limit)}`, editable: false });
  out.push({ name: 'idtr', value: `base=${hex(sregs.idt.base)} limit=${hex(sregs.idt.limit)}`, editable: false });
  return out;
}

type BitNames = readonly (readonly [number, string])[];
const CR0_BITS: BitNames = [[0, 'PE'], [1, 'MP'], [2, 'EM'], [3, 'TS'], [4, 'ET'], [5, 'NE'], [16, 'WP'], [18, 'AM'], [29, 'NW'], [30, 'CD'], [31, 'PG']];
const CR4_BITS: BitNames = [[0, 'VME'], [1, 'PVI'], [2, 'TSD'], [3, 'DE'], [4, 'PSE'], [5, 'PAE'], [6, 'MCE'], [7, 'PGE'], [8, 'PCE'],
  [9, 'OSFXSR'], [10, 'OSXMMEXCPT'], [11, 'UMIP'], [12, 'LA57'], [16, 'FSGSBASE'], [17, 'PCIDE'], [18, 'OSXSAVE'], [20, 'SMEP'], [21, 'SMAP']];
const EFER_BITS: BitNames = [[0, 'SCE'], [8, 'LME'], [10, 'LMA'], [11, 'NXE'], [12, 'SVME'], [14, 'FFXSR']];

export function bitNames(v: bigint, names: BitNames): string {
  return names.filter(([bit]) => ((v >> BigInt(bit)) & 1n) !== 0n).map(([, n]) => n).join(' ');
}

const withBits = (v: bigint, names: BitNames) => { const b = bitNames(v, names); return b ? `${hex(v)} (${b})` : hex(v); };

export function controlRegisters(sregs: Sregs): RegisterItem[] {
  return [
    { name: 'cr0', value: withBits(sregs.cr0, CR0_BITS), editable: true },
    { name: 'cr2', value: hex(sregs.cr2), editable: true, pointer: true },
    { name: 'cr3', value: hex(sregs.cr3), editable: true },
    { name: 'cr4', value: withBits(sregs.cr4, CR4_BITS), editable: true },
    { name: 'cr8', value: hex(sregs.cr8), editable: true },
    { name: 'efer', value: withBits(sregs.efer, EFER_BITS), editable: true },
  ];
}

/** RFLAGS bits by name; IOPL is two bits wide. */
export const FLAG_BITS: readonly (readonly [string, number, number])[] = [
  ['CF', 0, 1], ['PF', 2, 1], ['AF', 4, 1], ['ZF', 6, 1], ['SF', 7, 1], ['TF', 8, 1], ['IF', 9, 1], ['DF', 10, 1], ['OF', 11, 1],
  ['IOPL', 12, 2], ['NT', 14, 1], ['RF', 16, 1], ['VM', 17, 1], ['AC', 18, 1], ['VIF', 19, 1], ['VIP', 20, 1], ['ID', 21, 1],
];

export function flagRegisters(rflags: bigint): RegisterItem[] {
  return FLAG_BITS.map(([name, bit, width]) => ({
    name, value: String((rflags >> BigInt(bit)) & ((1n << BigInt(width)) - 1n)), editable: true,
  }));
}

/** RFLAGS with one named field replaced; undefined for an unknown name or a value that does not fit. */
export function withFlag(rflags: bigint, name: string, value: bigint): bigint | undefined {
  const f = FLAG_BITS.find(([n]) => n.toLowerCase() === name.toLowerCase());
  if (!f) return undefined;
  const [, bit, width] = f;
  const max = (1n << BigInt(width)) - 1n;
  if (value < 0n || value > max) return undefined;
  return (rflags & ~(max << BigInt(bit))) | (value << BigInt(bit));
}

export function debugRegisters(x: ExtraState): RegisterItem[] {
  return [
    ...x.debugRegs.map((v, i) => ({ name: `dr${i}`, value: hex(v), editable: false, pointer: true })),
    { name: 'dr6', value: hex(x.dr6), editable: false },
    { name: 'dr7', value: hex(x.dr7), editable: false },
  ];
}

export function fpuRegisters(x: ExtraState): RegisterItem[] {
  const xmm = x.xmm.map((bytes, i) => ({
    name: `xmm${i}`, value: `0x${[...bytes].reverse().map((b) => b.toString(16).padStart(2, '0')).join('')}`, editable: false,
  }));
  return [
    { name: 'fcw', value: hex(x.fcw, 4), editable: false },
    { name: 'fsw', value: hex(x.fsw, 4), editable: false },
    { name: 'mxcsr', value: hex(x.mxcsr, 8), editable: false },
    ...xmm,
  ];
}

const MSR_NAMES: Record<number, string> = Object.fromEntries(Object.entries(MSR).map(([k, v]) => [v, k]));

export function msrRegisters(x: ExtraState): RegisterItem[] {
  return x.msrs.map((m) => ({
    name: MSR_NAMES[m.index] ?? hex(m.index),
    value: m.index === MSR.EFER ? withBits(m.value, EFER_BITS) : hex(m.value),
    editable: false,
  }));
}
