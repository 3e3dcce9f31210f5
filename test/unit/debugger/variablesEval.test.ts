// C expression evaluation over typed values: lookups, members, pointers, casts, arithmetic rules, assignment, paging.
import assert from 'node:assert/strict';
import { assign, enumeratorValue } from '../../../debug-adapter/src/debugger/variables/assign';
import { childrenOf, isExpandable, operand } from '../../../debug-adapter/src/debugger/variables/children';
import { evaluateC, scalar, UnknownNameError } from '../../../debug-adapter/src/debugger/variables/cEvaluator';
import { CSyntaxError, parseC, type CNode } from '../../../debug-adapter/src/debugger/variables/cSyntax';
import { typeName } from '../../../debug-adapter/src/debugger/symbols';
import { formatValue } from '../../../debug-adapter/src/debugger/variables/valueFormat';
import { ValueError } from '../../../debug-adapter/src/debugger/variables/cValue';
import {
  arr, BITS, CHAR, COLOR, FakeMachine, INT, konst, MEM_BASE, POINT, ptr, SHORT, struct, U32, UCHAR, UINT,
} from './variablesFixtures';
import { mulberry32 } from '../../support/mulberry32';

/** A machine with: int i = -7; u32 u = 3; struct point pt = {10, 20}; struct point *pp = &pt; int a[4] = {1,2,3,4};
 *  char name[8] = "abc"; enum color c = GREEN; struct bits b; short s = -2; unsigned char uc = 200; int big[250]. */
function machine(): FakeMachine {
  const m = new FakeMachine();
  m.variable('i', INT, MEM_BASE); m.put(MEM_BASE, -7n, 4);
  m.variable('u', U32, MEM_BASE + 4n); m.put(MEM_BASE + 4n, 3n, 4);
  m.variable('pt', POINT, MEM_BASE + 8n); m.put(MEM_BASE + 8n, 10n, 4); m.put(MEM_BASE + 12n, 20n, 4);
  m.variable('pp', ptr(POINT), MEM_BASE + 16n); m.put(MEM_BASE + 16n, MEM_BASE + 8n, 4);
  m.variable('a', arr(INT, 4), MEM_BASE + 20n);
  for (let k = 0; k < 4; k++) m.put(MEM_BASE + 20n + BigInt(4 * k), BigInt(k + 1), 4);
  m.variable('name', arr(CHAR, 8), MEM_BASE + 36n); m.putBytes(MEM_BASE + 36n, [0x61, 0x62, 0x63, 0]);
  m.variable('c', COLOR, MEM_BASE + 44n); m.put(MEM_BASE + 44n, 1n, 4);
  m.variable('b', BITS, MEM_BASE + 48n); m.put(MEM_BASE + 48n, 5n | (17n << 3n) | (0xdn << 8n), 4);
  m.variable('s', SHORT, MEM_BASE + 52n); m.put(MEM_BASE + 52n, -2n, 2);
  m.variable('uc', UCHAR, MEM_BASE + 54n); m.put(MEM_BASE + 54n, 200n, 1);
  m.variable('grid', arr(INT, 2, 3), MEM_BASE + 64n);
  for (let k = 0; k < 6; k++) m.put(MEM_BASE + 64n + BigInt(4 * k), BigInt(k * 11), 4);
  m.variable('big', arr(INT, 250), MEM_BASE + 0x100n);
  m.variable('k', konst(INT), MEM_BASE + 60n); m.put(MEM_BASE + 60n, 9n, 4);
  m.vars.set('inreg', { type: INT, place: { kind: 'register', reg: 0, frame: 0 } });
  m.regs[0].set(0, 0x11223344n);
  return m;
}

async function show(m: FakeMachine, text: string): Promise<string> {
  return formatValue(await evaluateC(parseC(text, { isTypeName: (n) => m.types.has(n) }), m), m);
}

async function typeOf(m: FakeMachine, text: string): Promise<string> {
  return typeName((await evaluateC(parseC(text, { isTypeName: (n) => m.types.has(n) }), m)).type);
}

