// Parser for the C expression subset of hovers, watches and the console: names, members, indexing, casts, operators.

/** A type as written in a cast or sizeof: base spelling ("struct shape", "unsigned int", "u32") and pointer depth. */
export interface TypeSpec { base: string; pointers: number }

export type CNode =
  | { k: 'int'; value: bigint; unsigned: boolean; long: boolean; decimal: boolean }
  | { k: 'char'; value: bigint }
  | { k: 'float'; value: number }
  | { k: 'ident'; name: string }
  | { k: 'member'; obj: CNode; name: string; arrow: boolean }
  | { k: 'index'; obj: CNode; index: CNode }
  | { k: 'unary'; op: '-' | '+' | '!' | '~' | '*' | '&'; a: CNode }
  | { k: 'cast'; type: TypeSpec; a: CNode }
  | { k: 'sizeof'; type?: TypeSpec; a?: CNode }
  | { k: 'binary'; op: string; a: CNode; b: CNode }
  | { k: 'cond'; c: CNode; a: CNode; b: CNode };

/** The text is not C (or not the subset): callers may try another expression language. */
export class CSyntaxError extends Error {}

export interface ParseOptions {
  /** Whether an identifier names a type (a typedef), which makes `(name)` a cast. */
  isTypeName?: (name: string) => boolean;
}

const TYPE_KEYWORDS = new Set(['struct', 'union', 'enum', 'const', 'volatile', 'unsigned', 'signed', 'char', 'short', 'int', 'long', 'float', 'double', 'void', '_Bool']);
const QUALIFIERS = new Set(['const', 'volatile', 'restrict']);
/** Binary operators by precedence, loosest first. */
const LEVELS: readonly (readonly string[])[] = [
  ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
];
const TOKEN = /\s*(0[xX][0-9a-fA-F]+[uUlL]*|[0-9]+\.[0-9]*(?:[eE][-+]?[0-9]+)?[fF]?|[0-9]+[eE][-+]?[0-9]+[fF]?|[0-9]+[uUlL]*|'(?:\\.|[^'\\])+'|[A-Za-z_][A-Za-z0-9_]*|->|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!()<>[\].?:])/y;
const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };

export function tokenize(text: string): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new CSyntaxError(`unexpected '${text.slice(pos).trim()[0]}' at column ${pos + 1} of '${text}'`);
    out.push(m[1]);
    pos = TOKEN.lastIndex;
  }
  return out;
}

export function parseC(text: string, opts: ParseOptions = {}): CNode {
  return new Parser(tokenize(text), text, opts).parse();
}

class Parser {
  private i = 0;
  constructor(private readonly t: string[], private readonly text: string, private readonly opts: ParseOptions) {}

  parse(): CNode {
    if (this.t.length === 0) throw new CSyntaxError('empty expression');
    const n = this.conditional();
    if (this.i < this.t.length) throw new CSyntaxError(`unexpected '${this.t[this.i]}' in '${this.text}'`);
    return n;
  }

  private peek(ahead = 0): string | undefined { return this.t[this.i + ahead]; }

  private take(expected?: string): string {
    const tok = this.t[this.i];
    if (tok === undefined) throw new CSyntaxError(`'${this.text}' ends early${expected ? `: expected '${expected}'` : ''}`);
    if (expected !== undefined && tok !== expected) throw new CSyntaxError(`expected '${expected}' but found '${tok}' in '${this.text}'`);
    this.i++;
    return tok;
  }

  private conditional(): CNode {
    const c = this.binary(0);
    if (this.peek() !== '?') return c;
    this.i++;
    const a = this.conditional();
    this.take(':');
    return { k: 'cond', c, a, b: this.conditional() };
  }

  private binary(level: number): CNode {
    if (level >= LEVELS.length) return this.unary();
    let a = this.binary(level + 1);
    for (let op = this.peek(); op !== undefined && LEVELS[level].includes(op); op = this.peek()) {
      this.i++;
      a = { k: 'binary', op, a, b: this.binary(level + 1) };
    }
    return a;
  }

