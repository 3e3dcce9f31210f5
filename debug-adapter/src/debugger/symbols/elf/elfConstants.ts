// ELF header, section, segment and symbol constants used by the symbol reader (System V gABI values).

export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;

/** e_ident indexes. */
export const EI_CLASS = 4;
export const EI_DATA = 5;
export const EI_NIDENT = 16;

/** e_type values. */
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

/** e_machine values this reader understands. */
export const EM_386 = 3;
export const EM_X86_64 = 62;

/** Special section indexes. */
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;

/** sh_type values. */
export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_DYNSYM = 11;
export const SHT_SYMTAB_SHNDX = 18;

/** sh_flags bits. */
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHF_COMPRESSED = 0x800;

/** Compression header types (Elf_Chdr.ch_type). */
export const ELFCOMPRESS_ZLIB = 1;

/** p_type values. */
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_NOTE = 4;
export const PT_GNU_EH_FRAME = 0x6474e550;

/** Symbol types (low nibble of st_info). */
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STT_COMMON = 5;
export const STT_TLS = 6;
export const STT_GNU_IFUNC = 10;

/** Symbol bindings (high nibble of st_info). */
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STB_GNU_UNIQUE = 10;

/** Relocation types applied to debug sections of relocatable objects. */
export const R_X86_64_NONE = 0;
export const R_X86_64_64 = 1;
export const R_X86_64_PC32 = 2;
export const R_X86_64_32 = 10;
export const R_X86_64_32S = 11;
export const R_X86_64_PC64 = 24;
export const R_386_NONE = 0;
export const R_386_32 = 1;
export const R_386_PC32 = 2;

/** Record sizes, which also bound every count read from a header. */
export const EHDR_SIZE = { 1: 52, 2: 64 } as const;
export const SHDR_SIZE = { 1: 40, 2: 64 } as const;
export const PHDR_SIZE = { 1: 32, 2: 56 } as const;
export const SYM_SIZE = { 1: 16, 2: 24 } as const;
export const CHDR_SIZE = { 1: 12, 2: 24 } as const;
