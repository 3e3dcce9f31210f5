// Parsers for readelf/objdump text dumps, the reference the symbol-reader tests compare against.
import { run } from './toolchain';

export interface RefSymbol {
  value: bigint;
  size: number;
  type: string;
  bind: string;
  ndx: string;
  name: string;
}

/** `readelf -sW`: every row of .symtab (and .dynsym), in table order. */
export function readelfSymbols(file: string): { table: string; symbols: RefSymbol[] }[] {
  const out: { table: string; symbols: RefSymbol[] }[] = [];
  for (const line of run('readelf', ['-sW', file]).split('\n')) {
    const t = /^Symbol table '([^']+)'/.exec(line);
    if (t) { out.push({ table: t[1], symbols: [] }); continue; }
    const m = /^\s*\d+:\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s?(.*)$/.exec(line);
    if (m && out.length > 0) {
      out[out.length - 1].symbols.push({
        value: BigInt('0x' + m[1]), size: Number(m[2]), type: m[3], bind: m[4], ndx: m[6], name: m[7],
      });
    }
  }
  return out;
}

export interface RefLineRow {
  file: string;
  /** undefined for the end-of-sequence row. */
  line: number | undefined;
  address: bigint;
  isStmt: boolean;
}

/** `objdump --dwarf=decodedline`: the decoded rows in program order, end-of-sequence rows included. */
export function decodedLines(file: string): RefLineRow[] {
  const rows: RefLineRow[] = [];
  for (const line of run('objdump', ['--dwarf=decodedline', file]).split('\n')) {
    const m = /^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+|0)(?:\s+(\d+))?\s*(x)?\s*$/.exec(line);
    if (!m) continue;
    rows.push({ file: m[1], line: m[2] === '-' ? undefined : Number(m[2]), address: BigInt(m[3]), isStmt: m[5] === 'x' });
  }
  return rows;
}

export interface RefDie {
  depth: number;
  offset: number;
  tag: string;
  attrs: { name: string; value: string }[];
}

/** `readelf --debug-dump=info`: every DIE with its attribute names and printed values. */
export function readelfDies(file: string, extraArgs: string[] = []): RefDie[] {
  const dies: RefDie[] = [];
  for (const line of run('readelf', ['--debug-dump=info', ...extraArgs, file]).split('\n')) {
    const d = /^\s*<(\d+)><([0-9a-f]+)>: Abbrev Number: (\d+)(?: \((\S+)\))?/.exec(line);
    if (d) {
      if (d[3] === '0') continue; // null entry
      dies.push({ depth: Number(d[1]), offset: parseInt(d[2], 16), tag: d[4], attrs: [] });
      continue;
    }
    const a = /^\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*:\s?(.*)$/.exec(line);
    if (a && dies.length > 0) dies[dies.length - 1].attrs.push({ name: a[1], value: a[2] });
  }
  return dies;
}

export interface RefCfaRow {
  loc: bigint;
  cfa: string;
  regs: Map<string, string>;
}

export interface RefFrameEntry {
  kind: 'CIE' | 'FDE';
  offset: number;
  pcLow?: bigint;
  pcHigh?: bigint;
  cieOffset?: number;
  augmentation?: string;
  rows: RefCfaRow[];
}

/** `readelf --debug-dump=frames-interp` for .eh_frame or .debug_frame. */
export function framesInterp(file: string, section: '.eh_frame' | '.debug_frame'): RefFrameEntry[] {
  const text = run('readelf', ['--debug-dump=frames-interp', file]);
  const entries: RefFrameEntry[] = [];
  let inSection = false;
  let columns: string[] = [];
  for (const line of text.split('\n')) {
    const s = /^Contents of the (\S+) section:/.exec(line);
    if (s) { inSection = s[1] === section; continue; }
    if (!inSection) continue;
    const cie = /^([0-9a-f]+) [0-9a-f]+ [0-9a-f]+ CIE "([^"]*)"/.exec(line);
    if (cie) { entries.push({ kind: 'CIE', offset: parseInt(cie[1], 16), augmentation: cie[2], rows: [] }); continue; }
    const fde = /^([0-9a-f]+) [0-9a-f]+ [0-9a-f]+ FDE cie=([0-9a-f]+) pc=([0-9a-f]+)\.\.([0-9a-f]+)/.exec(line);
    if (fde) {
      entries.push({
        kind: 'FDE', offset: parseInt(fde[1], 16), cieOffset: parseInt(fde[2], 16),
        pcLow: BigInt('0x' + fde[3]), pcHigh: BigInt('0x' + fde[4]), rows: [],
      });
      continue;
    }
    if (/^\s+LOC\s+CFA/.test(line)) { columns = line.trim().split(/\s+/).slice(2); continue; }
    const row = /^([0-9a-f]+) (.*)$/.exec(line);
    if (row && entries.length > 0) {
      // Register cells are padded to columns; "r3 (rbx)" contains a space, so split on 2+ spaces or known shapes.
      const cells = row[2].trim().split(/\s+(?![(])/);
      const regs = new Map<string, string>();
      columns.forEach((c, i) => regs.set(c, cells[i + 1]));
      entries[entries.length - 1].rows.push({ loc: BigInt('0x' + row[1]), cfa: cells[0], regs });
    }
  }
  return entries;
}

export interface RefLocEntry {
  offset: number;
  low: bigint;
  high: bigint;
  ops: string[];
}

/** `readelf --debug-dump=loc`: location lists keyed by the offset of their first entry. */
export function readelfLocLists(file: string): Map<number, RefLocEntry[]> {
  const text = run('readelf', ['--debug-dump=loc', file]);
  const lists = new Map<number, RefLocEntry[]>();
  let current: RefLocEntry[] | undefined;
  let pendingOffset: number | undefined;
  for (const line of text.split('\n')) {
    if (/location view pair/.test(line)) continue;
    const end = /^\s+([0-9a-f]+) <End of list>/.exec(line);
    if (end) { current = undefined; continue; }
    const head = /^\s+([0-9a-f]+) (?:v[0-9a-f]+ v[0-9a-f]+ views at [0-9a-f]+ for:|([0-9a-f]+) ([0-9a-f]+) \((.*)\))\s*$/.exec(line);
    if (head) {
      const offset = parseInt(head[1], 16);
      if (head[2] !== undefined) {
        addEntry(offset, BigInt('0x' + head[2]), BigInt('0x' + head[3]), head[4]);
      } else {
        pendingOffset = offset;
      }
      continue;
    }
    const body = /^\s+([0-9a-f]+) ([0-9a-f]+) \((.*)\)\s*$/.exec(line);
    if (body && pendingOffset !== undefined) {
      addEntry(pendingOffset, BigInt('0x' + body[1]), BigInt('0x' + body[2]), body[3]);
      pendingOffset = undefined;
    }
  }
  return lists;

  function addEntry(offset: number, low: bigint, high: bigint, expr: string): void {
    const entry = { offset, low, high, ops: expr.match(/DW_OP_\w+/g) ?? [] };
    if (!current) {
      current = [];
      lists.set(offset, current);
    }
    current.push(entry);
  }
}