  private unary(): CNode {
    const tok = this.peek();
    if (tok === '-' || tok === '+' || tok === '!' || tok === '~' || tok === '*' || tok === '&') {
      this.i++;
      return { k: 'unary', op: tok, a: this.unary() };
    }
    if (tok === 'sizeof') {
      this.i++;
      if (this.peek() === '(' && this.startsType(1)) {
        this.i++;
        const type = this.typeSpec();
        this.take(')');
        return { k: 'sizeof', type };
      }
      return { k: 'sizeof', a: this.unary() };
    }
    if (tok === '(' && this.startsType(1)) {
      this.i++;
      const type = this.typeSpec();
      this.take(')');
      return { k: 'cast', type, a: this.unary() };
    }
    return this.postfix(this.primary());
  }

  /** Whether the token `ahead` positions on begins a type name. */
  private startsType(ahead: number): boolean {
    const tok = this.peek(ahead);
    if (tok === undefined) return false;
    if (TYPE_KEYWORDS.has(tok)) return true;
    return /^[A-Za-z_]/.test(tok) && this.peek(ahead + 1) !== undefined && (this.opts.isTypeName?.(tok) ?? false);
  }

  private typeSpec(): TypeSpec {
    const words: string[] = [];
    for (;;) {
      const tok = this.peek();
      if (tok === undefined || !/^[A-Za-z_]/.test(tok)) break;
      this.i++;
      if (QUALIFIERS.has(tok)) continue;
      words.push(tok);
      // A tag or typedef name ends the base type; keywords such as `unsigned long int` keep going.
      if (tok === 'struct' || tok === 'union' || tok === 'enum') { words.push(this.take()); break; }
      if (!TYPE_KEYWORDS.has(tok)) break;
    }
    if (words.length === 0) throw new CSyntaxError(`expected a type name in '${this.text}'`);
    let pointers = 0;
    while (this.peek() === '*' || (this.peek() !== undefined && QUALIFIERS.has(this.peek()!))) {
      if (this.take() === '*') pointers++;
    }
    return { base: words.join(' '), pointers };
  }

  private postfix(n: CNode): CNode {
    for (;;) {
      const tok = this.peek();
      if (tok === '.' || tok === '->') {
        this.i++;
        const name = this.take();
        if (!/^[A-Za-z_]/.test(name)) throw new CSyntaxError(`expected a member name after '${tok}' in '${this.text}'`);
        n = { k: 'member', obj: n, name, arrow: tok === '->' };
      } else if (tok === '[') {
        this.i++;
        const index = this.conditional();
        this.take(']');
        n = { k: 'index', obj: n, index };
      } else {
        return n;
      }
    }
  }

  private primary(): CNode {
    const tok = this.take();
    if (tok === '(') {
      const n = this.conditional();
      this.take(')');
      return n;
    }
    if (/^[0-9]/.test(tok)) return number(tok);
    if (tok.startsWith("'")) return { k: 'char', value: charValue(tok) };
    if (/^[A-Za-z_]/.test(tok)) {
      if (TYPE_KEYWORDS.has(tok) || tok === 'sizeof') throw new CSyntaxError(`unexpected '${tok}' in '${this.text}'`);
      return { k: 'ident', name: tok };
    }
    throw new CSyntaxError(`unexpected '${tok}' in '${this.text}'`);
  }
}

function number(tok: string): CNode {
  if (/[.eE]/.test(tok) && !/^0[xX]/.test(tok)) return { k: 'float', value: Number.parseFloat(tok) };
  const m = /^(.*?)([uUlL]*)$/.exec(tok)!;
  const body = m[1];
  const suffix = m[2].toLowerCase();
  let value: bigint;
  if (/^0[xX]/.test(body)) value = BigInt(body);
  else if (/^0[0-7]+$/.test(body)) value = BigInt(`0o${body.slice(1)}`);
  else if (/^(0|[1-9][0-9]*)$/.test(body)) value = BigInt(body);
  else throw new CSyntaxError(`'${tok}' is not a number`);
  return { k: 'int', value, unsigned: suffix.includes('u'), long: suffix.includes('l'), decimal: !/^0[0-7xX]/.test(body) };
}

function charValue(tok: string): bigint {
  const body = tok.slice(1, -1);
  if (body.length === 1) return BigInt(body.charCodeAt(0));
  if (body.startsWith('\\x')) return BigInt(`0x${body.slice(2)}`) & 0xffn;
  if (/^\\[0-7]{1,3}$/.test(body)) return BigInt(`0o${body.slice(1)}`) & 0xffn;
  if (body.length === 2 && body[0] === '\\' && ESCAPES[body[1]] !== undefined) return BigInt(ESCAPES[body[1]]);
  throw new CSyntaxError(`character constant ${tok} is not understood`);
}
