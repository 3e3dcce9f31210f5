// Test helper: builds x86 page tables of every paging mode inside a GuestMemory.
import type { GuestMemory } from '../../../debug-adapter/src/vmm/memory/guestMemory';
import type { PagingRegisters } from '../../../debug-adapter/src/vmm/memory/pageWalker';

export type TableMode = 'legacy32' | 'pae' | 'long4' | 'long5';

export const P = 1n << 0n;
export const RW = 1n << 1n;
export const US = 1n << 2n;
export const PS = 1n << 7n;
export const NX = 1n << 63n;

export const KIB4 = 0x1000;
export const MIB2 = 0x200000;
export const MIB4 = 0x400000;
export const GIB1 = 0x40000000;

const SHIFTS: Record<TableMode, number[]> = {
  legacy32: [22, 12],
  pae: [30, 21, 12],
  long4: [39, 30, 21, 12],
  long5: [48, 39, 30, 21, 12],
};

export interface MapOptions {
  pageSize?: number;
  /** Leaf entry flags (default P|RW|US). */
  flags?: bigint;
  /** Flags of intermediate entries created on the way (default P|RW|US; PAE PDPTEs get P only). */
  tableFlags?: bigint;
}

export class PageTableBuilder {
  readonly root: number;
  private next: number;

  constructor(readonly mem: GuestMemory, readonly mode: TableMode, arenaStart: number) {
    this.next = arenaStart;
    this.root = this.alloc();
  }

  alloc(): number {
    const a = this.next;
    this.next += KIB4;
    this.mem.fill(a, KIB4, 0);
    return a;
  }

  get entrySize(): number { return this.mode === 'legacy32' ? 4 : 8; }

  private index(gva: bigint, shift: number): number {
    const bits = this.mode === 'legacy32' ? 10n : this.mode === 'pae' && shift === 30 ? 2n : 9n;
    return Number((gva >> BigInt(shift)) & ((1n << bits) - 1n));
  }

  private read(addr: number): bigint {
    return this.entrySize === 4 ? BigInt(this.mem.readU32(addr)) : this.mem.readU64(addr);
  }

  private write(addr: number, v: bigint): void {
    if (this.entrySize === 4) this.mem.writeU32(addr, Number(v & 0xffffffffn));
    else this.mem.writeU64(addr, v);
  }

  /** Address of the entry for `gva` at depth `depth` (0 = top level), creating tables on the way. */
  entryAddress(gva: bigint, depth: number, tableFlags?: bigint): number {
    const shifts = SHIFTS[this.mode];
    let table = this.root;
    for (let d = 0; d < depth; d++) {
      const ea = table + this.index(gva, shifts[d]) * this.entrySize;
      let e = this.read(ea);
      if ((e & P) === 0n) {
        const t = this.alloc();
        const f = tableFlags ?? (this.mode === 'pae' && d === 0 ? P : P | RW | US);
        e = BigInt(t) | f;
        this.write(ea, e);
      }
      table = Number(e & 0x000ffffffffff000n);
    }
    return table + this.index(gva, shifts[depth]) * this.entrySize;
  }

  map(gva: bigint, gpa: bigint, opts: MapOptions = {}): number {
    const size = opts.pageSize ?? KIB4;
    const shifts = SHIFTS[this.mode];
    const depth = shifts.findIndex((s) => 2 ** s === size);
    if (depth < 0) throw new Error(`page size ${size} not valid in ${this.mode}`);
    const flags = opts.flags ?? (P | RW | US);
    let entry: bigint;
    if (depth === shifts.length - 1) entry = gpa | flags;
    else if (this.mode === 'legacy32') entry = (gpa & 0xffc00000n) | (((gpa >> 32n) & 0xffn) << 13n) | PS | flags;
    else entry = gpa | PS | flags;
    const ea = this.entryAddress(gva, depth, opts.tableFlags);
    this.write(ea, entry);
    return ea;
  }

  /** Overwrite the entry at `depth` for `gva` (for corrupting walks in tests). */
  setEntry(gva: bigint, depth: number, value: bigint): void { this.write(this.entryAddress(gva, depth), value); }
  getEntry(gva: bigint, depth: number): bigint { return this.read(this.entryAddress(gva, depth)); }

  cpu(extra: Partial<PagingRegisters> = {}): PagingRegisters {
    const cr0 = (1n << 31n) | (1n << 16n) | 1n;
    const base = { cr0, cr3: BigInt(this.root), cr4: 0n, efer: 0n };
    switch (this.mode) {
      case 'legacy32': return { ...base, cr4: 1n << 4n, ...extra };
      case 'pae': return { ...base, cr4: 1n << 5n, efer: 1n << 11n, ...extra };
      case 'long4': return { ...base, cr4: 1n << 5n, efer: (1n << 8n) | (1n << 10n) | (1n << 11n), ...extra };
      case 'long5': return { ...base, cr4: (1n << 5n) | (1n << 12n), efer: (1n << 8n) | (1n << 10n) | (1n << 11n), ...extra };
    }
  }
}
