// Builds the type model from DWARF type DIEs, sharing one object per DIE so recursive types stay finite.
import { SymbolsError } from '../errors';
import { AttrValue, constantOf, numberOf, signedConstantOf } from './attrValue';
import { isSignedEncoding } from './constants';
import { DwarfReader } from './dwarfReader';
import { evaluateToValue } from './expression/evaluator';
import { DW_AT, DW_TAG } from './tagsAndAttributes';
import {
  ArrayDim, ArrayType, BaseType, DwarfType, EnumType, FunctionType, Member, PointerType, QualifiedType, StructType,
  TypedefType, UnknownType, VOID, stripTypedefs,
} from './types';
import { Die } from './unit';

/** Deeper nesting than this while building is a corrupt chain; the rest becomes an unknown type. */
const MAX_BUILD_DEPTH = 200;

const QUALIFIERS: Record<number, QualifiedType['kind']> = {
  [DW_TAG.const_type]: 'const', [DW_TAG.volatile_type]: 'volatile', [DW_TAG.restrict_type]: 'restrict',
  [DW_TAG.atomic_type]: 'atomic',
};

export class TypeBuilder {
  private readonly memo = new Map<string, DwarfType>();
  private depth = 0;
  private nameIndex: Map<string, Die[]> | undefined;

  constructor(private readonly reader: DwarfReader) {}

  /** The type named by a DIE's DW_AT_type (void when absent). */
  typeOfAttr(die: Die): DwarfType {
    const found = this.reader.inherited(die, DW_AT.type);
    if (!found) return VOID;
    const target = this.reader.ref(found.value, found.owner);
    return target ? this.typeOf(target) : { kind: 'unknown', tag: 0, id: `missing:${die.offset}`, name: '<missing type>' };
  }

  /** The type a type DIE describes. */
  typeOf(die: Die): DwarfType {
    const id = `${die.unit.header.section}:${die.offset}`;
    const hit = this.memo.get(id);
    if (hit) return hit;
    if (this.depth >= MAX_BUILD_DEPTH) return { kind: 'unknown', tag: die.tag, id, name: '<type nesting too deep>' };
    this.depth++;
    try {
      return this.build(die, id);
    } finally {
      this.depth--;
    }
  }

  /** A complete definition for a declared-only struct/union/enum, found by name in any unit. */
  complete(t: DwarfType): DwarfType {
    if ((t.kind === 'struct' || t.kind === 'union' || t.kind === 'class' || t.kind === 'enum') && t.declaration && t.name) {
      const full = this.byName(`${t.kind} ${t.name}`);
      if (full && full.kind === t.kind && !full.declaration) return full;
    }
    return t;
  }

  /**
   * A type by its C spelling: "int", "node_t", "struct node", "union value", "enum color",
   * with trailing '*' for pointers. Complete definitions win over declarations.
   */
  byName(spelling: string): DwarfType | undefined {
    let text = spelling.trim().replace(/\s+/g, ' ');
    let stars = 0;
    while (text.endsWith('*')) {
      stars++;
      text = text.slice(0, -1).trim();
    }
    const dies = this.names().get(text);
    if (!dies || dies.length === 0) return undefined;
    const best = dies.find((d) => !d.attr(DW_AT.declaration)) ?? dies[0];
    let t = this.typeOf(best);
    for (let i = 0; i < stars; i++) {
      t = { kind: 'pointer', size: best.unit.header.addressSize, target: t, id: `${t.id}*` };
    }
    return t;
  }

  private names(): Map<string, Die[]> {
    if (this.nameIndex) return this.nameIndex;
    const index = new Map<string, Die[]>();
    const prefix: Record<number, string> = {
      [DW_TAG.structure_type]: 'struct ', [DW_TAG.union_type]: 'union ', [DW_TAG.enumeration_type]: 'enum ',
      [DW_TAG.class_type]: 'class ', [DW_TAG.base_type]: '', [DW_TAG.typedef]: '', [DW_TAG.unspecified_type]: '',
    };
    const add = (key: string, d: Die) => {
      const list = index.get(key);
      if (list) list.push(d); else index.set(key, [d]);
    };
    for (const u of this.reader.units) {
      const root = this.reader.root(u);
      if (!root) continue;
      // Named types live at unit level (or inside namespaces, which C does not have).
      const stack: Die[] = [...root.children];
      while (stack.length > 0) {
        const d = stack.pop()!;
        if (d.tag === DW_TAG.namespace) { stack.push(...d.children); continue; }
        const p = prefix[d.tag];
        if (p === undefined) continue;
        const name = this.reader.string(d.attr(DW_AT.name), d.unit);
        if (!name) continue;
        add(p + name, d);
        // C++ lets a struct be named without the keyword; so does a cast written by a user.
        if (p && d.tag !== DW_TAG.enumeration_type) add(name, d);
      }
    }
    this.nameIndex = index;
    return index;
  }

