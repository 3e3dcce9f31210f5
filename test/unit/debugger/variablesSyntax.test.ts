// The C expression parser: precedence, postfix chains, casts versus parentheses, literals and rejected text.
import assert from 'node:assert/strict';
import { CSyntaxError, parseC, type CNode } from '../../../debug-adapter/src/debugger/variables/cSyntax';

/** A compact prefix rendering of a tree, so expectations read like the expression. */
function show(n: CNode): string {
  switch (n.k) {
    case 'int': return `${n.value}${n.unsigned ? 'u' : ''}${n.long ? 'l' : ''}`;
    case 'char': return `c${n.value}`;
    case 'float': return `f${n.value}`;
    case 'ident': return n.name;
    case 'member': return `(${n.arrow ? '->' : '.'} ${show(n.obj)} ${n.name})`;
    case 'index': return `([] ${show(n.obj)} ${show(n.index)})`;
    case 'unary': return `(${n.op} ${show(n.a)})`;
    case 'cast': return `(cast ${n.type.base}${'*'.repeat(n.type.pointers)} ${show(n.a)})`;
    case 'sizeof': return n.type ? `(sizeof ${n.type.base}${'*'.repeat(n.type.pointers)})` : `(sizeof ${show(n.a!)})`;
    case 'binary': return `(${n.op} ${show(n.a)} ${show(n.b)})`;
    case 'cond': return `(? ${show(n.c)} ${show(n.a)} ${show(n.b)})`;
  }
}

const typedefs = new Set(['u32', 'shape_t']);
const parse = (text: string) => show(parseC(text, { isTypeName: (n) => typedefs.has(n) }));

describe('C expression parser', () => {
  it('follows C precedence and associativity', () => {
    assert.equal(parse('a + b * c'), '(+ a (* b c))');
    assert.equal(parse('a - b - c'), '(- (- a b) c)');
    assert.equal(parse('a < b == c > d'), '(== (< a b) (> c d))');
    assert.equal(parse('a || b && c | d ^ e & f'), '(|| a (&& b (| c (^ d (& e f)))))');
    assert.equal(parse('a << 2 + 1'), '(<< a (+ 2 1))');
    assert.equal(parse('x ? y : z ? 1 : 2'), '(? x y (? z 1 2))');
  });

  it('parses postfix chains of members, arrows and indexes', () => {
    assert.equal(parse('g_triangle.corners[1].x'), '(. ([] (. g_triangle corners) 1) x)');
    assert.equal(parse('p->next->value'), '(-> (-> p next) value)');
    assert.equal(parse('a[i + 1][j]'), '([] ([] a (+ i 1)) j)');
    assert.equal(parse('*p->q'), '(* (-> p q))');
    assert.equal(parse('&s.m'), '(& (. s m))');
    assert.equal(parse('-*&x'), '(- (* (& x)))');
  });

  it('tells casts from parenthesised expressions', () => {
    assert.equal(parse('(struct shape *)0x1000'), '(cast struct shape* 4096)');
    assert.equal(parse('(unsigned long int)x'), '(cast unsigned long int x)');
    assert.equal(parse('(const char * const *)p'), '(cast char** p)');
    assert.equal(parse('(u32)x + 1'), '(+ (cast u32 x) 1)');
    assert.equal(parse('(x)+1'), '(+ x 1)');
    assert.equal(parse('(shape_t *)p->next'), '(cast shape_t* (-> p next))');
    assert.equal(parse('sizeof(struct point)'), '(sizeof struct point)');
    assert.equal(parse('sizeof x'), '(sizeof x)');
    assert.equal(parse('sizeof(u32 *)'), '(sizeof u32*)');
  });

  it('reads decimal, hex, octal, suffixed, character and floating literals', () => {
    assert.equal(parse('42'), '42');
    assert.equal(parse('0x1F'), '31');
    assert.equal(parse('017'), '15');
    assert.equal(parse('10ul'), '10ul');
    assert.equal(parse("'A'"), 'c65');
    assert.equal(parse("'\\n'"), 'c10');
    assert.equal(parse("'\\x7f'"), 'c127');
    assert.equal(parse("'\\0'"), 'c0');
    assert.equal(parse('1.5'), 'f1.5');
    assert.equal(parse('2e3'), 'f2000');
    assert.equal(parse('0x1e'), '30');
  });

  it('rejects what is not C, so the machine-level evaluator can have it', () => {
    for (const text of ['', '$eax', '[ebp+8]', 'a +', 'a.', '(int', 'x/4xb _start', 'a b', "'ab'", '09']) {
      assert.throws(() => parseC(text), CSyntaxError, text);
    }
  });
});
