// Parses CIE and FDE records of .debug_frame and .eh_frame, including "zPLRS" augmentations.
import { ByteReader } from '../byteReader';
import { ProblemLog, SymbolsError, hex } from '../errors';
import { DW_EH_PE } from './cfaOpcodes';
import { PointerBases, readEncodedPointer, readPointerValue } from './pointerEncoding';

export interface Cie {
  offset: number;
  version: number;
  augmentation: string;
  codeAlign: bigint;
  dataAlign: bigint;
  raReg: number;
  addressSize: 4 | 8;
  /** Encoding of FDE addresses (eh_frame 'R'); absptr otherwise. */
  fdeEncoding: number;
  lsdaEncoding: number;
  personality?: { value: bigint; indirect: boolean };
  /** 'S': frames of this CIE were interrupted, their pc is exact (no return-address adjustment). */
  signalFrame: boolean;
  initialInstructions: Uint8Array;
  /** Where the instructions came from, for encoded DW_CFA_set_loc operands. */
  source: CfiSource;
}

export interface Fde {
  offset: number;
  cie: Cie;
  /** [pcLow, pcHigh) in unbiased file addresses. */
  pcLow: bigint;
  pcHigh: bigint;
  lsda?: { value: bigint; indirect: boolean };
  instructions: Uint8Array;
  /** Offset of `instructions` in the section, for encoded set_loc operands. */
  instructionsOffset: number;
}

export type CfiKind = 'debug_frame' | 'eh_frame';

export interface CfiSource {
  kind: CfiKind;
  bytes: Uint8Array;
  bases: PointerBases;
}

export interface CfiTable {
  source: CfiSource;
  cies: Map<number, Cie>;
  /** Sorted by pcLow. */
  fdes: Fde[];
}

const DEBUG_FRAME_CIE_ID_32 = 0xffffffff;
const DEBUG_FRAME_CIE_ID_64 = 0xffffffffffffffffn;
const EH_FRAME_CIE_ID = 0;

/** Reads every record; a bad record is logged and skipped when its length still lets us continue. */
export function parseCfi(source: CfiSource, problems: ProblemLog): CfiTable {
  const what = source.kind === 'eh_frame' ? '.eh_frame' : '.debug_frame';
  const bytes = source.bytes;
  const cies = new Map<number, Cie>();
  const fdes: Fde[] = [];
  const pendingFdes: { offset: number; cieOffset: number; body: ByteReader }[] = [];
  let offset = 0;
  while (offset + 4 <= bytes.length) {
    const r = new ByteReader(bytes, what, offset);
    let length = r.u32();
    let is64 = false;
    if (length === 0xffffffff) {
      if (r.remaining < 8) break;
      length = Number(r.u64() & 0xffffffffffffn);
      is64 = true;
    }
    if (length === 0) {
      if (source.kind === 'eh_frame') break; // terminator
      offset = r.pos;
      continue;
    }
    const end = r.pos + length;
    if (end > bytes.length) {
      problems.add(`${what}: record at ${hex(offset)} claims ${length} bytes but only ${bytes.length - r.pos} remain`);
      break;
    }
    const idPos = r.pos;
    const body = r.at(r.pos, end);
    const id = is64 ? body.u64() : BigInt(body.u32());
    const isCie = source.kind === 'eh_frame'
      ? id === BigInt(EH_FRAME_CIE_ID)
      : id === (is64 ? DEBUG_FRAME_CIE_ID_64 : BigInt(DEBUG_FRAME_CIE_ID_32));
    if (isCie) {
      const cie = problems.guard(() => parseCie(body, offset, source), undefined);
      if (cie) cies.set(offset, cie);
    } else {
      // eh_frame: distance back from the pointer field; debug_frame: offset in the section.
      const cieOffset = source.kind === 'eh_frame' ? idPos - Number(id) : Number(id);
      pendingFdes.push({ offset, cieOffset, body });
    }
    offset = end;
  }
  for (const p of pendingFdes) {
    const cie = cies.get(p.cieOffset);
    if (!cie) {
      problems.add(`${what}: FDE at ${hex(p.offset)} refers to CIE ${hex(p.cieOffset)}, which is missing or unreadable`);
      continue;
    }
    const fde = problems.guard(() => parseFde(p.body, p.offset, cie, source), undefined);
    if (fde) fdes.push(fde);
  }
  fdes.sort((a, b) => (a.pcLow < b.pcLow ? -1 : a.pcLow > b.pcLow ? 1 : 0));
  return { source, cies, fdes };
}

