// `info gdt`, `info idt` and `info tab`: the descriptor tables and the page-table mappings of the paused vCPU, as text.
import { CR0_PG, CR4_LA57, CR4_PAE, EFER_LMA, type Sregs } from '../vmm/cpu/registers';
import type { DebugEngine } from './engine';

/** Stop listing after this many lines: a full address space would flood the console. */
const MAX_LINES = 64;
const PAGE = 4096;
const ENTRIES = 512;
const ENTRY_P = 1n;
const ENTRY_RW = 2n;
const ENTRY_US = 4n;
const ENTRY_PS = 0x80n;
const ENTRY_NX = 1n << 63n;
const ADDR_MASK = 0x000ffffffffff000n;
const SYSTEM_TYPES: Record<number, string> = {
  0x2: 'LDT', 0x9: 'TSS (available)', 0xb: 'TSS (busy)', 0xc: 'call gate', 0xe: 'interrupt gate', 0xf: 'trap gate', 0x5: 'task gate',
};

type Reader = (ref: string, n: number) => Promise<Uint8Array>;

const hex = (v: bigint | number, w = 0) => `0x${BigInt(v).toString(16).padStart(w, '0')}`;

export async function infoCommand(engine: DebugEngine, what: string): Promise<string> {
  const { sregs } = await engine.systemState();
  const read: Reader = async (ref, n) => (await engine.readMemory(ref, 0, n)).bytes;
  switch (what) {
    case 'gdt': return describeGdt(sregs, await read(hex(sregs.gdt.base), Math.min(sregs.gdt.limit + 1, PAGE)));
    case 'idt': return describeIdt(sregs, await read(hex(sregs.idt.base), Math.min(sregs.idt.limit + 1, PAGE)));
    case 'tab': return describeMappings(sregs, (gpa) => read(`phys:${hex(gpa)}`, PAGE));
    default: throw new Error(`info ${what}: unknown; expected info gdt, info idt or info tab`);
  }
}

function u64(b: Uint8Array, at: number): bigint {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[at + i] ?? 0);
  return v;
}

/** One GDT entry (8 bytes; system entries in long mode take 16). */
export function describeDescriptor(lo: bigint, hi: bigint, longMode: boolean): { text: string; wide: boolean } {
  if (lo === 0n) return { text: 'null', wide: false };
  const limit = Number((lo & 0xffffn) | ((lo >> 32n) & 0xf0000n));
  const base = ((lo >> 16n) & 0xffffffn) | (((lo >> 56n) & 0xffn) << 24n);
  const access = Number((lo >> 40n) & 0xffn);
  const flags = Number((lo >> 52n) & 0xfn);
  const type = access & 0xf;
  const s = (access >> 4) & 1;
  const dpl = (access >> 5) & 3;
  const present = (access >> 7) & 1;
  const g = (flags >> 3) & 1;
  const scaled = g ? limit * PAGE + 0xfff : limit;
  if (!s) {
    const wide = longMode && (type === 0x2 || type === 0x9 || type === 0xb);
    const fullBase = wide ? base | ((hi & 0xffffffffn) << 32n) : base;
    return { text: `${SYSTEM_TYPES[type] ?? `system type ${type}`} base=${hex(fullBase)} limit=${hex(scaled)} dpl=${dpl}${present ? '' : ' not-present'}`, wide };
  }
  const code = (type & 8) !== 0;
  const kind = code ? `code${(flags & 2) ? '64' : (flags & 4) ? '32' : '16'}` : `data${(flags & 4) ? '32' : '16'}`;
  const rw = code ? ((type & 2) ? ' readable' : '') : ((type & 2) ? ' writable' : ' read-only');
  return { text: `${kind}${rw} base=${hex(base)} limit=${hex(scaled)} dpl=${dpl}${present ? '' : ' not-present'}`, wide: false };
}

