// Reads .eh_frame encoded pointers (DW_EH_PE_*): value formats and pc/text/data/function-relative bases.
import { ByteReader } from '../byteReader';
import { SymbolsError, hex } from '../errors';
import { DW_EH_PE, DW_EH_PE_APPLICATION_MASK, DW_EH_PE_FORMAT_MASK } from './cfaOpcodes';

export interface PointerBases {
  addressSize: 4 | 8;
  /** Load address of byte 0 of the section being read (for pcrel). */
  sectionAddr: bigint;
  textAddr?: bigint;
  dataAddr?: bigint;
  /** Start of the current function (for funcrel LSDA pointers). */
  funcAddr?: bigint;
}

export interface EncodedPointer {
  value: bigint;
  /** DW_EH_PE_indirect: `value` is the address of the pointer, not the pointer. */
  indirect: boolean;
}

/** Reads a pointer in `encoding`; undefined for DW_EH_PE_omit. */
export function readEncodedPointer(r: ByteReader, encoding: number, bases: PointerBases): EncodedPointer | undefined {
  if (encoding === DW_EH_PE.omit) return undefined;
  const mask = (1n << BigInt(bases.addressSize * 8)) - 1n;
  const application = encoding & DW_EH_PE_APPLICATION_MASK;
  if (application === DW_EH_PE.aligned) {
    const rem = r.pos % bases.addressSize;
    if (rem) r.skip(bases.addressSize - rem);
  }
  const fieldAddr = bases.sectionAddr + BigInt(r.pos);
  let value = readPointerValue(r, encoding, bases.addressSize);
  switch (application) {
    case DW_EH_PE.absptr: case DW_EH_PE.aligned: break;
    case DW_EH_PE.pcrel: value += fieldAddr; break;
    case DW_EH_PE.textrel: value += need(bases.textAddr, 'text', encoding); break;
    case DW_EH_PE.datarel: value += need(bases.dataAddr, 'data', encoding); break;
    case DW_EH_PE.funcrel: value += need(bases.funcAddr, 'function', encoding); break;
    default: throw new SymbolsError(`${r.what}: pointer encoding ${hex(encoding)} has an unknown base`);
  }
  return { value: value & mask, indirect: (encoding & DW_EH_PE.indirect) !== 0 };
}

/** The value part only (used for FDE address ranges, which are lengths). */
export function readPointerValue(r: ByteReader, encoding: number, addressSize: 4 | 8): bigint {
  switch (encoding & DW_EH_PE_FORMAT_MASK) {
    case DW_EH_PE.absptr: return r.uint(addressSize);
    case DW_EH_PE.uleb128: return r.uleb();
    case DW_EH_PE.udata2: return BigInt(r.u16());
    case DW_EH_PE.udata4: return BigInt(r.u32());
    case DW_EH_PE.udata8: return r.u64();
    case DW_EH_PE.sleb128: return r.sleb();
    case DW_EH_PE.sdata2: return BigInt(r.i16());
    case DW_EH_PE.sdata4: return BigInt(r.i32());
    case DW_EH_PE.sdata8: return r.i64();
    default: throw new SymbolsError(`${r.what}: pointer encoding ${hex(encoding)} has an unknown value format`);
  }
}

function need(base: bigint | undefined, what: string, encoding: number): bigint {
  if (base === undefined) throw new SymbolsError(`.eh_frame: pointer encoding ${hex(encoding)} is relative to the ${what} base, which is unknown`);
  return base;
}
