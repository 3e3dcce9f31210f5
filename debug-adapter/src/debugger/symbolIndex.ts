// The guest's symbols for the debugger: one or more ELF images (the kernel, modules, a loader stage), each at its
// own load offset, looked up as one.
import { ImageSymbols, type SourcePosition } from './imageSymbols';
import type { SourcePathMap } from './sourcePathMap';
import type { DebugInfo } from './symbols';

export type { SourcePosition } from './imageSymbols';

export interface SymbolFile {
  path: string;
  /** Added to every address of the file: where it runs minus where it was linked. */
  offset: bigint;
  /** How launch.json names the file in messages ("symbols", "symbols[1]"). */
  label: string;
  /** The kernel itself, tried for symbols without being asked: no message when it is not ELF (a boot sector). */
  implicit?: boolean;
}

export class SymbolIndex {
  private constructor(private readonly images: readonly ImageSymbols[]) {}

  /**
   * Loads every ELF file of the list; a file that is not ELF or cannot be read is reported through `warn` and left
   * out. Undefined when none is usable.
   */
  static load(files: readonly SymbolFile[], paths: SourcePathMap, warn: (text: string) => void): SymbolIndex | undefined {
    const images: ImageSymbols[] = [];
    for (const f of files) {
      try {
        const image = ImageSymbols.fromFile(f.path, { bias: f.offset, paths });
        if (image) images.push(image);
        else if (!f.implicit) warn(`${f.label}: '${f.path}' is not an ELF file; no symbols are loaded from it`);
      } catch (e) {
        warn(`${f.label}: symbols from '${f.path}' are not usable: ${(e as Error).message}`);
      }
    }
    return images.length > 0 ? new SymbolIndex(images) : undefined;
  }

  /** A single image (tests, tools). */
  static of(...images: ImageSymbols[]): SymbolIndex {
    return new SymbolIndex(images);
  }

  get hasLineInfo(): boolean {
    return this.images.some((i) => i.hasLineInfo);
  }

  /** The DWARF of the first image (the kernel's, normally): types and globals for expressions with no pc. */
  get debugInfo(): DebugInfo {
    return this.images[0].debugInfo;
  }

  /** The DWARF of the image that holds `address` (C variables, unwinding of that frame); the first image otherwise. */
  debugInfoAt(address: bigint | undefined): DebugInfo {
    return (address === undefined ? undefined : this.images.find((i) => i.covers(address)))?.debugInfo ?? this.debugInfo;
  }

  address(name: string): bigint | undefined {
    return this.first((i) => i.address(name));
  }

  label(address: bigint): string | undefined {
    return this.first((i) => i.label(address));
  }

  namesStartingWith(prefix: string, limit: number): string[] {
    const names = new Set(this.images.flatMap((i) => i.namesStartingWith(prefix, limit)));
    return [...names].sort().slice(0, limit);
  }

  startingAt(address: bigint): string | undefined {
    return this.first((i) => i.startingAt(address));
  }

  source(address: bigint): SourcePosition | undefined {
    return this.first((i) => i.source(address));
  }

  breakpointLines(file: string, start: number, end: number): number[] {
    return [...new Set(this.images.flatMap((i) => i.breakpointLines(file, start, end)))].sort((a, b) => a - b);
  }

  /** The nearest line with code at or after `line` in any image (a header's inline function may be in several). */
  lineAddresses(file: string, line: number): { line: number; addresses: bigint[] } | undefined {
    const found = this.images.map((i) => i.lineAddresses(file, line)).filter((m) => m !== undefined);
    if (found.length === 0) return undefined;
    const best = Math.min(...found.map((m) => m.line));
    return { line: best, addresses: found.filter((m) => m.line === best).flatMap((m) => m.addresses) };
  }

  private first<T>(f: (i: ImageSymbols) => T | undefined): T | undefined {
    for (const i of this.images) {
      const v = f(i);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}
