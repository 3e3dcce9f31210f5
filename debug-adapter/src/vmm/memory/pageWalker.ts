// Guest page-table walker: translates a guest-virtual address in every x86 paging mode and explains each level.
import { CR0_PG, CR0_WP, CR4_LA57, CR4_PAE, CR4_PSE, CR4_SMEP, EFER_LMA, EFER_LME, EFER_NXE } from '../cpu/registers';
import type { GuestMemory } from './guestMemory';
import { hex } from '../../common/hex';

/** The control registers that decide how a vCPU translates addresses. */
export interface PagingRegisters { cr0: bigint; cr3: bigint; cr4: bigint; efer: bigint }

/** What the access is for; permissions are checked only for what is asked (a debugger read asks nothing). */
export interface AccessIntent { write?: boolean; user?: boolean; fetch?: boolean }

export interface WalkOptions {
  /** MAXPHYADDR: entry address bits at or above it are reserved (52 = report only architectural reserved bits). */
  maxPhysAddrBits?: number;
}

export type PagingMode = 'off' | 'legacy32' | 'pae' | 'long4' | 'long5';
export type WalkLevelName = 'PML5' | 'PML4' | 'PDPT' | 'PD' | 'PT';

/** One table lookup of the walk, as the page-walk explainer shows it. */
export interface WalkLevel {
  level: WalkLevelName;
  /** Guest-physical base of the table that was indexed. */
  tableGpa: number;
  index: number;
  /** Guest-physical address of the entry itself. */
  entryGpa: number;
  entry: bigint;
  /** Set flags in words: P RW US PWT PCD A D PS G NX (PAT for leaf entries). */
  flags: string[];
  /** Reserved bits found set in this entry (0n when none). */
  reservedBits: bigint;
}

export interface PagePermissions { writable: boolean; user: boolean; executable: boolean }

export interface TranslationOk {
  ok: true;
  mode: PagingMode;
  gpa: number;
  pageSize: number;
  permissions: PagePermissions;
  levels: WalkLevel[];
}

export type FaultKind = 'non-canonical' | 'not-present' | 'reserved-bits' | 'protection' | 'unbacked-table';

export interface TranslationFault {
  ok: false;
  mode: PagingMode;
  kind: FaultKind;
  /** One line naming the failing level and why. */
  reason: string;
  /** The level whose entry stopped the walk (null when no table was read, e.g. a non-canonical address). */
  faultLevel: WalkLevelName | null;
  levels: WalkLevel[];
  /** The #PF error code the CPU would push (undefined for #GP and for unbacked tables, which are not page faults). */
  errorCode?: number;
}

export type Translation = TranslationOk | TranslationFault;


const PTE_P = 1n << 0n;
const PTE_RW = 1n << 1n;
const PTE_US = 1n << 2n;
const PTE_PS = 1n << 7n;
const PTE_NX = 1n << 63n;
const FLAG_NAMES: readonly [bigint, string][] = [
  [PTE_P, 'P'], [PTE_RW, 'RW'], [PTE_US, 'US'], [1n << 3n, 'PWT'], [1n << 4n, 'PCD'],
  [1n << 5n, 'A'], [1n << 6n, 'D'], [PTE_PS, 'PS'], [1n << 8n, 'G'], [PTE_NX, 'NX'],
];

/** #PF error code bits. */
export const PF_PRESENT = 1 << 0;
export const PF_WRITE = 1 << 1;
export const PF_USER = 1 << 2;
export const PF_RSVD = 1 << 3;
export const PF_FETCH = 1 << 4;

const PAGE_4K = 0x1000;
const MASK32 = 0xffffffffn;
const ARCH_MAX_PHYS_BITS = 52;
/** PSE-36/40 large pages in 32-bit paging carry physical bits 39:32 in PDE bits 20:13. */
const PSE_HIGH_SHIFT = 13n;
const PSE_HIGH_BITS = 8;

/** How each level indexes the address and what its entries may map. */
interface LevelSpec { name: WalkLevelName; shift: number; indexBits: number; largePage: boolean }

const LEVELS_LEGACY: readonly LevelSpec[] = [
  { name: 'PD', shift: 22, indexBits: 10, largePage: true },
  { name: 'PT', shift: 12, indexBits: 10, largePage: false },
];
const LEVELS_PAE: readonly LevelSpec[] = [
  { name: 'PDPT', shift: 30, indexBits: 2, largePage: false },
  { name: 'PD', shift: 21, indexBits: 9, largePage: true },
  { name: 'PT', shift: 12, indexBits: 9, largePage: false },
];
const LEVELS_LONG4: readonly LevelSpec[] = [
  { name: 'PML4', shift: 39, indexBits: 9, largePage: false },
  { name: 'PDPT', shift: 30, indexBits: 9, largePage: true },
  { name: 'PD', shift: 21, indexBits: 9, largePage: true },
  { name: 'PT', shift: 12, indexBits: 9, largePage: false },
];
const LEVELS_LONG5: readonly LevelSpec[] = [{ name: 'PML5', shift: 48, indexBits: 9, largePage: false }, ...LEVELS_LONG4];

