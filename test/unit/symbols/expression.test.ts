// DWARF expression evaluator on hand-built byte sequences: every operation family and result kind.
import assert from 'node:assert/strict';
import { ExpressionContext, evaluateLocation, evaluateToValue } from '../../../debug-adapter/src/debugger/symbols/dwarf/expression/evaluator';
import { expressionOpNames, formatExpression } from '../../../debug-adapter/src/debugger/symbols/dwarf/expression/format';
import { readLocationBytes } from '../../../debug-adapter/src/debugger/symbols/dwarf/expression/locationValue';
import { SymbolsError } from '../../../debug-adapter/src/debugger/symbols/errors';
import { dwarfRegisterName, dwarfRegisterNumber } from '../../../debug-adapter/src/debugger/symbols/dwarfRegisters';

const E = (...bytes: number[]) => new Uint8Array(bytes);
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
};
const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
};

const memory = new Map<bigint, number>();
for (let i = 0; i < 64; i++) memory.set(0x1000n + BigInt(i), (i * 17 + 3) & 0xff);
const regs = new Map<number, bigint>([[0, 5n], [6, 0x2000n], [7, 0x7ff0n], [3, 0xdeadbeefn]]);

const ctx64: ExpressionContext = {
  addressSize: 8,
  readReg: (n) => regs.get(n),
  readMemory: (addr, size) => {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      const b = memory.get(addr + BigInt(i));
      if (b === undefined) return undefined;
      out[i] = b;
    }
    return out;
  },
  frameBase: 0x7f00n,
  cfa: 0x8000n,
};

