// Validates launch arguments into a complete configuration; every error names the field and what was expected.
import { statSync } from 'fs';
import { CLIENT_FIELDS, LAUNCH_FIELDS, type ImageFormatName } from '../../../protocol/launchConfig';
import { MAX_RAM_SIZE, MIN_RAM_SIZE } from '../vmm/layout';
import { validateVmwareArgs, VmwareArgsError, type VmwareLaunch } from './vmwareLaunchArgs';
import type { SymbolFile } from '../debugger/symbolIndex';

export const DEFAULT_MEMORY_MIB = 128;
const FORMATS: readonly ImageFormatName[] = ['auto', 'bootsector', 'multiboot', 'pvh', 'elf64', 'bzimage', 'flat'];
const SERIAL = ['debugConsole', 'none'] as const;
const MIB = 1024 * 1024;

/** The SVGA device's largest mode and a floor a guest console can use (the CLI's --svga accepts the same). */
const SVGA_MAX = { width: 2560, height: 1600 };
const SVGA_MIN_SIDE = 64;
const SVGA_DEFAULT = { width: 1024, height: 768 };

export class LaunchArgsError extends Error {}

export interface ValidLaunch {
  kernel: string;
  format: Exclude<ImageFormatName, 'flat'>;
  memoryMiB: number;
  cmdline: string;
  initrd?: string;
  modules: string[];
  stopOnEntry: boolean;
  serial: 'debugConsole' | 'none';
  irqchip: boolean;
  /** One file that stands in for the kernel's symbols (`symbols` as a string). */
  symbols?: string;
  symbolOffset: bigint;
  /** Images added to the kernel's symbols (`symbols` as a list). */
  extraSymbols: SymbolFile[];
  sourceMap: Record<string, string>;
  svga?: { width: number; height: number };
  vmware: VmwareLaunch;
}

export interface LaunchValidation { launch: ValidLaunch; warnings: string[] }

/** How a path is checked; tests substitute it. */
export type FileCheck = (path: string) => 'file' | 'directory' | 'missing';

export const fsFileCheck: FileCheck = (path) => {
  try { return statSync(path).isDirectory() ? 'directory' : 'file'; } catch { return 'missing'; }
};

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function file(field: string, v: unknown, check: FileCheck): string {
  if (typeof v !== 'string' || v === '') throw new LaunchArgsError(`'${field}' must be a file path (a non-empty string), not ${typeName(v)}`);
  const kind = check(v);
  if (kind === 'missing') throw new LaunchArgsError(`'${field}': the file '${v}' does not exist`);
  if (kind === 'directory') throw new LaunchArgsError(`'${field}': '${v}' is a directory, expected a file`);
  return v;
}

function bool(field: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new LaunchArgsError(`'${field}' must be true or false, not ${typeName(v)}`);
  return v;
}

function svgaMode(v: unknown): ValidLaunch['svga'] {
  if (v === undefined || v === false) return undefined;
  if (v === true) return { ...SVGA_DEFAULT };
  const m = typeof v === 'string' ? /^(\d+)x(\d+)$/i.exec(v) : null;
  const width = m ? Number(m[1]) : 0;
  const height = m ? Number(m[2]) : 0;
  if (!m || width < SVGA_MIN_SIDE || width > SVGA_MAX.width || height < SVGA_MIN_SIDE || height > SVGA_MAX.height) {
    throw new LaunchArgsError(`'svga' must be true or a mode "WxH" with width ${SVGA_MIN_SIDE}..${SVGA_MAX.width} and height `
      + `${SVGA_MIN_SIDE}..${SVGA_MAX.height} (e.g. "1024x768"), not ${JSON.stringify(v)}`);
  }
  return { width, height };
}

