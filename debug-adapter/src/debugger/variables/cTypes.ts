// Type helpers for C values over DWARF types: classification, C base types DWARF may lack, arithmetic result types.
import { stripTypedefs, typeSize, type BaseType, type DwarfType, type PointerType } from '../symbols';

/** DW_ATE_* encodings of base types (DWARF 5, 7.8). */
export const ATE = {
  boolean: 0x2, float: 0x4, signed: 0x5, signedChar: 0x6, unsigned: 0x7, unsignedChar: 0x8, utf: 0x10,
} as const;

export type ScalarClass = 'signed' | 'unsigned' | 'bool' | 'char' | 'float' | 'pointer' | 'enum';

/** How a value of this type behaves in arithmetic; undefined for aggregates, void and functions. */
export function scalarClass(t: DwarfType): ScalarClass | undefined {
  const s = stripTypedefs(t);
  switch (s.kind) {
    case 'pointer': case 'reference': case 'rvalueReference': return 'pointer';
    case 'enum': return 'enum';
    case 'base':
      switch (s.encoding) {
        case ATE.boolean: return 'bool';
        case ATE.float: return 'float';
        case ATE.signedChar: case ATE.unsignedChar: case ATE.utf: return 'char';
        case ATE.signed: return 'signed';
        default: return 'unsigned';
      }
    default: return undefined;
  }
}

/** Signedness of an integer-like type (chars follow their DWARF encoding). */
export function isSigned(t: DwarfType): boolean {
  const s = stripTypedefs(t);
  if (s.kind === 'enum') return s.signed;
  return s.kind === 'base' && (s.encoding === ATE.signed || s.encoding === ATE.signedChar);
}

export function isIntegerLike(t: DwarfType): boolean {
  const c = scalarClass(t);
  return c !== undefined && c !== 'float' && c !== 'pointer';
}

export function isPointer(t: DwarfType): t is PointerType {
  const k = stripTypedefs(t).kind;
  return k === 'pointer' || k === 'reference' || k === 'rvalueReference';
}

/** The pointed-to type of a pointer, or the element type of an array. */
export function targetOf(t: DwarfType): DwarfType | undefined {
  const s = stripTypedefs(t);
  if (s.kind === 'pointer' || s.kind === 'reference' || s.kind === 'rvalueReference') return s.target;
  if (s.kind === 'array') return s.dims.length > 1 ? { ...s, dims: s.dims.slice(1), id: `${s.id}[]` } : s.element;
  return undefined;
}

/** Whether `char` arrays and `char *` pointers of this element type show as text. */
export function isCharType(t: DwarfType): boolean {
  const s = stripTypedefs(t);
  return s.kind === 'base' && s.size === 1 && (s.encoding === ATE.signedChar || s.encoding === ATE.unsignedChar);
}

/** Size used for pointer arithmetic: void and functions count as 1, like GNU C. */
export function strideOf(t: DwarfType): number {
  const s = stripTypedefs(t);
  if (s.kind === 'array' && s.byteStride !== undefined && s.dims.length === 1) return s.byteStride;
  return typeSize(t) ?? 1;
}

const BASE_SPELLINGS: Record<string, { size: number | 'long'; encoding: number }> = {
  'char': { size: 1, encoding: ATE.signedChar },
  'signed char': { size: 1, encoding: ATE.signedChar },
  'unsigned char': { size: 1, encoding: ATE.unsignedChar },
  'short': { size: 2, encoding: ATE.signed }, 'short int': { size: 2, encoding: ATE.signed },
  'unsigned short': { size: 2, encoding: ATE.unsigned }, 'short unsigned int': { size: 2, encoding: ATE.unsigned },
  'unsigned short int': { size: 2, encoding: ATE.unsigned },
  'int': { size: 4, encoding: ATE.signed }, 'signed': { size: 4, encoding: ATE.signed }, 'signed int': { size: 4, encoding: ATE.signed },
  'unsigned': { size: 4, encoding: ATE.unsigned }, 'unsigned int': { size: 4, encoding: ATE.unsigned },
  'long': { size: 'long', encoding: ATE.signed }, 'long int': { size: 'long', encoding: ATE.signed },
  'unsigned long': { size: 'long', encoding: ATE.unsigned }, 'long unsigned int': { size: 'long', encoding: ATE.unsigned },
  'unsigned long int': { size: 'long', encoding: ATE.unsigned },
  'long long': { size: 8, encoding: ATE.signed }, 'long long int': { size: 8, encoding: ATE.signed },
  'unsigned long long': { size: 8, encoding: ATE.unsigned }, 'long long unsigned int': { size: 8, encoding: ATE.unsigned },
  'unsigned long long int': { size: 8, encoding: ATE.unsigned },
  '_Bool': { size: 1, encoding: ATE.boolean }, 'bool': { size: 1, encoding: ATE.boolean },
  'float': { size: 4, encoding: ATE.float }, 'double': { size: 8, encoding: ATE.float },
};

/** A C base type by spelling, built without DWARF (for casts to types the program never used); `long` follows the pointer size. */
export function builtinType(spelling: string, addressSize: 4 | 8): BaseType | undefined {
  const name = spelling.trim().replace(/\s+/g, ' ');
  const b = BASE_SPELLINGS[name];
  if (!b) return undefined;
  const size = b.size === 'long' ? addressSize : b.size;
  return { kind: 'base', name, size, encoding: b.encoding, id: `builtin:${name}` };
}

export function intType(addressSize: 4 | 8): BaseType { return builtinType('int', addressSize)!; }

export function pointerTo(t: DwarfType, addressSize: 4 | 8): PointerType {
  return { kind: 'pointer', size: addressSize, target: t, id: `${t.id}*` };
}

/**
 * The type binary arithmetic on two integers produces, after C's promotions: at least int, the wider operand,
 * unsigned when the wider (or equally wide) operand is unsigned.
 */
export function arithmeticType(a: DwarfType, b: DwarfType, addressSize: 4 | 8): BaseType {
  const size = Math.max(4, typeSize(a) ?? 4, typeSize(b) ?? 4);
  const unsignedOf = (t: DwarfType) => (typeSize(t) ?? 0) >= size && !isSigned(t) && scalarClass(t) !== 'bool';
  const unsigned = unsignedOf(a) || unsignedOf(b);
  const name = size === 4 ? 'int' : addressSize === 8 ? 'long' : 'long long';
  return builtinType(unsigned ? `unsigned ${name}` : name, addressSize)!;
}

export function doubleType(addressSize: 4 | 8): BaseType { return builtinType('double', addressSize)!; }