describe('C expression evaluation', () => {
  it('reads variables, members, arrows, indexes and dereferences', async () => {
    const m = machine();
    assert.equal(await show(m, 'i'), '-7');
    assert.equal(await show(m, 'pt.y'), '20');
    assert.equal(await show(m, 'pp->x'), '10');
    assert.equal(await show(m, '(*pp).y'), '20');
    assert.equal(await show(m, 'a[2]'), '3');
    assert.equal(await show(m, '*(a + 3)'), '4');
    assert.equal(await show(m, 'grid[1][2]'), '55');
    assert.equal(await show(m, 'grid[1]'), '{33, 44, 55}');
    assert.equal(await show(m, 'name'), '"abc"');
    assert.equal(await show(m, 'name[1]'), "98 'b'");
    assert.equal(await show(m, 'b.c'), '-3');
    assert.equal(await show(m, 'c'), 'GREEN');
    assert.equal(await show(m, 'inreg'), '287454020');
  });

  it('takes addresses and follows pointer arithmetic in element units', async () => {
    const m = machine();
    assert.equal(await show(m, '&pt'), '0x1008');
    assert.equal(await typeOf(m, '&pt'), 'struct point *');
    assert.equal(await show(m, '&a[1]'), '0x1018');
    assert.equal(await show(m, '&a[3] - &a[0]'), '3');
    assert.equal(await show(m, '(char *)&a[1] - (char *)a'), '4');
    assert.equal(await show(m, 'pp + 1'), '0x1010');
    assert.equal(await show(m, '&pp->y'), '0x100c');
    await assert.rejects(show(m, '&inreg'), /lives in a register and has no address/);
    await assert.rejects(show(m, '&b.a'), /address of a bitfield/);
    await assert.rejects(show(m, '*i'), /cannot dereference a value of type int/);
  });

  it('casts to DWARF types, builtin types and pointers', async () => {
    const m = machine();
    assert.equal(await show(m, '(unsigned char)i'), "249 '\\xf9'");
    assert.equal(await show(m, '(unsigned int)i'), '4294967289');
    assert.equal(await show(m, '(u32)s'), '4294967294');
    assert.equal(await typeOf(m, '(u32)s'), 'u32');
    assert.equal(await show(m, '((struct point *)0x1008)->y'), '20');
    assert.equal(await show(m, '*(struct point *)&a[0]'), '{x=1, y=2}');
    assert.equal(await show(m, '(enum color)4'), 'BLUE');
    assert.equal(await show(m, '(double)u / 2'), '1.5');
    assert.equal(await show(m, '(int)2.75'), '2');
    assert.equal(await show(m, 'sizeof(struct point) + sizeof pt.x'), '12');
    await assert.rejects(show(m, '(struct nowhere *)0'), /unknown type 'struct nowhere'/);
    await assert.rejects(show(m, '(int)(1.5 / 0.0)'), /Infinity cannot be converted to an integer/);
    await assert.rejects(show(m, 'a[0.0 / 0.0]'), /NaN cannot be converted to an integer/);
    assert.equal(await show(m, '(int)2e3'), '2000');
  });

  it('follows C arithmetic: promotions, unsigned wrap-around, signed comparison, short-circuit', async () => {
    const m = machine();
    assert.equal(await show(m, 'i + u'), '4294967292');
    assert.equal(await typeOf(m, 'i + u'), 'unsigned int');
    assert.equal(await show(m, 'i < u'), '0');
    assert.equal(await show(m, 'i < 0'), '1');
    assert.equal(await show(m, 's * uc'), '-400');
    assert.equal(await show(m, 'uc + uc'), '400');
    assert.equal(await show(m, '-i / 2'), '3');
    assert.equal(await show(m, 'i % 4'), '-3');
    assert.equal(await show(m, 'i >> 1'), '-4');
    assert.equal(await show(m, '0x7fffffff + 1'), '-2147483648');
    assert.equal(await show(m, '0xffffffff'), '4294967295');
    assert.equal(await show(m, "'a' + 1"), '98');
    assert.equal(await show(m, 'pp != 0 && pp->x == 10'), '1');
    assert.equal(await show(m, '0 && *(int *)0'), '0');
    assert.equal(await show(m, 'u ? pt.x : pt.y'), '10');
    assert.equal(await show(m, '!c'), '0');
    await assert.rejects(show(m, 'i / (u - 3)'), /division by zero/);
  });

  it('reports names that are not variables apart from other errors', async () => {
    const m = machine();
    await assert.rejects(evaluateC(parseC('eax + 1'), m), UnknownNameError);
    await assert.rejects(evaluateC(parseC('pt.z'), m), (e: Error) => !(e instanceof UnknownNameError) && /struct point has no member named 'z'/.test(e.message));
    await assert.rejects(evaluateC(parseC('i.x'), m), /not a struct or union/);
  });

  it('assigns numbers, expressions and enumerators; read-modify-writes bitfields; writes registers', async () => {
    const m = machine();
    const ev = (text: string) => evaluateC(parseC(text), m);
    await assign(await ev('pt.x'), await ev('i * -3'), m);
    assert.equal(await show(m, 'pt.x'), '21');
    await assign(await ev('c'), enumeratorValue(COLOR, 'BLUE', m)!, m);
    assert.equal(await show(m, 'c'), 'BLUE');
    await assign(await ev('b.b'), await ev('3'), m);
    assert.equal(await show(m, 'b'), '{a=5, b=3, c=-3}');
    await assign(await ev('b.c'), await ev('-1'), m);
    assert.equal(await show(m, 'b'), '{a=5, b=3, c=-1}');
    await assign(await ev('uc'), await ev('0x1ff'), m);
    assert.equal(await show(m, 'uc'), "255 '\\xff'");
    await assign(await ev('pp'), await ev('0x1014'), m);
    assert.equal(await show(m, 'pp->x'), '1');
    await assign(await ev('inreg'), await ev('-1'), m);
    assert.equal(m.regs[0].get(0), 0xffffffffn);
    await assert.rejects(async () => assign(await ev('pt'), await ev('1'), m), /only numbers, enums and pointers can be set/);
    await assert.rejects(async () => assign(await ev('i + 1'), await ev('1'), m), /computed, not stored/);
    await assert.rejects(async () => assign({ type: INT, problem: '<optimised out>' }, await ev('1'), m), /optimised out/);
  });

  it('opens structs, pointers to structs and arrays, with evaluate names and pages of elements', async () => {
    const m = machine();
    const ev = (text: string) => evaluateC(parseC(text), m);
    const members = await childrenOf(await ev('pt'), 'pt', m);
    assert.deepEqual(members.map((c) => [c.name, c.evaluateName]), [['x', 'pt.x'], ['y', 'pt.y']]);
    const viaPointer = await childrenOf(await ev('pp'), 'pp', m);
    assert.deepEqual(viaPointer.map((c) => c.evaluateName), ['pp->x', 'pp->y']);
    const intPointer = await childrenOf(await ev('&i'), '&i', m);
    assert.deepEqual(intPointer.map((c) => [c.name, c.evaluateName]), [['*&i', '*(&i)']]);
    assert.equal(await formatValue(intPointer[0].value, m), '-7');
    const page = await childrenOf(await ev('big'), 'big', m, 200, 30);
    assert.deepEqual([page[0].name, page[29].name, page.length], ['[200]', '[229]', 30]);
    assert.equal(page[1].evaluateName, 'big[201]');
    assert.equal((await childrenOf(await ev('big'), 'big', m, 240, 30)).length, 10);
    assert.equal(await isExpandable(await ev('(struct point *)0'), m), false);
    assert.equal(await isExpandable(await ev('(char *)0x1000'), m), true);
    assert.equal(await isExpandable(await ev('i'), m), false);
    assert.equal(operand('a.b[2]->c'), 'a.b[2]->c');
    assert.equal(operand('a + 1'), '(a + 1)');
  });

  it('keeps union members at the same place and finds members of anonymous members', async () => {
    const m = machine();
    const u = struct('u', 4, [{ name: 'word', type: UINT, offset: 0 }, { name: 'bytes', type: arr(UCHAR, 4), offset: 0 }], 'union');
    const outer = struct('outer', 8, [{ type: u, offset: 0 }, { name: 'tail', type: INT, offset: 4 }]);
    m.variable('o', outer, MEM_BASE + 0x80n);
    m.put(MEM_BASE + 0x80n, 0x04030201n, 4);
    assert.equal(await show(m, 'o.bytes[2]'), "3 '\\x03'");
    assert.equal(await show(m, 'o.word'), String(0x04030201));
  });
});

