// Decodes one DIE attribute value for every DWARF 2-5 form into a tagged, unresolved value.
import { ByteReader } from '../byteReader';
import { SymbolsError, hex } from '../errors';
import { DW_FORM, formName } from './constants';

/**
 * An attribute value as stored. Indirect values (string offsets, address indexes, list indexes,
 * references) stay unresolved here; the reader resolves them against the unit's bases on demand.
 */
export type AttrValue =
  | { kind: 'address'; value: bigint }
  | { kind: 'addrx'; index: number }
  /** data1/2/4/8 (size = byte width) and udata (size = 0). Signedness depends on the consumer. */
  | { kind: 'udata'; value: bigint; size: number }
  | { kind: 'sdata'; value: bigint }
  | { kind: 'data16'; bytes: Uint8Array }
  | { kind: 'string'; value: string }
  | { kind: 'strp'; section: 'str' | 'lineStr' | 'sup'; offset: number }
  | { kind: 'strx'; index: number }
  | { kind: 'block'; bytes: Uint8Array }
  | { kind: 'exprloc'; bytes: Uint8Array }
  | { kind: 'flag'; value: boolean }
  /** Absolute offset in the unit's own section (ref1..ref8, ref_udata). */
  | { kind: 'ref'; offset: number }
  /** Absolute offset in .debug_info (ref_addr). */
  | { kind: 'refAddr'; offset: number }
  | { kind: 'refSig8'; signature: bigint }
  /** References into a supplementary or alternate file, which this reader does not load. */
  | { kind: 'refSup'; offset: number }
  | { kind: 'secOffset'; value: number }
  | { kind: 'loclistx'; index: number }
  | { kind: 'rnglistx'; index: number };

export interface Attr {
  at: number;
  form: number;
  value: AttrValue;
}

/** What decoding a form needs to know about its unit. */
export interface FormContext {
  version: number;
  offsetSize: 4 | 8;
  addressSize: number;
  /** Offset of the unit header, the base of unit-relative references. */
  unitOffset: number;
}

/** DW_FORM_indirect may name another form; more than a couple of levels is corrupt data. */
const MAX_INDIRECTION = 4;