function describeGdt(sregs: Sregs, bytes: Uint8Array): string {
  const longMode = (sregs.efer & EFER_LMA) !== 0n;
  const lines = [`GDT base=${hex(sregs.gdt.base)} limit=${hex(sregs.gdt.limit)}`];
  for (let at = 0; at + 8 <= bytes.length && lines.length <= MAX_LINES; at += 8) {
    const d = describeDescriptor(u64(bytes, at), u64(bytes, at + 8), longMode);
    lines.push(`  ${hex(at, 4)}: ${d.text}`);
    if (d.wide) at += 8;
  }
  return lines.join('\n');
}

function describeIdt(sregs: Sregs, bytes: Uint8Array): string {
  const longMode = (sregs.efer & EFER_LMA) !== 0n;
  const size = longMode ? 16 : 8;
  const lines = [`IDT base=${hex(sregs.idt.base)} limit=${hex(sregs.idt.limit)}`];
  let shown = 0;
  for (let v = 0; (v + 1) * size <= bytes.length; v++) {
    const lo = u64(bytes, v * size);
    const access = Number((lo >> 40n) & 0xffn);
    if ((access & 0x80) === 0) continue;
    if (++shown > MAX_LINES) { lines.push('  ...'); break; }
    const selector = Number((lo >> 16n) & 0xffffn);
    let offset = (lo & 0xffffn) | (((lo >> 48n) & 0xffffn) << 16n);
    if (longMode) offset |= (u64(bytes, v * size + 8) & 0xffffffffn) << 32n;
    lines.push(`  vector ${v.toString().padStart(3)}: ${SYSTEM_TYPES[access & 0xf] ?? 'gate'} ${hex(selector, 4)}:${hex(offset)} dpl=${(access >> 5) & 3}`);
  }
  if (shown === 0) lines.push('  (no present gates)');
  return lines.join('\n');
}

interface Mapping { va: bigint; pa: bigint; size: bigint; flags: string }

/** Present leaf mappings of 4-level long-mode paging, runs with contiguous addresses and equal flags merged. */
async function describeMappings(sregs: Sregs, readTable: (gpa: bigint) => Promise<Uint8Array>): Promise<string> {
  if ((sregs.cr0 & CR0_PG) === 0n) return 'paging is off: linear addresses are physical addresses';
  if ((sregs.efer & EFER_LMA) === 0n || (sregs.cr4 & CR4_PAE) === 0n) return 'info tab: only long-mode paging is listed';
  if ((sregs.cr4 & CR4_LA57) !== 0n) return 'info tab: 5-level paging is not listed yet';
  const out: Mapping[] = [];
  const flagText = (e: bigint) => `${e & ENTRY_RW ? 'W' : 'R'}${e & ENTRY_US ? 'U' : 'S'}${e & ENTRY_NX ? '-' : 'X'}`;
  const walk = async (table: bigint, level: number, vaBase: bigint): Promise<void> => {
    const bytes = await readTable(table);
    const span = 1n << BigInt(12 + 9 * level);
    for (let i = 0; i < ENTRIES && out.length <= MAX_LINES * 4; i++) {
      const e = u64(bytes, i * 8);
      if ((e & ENTRY_P) === 0n) continue;
      let va = vaBase + BigInt(i) * span;
      if (level === 3 && (va & (1n << 47n))) va |= 0xffff000000000000n;
      if (level === 0 || (level < 3 && (e & ENTRY_PS))) out.push({ va, pa: e & ADDR_MASK & ~(span - 1n), size: span, flags: flagText(e) });
      else await walk(e & ADDR_MASK, level - 1, va);
    }
  };
  await walk(sregs.cr3 & ADDR_MASK, 3, 0n);
  const merged: Mapping[] = [];
  for (const m of out) {
    const last = merged[merged.length - 1];
    if (last && last.va + last.size === m.va && last.pa + last.size === m.pa && last.flags === m.flags) last.size += m.size;
    else merged.push({ ...m });
  }
  const lines = merged.slice(0, MAX_LINES).map((m) => `${hex(m.va, 16)}-${hex(m.va + m.size - 1n, 16)} -> ${hex(m.pa, 12)} ${m.flags}`);
  if (merged.length > MAX_LINES) lines.push(`... ${merged.length - MAX_LINES} more ranges`);
  return lines.length ? lines.join('\n') : 'no present mappings';
}