interface Ref { v: bigint; u: boolean }
const OPS = ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>', '==', '!=', '<', '<=', '>', '>=', '&&', '||'];

/** C semantics for 32-bit int and unsigned int, the model the evaluator must match. */
function reference(n: CNode, vars: Map<string, Ref>): Ref {
  const fit = (v: bigint, u: boolean): Ref => ({ v: u ? BigInt.asUintN(32, v) : BigInt.asIntN(32, v), u });
  switch (n.k) {
    case 'int': return { v: n.value, u: !n.decimal && n.value > 0x7fffffffn };
    case 'ident': return vars.get(n.name)!;
    case 'unary': {
      const a = reference(n.a, vars);
      if (n.op === '!') return { v: a.v === 0n ? 1n : 0n, u: false };
      return fit(n.op === '-' ? -a.v : ~a.v, a.u);
    }
    case 'binary': {
      if (n.op === '&&') return { v: reference(n.a, vars).v !== 0n && reference(n.b, vars).v !== 0n ? 1n : 0n, u: false };
      if (n.op === '||') return { v: reference(n.a, vars).v !== 0n || reference(n.b, vars).v !== 0n ? 1n : 0n, u: false };
      const a = reference(n.a, vars);
      const b = reference(n.b, vars);
      if (n.op === '<<' || n.op === '>>') {
        const r = b.v;
        if (r < 0n || r >= 64n) return fit(n.op === '>>' && !a.u && a.v < 0n ? -1n : 0n, a.u);
        return fit(n.op === '<<' ? a.v << r : a.v >> r, a.u);
      }
      const u = a.u || b.u;
      const x = u ? BigInt.asUintN(32, a.v) : a.v;
      const y = u ? BigInt.asUintN(32, b.v) : b.v;
      const cmp = (c: boolean): Ref => ({ v: c ? 1n : 0n, u: false });
      switch (n.op) {
        case '+': return fit(x + y, u);
        case '-': return fit(x - y, u);
        case '*': return fit(x * y, u);
        case '/': if (y === 0n) throw new Error('division by zero'); return fit(x / y, u);
        case '%': if (y === 0n) throw new Error('division by zero'); return fit(x % y, u);
        case '&': return fit(x & y, u);
        case '|': return fit(x | y, u);
        case '^': return fit(x ^ y, u);
        case '==': return cmp(x === y);
        case '!=': return cmp(x !== y);
        case '<': return cmp(x < y);
        case '<=': return cmp(x <= y);
        case '>': return cmp(x > y);
        default: return cmp(x >= y);
      }
    }
    default: throw new Error(`unexpected node ${n.k}`);
  }
}

