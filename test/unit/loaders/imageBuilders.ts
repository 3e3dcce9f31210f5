// Synthetic kernel images for loader tests: ELF32/64 with notes, Multiboot headers, a.out-kludge kernels, bzImages, boot sectors.
import { putU16, putU32, putU64 } from '../../../debug-adapter/src/loaders/bytes';

export interface ElfSegmentSpec {
  type?: number;
  paddr: number;
  vaddr?: bigint;
  data: Uint8Array;
  memsz?: number;
  align?: number;
}

export interface ElfSpec {
  bits: 32 | 64;
  machine?: number;
  type?: number;
  entry: bigint | number;
  segments: ElfSegmentSpec[];
}

export const PT_LOAD = 1;
export const PT_NOTE = 4;

/** An ELF file: header, program headers, then each segment's bytes at 16-byte aligned file offsets. */
export function buildElf(spec: ElfSpec): Uint8Array {
  const is64 = spec.bits === 64;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  let offset = ehsize + phentsize * spec.segments.length;
  const placed = spec.segments.map((s) => {
    offset = Math.ceil(offset / 16) * 16;
    const at = offset;
    offset += s.data.length;
    return at;
  });
  const out = new Uint8Array(Math.max(offset, ehsize));
  out.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, 1, 1]);
  putU16(out, 16, spec.type ?? 2);
  putU16(out, 18, spec.machine ?? (is64 ? 62 : 3));
  putU32(out, 20, 1);
  if (is64) {
    putU64(out, 24, BigInt(spec.entry));
    putU64(out, 32, ehsize);
    putU16(out, 52, ehsize);
    putU16(out, 54, phentsize);
    putU16(out, 56, spec.segments.length);
  } else {
    putU32(out, 24, Number(spec.entry));
    putU32(out, 28, ehsize);
    putU16(out, 40, ehsize);
    putU16(out, 42, phentsize);
    putU16(out, 44, spec.segments.length);
  }
  spec.segments.forEach((s, i) => {
    const p = ehsize + i * phentsize;
    const type = s.type ?? PT_LOAD;
    const vaddr = s.vaddr ?? BigInt(s.paddr);
    const memsz = s.memsz ?? s.data.length;
    const align = s.align ?? (type === PT_NOTE ? 4 : 0x1000);
    if (is64) {
      putU32(out, p, type);
      putU32(out, p + 4, 5);
      putU64(out, p + 8, placed[i]);
      putU64(out, p + 16, vaddr);
      putU64(out, p + 24, s.paddr);
      putU64(out, p + 32, s.data.length);
      putU64(out, p + 40, memsz);
      putU64(out, p + 48, align);
    } else {
      putU32(out, p, type);
      putU32(out, p + 4, placed[i]);
      putU32(out, p + 8, Number(vaddr));
      putU32(out, p + 12, s.paddr);
      putU32(out, p + 16, s.data.length);
      putU32(out, p + 20, memsz);
      putU32(out, p + 24, 5);
      putU32(out, p + 28, align);
    }
    out.set(s.data, placed[i]);
  });
  return out;
}

/** One ELF note: namesz, descsz, type, then name and desc each padded to `pad` bytes. */
export function elfNote(name: string, type: number, desc: Uint8Array, pad = 4): Uint8Array {
  const nameBytes = new TextEncoder().encode(`${name}\0`);
  const nameLen = Math.ceil(nameBytes.length / pad) * pad;
  const descLen = Math.ceil(desc.length / pad) * pad;
  const out = new Uint8Array(12 + nameLen + descLen);
  putU32(out, 0, nameBytes.length);
  putU32(out, 4, desc.length);
  putU32(out, 8, type);
  out.set(nameBytes, 12);
  out.set(desc, 12 + nameLen);
  return out;
}

export function u32Bytes(v: number): Uint8Array {
  const b = new Uint8Array(4);
  putU32(b, 0, v);
  return b;
}

export function u64Bytes(v: number | bigint): Uint8Array {
  const b = new Uint8Array(8);
  putU64(b, 0, v);
  return b;
}

export function pvhNote(entry: number, size: 4 | 8 = 4): Uint8Array {
  return elfNote('Xen', 18, size === 4 ? u32Bytes(entry) : u64Bytes(entry));
}

/** Code bytes that are easy to recognise in guest memory: a jump-to-self loop padded with a counting pattern. */
export function code(length: number, seed = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + seed) & 0xff;
  if (length >= 2) out.set([0xeb, 0xfe]);
  return out;
}

export interface MultibootHeaderSpec {
  flags: number;
  addresses?: { headerAddr: number; loadAddr: number; loadEndAddr: number; bssEndAddr: number; entryAddr: number };
  video?: { modeType: number; width: number; height: number; depth: number };
  badChecksum?: boolean;
}

export const MB_MAGIC = 0x1badb002;