export function validateLaunchArgs(raw: unknown, check: FileCheck = fsFileCheck): LaunchValidation {
  raw ??= {};
  if (typeof raw !== 'object' || raw === null) throw new LaunchArgsError('launch arguments must be an object');
  const a = raw as Record<string, unknown>;
  const warnings = Object.keys(a)
    .filter((k) => !(LAUNCH_FIELDS as readonly string[]).includes(k) && !CLIENT_FIELDS.includes(k) && !k.startsWith('__'))
    .map((k) => `launch configuration: unknown field '${k}' is ignored (known fields: ${LAUNCH_FIELDS.join(', ')})`);
  if (a.kernel === undefined) throw new LaunchArgsError(`'kernel' is required: the path of the kernel image to boot`);
  const kernel = file('kernel', a.kernel, check);

  let format: ValidLaunch['format'] = 'auto';
  if (a.format !== undefined) {
    if (typeof a.format !== 'string' || !FORMATS.includes(a.format as ImageFormatName)) {
      throw new LaunchArgsError(`'format' must be one of ${FORMATS.filter((f) => f !== 'flat').join(', ')}, not ${JSON.stringify(a.format)}`);
    }
    if (a.format === 'flat') throw new LaunchArgsError(`'format': flat images are not supported by the debugger yet; use the CLI`);
    format = a.format as ValidLaunch['format'];
  }

  let memoryMiB = DEFAULT_MEMORY_MIB;
  if (a.memory !== undefined) {
    const min = MIN_RAM_SIZE / MIB;
    const max = MAX_RAM_SIZE / MIB;
    if (typeof a.memory !== 'number' || !Number.isInteger(a.memory) || a.memory < min || a.memory > max) {
      throw new LaunchArgsError(`'memory' must be a whole number of MiB from ${min} to ${max}, not ${JSON.stringify(a.memory)}`);
    }
    memoryMiB = a.memory;
  }

  if (a.cmdline !== undefined && typeof a.cmdline !== 'string') throw new LaunchArgsError(`'cmdline' must be a string, not ${typeName(a.cmdline)}`);
  const initrd = a.initrd === undefined ? undefined : file('initrd', a.initrd, check);
  let modules: string[] = [];
  if (a.modules !== undefined) {
    if (!Array.isArray(a.modules)) throw new LaunchArgsError(`'modules' must be an array of file paths, not ${typeName(a.modules)}`);
    modules = a.modules.map((m, i) => file(`modules[${i}]`, m, check));
  }
  let serial: ValidLaunch['serial'] = 'debugConsole';
  if (a.serial !== undefined) {
    if (!(SERIAL as readonly unknown[]).includes(a.serial)) throw new LaunchArgsError(`'serial' must be "debugConsole" or "none", not ${JSON.stringify(a.serial)}`);
    serial = a.serial as ValidLaunch['serial'];
  }
  const symbols = a.symbols === undefined || Array.isArray(a.symbols) ? undefined : file('symbols', a.symbols, check);
  const extraSymbols = Array.isArray(a.symbols) ? a.symbols.map((s, i) => symbolFileArg(`symbols[${i}]`, s, check)) : [];
  const symbolOffset = offsetArg('symbolOffset', a.symbolOffset);
  const sourceMap = sourceMapArg(a.sourceMap);
  const svga = svgaMode(a.svga);
  let vmware: VmwareLaunch;
  try {
    vmware = validateVmwareArgs(a);
  } catch (e) {
    throw e instanceof VmwareArgsError ? new LaunchArgsError(e.message) : e;
  }
  return {
    launch: {
      kernel, format, memoryMiB, cmdline: (a.cmdline as string | undefined) ?? '', initrd, modules, serial, symbols, symbolOffset, extraSymbols, sourceMap, svga, vmware,
      stopOnEntry: bool('stopOnEntry', a.stopOnEntry, true),
      irqchip: bool('irqchip', a.irqchip, true),
    },
    warnings,
  };
}

/** One entry of a `symbols` list: a path, or `{ "path": ..., "offset": ... }`. */
function symbolFileArg(field: string, v: unknown, check: FileCheck): SymbolFile {
  if (typeof v === 'string') return { path: file(field, v, check), offset: 0n, label: field };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new LaunchArgsError(`'${field}' must be an ELF file path or an object { "path": ..., "offset": ... }, not ${typeName(v)}`);
  }
  const o = v as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => k !== 'path' && k !== 'offset');
  if (unknown.length > 0) throw new LaunchArgsError(`'${field}' has an unknown field '${unknown[0]}' (expected "path" and "offset")`);
  return { path: file(`${field}.path`, o.path, check), offset: offsetArg(`${field}.offset`, o.offset), label: field };
}

/** A load offset: a whole number or a "0x..." string, possibly negative; large values as strings stay exact. */
function offsetArg(field: string, v: unknown): bigint {
  if (v === undefined) return 0n;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?(0x[0-9a-f]+|[0-9]+)$/i.test(v.trim())) {
    const t = v.trim();
    const neg = t.startsWith('-');
    const n = BigInt(neg ? t.slice(1) : t);
    return neg ? -n : n;
  }
  throw new LaunchArgsError(`'${field}' must be a whole number or a string such as "0xffffffff80000000", not ${JSON.stringify(v)}`);
}

function sourceMapArg(v: unknown): Record<string, string> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new LaunchArgsError(`'sourceMap' must be an object mapping build directories to local directories, not ${typeName(v)}`);
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string' || val === '') throw new LaunchArgsError(`'sourceMap.${k}' must be a directory path string`);
  }
  return v as Record<string, string>;
}