export function readAttrValue(r: ByteReader, form: number, ctx: FormContext, implicitConst?: bigint, depth = 0): AttrValue {
  switch (form) {
    case DW_FORM.addr: return { kind: 'address', value: r.uint(ctx.addressSize) };
    case DW_FORM.block1: return { kind: 'block', bytes: r.bytesView(r.u8()) };
    case DW_FORM.block2: return { kind: 'block', bytes: r.bytesView(r.u16()) };
    case DW_FORM.block4: return { kind: 'block', bytes: r.bytesView(r.u32()) };
    case DW_FORM.block: return { kind: 'block', bytes: r.bytesView(r.ulebNum()) };
    case DW_FORM.exprloc: return { kind: 'exprloc', bytes: r.bytesView(r.ulebNum()) };
    case DW_FORM.data1: return { kind: 'udata', value: BigInt(r.u8()), size: 1 };
    case DW_FORM.data2: return { kind: 'udata', value: BigInt(r.u16()), size: 2 };
    case DW_FORM.data4: return { kind: 'udata', value: BigInt(r.u32()), size: 4 };
    case DW_FORM.data8: return { kind: 'udata', value: r.u64(), size: 8 };
    case DW_FORM.data16: return { kind: 'data16', bytes: r.bytesView(16) };
    case DW_FORM.udata: return { kind: 'udata', value: r.uleb(), size: 0 };
    case DW_FORM.sdata: return { kind: 'sdata', value: r.sleb() };
    case DW_FORM.implicit_const: return { kind: 'sdata', value: implicitConst ?? 0n };
    case DW_FORM.string: return { kind: 'string', value: r.cstring() };
    case DW_FORM.strp: return { kind: 'strp', section: 'str', offset: r.offset(ctx.offsetSize) };
    case DW_FORM.line_strp: return { kind: 'strp', section: 'lineStr', offset: r.offset(ctx.offsetSize) };
    case DW_FORM.strp_sup:
    case DW_FORM.GNU_strp_alt: return { kind: 'strp', section: 'sup', offset: r.offset(ctx.offsetSize) };
    case DW_FORM.strx:
    case DW_FORM.GNU_str_index: return { kind: 'strx', index: r.ulebNum() };
    case DW_FORM.strx1: return { kind: 'strx', index: r.u8() };
    case DW_FORM.strx2: return { kind: 'strx', index: r.u16() };
    case DW_FORM.strx3: return { kind: 'strx', index: r.u24() };
    case DW_FORM.strx4: return { kind: 'strx', index: r.u32() };
    case DW_FORM.addrx:
    case DW_FORM.GNU_addr_index: return { kind: 'addrx', index: r.ulebNum() };
    case DW_FORM.addrx1: return { kind: 'addrx', index: r.u8() };
    case DW_FORM.addrx2: return { kind: 'addrx', index: r.u16() };
    case DW_FORM.addrx3: return { kind: 'addrx', index: r.u24() };
    case DW_FORM.addrx4: return { kind: 'addrx', index: r.u32() };
    case DW_FORM.flag: return { kind: 'flag', value: r.u8() !== 0 };
    case DW_FORM.flag_present: return { kind: 'flag', value: true };
    case DW_FORM.ref1: return { kind: 'ref', offset: ctx.unitOffset + r.u8() };
    case DW_FORM.ref2: return { kind: 'ref', offset: ctx.unitOffset + r.u16() };
    case DW_FORM.ref4: return { kind: 'ref', offset: ctx.unitOffset + r.u32() };
    case DW_FORM.ref8: return { kind: 'ref', offset: ctx.unitOffset + r.offset(8) };
    case DW_FORM.ref_udata: return { kind: 'ref', offset: ctx.unitOffset + r.ulebNum() };
    // DWARF 2 sized ref_addr like an address; later versions like an offset.
    case DW_FORM.ref_addr: return { kind: 'refAddr', offset: ctx.version <= 2 ? r.offset(ctx.addressSize === 8 ? 8 : 4) : r.offset(ctx.offsetSize) };
    case DW_FORM.ref_sup4: return { kind: 'refSup', offset: r.u32() };
    case DW_FORM.ref_sup8: return { kind: 'refSup', offset: r.offset(8) };
    case DW_FORM.GNU_ref_alt: return { kind: 'refSup', offset: r.offset(ctx.offsetSize) };
    case DW_FORM.ref_sig8: return { kind: 'refSig8', signature: r.u64() };
    case DW_FORM.sec_offset: return { kind: 'secOffset', value: r.offset(ctx.offsetSize) };
    case DW_FORM.loclistx: return { kind: 'loclistx', index: r.ulebNum() };
    case DW_FORM.rnglistx: return { kind: 'rnglistx', index: r.ulebNum() };
    case DW_FORM.indirect: {
      if (depth >= MAX_INDIRECTION) throw new SymbolsError(`${r.what}: DW_FORM_indirect chain too deep at ${hex(r.pos)}`);
      const actual = r.ulebNum();
      return readAttrValue(r, actual, ctx, implicitConst, depth + 1);
    }
    default:
      throw new SymbolsError(`${r.what}: unknown attribute form ${formName(form)} at offset ${hex(r.pos)} (the rest of the unit cannot be decoded)`);
  }
}

/** A constant attribute as an unsigned bigint, or undefined for non-constant forms. */
export function constantOf(v: AttrValue | undefined): bigint | undefined {
  if (!v) return undefined;
  if (v.kind === 'udata' || v.kind === 'sdata') return v.value;
  return undefined;
}

/** A constant attribute as a signed value: data forms are sign-extended from their width. */
export function signedConstantOf(v: AttrValue | undefined): bigint | undefined {
  if (!v) return undefined;
  if (v.kind === 'sdata') return v.value;
  if (v.kind === 'udata') return v.size > 0 ? BigInt.asIntN(v.size * 8, v.value) : v.value;
  return undefined;
}

/** A small non-negative constant (line numbers, file indexes, sizes) as a JS number. */
export function numberOf(v: AttrValue | undefined): number | undefined {
  const c = constantOf(v);
  if (c === undefined || c < 0n || c > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(c);
}
