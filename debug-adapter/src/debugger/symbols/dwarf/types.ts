// The source-level type model built from DWARF type DIEs, and helpers to size and name types.

export type DwarfType =
  | BaseType | VoidType | TypedefType | PointerType | QualifiedType | ArrayType | StructType | EnumType
  | FunctionType | UnknownType;

interface Common {
  /** Stable identity: the defining DIE's section and offset (synthesised types use negative ids). */
  id: string;
}

export interface BaseType extends Common {
  kind: 'base';
  name: string;
  size: number;
  /** DW_ATE_* code. */
  encoding: number;
  /** Bit size of a packed base type (DW_AT_bit_size), if any. */
  bitSize?: number;
}

export interface VoidType extends Common {
  kind: 'void';
  name: string;
}

export interface TypedefType extends Common {
  kind: 'typedef';
  name: string;
  target: DwarfType;
}

export interface PointerType extends Common {
  kind: 'pointer' | 'reference' | 'rvalueReference';
  size: number;
  target: DwarfType;
}

export interface QualifiedType extends Common {
  kind: 'const' | 'volatile' | 'restrict' | 'atomic';
  target: DwarfType;
}

export interface ArrayDim {
  lower: bigint;
  /** Element count; undefined for flexible or run-time-sized dimensions. */
  count?: number;
}

export interface ArrayType extends Common {
  kind: 'array';
  element: DwarfType;
  dims: ArrayDim[];
  /** DW_AT_byte_stride of the array, when it is not the element size. */
  byteStride?: number;
}

export interface Member {
  name?: string;
  type: DwarfType;
  /** Byte offset from the start of the enclosing struct (for bitfields: the byte holding the first bit). */
  offset: number;
  /** Bitfields only: offset of the first bit from the start of the struct, counting from the least significant bit. */
  bitOffset?: number;
  bitSize?: number;
  /** True for base classes (DW_TAG_inheritance). */
  inherited?: boolean;
}

export interface StructType extends Common {
  kind: 'struct' | 'union' | 'class';
  name?: string;
  size?: number;
  members: Member[];
  /** A forward declaration without members (complete it by name). */
  declaration: boolean;
}

export interface Enumerator {
  name: string;
  value: bigint;
}

export interface EnumType extends Common {
  kind: 'enum';
  name?: string;
  size: number;
  signed: boolean;
  underlying?: DwarfType;
  enumerators: Enumerator[];
  declaration: boolean;
}

export interface FunctionType extends Common {
  kind: 'function';
  returnType: DwarfType;
  params: DwarfType[];
  variadic: boolean;
  prototyped: boolean;
}

export interface UnknownType extends Common {
  kind: 'unknown';
  tag: number;
  name?: string;
}

export const VOID: VoidType = { kind: 'void', name: 'void', id: 'void' };

/** Typedef/qualifier chains are short; a longer one is a cycle in corrupt data. */
const MAX_CHAIN = 64;

/** Follows typedefs and cv-qualifiers to the type that decides layout and display. */
export function stripTypedefs(t: DwarfType): DwarfType {
  let cur = t;
  for (let i = 0; i < MAX_CHAIN; i++) {
    if (cur.kind === 'typedef' || cur.kind === 'const' || cur.kind === 'volatile' || cur.kind === 'restrict' || cur.kind === 'atomic') cur = cur.target;
    else return cur;
  }
  return cur;
}

/** Size in bytes, or undefined when unknown (void, incomplete structs, flexible arrays). */
export function typeSize(t: DwarfType, depth = 0): number | undefined {
  if (depth > MAX_CHAIN) return undefined;
  switch (t.kind) {
    case 'base': case 'pointer': case 'reference': case 'rvalueReference': case 'enum': return t.size;
    case 'struct': case 'union': case 'class': return t.size;
    case 'typedef': case 'const': case 'volatile': case 'restrict': case 'atomic': return typeSize(t.target, depth + 1);
    case 'array': {
      let n = 1;
      for (const d of t.dims) {
        if (d.count === undefined) return undefined;
        n *= d.count;
      }
      if (t.byteStride !== undefined) return n * t.byteStride;
      const e = typeSize(t.element, depth + 1);
      return e === undefined ? undefined : n * e;
    }
    default: return undefined;
  }
}

/** C-style spelling: "const char *", "int [3][4]", "struct node", "void (*)(int)". */
export function typeName(t: DwarfType): string {
  return declarator(t, '', 0).trim();
}

function declarator(t: DwarfType, inner: string, depth: number): string {
  if (depth > MAX_CHAIN) return '?' + inner;
  switch (t.kind) {
    case 'base': case 'void': case 'typedef': return `${t.name}${inner ? ' ' + inner : ''}`;
    case 'struct': case 'union': case 'class': case 'enum':
      return `${t.kind} ${t.name ?? '<anonymous>'}${inner ? ' ' + inner : ''}`;
    case 'unknown': return `${t.name ?? '<unknown type>'}${inner ? ' ' + inner : ''}`;
    case 'const': case 'volatile': case 'restrict': case 'atomic': {
      const q = t.kind === 'atomic' ? '_Atomic' : t.kind;
      const target = t.target;
      // A qualified array is an array of qualified elements; C spells the qualifier on the element.
      if (target.kind === 'array') {
        const element = hasQualifier(target.element, t.kind) ? target.element : { ...t, target: target.element };
        return declarator({ ...target, element }, inner, depth + 1);
      }
      // Qualifiers on a named type read naturally in front ("const char"); on pointers they follow the star.
      if (target.kind === 'pointer' || target.kind === 'reference') return declarator(target, `${q}${inner ? ' ' + inner : ''}`, depth + 1);
      return `${q} ${declarator(target, inner, depth + 1)}`;
    }
    case 'pointer': case 'reference': case 'rvalueReference': {
      const sym = t.kind === 'pointer' ? '*' : t.kind === 'reference' ? '&' : '&&';
      const wrapped = needsParens(t.target) ? `(${sym}${inner})` : `${sym}${inner}`;
      return declarator(t.target, wrapped, depth + 1);
    }
    case 'array': {
      const dims = t.dims.map((d) => `[${d.count ?? ''}]`).join('');
      return declarator(t.element, `${inner}${dims}`, depth + 1);
    }
    case 'function': {
      const params = t.params.map((p) => typeName(p));
      if (t.variadic) params.push('...');
      const list = params.length ? params.join(', ') : t.prototyped ? 'void' : '';
      return declarator(t.returnType, `${inner}(${list})`, depth + 1);
    }
  }
}

function hasQualifier(t: DwarfType, kind: QualifiedType['kind']): boolean {
  let cur = t;
  for (let i = 0; i < MAX_CHAIN; i++) {
    if (cur.kind === kind) return true;
    if (cur.kind === 'const' || cur.kind === 'volatile' || cur.kind === 'restrict' || cur.kind === 'atomic') cur = cur.target;
    else return false;
  }
  return false;
}

function needsParens(t: DwarfType): boolean {
  return t.kind === 'array' || t.kind === 'function';
}