/** The paging mode the control registers select. */
export function pagingMode(cpu: PagingRegisters): PagingMode {
  if ((cpu.cr0 & CR0_PG) === 0n) return 'off';
  if ((cpu.cr4 & CR4_PAE) === 0n) return 'legacy32';
  const long = (cpu.efer & EFER_LMA) !== 0n || (cpu.efer & EFER_LME) !== 0n;
  if (!long) return 'pae';
  return (cpu.cr4 & CR4_LA57) !== 0n ? 'long5' : 'long4';
}

/** Bits [hi:lo] set. */
function bitRange(hi: number, lo: number): bigint {
  if (hi < lo) return 0n;
  return ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);
}

function flagWords(entry: bigint, leaf: boolean, largePage: boolean): string[] {
  const words: string[] = [];
  for (const [bit, name] of FLAG_NAMES) {
    if ((entry & bit) === 0n) continue;
    // In a 4 KiB PTE bit 7 is the PAT bit, not a page-size bit.
    words.push(bit === PTE_PS && leaf && !largePage ? 'PAT' : name);
  }
  return words;
}


/** Context shared by the per-level checks of one walk. */
interface Walk {
  mode: PagingMode;
  cpu: PagingRegisters;
  access: AccessIntent;
  nxe: boolean;
  maxPhys: number;
  levels: WalkLevel[];
}

/** Reserved bits of an entry in the current mode; `large` means it maps a page at a non-leaf level. */
function reservedMask(w: Walk, spec: LevelSpec, large: boolean): bigint {
  if (w.mode === 'legacy32') {
    if (!large) return 0n;
    const physHigh = Math.min(w.maxPhys, 32 + PSE_HIGH_BITS) - 32;
    return (1n << 21n) | bitRange(20, Number(PSE_HIGH_SHIFT) + physHigh);
  }
  let mask = w.mode === 'pae' ? bitRange(62, w.maxPhys) : bitRange(ARCH_MAX_PHYS_BITS - 1, w.maxPhys);
  if (!w.nxe || (w.mode === 'pae' && spec.name === 'PDPT')) mask |= PTE_NX;
  if (w.mode === 'pae' && spec.name === 'PDPT') mask |= bitRange(2, 1) | bitRange(8, 5);
  if (spec.name === 'PML4' || spec.name === 'PML5') mask |= PTE_PS;
  if (large) mask |= bitRange(spec.shift - 1, 13);
  return mask;
}

/** Where the next table or the page lives, from an entry. */
function entryAddress(w: Walk, entry: bigint, spec: LevelSpec, large: boolean): bigint {
  if (w.mode === 'legacy32') {
    if (!large) return entry & 0xfffff000n;
    const high = (entry >> PSE_HIGH_SHIFT) & ((1n << BigInt(PSE_HIGH_BITS)) - 1n);
    return (entry & 0xffc00000n) | (high << 32n);
  }
  const lowBit = large ? spec.shift : 12;
  return entry & bitRange(w.maxPhys - 1, lowBit);
}

function fault(w: Walk, kind: FaultKind, level: WalkLevelName | null, reason: string): TranslationFault {
  const f: TranslationFault = { ok: false, mode: w.mode, kind, reason, faultLevel: level, levels: w.levels };
  if (kind === 'not-present' || kind === 'reserved-bits' || kind === 'protection') {
    let code = 0;
    if (kind !== 'not-present') code |= PF_PRESENT;
    if (kind === 'reserved-bits') code |= PF_RSVD;
    if (w.access.write) code |= PF_WRITE;
    if (w.access.user) code |= PF_USER;
    if (w.access.fetch && (w.nxe || (w.cpu.cr4 & CR4_SMEP) !== 0n)) code |= PF_FETCH;
    f.errorCode = code;
  }
  return f;
}

/** First table address from CR3 in each mode (PCID bits and PAE's low flags are masked off). */
function rootTable(w: Walk): bigint {
  if (w.mode === 'legacy32') return w.cpu.cr3 & 0xfffff000n;
  if (w.mode === 'pae') return w.cpu.cr3 & 0xffffffe0n;
  return w.cpu.cr3 & bitRange(w.maxPhys - 1, 12);
}

/** The linear address the walk uses, or undefined when a long-mode address is not canonical. */
function linearAddress(mode: PagingMode, gva: bigint): bigint | undefined {
  const v = BigInt.asUintN(64, gva);
  if (mode === 'off' || mode === 'legacy32' || mode === 'pae') return v & MASK32;
  const bits = mode === 'long5' ? 57 : 48;
  const top = v >> BigInt(bits - 1);
  const allOnes = (1n << BigInt(64 - bits + 1)) - 1n;
  return top === 0n || top === allOnes ? v : undefined;
}