  private build(die: Die, id: string): DwarfType {
    const r = this.reader;
    const name = r.string(die.attr(DW_AT.name), die.unit);
    const size = numberOf(die.attr(DW_AT.byte_size));
    const qualifier = QUALIFIERS[die.tag];
    if (qualifier) {
      const t: QualifiedType = { kind: qualifier, target: VOID, id };
      this.memo.set(id, t);
      t.target = this.typeOfAttr(die);
      return t;
    }
    switch (die.tag) {
      case DW_TAG.base_type: {
        const t: BaseType = { kind: 'base', name: name ?? '<base>', size: size ?? 0, encoding: numberOf(die.attr(DW_AT.encoding)) ?? 0, id };
        const bits = numberOf(die.attr(DW_AT.bit_size));
        if (bits !== undefined) t.bitSize = bits;
        this.memo.set(id, t);
        return t;
      }
      case DW_TAG.unspecified_type: {
        const t: DwarfType = { kind: 'void', name: name ?? 'void', id };
        this.memo.set(id, t);
        return t;
      }
      case DW_TAG.typedef: {
        const t: TypedefType = { kind: 'typedef', name: name ?? '<typedef>', target: VOID, id };
        this.memo.set(id, t);
        t.target = this.typeOfAttr(die);
        return t;
      }
      case DW_TAG.pointer_type:
      case DW_TAG.reference_type:
      case DW_TAG.rvalue_reference_type: {
        const kind = die.tag === DW_TAG.pointer_type ? 'pointer' : die.tag === DW_TAG.reference_type ? 'reference' : 'rvalueReference';
        const t: PointerType = { kind, size: size ?? die.unit.header.addressSize, target: VOID, id };
        this.memo.set(id, t);
        t.target = this.typeOfAttr(die);
        return t;
      }
      case DW_TAG.structure_type:
      case DW_TAG.union_type:
      case DW_TAG.class_type: {
        const kind = die.tag === DW_TAG.structure_type ? 'struct' : die.tag === DW_TAG.union_type ? 'union' : 'class';
        const t: StructType = { kind, members: [], declaration: !!die.attr(DW_AT.declaration), id };
        if (name !== undefined) t.name = name;
        if (size !== undefined) t.size = size;
        this.memo.set(id, t);
        for (const c of die.children) {
          if (c.tag === DW_TAG.member || c.tag === DW_TAG.inheritance) {
            if (c.attr(DW_AT.external) || c.attr(DW_AT.declaration)) continue; // static data members
            t.members.push(this.member(c));
          }
        }
        return t;
      }
      case DW_TAG.enumeration_type: {
        const t: EnumType = { kind: 'enum', size: size ?? 4, signed: false, enumerators: [], declaration: !!die.attr(DW_AT.declaration), id };
        if (name !== undefined) t.name = name;
        this.memo.set(id, t);
        if (die.attr(DW_AT.type)) {
          t.underlying = this.typeOfAttr(die);
          const u = stripTypedefs(t.underlying);
          t.signed = u.kind === 'base' && isSignedEncoding(u.encoding);
        } else {
          const enc = numberOf(die.attr(DW_AT.encoding));
          t.signed = enc !== undefined ? isSignedEncoding(enc) : die.children.some((c) => c.attr(DW_AT.const_value)?.kind === 'sdata');
        }
        for (const c of die.children) {
          if (c.tag !== DW_TAG.enumerator) continue;
          const v = c.attr(DW_AT.const_value);
          const value = (t.signed ? signedConstantOf(v) : constantOf(v)) ?? 0n;
          t.enumerators.push({ name: r.string(c.attr(DW_AT.name), c.unit) ?? '', value });
        }
        return t;
      }
      case DW_TAG.array_type: {
        const t: ArrayType = { kind: 'array', element: VOID, dims: [], id };
        this.memo.set(id, t);
        t.element = this.typeOfAttr(die);
        const stride = numberOf(die.attr(DW_AT.byte_stride));
        if (stride !== undefined) t.byteStride = stride;
        for (const c of die.children) {
          if (c.tag === DW_TAG.subrange_type || c.tag === DW_TAG.enumeration_type) t.dims.push(this.dimension(c));
        }
        return t;
      }
      case DW_TAG.subroutine_type: {
        const t: FunctionType = { kind: 'function', returnType: VOID, params: [], variadic: false, prototyped: !!die.attr(DW_AT.prototyped), id };
        this.memo.set(id, t);
        t.returnType = this.typeOfAttr(die);
        for (const c of die.children) {
          if (c.tag === DW_TAG.formal_parameter) t.params.push(this.typeOfAttr(c));
          else if (c.tag === DW_TAG.unspecified_parameters) t.variadic = true;
        }
        return t;
      }
      default: {
        const t: UnknownType = { kind: 'unknown', tag: die.tag, id };
        if (name !== undefined) t.name = name;
        this.memo.set(id, t);
        return t;
      }
    }
  }