function value(expr: Uint8Array, ctx: ExpressionContext = ctx64): bigint {
  const r = evaluateLocation(expr, ctx);
  assert.equal(r.kind, 'memory', `expected a computed address, got ${JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  return (r as { address: bigint }).address;
}

describe('symbols: DWARF expression evaluator', () => {
  it('pushes constants of every width and signedness', () => {
    assert.equal(value(E(0x03, 0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0)), 0x12345678n); // addr
    assert.equal(value(E(0x08, 0xff)), 0xffn); // const1u
    assert.equal(value(E(0x09, 0xff)), 0xffffffffffffffffn); // const1s -1
    assert.equal(value(E(0x0a, 0x34, 0x12)), 0x1234n);
    assert.equal(value(E(0x0b, 0xfe, 0xff)), 0xfffffffffffffffen);
    assert.equal(value(E(0x0c, 1, 2, 3, 4)), 0x04030201n);
    assert.equal(value(E(0x0d, 0xff, 0xff, 0xff, 0xff)), 0xffffffffffffffffn);
    assert.equal(value(E(0x0e, 1, 2, 3, 4, 5, 6, 7, 8)), 0x0807060504030201n);
    assert.equal(value(E(0x0f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)), 0xffffffffffffffffn);
    assert.equal(value(E(0x10, ...uleb(624485))), 624485n);
    assert.equal(value(E(0x11, ...sleb(-123456))), BigInt.asUintN(64, -123456n));
    assert.equal(value(E(0x30 + 31)), 31n);
  });

  it('wraps arithmetic to the address size and applies the load bias to DW_OP_addr', () => {
    const ctx32: ExpressionContext = { ...ctx64, addressSize: 4 };
    assert.equal(value(E(0x09, 0xff), ctx32), 0xffffffffn);
    assert.equal(value(E(0x0c, 0xff, 0xff, 0xff, 0xff, 0x31, 0x22), ctx32), 0n); // 0xffffffff + 1
    assert.equal(value(E(0x03, 0x00, 0x10, 0, 0), { ...ctx32, addressBias: 0x100000n }), 0x101000n);
    assert.equal(value(E(0xa1, 2), { ...ctx64, addrIndex: (i) => BigInt(i * 0x100), addressBias: 1n }), 0x201n);
    assert.equal(value(E(0xa2, 2), { ...ctx64, addrIndex: (i) => BigInt(i * 0x100), addressBias: 1n }), 0x200n, 'constx is not relocated');
  });

  it('implements stack operations', () => {
    assert.equal(value(E(0x31, 0x32, 0x12, 0x22, 0x22)), 5n); // 1 2 dup + + -> 1+4
    assert.equal(value(E(0x31, 0x32, 0x13)), 1n); // drop
    assert.equal(value(E(0x31, 0x32, 0x14)), 1n); // over
    assert.equal(value(E(0x31, 0x32, 0x33, 0x15, 2)), 1n); // pick 2
    assert.equal(value(E(0x31, 0x32, 0x16)), 1n); // swap
    assert.equal(value(E(0x31, 0x32, 0x33, 0x17)), 2n); // rot: 1 2 3 -> 3 1 2
    assert.equal(value(E(0x31, 0x32, 0x33, 0x17, 0x13)), 1n);
    assert.equal(value(E(0x31, 0x32, 0x33, 0x17, 0x13, 0x13)), 3n);
  });

  it('implements arithmetic, logic, shifts and comparisons with DWARF signedness', () => {
    const bin = (a: number[], b: number[], op: number) => value(E(...a, ...b, op));
    const c = (v: number) => [0x11, ...sleb(v)];
    assert.equal(bin(c(-7), c(2), 0x1b), BigInt.asUintN(64, -3n), 'div is signed');
    assert.equal(bin(c(7), c(3), 0x1d), 1n, 'mod');
    assert.equal(bin(c(6), c(7), 0x1e), 42n);
    assert.equal(bin(c(3), c(5), 0x1c), BigInt.asUintN(64, -2n));
    assert.equal(bin(c(0xf0), c(0x3c), 0x1a), 0x30n);
    assert.equal(bin(c(0xf0), c(0x0f), 0x21), 0xffn);
    assert.equal(bin(c(0xff), c(0x0f), 0x27), 0xf0n);
    assert.equal(bin(c(1), c(63), 0x24), 1n << 63n);
    assert.equal(bin(c(1), c(64), 0x24), 0n, 'shift by the width gives 0');
    assert.equal(bin(c(-16), c(2), 0x25), BigInt.asUintN(64, -16n) >> 2n, 'shr is logical');
    assert.equal(bin(c(-16), c(2), 0x26), BigInt.asUintN(64, -4n), 'shra is arithmetic');
    assert.equal(value(E(...c(-9), 0x19)), 9n, 'abs');
    assert.equal(value(E(...c(9), 0x1f)), BigInt.asUintN(64, -9n), 'neg');
    assert.equal(value(E(0x30, 0x20)), 0xffffffffffffffffn, 'not');
    assert.equal(value(E(0x35, 0x23, ...uleb(300))), 305n, 'plus_uconst');
    // Comparisons are signed: -1 < 1.
    assert.equal(bin(c(-1), c(1), 0x2d), 1n);
    assert.equal(bin(c(-1), c(1), 0x2b), 0n);
    assert.equal(bin(c(4), c(4), 0x29), 1n);
    assert.equal(bin(c(4), c(4), 0x2e), 0n);
    assert.equal(bin(c(4), c(4), 0x2c), 1n);
    assert.equal(bin(c(3), c(4), 0x2a), 0n);
  });

  it('branches forwards and backwards (a counted loop) and stops runaway loops', () => {
    // 0: lit0 ; loop: lit1 plus ; dup lit5 lt ; bra -> loop
    const loop = E(0x30, 0x31, 0x22, 0x12, 0x35, 0x2d, 0x28, ...int16(-8));
    assert.equal(value(loop), 5n);
    assert.equal(value(E(0x2f, ...int16(1), 0x31, 0x32)), 2n, 'skip jumps over lit1');
    const forever = E(0x2f, ...int16(-3));
    assert.throws(() => evaluateLocation(forever, { ...ctx64, maxSteps: 1000 }), (e: unknown) => e instanceof SymbolsError && /operations executed/.test(e.message));
    assert.throws(() => evaluateLocation(E(0x2f, ...int16(100)), ctx64), /outside the expression/);
  });

  it('reads registers, memory, the frame base and the CFA', () => {
    assert.deepEqual(evaluateLocation(E(0x56), ctx64), { kind: 'register', reg: 6 });
    assert.deepEqual(evaluateLocation(E(0x90, ...uleb(33)), ctx64), { kind: 'register', reg: 33 });
    assert.equal(value(E(0x76, ...sleb(-16))), 0x1ff0n, 'breg6 -16');
    assert.equal(value(E(0x92, 7, ...sleb(8))), 0x7ff8n, 'bregx rsp+8');
    assert.equal(value(E(0x91, ...sleb(-20))), 0x7f00n - 20n, 'fbreg');
    assert.equal(value(E(0x9c)), 0x8000n, 'call_frame_cfa');
    assert.equal(value(E(0x0a, 0x00, 0x10, 0x06)), readLe(0x1000n, 8), 'deref');
    assert.equal(value(E(0x0a, 0x04, 0x10, 0x94, 2)), readLe(0x1004n, 2), 'deref_size 2');
  });

  it('reports missing registers, memory and frame data as unavailable, not as errors', () => {
    assert.equal(evaluateLocation(E(0x75, 0), ctx64).kind, 'unavailable');
    assert.equal(evaluateLocation(E(0x0a, 0x00, 0x90, 0x06), ctx64).kind, 'unavailable');
    assert.equal(evaluateLocation(E(0x91, 0), { addressSize: 8 }).kind, 'unavailable');
    assert.equal(evaluateLocation(E(0x9c), { addressSize: 8 }).kind, 'unavailable');
    // DW_OP_entry_value(DW_OP_reg5); DW_OP_stack_value, as gcc emits at -O2.
    assert.equal(evaluateLocation(E(0xa3, 1, 0x55, 0x9f), ctx64).kind, 'unavailable');
    assert.equal(evaluateLocation(E(0xf3, 1, 0x55, 0x9f), ctx64).kind, 'unavailable');
    assert.equal(evaluateLocation(E(0xa0, 0, 0, 0, 0, 0), ctx64).kind, 'unavailable', 'implicit_pointer');
  });

  it('produces value, implicit and optimised-out results', () => {
    assert.deepEqual(evaluateLocation(E(0x35, 0x9f), ctx64), { kind: 'value', value: 5n });
    assert.deepEqual(evaluateLocation(E(0x9e, 3, 1, 2, 3), ctx64), { kind: 'implicit', bytes: E(1, 2, 3) });
    assert.deepEqual(evaluateLocation(E(), ctx64), { kind: 'optimizedOut' });
    assert.equal(evaluateToValue(E(0x77, 8), ctx64), 0x7ff8n);
  });

  it('builds composite locations from pieces and reads their bytes', () => {
    // reg0 piece 4; optimised out piece 2; const 0x1234 stack_value piece 2; bit_piece from memory.
    const expr = E(0x50, 0x93, 4, 0x93, 2, 0x0a, 0x34, 0x12, 0x9f, 0x93, 2, 0x0a, 0x00, 0x10, 0x9d, 8, 4);
    const r = evaluateLocation(expr, ctx64);
    assert.equal(r.kind, 'composite');
    const pieces = (r as { pieces: { sizeBits: number; offsetBits: number; location: { kind: string } }[] }).pieces;
    assert.deepEqual(pieces.map((p) => [p.location.kind, p.sizeBits, p.offsetBits]), [
      ['register', 32, 0], ['optimizedOut', 16, 0], ['value', 16, 0], ['memory', 8, 4],
    ]);
    const bytes = readLocationBytes(r, 9, ctx64)!;
    assert.equal(bytes.complete, false, 'the optimised-out piece leaves a hole');
    const mem = Number(readLe(0x1000n, 2));
    assert.deepEqual([...bytes.bytes], [5, 0, 0, 0, 0, 0, 0x34, 0x12, (mem >> 4) & 0xff]);
    // A register piece of the 32-bit half of rbx.
    const half = readLocationBytes(evaluateLocation(E(0x53, 0x93, 4), ctx64), 4, ctx64)!;
    assert.deepEqual([...half.bytes], [0xef, 0xbe, 0xad, 0xde]);
  });

  it('rejects malformed expressions with SymbolsError', () => {
    const bad = [E(0x22), E(0x31, 0x30, 0x1b), E(0x31, 0x30, 0x1d), E(0x03, 1, 2), E(0xff), E(0x50, 0x31), E(0x13), E(0x31, 0x94, 9)];
    for (const expr of bad) assert.throws(() => evaluateLocation(expr, ctx64), SymbolsError, `${[...expr]}`);
  });

  it('formats expressions and names registers by DWARF number', () => {
    assert.equal(formatExpression(E(0x77, 8, 0x06), { addressSize: 8 }, 'x86-64'), 'DW_OP_breg7 (rsp): 8; DW_OP_deref');
    assert.equal(formatExpression(E(0xa3, 1, 0x55, 0x9f), { addressSize: 8 }, 'x86-64'), 'DW_OP_entry_value: (DW_OP_reg5 (rdi)); DW_OP_stack_value');
    assert.deepEqual(expressionOpNames(E(0xa3, 1, 0x55, 0x9f), { addressSize: 4 }), ['DW_OP_entry_value', 'DW_OP_reg5', 'DW_OP_stack_value']);
    assert.equal(dwarfRegisterName('x86-64', 16), 'rip');
    assert.equal(dwarfRegisterName('i386', 8), 'eip');
    assert.equal(dwarfRegisterName('i386', 4), 'esp');
    assert.equal(dwarfRegisterNumber('i386', 'EBP'), 5);
    assert.equal(dwarfRegisterNumber('x86-64', 'rbp'), 6);
    assert.equal(dwarfRegisterNumber('x86-64', 'xmm15'), 32);
    assert.equal(dwarfRegisterNumber('x86-64', 'rflags'), 49);
  });
});

function int16(v: number): number[] {
  return [v & 0xff, (v >> 8) & 0xff];
}

function readLe(addr: bigint, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(memory.get(addr + BigInt(i))!);
  return v;
}