/**
 * Translate `gva` the way the vCPU would. The walk only reads guest memory: accessed/dirty bits are not
 * set, and SMAP is not applied (it depends on RFLAGS.AC, and debugger reads must not be blocked by it).
 */
export function translate(
  gva: bigint, cpu: PagingRegisters, mem: GuestMemory, access: AccessIntent = {}, options: WalkOptions = {},
): Translation {
  const mode = pagingMode(cpu);
  const maxPhys = Math.min(ARCH_MAX_PHYS_BITS, Math.max(32, options.maxPhysAddrBits ?? ARCH_MAX_PHYS_BITS));
  const nxe = mode !== 'legacy32' && (cpu.efer & EFER_NXE) !== 0n;
  const w: Walk = { mode, cpu, access, nxe, maxPhys, levels: [] };
  const la = linearAddress(mode, gva);
  if (la === undefined) {
    return fault(w, 'non-canonical', null, `address ${hex(BigInt.asUintN(64, gva))} is not canonical for ${mode === 'long5' ? '57' : '48'}-bit linear addresses`);
  }
  if (mode === 'off') {
    return { ok: true, mode, gpa: Number(la), pageSize: PAGE_4K, permissions: { writable: true, user: true, executable: true }, levels: [] };
  }
  const specs = mode === 'legacy32' ? LEVELS_LEGACY : mode === 'pae' ? LEVELS_PAE : mode === 'long5' ? LEVELS_LONG5 : LEVELS_LONG4;
  const entrySize = mode === 'legacy32' ? 4 : 8;
  let table = rootTable(w);
  let writable = true;
  let user = true;
  let noExec = false;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    const index = Number((la >> BigInt(spec.shift)) & ((1n << BigInt(spec.indexBits)) - 1n));
    const entryGpa = Number(table) + index * entrySize;
    if (!mem.contains(entryGpa, entrySize)) {
      return fault(w, 'unbacked-table', spec.name, `${spec.name} table at ${hex(table)} is not backed by guest memory (entry ${index} at ${hex(entryGpa)})`);
    }
    const entry = entrySize === 4 ? BigInt(mem.readU32(entryGpa)) : mem.readU64(entryGpa);
    const isLast = i === specs.length - 1;
    const large = !isLast && spec.largePage && (entry & PTE_PS) !== 0n && (mode !== 'legacy32' || (cpu.cr4 & CR4_PSE) !== 0n);
    const present = (entry & PTE_P) !== 0n;
    const reservedBits = present ? entry & reservedMask(w, spec, large) : 0n;
    w.levels.push({ level: spec.name, tableGpa: Number(table), index, entryGpa, entry, flags: flagWords(entry, isLast || large, large), reservedBits });
    if (!present) {
      return fault(w, 'not-present', spec.name, `${spec.name}[${index}] at ${hex(entryGpa)} is not present (entry ${hex(entry)})`);
    }
    if (reservedBits !== 0n) {
      return fault(w, 'reserved-bits', spec.name, `${spec.name}[${index}] at ${hex(entryGpa)} has reserved bits ${hex(reservedBits)} set (entry ${hex(entry)})`);
    }
    // PAE PDPTEs carry no permission bits; every other level narrows the permissions.
    if (!(mode === 'pae' && spec.name === 'PDPT')) {
      writable &&= (entry & PTE_RW) !== 0n;
      user &&= (entry & PTE_US) !== 0n;
      if (nxe && (entry & PTE_NX) !== 0n) noExec = true;
    }
    const address = entryAddress(w, entry, spec, large);
    if (isLast || large) {
      const pageSize = 1 << spec.shift;
      const denied = permissionProblem(w, { writable, user, noExec });
      if (denied) return fault(w, 'protection', spec.name, `${denied} at ${spec.name}[${index}] (entry ${hex(entry)})`);
      const gpa = Number(address + (la & BigInt(pageSize - 1)));
      return { ok: true, mode, gpa, pageSize, permissions: { writable, user, executable: !noExec }, levels: w.levels };
    }
    table = address;
  }
  // Unreachable: the last level always maps a page.
  return fault(w, 'not-present', null, 'page walk ended without a leaf entry');
}

function permissionProblem(w: Walk, p: { writable: boolean; user: boolean; noExec: boolean }): string | undefined {
  const a = w.access;
  if (a.user && !p.user) return 'user access to a supervisor page';
  if (a.write && !p.writable && (a.user || (w.cpu.cr0 & CR0_WP) !== 0n)) return 'write to a read-only page';
  if (a.fetch && p.noExec) return 'instruction fetch from a no-execute page';
  if (a.fetch && !a.user && p.user && (w.cpu.cr4 & CR4_SMEP) !== 0n) return 'supervisor fetch from a user page with SMEP on';
  return undefined;
}
