// Unit tests for the expression evaluator used by conditions, logpoints and evaluate.
import assert from 'node:assert/strict';
import { Expression, ExpressionError, identifiers, interpolate, parseHitCondition, type ExpressionContext } from '../../../debug-adapter/src/debugger/expression';
import { mulberry32 } from '../../support/mulberry32';

function context(regs: Record<string, bigint>, memory: Record<number, number> = {}, symbols: Record<string, bigint> = {}, pointerSize = 4): ExpressionContext {
  return {
    register: (n) => regs[n],
    readMemory: (a, size) => {
      let v = 0n;
      for (let i = size - 1; i >= 0; i--) {
        const b = memory[Number(a) + i];
        if (b === undefined) return undefined;
        v = (v << 8n) | BigInt(b);
      }
      return v;
    },
    symbol: (n) => symbols[n],
    pointerSize,
  };
}

const ev = (text: string, ctx: ExpressionContext) => Expression.parse(text).evaluate(ctx);

describe('debugger expressions', () => {
  const ctx = context({ rax: 5n, rsp: 0x1000n, rcx: 0n }, { 0x1000: 0x78, 0x1001: 0x56, 0x1002: 0x34, 0x1003: 0x12, 0x1004: 1, 0x1005: 0, 0x1006: 0, 0x1007: 0 }, { counter: 0x1004n });

  it('evaluates registers with or without $, numbers and C precedence', () => {
    assert.equal(ev('rax', ctx), 5n);
    assert.equal(ev('$rax + 0x10 * 2', ctx), 37n);
    assert.equal(ev('(rax + 1) << 4', ctx), 96n);
    assert.equal(ev('rax == 5 && rsp != 0', ctx), 1n);
    assert.equal(ev('!rax || 0', ctx), 0n);
    assert.equal(ev('-1', ctx), 0xffffffffffffffffn);
    assert.equal(ev('0b101 ^ 0x3', ctx), 6n);
  });

  it('reads memory with [x] at pointer width, typed derefs and size words', () => {
    assert.equal(ev('[rsp]', ctx), 0x12345678n);
    assert.equal(ev('*(u8*)rsp', ctx), 0x78n);
    assert.equal(ev('*(u16*)(rsp + 2)', ctx), 0x1234n);
    assert.equal(ev('byte [rsp + 1]', ctx), 0x56n);
    assert.equal(ev('[counter] == 1', ctx), 1n);
    assert.equal(ev('rax == 5 && [rsp] != 0', ctx), 1n);
  });

  it('short-circuits so a guarded null dereference is never read', () => {
    assert.equal(ev('rcx != 0 && [rcx] == 1', ctx), 0n);
    assert.throws(() => ev('[rcx]', ctx), /cannot read 4 bytes at 0x0/);
  });

  it('names the problem in errors', () => {
    assert.throws(() => Expression.parse('rax +'), ExpressionError);
    assert.throws(() => Expression.parse('rax ) 1'), /unexpected '\)'/);
    assert.throws(() => Expression.parse('rax # 1'), /unexpected '#'/);
    assert.throws(() => ev('nosuch + 1', ctx), /unknown register or symbol 'nosuch'/);
    assert.throws(() => ev('$counter', ctx), /unknown register 'counter'/);
    assert.throws(() => ev('rax / rcx', ctx), /division by zero/);
  });

  it('interpolates logpoint templates, keeping errors visible in place', () => {
    assert.equal(interpolate('rax={rax} top={[rsp]}', ctx), 'rax=0x5 top=0x12345678');
    assert.equal(interpolate('bad={nosuch}', ctx), "bad=<unknown register or symbol 'nosuch'>");
  });

  it('lists identifiers so symbols can be resolved up front', () => {
    assert.deepEqual(identifiers('[tick_count] == 1 && rax > *(u32*)base'), ['tick_count', 'rax', 'base']);
  });

  it('parses hit conditions', () => {
    const hits = (text: string) => [1, 2, 3, 4, 5, 6].filter(parseHitCondition(text));
    assert.deepEqual(hits('3'), [3, 4, 5, 6]);
    assert.deepEqual(hits('==2'), [2]);
    assert.deepEqual(hits('>4'), [5, 6]);
    assert.deepEqual(hits('< 3'), [1, 2]);
    assert.deepEqual(hits('%2'), [2, 4, 6]);
    assert.throws(() => parseHitCondition('often'), /hit condition 'often'/);
    assert.throws(() => parseHitCondition('%0'), /divide by zero/);
  });

  it('agrees with bigint arithmetic on random expressions (seeded)', () => {
    const seed = 0x5eed1234;
    const rnd = mulberry32(seed);
    const mask = (1n << 64n) - 1n;
    const ops: [string, (a: bigint, b: bigint) => bigint][] = [
      ['+', (a, b) => (a + b) & mask], ['-', (a, b) => (a - b) & mask], ['*', (a, b) => (a * b) & mask],
      ['&', (a, b) => a & b], ['|', (a, b) => a | b], ['^', (a, b) => a ^ b],
    ];
    for (let i = 0; i < 2000; i++) {
      const a = BigInt(Math.floor(rnd() * 2 ** 32)) * BigInt(Math.floor(rnd() * 2 ** 32));
      const b = BigInt(Math.floor(rnd() * 2 ** 32));
      const [op, f] = ops[Math.floor(rnd() * ops.length)];
      const r = context({ rax: a });
      assert.equal(ev(`rax ${op} 0x${b.toString(16)}`, r), f(a & mask, b), `seed 0x${seed.toString(16)}, case ${i}: ${a} ${op} ${b}`);
    }
  });
});
