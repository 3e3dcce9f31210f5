// Machine-level expressions (registers, memory, symbols, C-like operators) parsed once and evaluated in 64-bit bigint.

/** What an expression may look at; each lookup returns undefined when the name or address is unknown. */
export interface ExpressionContext {
  register(name: string): bigint | undefined;
  /** Reads `size` bytes little-endian at a guest-virtual address. */
  readMemory(address: bigint, size: number): bigint | undefined;
  symbol?(name: string): bigint | undefined;
  /** Width in bytes of `[expr]` without an explicit type (the pointer width of the current mode). */
  readonly pointerSize: number;
}

export class ExpressionError extends Error {}

type Node =
  | { k: 'num'; v: bigint }
  | { k: 'name'; name: string; dollar: boolean }
  | { k: 'mem'; size: number | undefined; addr: Node }
  | { k: 'un'; op: string; a: Node }
  | { k: 'bin'; op: string; a: Node; b: Node };

const MASK64 = (1n << 64n) - 1n;
const TYPE_SIZES: Record<string, number> = { u8: 1, u16: 2, u32: 4, u64: 8, i8: 1, i16: 2, i32: 4, i64: 8, char: 1, short: 2, int: 4, long: 8 };
const SIZE_WORDS: Record<string, number> = { byte: 1, word: 2, dword: 4, qword: 8 };
/** Binary operators by precedence, loosest first. */
const LEVELS: readonly (readonly string[])[] = [
  ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
];
const TOKEN = /\s*(0x[0-9a-fA-F_]+|0b[01_]+|[0-9][0-9_]*|\$?[A-Za-z_.][A-Za-z0-9_.@]*|\|\||&&|==|!=|<=|>=|<<|>>|[-+*/%&|^~!()<>[\]])/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new ExpressionError(`unexpected '${text.slice(pos).trim()[0]}' at column ${pos + 1} of '${text}'`);
    out.push(m[1]);
    pos = TOKEN.lastIndex;
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly t: string[], private readonly text: string) {}

  parse(): Node {
    if (this.t.length === 0) throw new ExpressionError('empty expression');
    const n = this.binary(0);
    if (this.i < this.t.length) throw new ExpressionError(`unexpected '${this.t[this.i]}' in '${this.text}'`);
    return n;
  }

  private peek(): string | undefined { return this.t[this.i]; }
  private take(expected?: string): string {
    const tok = this.t[this.i];
    if (tok === undefined) throw new ExpressionError(`'${this.text}' ends early${expected ? `: expected '${expected}'` : ''}`);
    if (expected !== undefined && tok !== expected) throw new ExpressionError(`expected '${expected}' but found '${tok}' in '${this.text}'`);
    this.i++;
    return tok;
  }

  private binary(level: number): Node {
    if (level >= LEVELS.length) return this.unary();
    let a = this.binary(level + 1);
    for (let op = this.peek(); op !== undefined && LEVELS[level].includes(op); op = this.peek()) {
      this.i++;
      a = { k: 'bin', op, a, b: this.binary(level + 1) };
    }
    return a;
  }

  private unary(): Node {
    const tok = this.peek();
    if (tok === '-' || tok === '~' || tok === '!' || tok === '+') { this.i++; return { k: 'un', op: tok, a: this.unary() }; }
    if (tok === '*') {
      this.i++;
      // `*(u32*)expr` names the width; a bare `*expr` reads a pointer-sized value.
      if (this.peek() === '(' && TYPE_SIZES[this.t[this.i + 1]] !== undefined && this.t[this.i + 2] === '*' && this.t[this.i + 3] === ')') {
        const size = TYPE_SIZES[this.t[this.i + 1]];
        this.i += 4;
        return { k: 'mem', size, addr: this.unary() };
      }
      return { k: 'mem', size: undefined, addr: this.unary() };
    }
    if (tok !== undefined && SIZE_WORDS[tok.toLowerCase()] !== undefined && this.t[this.i + 1] === '[') {
      this.i++;
      return this.bracket(SIZE_WORDS[tok.toLowerCase()]);
    }
    if (tok === '[') return this.bracket(undefined);
    return this.primary();
  }

  private bracket(size: number | undefined): Node {
    this.take('[');
    const addr = this.binary(0);
    this.take(']');
    return { k: 'mem', size, addr };
  }

  private primary(): Node {
    const tok = this.take();
    if (tok === '(') { const n = this.binary(0); this.take(')'); return n; }
    if (/^[0-9]/.test(tok)) {
      const clean = tok.replace(/_/g, '');
      try { return { k: 'num', v: BigInt(clean) }; } catch { throw new ExpressionError(`'${tok}' is not a number`); }
    }
    if (/^\$?[A-Za-z_.]/.test(tok)) return { k: 'name', name: tok.replace(/^\$/, ''), dollar: tok.startsWith('$') };
    throw new ExpressionError(`unexpected '${tok}' in '${this.text}'`);
  }
}

export class Expression {
  private constructor(readonly text: string, private readonly root: Node) {}

