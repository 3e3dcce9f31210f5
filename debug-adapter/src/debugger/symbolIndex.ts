// ELF symbols for the debugger: names to addresses (function breakpoints, expressions) and addresses to `name+off` labels.
import { readFileSync } from 'fs';
import { ElfFile } from './symbols/elf/elfFile';
import { SymbolTable } from './symbols/elf/symbolTable';

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export class SymbolIndex {
  private constructor(private readonly table: SymbolTable) {}

  /** Undefined when the file is not ELF (a raw boot sector, a bzImage); throws on a malformed ELF file. */
  static fromFile(path: string): SymbolIndex | undefined {
    const bytes = new Uint8Array(readFileSync(path));
    if (!ELF_MAGIC.every((b, i) => bytes[i] === b)) return undefined;
    return new SymbolIndex(SymbolTable.fromElf(new ElfFile(bytes)));
  }

  address(name: string): bigint | undefined {
    const m = this.table.byName(name);
    if (m) return m.address;
    const any = this.table.allByName(name).find((s) => s.shndx !== 0);
    return any ? any.value + this.table.bias : undefined;
  }

  /** `name` or `name+0x12`, for frames and disassembly; undefined when no symbol covers the address. */
  label(address: bigint): string | undefined {
    const m = this.table.lookup(address);
    if (!m) return undefined;
    return m.offset === 0n ? m.name : `${m.name}+0x${m.offset.toString(16)}`;
  }

  /** The symbol that starts exactly here, if any. */
  startingAt(address: bigint): string | undefined {
    const m = this.table.lookup(address);
    return m && m.offset === 0n ? m.name : undefined;
  }
}
