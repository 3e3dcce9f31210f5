// Loader options beyond the shared LoaderOptions, their validation, and the initrd/module list every protocol passes on.
import { MAX_RAM_SIZE, MIN_RAM_SIZE } from '../vmm/layout';
import { ImageFormatError, type LoaderOptions } from './loadPlan';
import { PAGE_SIZE, formatSize } from './bytes';

export interface PlanOptions extends LoaderOptions {
  /** The kernel's file name: Multiboot passes it as the first word of the command line, as GRUB and QEMU do. */
  kernelName?: string;
}

export function validateOptions(opts: LoaderOptions): void {
  const ram = opts.ramSize;
  if (!Number.isSafeInteger(ram) || ram < MIN_RAM_SIZE || ram > MAX_RAM_SIZE || ram % PAGE_SIZE !== 0) {
    throw new ImageFormatError(
      `guest memory size ${ram} is not usable: expected a multiple of 4 KiB from ${formatSize(MIN_RAM_SIZE)} ` +
      `to ${formatSize(MAX_RAM_SIZE)}`);
  }
  const strings = [opts.cmdline, opts.initrd?.name, ...opts.modules.flatMap((m) => [m.name, m.cmdline])];
  if (strings.some((s) => s !== undefined && s.includes('\0'))) {
    throw new ImageFormatError('a command line or module name contains a NUL character: expected plain text');
  }
}

export interface BootModule {
  name: string;
  bytes: Uint8Array;
  /** What the guest sees as the module's string: its name, then its arguments (GRUB and QEMU do the same). */
  string: string;
}

/** The initrd first (Linux takes the first module as its initrd), then the modules in order. */
export function bootModules(opts: LoaderOptions): BootModule[] {
  const out: BootModule[] = [];
  if (opts.initrd) out.push({ name: opts.initrd.name, bytes: opts.initrd.bytes, string: opts.initrd.name });
  for (const m of opts.modules) {
    out.push({ name: m.name, bytes: m.bytes, string: m.cmdline ? `${m.name} ${m.cmdline}` : m.name });
  }
  return out;
}

/** Protocols that cannot hand a module to the guest refuse them rather than silently dropping them. */
export function rejectModules(opts: LoaderOptions, what: string, allowInitrd = false): void {
  if (opts.modules.length > 0 || (opts.initrd && !allowInitrd)) {
    const accepted = allowInitrd ? 'an initrd but no modules' : 'neither an initrd nor modules';
    throw new ImageFormatError(`${what} takes ${accepted}: expected no ${allowInitrd ? 'modules' : 'initrd or modules'}`);
  }
}
