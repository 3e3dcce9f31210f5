// The worker's breakpoint table: specs with compiled conditions and hit counts, and the int3 bytes planted in guest RAM.
import { Expression, ExpressionError, parseHitCondition } from '../../debugger/expression';
import type { GuestMemory } from '../memory/guestMemory';
import { translate, type PagingRegisters } from '../memory/pageWalker';
import { dataWatchProblem, type DebugSlot } from './debugRegisters';
import type { BreakpointSpec, BreakpointStatus } from './stubTypes';

export const INT3 = 0xcc;
const NONE: readonly bigint[] = [];
/** DR0-DR3. */
export const HW_SLOTS = 4;

export interface ArmedBreakpoint {
  spec: BreakpointSpec;
  condition?: Expression;
  hitCondition?: (hits: number) => boolean;
  hits: number;
}

/** `cell`: a one-byte view of guest RAM at `gpa`, kept so checks after every exit allocate nothing. */
interface Planted { gpa: number; saved: number; cell: Uint8Array }

export class BreakpointTable {
  private armed: ArmedBreakpoint[] = [];
  private readonly planted = new Map<bigint, Planted>();
  private hw: bigint[] = [];
  /** Data watches, one debug register each (breakpoints on the same bytes and access share one). */
  private data: DebugSlot[] = [];
  /**
   * Software breakpoints whose linear address does not translate yet (paging off, or the page not mapped): a debug
   * register watches each, since it compares linear addresses whatever the paging. Typical case: a higher-half
   * kernel, stopped at its physical entry point, with a breakpoint on a function it reaches only after paging is on.
   */
  private waiting: bigint[] = [];
  /** hw, data, then waiting: DR0-DR3 in slot order (rebuilt when they change, read on every debug exit). */
  private slots: readonly DebugSlot[] = [];
  /** The exec slots' addresses (hw and waiting), for matching the pc on a debug exit. */
  private execs: readonly bigint[] = [];

  constructor(private readonly mem: GuestMemory) {}

  /** Replaces every breakpoint; hit counts survive for ids that stay. Call only while nothing is planted. */
  set(specs: readonly BreakpointSpec[], paging: PagingRegisters): BreakpointStatus[] {
    const oldHits = new Map(this.armed.map((a) => [a.spec.id, a.hits]));
    this.armed = [];
    this.hw = [];
    this.data = [];
    this.waiting = [];
    let waitingSpecs = 0;
    const used = () => this.hw.length + this.data.length + waitingSpecs;
    const status = specs.map((spec): BreakpointStatus => {
      const fail = (message: string): BreakpointStatus => ({ id: spec.id, verified: false, message });
      let condition: Expression | undefined;
      let hitCondition: ((h: number) => boolean) | undefined;
      try {
        if (spec.condition?.trim()) condition = Expression.parse(spec.condition);
        if (spec.hitCondition?.trim()) hitCondition = parseHitCondition(spec.hitCondition);
      } catch (e) {
        if (e instanceof ExpressionError) return fail(e.message);
        throw e;
      }
      let message: string | undefined;
      if (spec.mode === 'hardware') {
        if (!this.hw.includes(spec.address) && used() >= HW_SLOTS) {
          return fail(`all ${HW_SLOTS} hardware breakpoint registers (DR0-DR3) are in use; use a software breakpoint or remove one`);
        }
        if (!this.hw.includes(spec.address)) this.hw.push(spec.address);
      } else if (spec.mode === 'data') {
        const length = spec.length ?? 0;
        const access = spec.access ?? 'write';
        const problem = dataWatchProblem(spec.address, length, access);
        if (problem) return fail(problem);
        const kind = access as 'write' | 'readWrite';
        const same = this.data.find((d) => d.address === spec.address && d.length === length && d.kind === kind);
        if (!same) {
          if (used() >= HW_SLOTS) return fail(`all ${HW_SLOTS} debug registers (DR0-DR3) are in use by hardware and data breakpoints; remove one`);
          this.data.push({ address: spec.address, kind, length: length as DebugSlot['length'] });
        }
      } else {
        const t = translate(spec.address, paging, this.mem);
        const why = !t.ok ? `is not mapped now (${t.reason})` : !this.mem.contains(t.gpa, 1) ? 'is not backed by guest RAM now' : undefined;
        if (why) {
          const where = `0x${spec.address.toString(16)} ${why}`;
          if (used() >= HW_SLOTS) return fail(`${where}, and no debug register is free to watch it until it is mapped`);
          waitingSpecs++;
          message = `${where}: a debug register watches it until the guest maps it, then the int3 is planted`;
        }
      }
      this.armed.push({ spec, condition, hitCondition, hits: oldHits.get(spec.id) ?? 0 });
      return message ? { id: spec.id, verified: true, message } : { id: spec.id, verified: true };
    });
    this.rebuildSlots();
    return status;
  }

  at(linear: bigint): ArmedBreakpoint[] {
    return this.armed.filter((a) => a.spec.address === linear);
  }

  hasAt(linear: bigint): boolean {
    return this.armed.some((a) => a.spec.address === linear);
  }

