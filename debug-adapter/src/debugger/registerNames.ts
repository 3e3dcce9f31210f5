// Register names an expression or setVariable may use (rax/eax/ax/al/ah, r8d, rip/eip, cr0, efer, cs...) over Regs/Sregs.
import type { Regs, Sregs } from '../vmm/cpu/registers';

type GprName = Exclude<keyof Regs, 'rip' | 'rflags'>;

/** A view of a slice of a 64-bit register: which register, bit offset and width. */
export interface RegisterSlice { reg: keyof Regs; shift: bigint; bits: bigint }

const LEGACY: readonly [GprName, string, string, string, string?][] = [
  ['rax', 'eax', 'ax', 'al', 'ah'], ['rbx', 'ebx', 'bx', 'bl', 'bh'], ['rcx', 'ecx', 'cx', 'cl', 'ch'], ['rdx', 'edx', 'dx', 'dl', 'dh'],
  ['rsi', 'esi', 'si', 'sil'], ['rdi', 'edi', 'di', 'dil'], ['rsp', 'esp', 'sp', 'spl'], ['rbp', 'ebp', 'bp', 'bpl'],
];

const SLICES = new Map<string, RegisterSlice>();
for (const [r64, r32, r16, r8, r8h] of LEGACY) {
  SLICES.set(r64, { reg: r64, shift: 0n, bits: 64n });
  SLICES.set(r32, { reg: r64, shift: 0n, bits: 32n });
  SLICES.set(r16, { reg: r64, shift: 0n, bits: 16n });
  SLICES.set(r8, { reg: r64, shift: 0n, bits: 8n });
  if (r8h) SLICES.set(r8h, { reg: r64, shift: 8n, bits: 8n });
}
for (let i = 8; i < 16; i++) {
  const r = `r${i}` as GprName;
  SLICES.set(r, { reg: r, shift: 0n, bits: 64n });
  SLICES.set(`${r}d`, { reg: r, shift: 0n, bits: 32n });
  SLICES.set(`${r}w`, { reg: r, shift: 0n, bits: 16n });
  SLICES.set(`${r}b`, { reg: r, shift: 0n, bits: 8n });
}
SLICES.set('rip', { reg: 'rip', shift: 0n, bits: 64n });
SLICES.set('eip', { reg: 'rip', shift: 0n, bits: 32n });
SLICES.set('ip', { reg: 'rip', shift: 0n, bits: 16n });
SLICES.set('pc', { reg: 'rip', shift: 0n, bits: 64n });
SLICES.set('rflags', { reg: 'rflags', shift: 0n, bits: 64n });
SLICES.set('eflags', { reg: 'rflags', shift: 0n, bits: 32n });
SLICES.set('flags', { reg: 'rflags', shift: 0n, bits: 16n });

export function registerSlice(name: string): RegisterSlice | undefined {
  return SLICES.get(name.toLowerCase());
}

const SEGMENTS = ['cs', 'ds', 'es', 'fs', 'gs', 'ss', 'tr', 'ldt'] as const;
const CONTROL = ['cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'efer'] as const;

/** Value of a general, control or segment register by name (segments give the selector); undefined when unknown. */
export function registerValue(name: string, regs: Regs, sregs?: Sregs): bigint | undefined {
  const n = name.toLowerCase();
  const slice = SLICES.get(n);
  if (slice) return (regs[slice.reg] >> slice.shift) & ((1n << slice.bits) - 1n);
  if (!sregs) return undefined;
  if ((CONTROL as readonly string[]).includes(n)) return sregs[n as typeof CONTROL[number]];
  if ((SEGMENTS as readonly string[]).includes(n)) return BigInt(sregs[n as typeof SEGMENTS[number]].selector);
  if (n.endsWith('_base') && (SEGMENTS as readonly string[]).includes(n.slice(0, -5))) return sregs[n.slice(0, -5) as typeof SEGMENTS[number]].base;
  return undefined;
}

const CONTROL_NAMES = ['cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'efer'];

/** Whether `registerValue` knows the name (a general, control or segment register, or a segment base). */
export function isRegisterName(name: string): boolean {
  const n = name.toLowerCase();
  const segment = n.endsWith('_base') ? n.slice(0, -5) : n;
  return SLICES.has(n) || CONTROL_NAMES.includes(n) || (SEGMENTS as readonly string[]).includes(segment);
}

/** `$reg`, a bare register name, or a `[...]` memory reference: assignments the machine level serves, not C. */
export function isMachineLvalue(text: string): boolean {
  const t = text.trim();
  if (/^(\$|\[|(byte|word|dword|qword)\s*\[)/i.test(t)) return true;
  return SLICES.has(t.toLowerCase()) || CONTROL_NAMES.includes(t.toLowerCase());
}

/** The patch that writes `value` into the named slice, keeping the other bits of the full register. */
export function registerPatch(name: string, value: bigint, regs: Regs): Partial<Regs> | undefined {
  const slice = SLICES.get(name.toLowerCase());
  if (!slice) return undefined;
  const mask = ((1n << slice.bits) - 1n) << slice.shift;
  const full = (regs[slice.reg] & ~mask) | ((value << slice.shift) & mask);
  return { [slice.reg]: BigInt.asUintN(64, full) };
}
