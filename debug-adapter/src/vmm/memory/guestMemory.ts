// Guest-physical memory as a set of host-backed regions, with bounds-checked little-endian access by GPA.

export class GuestMemoryError extends Error {
  constructor(readonly gpa: number, readonly length: number, reason: string) {
    super(`guest physical 0x${gpa.toString(16)} (+${length}): ${reason}`);
    this.name = 'GuestMemoryError';
  }
}

export interface MemoryRegion {
  /** Guest-physical base address. */
  readonly gpa: number;
  /** Host bytes backing the region (an mmapped memfd in a VM, a plain buffer in tests). */
  readonly bytes: Uint8Array;
  /** Label shown in errors and memory maps ("ram", "svga-vram"). */
  readonly label: string;
}

export class GuestMemory {
  private readonly regions: MemoryRegion[] = [];

  constructor(regions: MemoryRegion[] = []) {
    for (const r of regions) this.addRegion(r);
  }

  /** A RAM-only memory of `size` bytes at GPA 0, backed by an ordinary buffer (tests, loaders). */
  static ofSize(size: number): GuestMemory {
    return new GuestMemory([{ gpa: 0, bytes: new Uint8Array(size), label: 'ram' }]);
  }

  addRegion(region: MemoryRegion): void {
    const end = region.gpa + region.bytes.length;
    for (const r of this.regions) {
      if (region.gpa < r.gpa + r.bytes.length && r.gpa < end) {
        throw new Error(`memory region ${region.label} overlaps ${r.label}`);
      }
    }
    this.regions.push(region);
    this.regions.sort((a, b) => a.gpa - b.gpa);
  }

  removeRegion(label: string): MemoryRegion | undefined {
    const i = this.regions.findIndex((r) => r.label === label);
    return i < 0 ? undefined : this.regions.splice(i, 1)[0];
  }

  list(): readonly MemoryRegion[] { return this.regions; }

  /** Total bytes of regions labelled "ram". */
  get ramSize(): number {
    return this.regions.filter((r) => r.label === 'ram').reduce((n, r) => n + r.bytes.length, 0);
  }

  /** True when [gpa, gpa+length) lies inside one region. */
  contains(gpa: number, length = 1): boolean {
    return this.find(gpa, length) !== undefined;
  }

  /** A live view of guest memory; throws when the range is not inside one region. */
  view(gpa: number, length: number): Uint8Array {
    const r = this.find(gpa, length);
    if (!r) throw new GuestMemoryError(gpa, length, 'not backed by guest memory');
    const off = gpa - r.gpa;
    return r.bytes.subarray(off, off + length);
  }

  read(gpa: number, length: number): Uint8Array { return this.view(gpa, length).slice(); }
  write(gpa: number, bytes: Uint8Array): void { this.view(gpa, bytes.length).set(bytes); }
  fill(gpa: number, length: number, value = 0): void { this.view(gpa, length).fill(value); }

  readU8(gpa: number): number { return this.view(gpa, 1)[0]; }
  readU16(gpa: number): number { const v = this.view(gpa, 2); return v[0] | (v[1] << 8); }
  readU32(gpa: number): number { return this.dv(gpa, 4).getUint32(0, true); }
  readU64(gpa: number): bigint { return this.dv(gpa, 8).getBigUint64(0, true); }
  writeU8(gpa: number, v: number): void { this.view(gpa, 1)[0] = v; }
  writeU16(gpa: number, v: number): void { this.dv(gpa, 2).setUint16(0, v, true); }
  writeU32(gpa: number, v: number): void { this.dv(gpa, 4).setUint32(0, v >>> 0, true); }
  writeU64(gpa: number, v: bigint): void { this.dv(gpa, 8).setBigUint64(0, BigInt.asUintN(64, v), true); }

  private dv(gpa: number, length: number): DataView {
    const v = this.view(gpa, length);
    return new DataView(v.buffer, v.byteOffset, length);
  }

  private find(gpa: number, length: number): MemoryRegion | undefined {
    if (!Number.isSafeInteger(gpa) || gpa < 0 || length < 0) return undefined;
    for (const r of this.regions) {
      if (gpa >= r.gpa && gpa + length <= r.gpa + r.bytes.length) return r;
    }
    return undefined;
  }
}
