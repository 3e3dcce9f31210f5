// Hand-built DWARF types and a fake machine (one page of memory, a few registers) for the C variable tests.
import type { DwarfType, Member } from '../../../debug-adapter/src/debugger/symbols';
import type { AssignTarget } from '../../../debug-adapter/src/debugger/variables/assign';
import type { EvalEnv } from '../../../debug-adapter/src/debugger/variables/cEvaluator';
import type { CValue } from '../../../debug-adapter/src/debugger/variables/cValue';
import type { FormatEnv } from '../../../debug-adapter/src/debugger/variables/valueFormat';

let nextId = 0;
const id = () => `t${nextId++}`;

export const base = (name: string, size: number, encoding: number): DwarfType => ({ kind: 'base', name, size, encoding, id: id() });
export const INT = base('int', 4, 0x5);
export const UINT = base('unsigned int', 4, 0x7);
export const SHORT = base('short', 2, 0x5);
export const CHAR = base('char', 1, 0x6);
export const UCHAR = base('unsigned char', 1, 0x8);
export const BOOL = base('_Bool', 1, 0x2);
export const FLOAT = base('float', 4, 0x4);
export const DOUBLE = base('double', 8, 0x4);
export const LONGLONG = base('long long', 8, 0x5);
export const U32: DwarfType = { kind: 'typedef', name: 'u32', target: UINT, id: id() };
export const ptr = (target: DwarfType): DwarfType => ({ kind: 'pointer', size: 4, target, id: id() });
export const arr = (element: DwarfType, ...counts: number[]): DwarfType => ({ kind: 'array', element, dims: counts.map((count) => ({ lower: 0n, count })), id: id() });
export const konst = (target: DwarfType): DwarfType => ({ kind: 'const', target, id: id() });
export const struct = (name: string, size: number, members: Member[], kind: 'struct' | 'union' = 'struct'): DwarfType =>
  ({ kind, name, size, members, declaration: false, id: id() });
export const COLOR: DwarfType = {
  kind: 'enum', name: 'color', size: 4, signed: false, declaration: false, id: id(),
  enumerators: [{ name: 'RED', value: 0n }, { name: 'GREEN', value: 1n }, { name: 'BLUE', value: 4n }],
};
export const POINT = struct('point', 8, [{ name: 'x', type: INT, offset: 0 }, { name: 'y', type: INT, offset: 4 }]);
/** struct bits { unsigned a:3; unsigned b:5; int c:4; } in one 4-byte word. */
export const BITS = struct('bits', 4, [
  { name: 'a', type: UINT, offset: 0, bitOffset: 0, bitSize: 3 },
  { name: 'b', type: UINT, offset: 0, bitOffset: 3, bitSize: 5 },
  { name: 'c', type: INT, offset: 1, bitOffset: 8, bitSize: 4 },
]);
export const FUNC: DwarfType = { kind: 'function', returnType: INT, params: [INT], variadic: false, prototyped: true, id: id() };

/** Guest memory: one page at MEM_BASE; everything else is unreadable. */
export const MEM_BASE = 0x1000n;
export const MEM_SIZE = 0x1000;

export class FakeMachine implements EvalEnv, FormatEnv, AssignTarget {
  readonly addressSize = 4 as const;
  readonly mem = new Uint8Array(MEM_SIZE);
  /** Frame registers by DWARF number. */
  readonly regs = [new Map<number, bigint>()];
  readonly vars = new Map<string, CValue>();
  readonly types = new Map<string, DwarfType>([['u32', U32], ['struct point', POINT], ['enum color', COLOR], ['struct bits', BITS]]);
  writes = 0;

  async readMemory(address: bigint, size: number): Promise<Uint8Array | undefined> {
    const off = Number(address - MEM_BASE);
    if (address < MEM_BASE || off + size > MEM_SIZE) return undefined;
    return this.mem.slice(off, off + size);
  }

  readRegister(frame: number, reg: number): bigint | undefined { return this.regs[frame]?.get(reg); }
  complete(t: DwarfType): DwarfType { return t; }
  async lookup(name: string): Promise<CValue | undefined> { return this.vars.get(name); }
  typeByName(spelling: string): DwarfType | undefined { return this.types.get(spelling); }
  symbolLabel(address: bigint): string | undefined { return address === 0x2000n ? 'handler' : undefined; }

  async writeMemory(address: bigint, bytes: Uint8Array): Promise<void> {
    const off = Number(address - MEM_BASE);
    if (address < MEM_BASE || off + bytes.length > MEM_SIZE) throw new Error(`cannot write at 0x${address.toString(16)}`);
    this.mem.set(bytes, off);
    this.writes++;
  }

  async writeRegister(frame: number, reg: number, value: bigint, size: number): Promise<void> {
    const mask = (1n << BigInt(size * 8)) - 1n;
    const cur = this.regs[frame].get(reg) ?? 0n;
    this.regs[frame].set(reg, (cur & ~mask) | (value & mask));
  }

  /** Little-endian store into the fake memory. */
  put(address: bigint, value: bigint, size: number): void {
    const off = Number(address - MEM_BASE);
    for (let i = 0; i < size; i++) this.mem[off + i] = Number((BigInt.asUintN(size * 8, value) >> BigInt(8 * i)) & 0xffn);
  }

  putBytes(address: bigint, bytes: ArrayLike<number>): void {
    this.mem.set(bytes, Number(address - MEM_BASE));
  }

  /** Declares a variable in memory. */
  variable(name: string, type: DwarfType, address: bigint): CValue {
    const v: CValue = { type, place: { kind: 'memory', address } };
    this.vars.set(name, v);
    return v;
  }
}