  softwareAddresses(): bigint[] {
    return [...new Set(this.armed.filter((a) => a.spec.mode === 'software').map((a) => a.spec.address))];
  }

  /** DR0..DR3 in slot order: hardware breakpoints, data watches, then software breakpoints waiting for a mapping. */
  debugSlots(): readonly DebugSlot[] {
    return this.slots;
  }

  /** Addresses of the instruction slots (hardware breakpoints and waiting software ones). */
  execAddresses(): readonly bigint[] {
    return this.execs;
  }

  /** The data breakpoints whose debug register is slot `i`. */
  dataAt(i: number): ArmedBreakpoint[] {
    const s = this.slots[i];
    if (!s || s.kind === 'exec') return [];
    return this.armed.filter((a) => a.spec.mode === 'data' && a.spec.address === s.address && a.spec.length === s.length
      && (a.spec.access ?? 'write') === s.kind);
  }

  /** A software breakpoint that a debug register stands in for (its address did not translate when planting). */
  isWaiting(linear: bigint): boolean {
    return this.waiting.includes(linear);
  }

  /** The linear address of our int3 at guest-physical `gpa`, if one is planted there. */
  plantedAtPhysical(gpa: number): bigint | undefined {
    for (const [linear, p] of this.planted) if (p.gpa === gpa) return linear;
    return undefined;
  }

  isPlanted(linear: bigint): boolean {
    return this.planted.has(linear);
  }

  get plantedCount(): number {
    return this.planted.size;
  }

  /**
   * Writes int3 at each address (translated now). An address that does not translate gets a free debug register
   * instead (see `waiting`); without one it is skipped.
   */
  plant(addresses: Iterable<bigint>, paging: PagingRegisters): void {
    for (const a of addresses) {
      if (this.planted.has(a)) continue;
      const t = translate(a, paging, this.mem);
      if (!t.ok || !this.mem.contains(t.gpa, 1)) {
        if (!this.waiting.includes(a) && this.hw.length + this.data.length + this.waiting.length < HW_SLOTS) {
          this.waiting.push(a);
          this.rebuildSlots();
        }
        continue;
      }
      if (this.waiting.includes(a)) {
        this.waiting = this.waiting.filter((w) => w !== a);
        this.rebuildSlots();
      }
      const view = this.mem.view(t.gpa, 1);
      // Two linear addresses may alias one frame: never save our own int3 as the original byte.
      if ([...this.planted.values()].some((p) => p.gpa === t.gpa)) continue;
      this.planted.set(a, { gpa: t.gpa, saved: view[0], cell: view });
      view[0] = INT3;
    }
  }

  /**
   * Puts the original bytes back into a copy of guest memory read while breakpoints are planted, so readers
   * (memory views, conditions) never see our int3. `start` is linear, or guest-physical when `physical`.
   */
  hideIn(bytes: Uint8Array, start: bigint, physical: boolean): void {
    const end = start + BigInt(bytes.length);
    for (const [linear, p] of this.planted) {
      const at = physical ? BigInt(p.gpa) : linear;
      if (at >= start && at < end) bytes[Number(at - start)] = p.saved;
    }
  }

  unplant(linear: bigint): void {
    const p = this.planted.get(linear);
    if (!p) return;
    // If the guest rewrote the byte since, keep its new value.
    if (p.cell[0] === INT3) p.cell[0] = p.saved;
    this.planted.delete(linear);
  }

  /**
   * Int3s the guest has written over since they were planted (a loader copying code into place): each takes the
   * guest's new byte as its original and is planted again. Returns their linear addresses.
   */
  replantOverwritten(): readonly bigint[] {
    // Runs after every exit while breakpoints are planted: nothing is allocated unless the guest wrote over one.
    let again: bigint[] | undefined;
    this.planted.forEach((p, linear) => {
      const b = p.cell[0];
      if (b === INT3) return;
      p.saved = b;
      p.cell[0] = INT3;
      (again ??= []).push(linear);
    });
    return again ?? NONE;
  }

  /**
   * The guest's paging changed while running: int3s whose address now translates elsewhere (or not at all) are
   * lifted, then every address is planted again as it translates now.
   */
  replant(addresses: Iterable<bigint>, paging: PagingRegisters): void {
    for (const [a, p] of [...this.planted]) {
      const t = translate(a, paging, this.mem);
      if (!t.ok || t.gpa !== p.gpa) this.unplant(a);
    }
    this.plant(addresses, paging);
  }

  /** Lifts every int3 and frees the debug registers that stood in for unmapped ones. */
  unplantAll(): void {
    for (const a of [...this.planted.keys()]) this.unplant(a);
    if (this.waiting.length > 0) {
      this.waiting = [];
      this.rebuildSlots();
    }
  }

  private rebuildSlots(): void {
    const exec = (address: bigint): DebugSlot => ({ address, kind: 'exec', length: 1 });
    this.slots = [...this.hw.map(exec), ...this.data, ...this.waiting.map(exec)];
    this.execs = [...this.hw, ...this.waiting];
  }

  /** Anything planted or watched on behalf of software breakpoints (so paging changes matter). */
  get active(): boolean {
    return this.planted.size > 0 || this.waiting.length > 0;
  }
}
