// Symbols and line tables of one ELF file: names to addresses (function breakpoints, expressions), addresses to
// `name+off` labels and source positions, and source lines to addresses (source breakpoints).
import { readFileSync } from 'fs';
import { SourcePathMap } from './sourcePathMap';
import { DebugInfo } from './symbols';

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export interface SourcePosition { file: string; line: number; column: number }

export class ImageSymbols {
  private constructor(private readonly info: DebugInfo, private readonly paths: SourcePathMap) {}

  /**
   * Undefined when the file is not ELF (a raw boot sector, a bzImage); throws on a malformed ELF file. `bias` is
   * added to every address (an image loaded away from its link address); `paths` maps build paths to local ones.
   */
  static fromFile(path: string, opts: { bias?: bigint; paths?: SourcePathMap } = {}): ImageSymbols | undefined {
    const bytes = new Uint8Array(readFileSync(path));
    if (!ELF_MAGIC.every((b, i) => bytes[i] === b)) return undefined;
    return new ImageSymbols(DebugInfo.fromElf(bytes, { bias: opts.bias ?? 0n }), opts.paths ?? new SourcePathMap());
  }

  get hasLineInfo(): boolean {
    return this.info.hasDwarf;
  }

  /** The whole DWARF reader, for C variables, types and unwinding. */
  get debugInfo(): DebugInfo {
    return this.info;
  }

  address(name: string): bigint | undefined {
    const table = this.info.symbols;
    const m = table.byName(name);
    if (m) return m.address;
    const any = table.allByName(name).find((s) => s.shndx !== 0);
    return any ? any.value + table.bias : undefined;
  }

  /** `name` or `name+0x12`, for frames and disassembly; undefined when no symbol covers the address. */
  label(address: bigint): string | undefined {
    const m = this.info.symbols.lookup(address);
    if (!m) return undefined;
    return m.offset === 0n ? m.name : `${m.name}+0x${m.offset.toString(16)}`;
  }

  /** Symbol names starting with `prefix` (at most `limit`, sorted), for console completion. */
  namesStartingWith(prefix: string, limit: number): string[] {
    const out = new Set<string>();
    for (const s of this.info.symbols.symbols) {
      if (s.name && s.name.startsWith(prefix) && s.type !== 'file' && s.type !== 'section') out.add(s.name);
    }
    return [...out].sort().slice(0, limit);
  }

  /** Whether a symbol or a line of this image covers the address (which image a pc is in). */
  covers(address: bigint): boolean {
    return this.info.symbols.lookup(address) !== undefined || this.info.addressToLine(address) !== undefined;
  }

  /** The symbol that starts exactly here, if any. */
  startingAt(address: bigint): string | undefined {
    const m = this.info.symbols.lookup(address);
    return m && m.offset === 0n ? m.name : undefined;
  }

  /** The source line an address belongs to (DWARF line table). */
  source(address: bigint): SourcePosition | undefined {
    const l = this.info.addressToLine(address);
    return l ? { file: this.paths.toLocal(l.file), line: l.line, column: l.column } : undefined;
  }

  /** Lines of a file in [start, end] that have code (breakpoint candidates). */
  breakpointLines(file: string, start: number, end: number): number[] {
    return this.info.breakpointLines(this.paths.toBuild(file), start, end);
  }

  /** Addresses for a source line, or for the next line after it that has code. */
  lineAddresses(file: string, line: number): { line: number; addresses: bigint[] } | undefined {
    return this.info.lineToAddresses(this.paths.toBuild(file), line);
  }
}