export function multibootHeader(spec: MultibootHeaderSpec): Uint8Array {
  const out = new Uint8Array(spec.video ? 48 : spec.addresses ? 32 : 12);
  putU32(out, 0, MB_MAGIC);
  putU32(out, 4, spec.flags);
  putU32(out, 8, (-(MB_MAGIC + spec.flags) + (spec.badChecksum ? 1 : 0)) >>> 0);
  const a = spec.addresses;
  if (a) {
    [a.headerAddr, a.loadAddr, a.loadEndAddr, a.bssEndAddr, a.entryAddr].forEach((v, i) => putU32(out, 12 + i * 4, v));
  }
  const v = spec.video;
  if (v) [v.modeType, v.width, v.height, v.depth].forEach((x, i) => putU32(out, 32 + i * 4, x));
  return out;
}

/** An ELF32 Multiboot kernel: one PT_LOAD at `paddr` whose first bytes are the header, then code, then .bss. */
export function multibootElf(opts: { paddr?: number; codeSize?: number; bss?: number; flags?: number; machine?: number;
  bits?: 32 | 64 } = {}): Uint8Array {
  const paddr = opts.paddr ?? 0x100000;
  const header = multibootHeader({ flags: opts.flags ?? 0x3 });
  const body = new Uint8Array(header.length + (opts.codeSize ?? 64));
  body.set(code(body.length - header.length), header.length);
  body.set(header, 0);
  return buildElf({
    bits: opts.bits ?? 32, machine: opts.machine, entry: paddr + header.length,
    segments: [{ paddr, data: body, memsz: body.length + (opts.bss ?? 0) }],
  });
}

/** A non-ELF Multiboot kernel using the address fields: header at `headerOffset`, loaded from file offset 0. */
export function aoutKernel(opts: { loadAddr?: number; headerOffset?: number; size?: number; bss?: number;
  entryOffset?: number; loadEndZero?: boolean; flags?: number } = {}): Uint8Array {
  const loadAddr = opts.loadAddr ?? 0x100000;
  const headerOffset = opts.headerOffset ?? 0x40;
  const size = opts.size ?? 0x200;
  const image = code(size, 3);
  const loadEnd = loadAddr + size;
  const header = multibootHeader({
    flags: opts.flags ?? 0x10003,
    addresses: {
      headerAddr: loadAddr + headerOffset, loadAddr, loadEndAddr: opts.loadEndZero ? 0 : loadEnd,
      bssEndAddr: loadEnd + (opts.bss ?? 0), entryAddr: loadAddr + (opts.entryOffset ?? 0),
    },
  });
  image.set(header, headerOffset);
  return image;
}

export interface BzImageSpec {
  version?: number;
  setupSects?: number;
  kernelSize?: number;
  loadflags?: number;
  xloadflags?: number;
  relocatable?: boolean;
  kernelAlignment?: number;
  prefAddress?: number | bigint;
  initSize?: number;
  cmdlineSize?: number;
  initrdAddrMax?: number;
  /** Byte at 0x201: the setup header ends at 0x202 plus this. */
  jumpOffset?: number;
}

/** A bzImage with a real setup header and a recognisable protected-mode kernel after the setup sectors. */
export function buildBzImage(spec: BzImageSpec = {}): Uint8Array {
  const setupSects = spec.setupSects ?? 4;
  const setupSize = ((setupSects || 4) + 1) * 512;
  const kernelSize = spec.kernelSize ?? 0x1000;
  const out = new Uint8Array(setupSize + kernelSize);
  out.set(code(kernelSize, 9), setupSize);
  out[0x1f1] = setupSects;
  putU32(out, 0x1f4, Math.floor(kernelSize / 16));
  putU16(out, 0x1fe, 0xaa55);
  out[0x200] = 0xeb;
  out[0x201] = spec.jumpOffset ?? 0x6a;
  out.set([0x48, 0x64, 0x72, 0x53], 0x202);
  putU16(out, 0x206, spec.version ?? 0x20f);
  out[0x211] = spec.loadflags ?? 0x01;
  putU32(out, 0x214, 0x100000);
  putU32(out, 0x22c, spec.initrdAddrMax ?? 0x7fffffff);
  putU32(out, 0x230, spec.kernelAlignment ?? 0x200000);
  out[0x234] = spec.relocatable === false ? 0 : 1;
  putU16(out, 0x236, spec.xloadflags ?? 0x1);
  putU32(out, 0x238, spec.cmdlineSize ?? 2048);
  putU64(out, 0x258, spec.prefAddress ?? 0x1000000);
  putU32(out, 0x260, spec.initSize ?? 0x400000);
  return out;
}

export function bootSector(fill = 0x90): Uint8Array {
  const out = new Uint8Array(512).fill(fill);
  out.set([0xfa, 0xf4]);
  out[510] = 0x55;
  out[511] = 0xaa;
  return out;
}
