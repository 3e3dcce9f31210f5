// The worker's breakpoint table: specs with compiled conditions and hit counts, and the int3 bytes planted in guest RAM.
import { Expression, ExpressionError, parseHitCondition } from '../../debugger/expression';
import type { GuestMemory } from '../memory/guestMemory';
import { translate, type PagingRegisters } from '../memory/pageWalker';
import type { BreakpointSpec, BreakpointStatus } from './stubTypes';

export const INT3 = 0xcc;
/** DR0-DR3. */
export const HW_SLOTS = 4;

export interface ArmedBreakpoint {
  spec: BreakpointSpec;
  condition?: Expression;
  hitCondition?: (hits: number) => boolean;
  hits: number;
}

interface Planted { gpa: number; saved: number }

export class BreakpointTable {
  private armed: ArmedBreakpoint[] = [];
  private readonly planted = new Map<bigint, Planted>();
  private hw: bigint[] = [];

  constructor(private readonly mem: GuestMemory) {}

  /** Replaces every breakpoint; hit counts survive for ids that stay. Call only while nothing is planted. */
  set(specs: readonly BreakpointSpec[], paging: PagingRegisters): BreakpointStatus[] {
    const oldHits = new Map(this.armed.map((a) => [a.spec.id, a.hits]));
    this.armed = [];
    this.hw = [];
    return specs.map((spec) => {
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
      if (spec.mode === 'hardware') {
        if (!this.hw.includes(spec.address) && this.hw.length >= HW_SLOTS) {
          return fail(`all ${HW_SLOTS} hardware breakpoint registers (DR0-DR3) are in use; use a software breakpoint or remove one`);
        }
        if (!this.hw.includes(spec.address)) this.hw.push(spec.address);
      } else {
        const t = translate(spec.address, paging, this.mem);
        if (!t.ok) return fail(`0x${spec.address.toString(16)} is not mapped: ${t.reason}`);
        if (!this.mem.contains(t.gpa, 1)) return fail(`0x${spec.address.toString(16)} is not backed by guest RAM`);
      }
      this.armed.push({ spec, condition, hitCondition, hits: oldHits.get(spec.id) ?? 0 });
      return { id: spec.id, verified: true };
    });
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

  /** Linear addresses for DR0..DR3 in slot order. */
  hardwareSlots(): readonly bigint[] {
    return this.hw;
  }

  isPlanted(linear: bigint): boolean {
    return this.planted.has(linear);
  }

  get plantedCount(): number {
    return this.planted.size;
  }

  /** Writes int3 at each address (translated now); addresses that do not translate are skipped. */
  plant(addresses: Iterable<bigint>, paging: PagingRegisters): void {
    for (const a of addresses) {
      if (this.planted.has(a)) continue;
      const t = translate(a, paging, this.mem);
      if (!t.ok || !this.mem.contains(t.gpa, 1)) continue;
      const view = this.mem.view(t.gpa, 1);
      // Two linear addresses may alias one frame: never save our own int3 as the original byte.
      if ([...this.planted.values()].some((p) => p.gpa === t.gpa)) continue;
      this.planted.set(a, { gpa: t.gpa, saved: view[0] });
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
    const view = this.mem.view(p.gpa, 1);
    // If the guest rewrote the byte since, keep its new value.
    if (view[0] === INT3) view[0] = p.saved;
    this.planted.delete(linear);
  }

  unplantAll(): void {
    for (const a of [...this.planted.keys()]) this.unplant(a);
  }
}