function parseCie(r: ByteReader, offset: number, source: CfiSource): Cie {
  const version = r.u8();
  if (version !== 1 && version !== 3 && version !== 4) {
    throw new SymbolsError(`${r.what}: CIE at ${hex(offset)} has version ${version} (expected 1, 3 or 4)`);
  }
  const augmentation = r.cstring();
  let addressSize = source.bases.addressSize;
  if (augmentation.includes('eh')) r.skip(addressSize); // obsolete GCC "eh" data pointer
  if (version >= 4) {
    const size = r.u8();
    const segment = r.u8();
    if (size !== 4 && size !== 8) throw new SymbolsError(`${r.what}: CIE at ${hex(offset)} has address size ${size}`);
    if (segment !== 0) throw new SymbolsError(`${r.what}: CIE at ${hex(offset)} uses segment selectors, which x86 does not`);
    addressSize = size;
  }
  const codeAlign = r.uleb();
  const dataAlign = r.sleb();
  const raReg = version === 1 ? r.u8() : r.ulebNum();
  const cie: Cie = {
    offset, version, augmentation, codeAlign, dataAlign, raReg, addressSize,
    fdeEncoding: DW_EH_PE.absptr, lsdaEncoding: DW_EH_PE.omit, signalFrame: false,
    initialInstructions: new Uint8Array(0), source,
  };
  if (augmentation.startsWith('z')) {
    const dataLen = r.ulebNum();
    const data = r.sub(dataLen);
    for (const ch of augmentation.slice(1)) {
      if (ch === 'R') cie.fdeEncoding = data.u8();
      else if (ch === 'L') cie.lsdaEncoding = data.u8();
      else if (ch === 'P') {
        const enc = data.u8();
        cie.personality = readEncodedPointer(data, enc, { ...source.bases, addressSize });
      } else if (ch === 'S') cie.signalFrame = true;
      else if (ch === 'B' || ch === 'G') continue; // AArch64 key / MTE flags carry no data
      else break; // unknown: 'z' tells us the data length, so the rest can be skipped
    }
  } else if (/^(eh)?[SBG]*$/.test(augmentation)) {
    // .debug_frame has no augmentation data; these letters carry none either.
    cie.signalFrame = augmentation.includes('S');
  } else {
    throw new SymbolsError(`${r.what}: CIE at ${hex(offset)} has augmentation "${augmentation}" without 'z', which cannot be skipped`);
  }
  cie.initialInstructions = r.bytesView(r.remaining);
  return cie;
}

function parseFde(r: ByteReader, offset: number, cie: Cie, source: CfiSource): Fde {
  const bases: PointerBases = { ...source.bases, addressSize: cie.addressSize };
  let pcLow: bigint;
  let length: bigint;
  if (source.kind === 'eh_frame') {
    pcLow = readEncodedPointer(r, cie.fdeEncoding, bases)?.value ?? 0n;
    length = readPointerValue(r, cie.fdeEncoding, cie.addressSize);
  } else {
    pcLow = r.uint(cie.addressSize);
    length = r.uint(cie.addressSize);
  }
  const mask = (1n << BigInt(cie.addressSize * 8)) - 1n;
  const fde: Fde = { offset, cie, pcLow, pcHigh: (pcLow + length) & mask, instructions: new Uint8Array(0), instructionsOffset: 0 };
  if (fde.pcHigh < fde.pcLow) fde.pcHigh = mask;
  if (cie.augmentation.startsWith('z')) {
    const dataLen = r.ulebNum();
    const data = r.sub(dataLen);
    if (cie.augmentation.includes('L') && cie.lsdaEncoding !== DW_EH_PE.omit) {
      fde.lsda = readEncodedPointer(data, cie.lsdaEncoding, { ...bases, funcAddr: pcLow });
    }
  }
  fde.instructionsOffset = r.pos;
  fde.instructions = r.bytesView(r.remaining);
  return fde;
}

/** The FDE covering `pc` (unbiased), by binary search over sorted, mostly disjoint ranges. */
export function findFde(table: CfiTable, pc: bigint): Fde | undefined {
  const fdes = table.fdes;
  let lo = 0;
  let hi = fdes.length - 1;
  let idx = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fdes[mid].pcLow <= pc) { idx = mid; lo = mid + 1; } else hi = mid - 1;
  }
  // Overlaps only come from discarded sections relocated to 0; a short backward scan covers them.
  for (let i = idx; i >= 0 && i > idx - 8; i--) {
    if (pc >= fdes[i].pcLow && pc < fdes[i].pcHigh) return fdes[i];
  }
  return undefined;
}
