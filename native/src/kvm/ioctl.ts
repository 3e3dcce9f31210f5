// The Linux _IO/_IOR/_IOW/_IOWR request encoding (asm-generic/ioctl.h), so ioctl numbers derive from struct sizes.
const NRBITS = 8;
const TYPEBITS = 8;
const SIZEBITS = 14;
const NRSHIFT = 0;
const TYPESHIFT = NRSHIFT + NRBITS;
const SIZESHIFT = TYPESHIFT + TYPEBITS;
const DIRSHIFT = SIZESHIFT + SIZEBITS;
const DIR_NONE = 0;
const DIR_WRITE = 1;
const DIR_READ = 2;

function ioc(dir: number, type: number, nr: number, size: number): number {
  if (size >= 1 << SIZEBITS) throw new Error(`ioctl argument size ${size} does not fit the encoding`);
  // Unsigned 32-bit result; `>>> 0` keeps the direction bits from turning the number negative.
  return ((dir << DIRSHIFT) | (type << TYPESHIFT) | (nr << NRSHIFT) | (size << SIZESHIFT)) >>> 0;
}

export const io = (type: number, nr: number): number => ioc(DIR_NONE, type, nr, 0);
export const ior = (type: number, nr: number, size: number): number => ioc(DIR_READ, type, nr, size);
export const iow = (type: number, nr: number, size: number): number => ioc(DIR_WRITE, type, nr, size);
export const iowr = (type: number, nr: number, size: number): number => ioc(DIR_READ | DIR_WRITE, type, nr, size);