function randomExpression(rand: () => number, depth: number): string {
  if (depth === 0 || rand() < 0.25) {
    const r = rand();
    if (r < 0.3) return ['i', 'u', 'j', 'w'][Math.floor(rand() * 4)];
    if (r < 0.6) return String(Math.floor(rand() * 40));
    return `0x${Math.floor(rand() * 0xffffffff).toString(16)}`;
  }
  if (rand() < 0.15) return `${['-', '~', '!'][Math.floor(rand() * 3)]}(${randomExpression(rand, depth - 1)})`;
  const op = OPS[Math.floor(rand() * OPS.length)];
  const right = op === '<<' || op === '>>' ? String(Math.floor(rand() * 32)) : randomExpression(rand, depth - 1);
  return `(${randomExpression(rand, depth - 1)} ${op} ${right})`;
}

describe('C expression evaluation: seeded fuzz against a model of C int arithmetic', () => {
  it('agrees on value and signedness for random expressions over int and unsigned variables', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 0x5eed1234);
    const rand = mulberry32(seed);
    const m = new FakeMachine();
    const refs = new Map<string, Ref>();
    const names: [string, typeof INT, bigint][] = [['i', INT, -123456789n], ['u', UINT, 4000000000n], ['j', INT, 77n], ['w', UINT, 5n]];
    names.forEach(([name, type, v], k) => {
      m.variable(name, type, MEM_BASE + BigInt(4 * k));
      m.put(MEM_BASE + BigInt(4 * k), v, 4);
      refs.set(name, { v: type === INT ? BigInt.asIntN(32, v) : v, u: type === UINT });
    });
    for (let n = 0; n < 2000; n++) {
      const text = randomExpression(rand, 4);
      const node = parseC(text);
      let expected: Ref | Error;
      try { expected = reference(node, refs); } catch (e) { expected = e as Error; }
      try {
        const got = await evaluateC(node, m);
        assert.ok(!(expected instanceof Error), `expected '${(expected as Error).message}'`);
        const exp = expected as Ref;
        assert.equal(await scalar(got, m), exp.v);
        assert.equal(typeName(got.type).startsWith('unsigned'), exp.u);
      } catch (e) {
        if (expected instanceof Error && e instanceof ValueError && e.message === expected.message) continue;
        throw new Error(`fuzz seed 0x${seed.toString(16)}, case ${n}: '${text}': ${(e as Error).message}`);
      }
    }
  });
});


describe('C expression evaluation: seeded fuzz over token soup', () => {
  it('answers every input with a value or a one-line syntax or value error, never a crash', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 0xc0ffee);
    const rand = mulberry32(seed);
    const m = machine();
    const tokens = ['i', 'u', 'pt', 'pp', 'a', 'name', 'c', 'b', 's', 'uc', 'grid', 'big', 'inreg', 'k', 'x', 'y', 'nope',
      '0', '1', '7', '0x10', '0xffffffff', "'a'", '1.5', '0.0', '(0.0 / 0.0)', '(1.5 / 0.0)', '(', ')', '[', ']', '.', '->', '*', '&', '-', '+', '!', '~', '/', '%',
      '<<', '>>', '<', '>=', '==', '!=', '&&', '||', '?', ':', '(int)', '(char *)', '(struct point *)', '(u32)', '(double)', 'sizeof'];
    for (let n = 0; n < 3000; n++) {
      const len = 1 + Math.floor(rand() * 8);
      const text = Array.from({ length: len }, () => tokens[Math.floor(rand() * tokens.length)]).join(' ');
      try {
        const v = await evaluateC(parseC(text, { isTypeName: (t) => m.types.has(t) }), m);
        await formatValue(v, m);
      } catch (e) {
        if (e instanceof CSyntaxError || e instanceof ValueError) continue;
        throw new Error(`fuzz seed 0x${seed.toString(16)}, case ${n}: '${text}' crashed: ${(e as Error).stack}`);
      }
    }
  });
});