  private member(c: Die): Member {
    const m: Member = { type: this.typeOfAttr(c), offset: 0 };
    const name = this.reader.string(c.attr(DW_AT.name), c.unit);
    if (name !== undefined) m.name = name;
    if (c.tag === DW_TAG.inheritance) m.inherited = true;
    const loc = c.attr(DW_AT.data_member_location);
    const byteOffset = loc ? memberOffset(loc, c.unit.header.addressSize) ?? 0 : 0;
    const bitSize = numberOf(c.attr(DW_AT.bit_size));
    const dataBitOffset = numberOf(c.attr(DW_AT.data_bit_offset));
    if (bitSize !== undefined) {
      m.bitSize = bitSize;
      if (dataBitOffset !== undefined) {
        m.bitOffset = dataBitOffset;
      } else {
        // DWARF 2/3: DW_AT_bit_offset counts from the most significant bit of a storage unit
        // of DW_AT_byte_size bytes at data_member_location; convert for little-endian targets.
        const storage = numberOf(c.attr(DW_AT.byte_size)) ?? (typeSizeGuess(m.type) ?? 4);
        const fromMsb = numberOf(c.attr(DW_AT.bit_offset)) ?? 0;
        m.bitOffset = byteOffset * 8 + storage * 8 - fromMsb - bitSize;
      }
      m.offset = Math.floor(m.bitOffset / 8);
    } else {
      m.offset = dataBitOffset !== undefined ? Math.floor(dataBitOffset / 8) : byteOffset;
    }
    return m;
  }

  private dimension(c: Die): ArrayDim {
    if (c.tag === DW_TAG.enumeration_type) {
      // An enumeration-indexed dimension (Pascal/Ada style): as many elements as enumerators.
      return { lower: 0n, count: c.children.filter((e) => e.tag === DW_TAG.enumerator).length };
    }
    const lower = boundOf(c.attr(DW_AT.lower_bound)) ?? 0n;
    const countV = boundOf(c.attr(DW_AT.count));
    if (countV !== undefined) return { lower, count: clampCount(countV) };
    const upper = boundOf(c.attr(DW_AT.upper_bound));
    if (upper === undefined) return { lower };
    return { lower, count: clampCount(upper - lower + 1n) };
  }
}

/** Constant bounds only; references and expressions are run-time sized (VLAs). */
function boundOf(v: AttrValue | undefined): bigint | undefined {
  if (!v) return undefined;
  if (v.kind === 'sdata') return v.value;
  // Unsigned data forms holding all ones mean "-1" (an empty or flexible array).
  if (v.kind === 'udata') return signedConstantOf(v);
  return undefined;
}

function clampCount(n: bigint): number {
  if (n <= 0n) return 0;
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

/** DW_AT_data_member_location: a constant, or (DWARF 2) an expression such as DW_OP_plus_uconst N. */
function memberOffset(v: AttrValue, addressSize: number): number | undefined {
  const c = numberOf(v);
  if (c !== undefined) return c;
  if (v.kind === 'block' || v.kind === 'exprloc') {
    try {
      const r = evaluateToValue(v.bytes, { addressSize: addressSize === 4 ? 4 : 8, initialStack: [0n] });
      return r !== undefined && r <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r) : undefined;
    } catch (err) {
      if (err instanceof SymbolsError) return undefined;
      throw err;
    }
  }
  return undefined;
}

function typeSizeGuess(t: DwarfType): number | undefined {
  const s = stripTypedefs(t);
  return s.kind === 'base' || s.kind === 'enum' ? s.size : undefined;
}