  /** Throws ExpressionError naming the offending token. */
  static parse(text: string): Expression {
    return new Expression(text, new Parser(tokenize(text), text).parse());
  }

  evaluate(ctx: ExpressionContext): bigint {
    return evalNode(this.root, ctx);
  }

  /** What an assignment to this expression writes: a register by name, or `size` bytes of memory at an address. */
  target(ctx: ExpressionContext): AssignTarget {
    const n = this.root;
    if (n.k === 'name') return { kind: 'register', name: n.name.toLowerCase() };
    if (n.k === 'mem') return { kind: 'memory', address: evalNode(n.addr, ctx), size: n.size ?? ctx.pointerSize };
    throw new ExpressionError(`'${this.text}' cannot be assigned to: expected a register or a memory reference such as [addr] or *(u32*)addr`);
  }
}

export type AssignTarget = { kind: 'register'; name: string } | { kind: 'memory'; address: bigint; size: number };

function evalNode(n: Node, ctx: ExpressionContext): bigint {
  switch (n.k) {
    case 'num': return n.v & MASK64;
    case 'name': {
      const reg = ctx.register(n.name.toLowerCase());
      if (reg !== undefined) return reg & MASK64;
      const sym = n.dollar ? undefined : ctx.symbol?.(n.name);
      if (sym !== undefined) return sym & MASK64;
      throw new ExpressionError(`unknown ${n.dollar ? 'register' : 'register or symbol'} '${n.name}'`);
    }
    case 'mem': {
      const addr = evalNode(n.addr, ctx);
      const size = n.size ?? ctx.pointerSize;
      const v = ctx.readMemory(addr, size);
      if (v === undefined) throw new ExpressionError(`cannot read ${size} byte${size > 1 ? 's' : ''} at 0x${addr.toString(16)}`);
      return v;
    }
    case 'un': {
      const a = evalNode(n.a, ctx);
      switch (n.op) {
        case '-': return (-a) & MASK64;
        case '~': return (~a) & MASK64;
        case '!': return a === 0n ? 1n : 0n;
        default: return a;
      }
    }
    case 'bin': {
      // && and || short-circuit so `rcx != 0 && [rcx] == 1` never reads through a null pointer.
      if (n.op === '&&') return evalNode(n.a, ctx) !== 0n && evalNode(n.b, ctx) !== 0n ? 1n : 0n;
      if (n.op === '||') return evalNode(n.a, ctx) !== 0n || evalNode(n.b, ctx) !== 0n ? 1n : 0n;
      return binary(n.op, evalNode(n.a, ctx), evalNode(n.b, ctx));
    }
  }
}

function binary(op: string, a: bigint, b: bigint): bigint {
  const bool = (v: boolean) => (v ? 1n : 0n);
  switch (op) {
    case '+': return (a + b) & MASK64;
    case '-': return (a - b) & MASK64;
    case '*': return (a * b) & MASK64;
    case '/': if (b === 0n) throw new ExpressionError('division by zero'); return a / b;
    case '%': if (b === 0n) throw new ExpressionError('division by zero'); return a % b;
    case '<<': return b >= 64n ? 0n : (a << b) & MASK64;
    case '>>': return b >= 64n ? 0n : a >> b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '==': return bool(a === b);
    case '!=': return bool(a !== b);
    case '<': return bool(a < b);
    case '<=': return bool(a <= b);
    case '>': return bool(a > b);
    case '>=': return bool(a >= b);
    default: throw new ExpressionError(`unknown operator '${op}'`);
  }
}

/** Names an expression refers to that are not `$`-prefixed (registers or symbols), so symbols can be resolved up front. */
export function identifiers(text: string): string[] {
  try {
    return [...new Set(tokenize(text).filter((t) => /^[A-Za-z_.]/.test(t) && TYPE_SIZES[t] === undefined && SIZE_WORDS[t.toLowerCase()] === undefined))];
  } catch {
    return [];
  }
}

/** `{expr}` interpolation for logpoints; a failing expression shows its error in place instead of dropping the line. */
export function interpolate(template: string, ctx: ExpressionContext): string {
  return template.replace(/\{([^{}]+)\}/g, (_, body: string) => {
    try { return `0x${Expression.parse(body).evaluate(ctx).toString(16)}`; } catch (e) { return `<${(e as Error).message}>`; }
  });
}

/** Hit conditions: `N` or `>=N` (from the Nth hit on), `==N`, `>N`, `<N`, `<=N`, `%N` (every Nth hit). */
export function parseHitCondition(text: string): (hits: number) => boolean {
  const m = /^\s*(==|>=|<=|>|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!m) throw new ExpressionError(`hit condition '${text}' is not understood: expected N, ==N, >=N, >N, <N, <=N or %N`);
  const n = Number(m[2]);
  switch (m[1]) {
    case '==': return (h) => h === n;
    case '>': return (h) => h > n;
    case '<': return (h) => h < n;
    case '<=': return (h) => h <= n;
    case '%': if (n === 0) throw new ExpressionError('hit condition %0 would divide by zero'); return (h) => h % n === 0;
    default: return (h) => h >= n;
  }
}
