// Parses and validates `kvmlab run` arguments into RunOptions; pure (no file access), every error names the flag.
import type { ImageFormat } from '../loaders/loadPlan';
import { MAX_RAM_SIZE, MIN_RAM_SIZE } from '../vmm/layout';
import { UsageError } from './usageError';

export type SerialTarget = { kind: 'stdio' } | { kind: 'none' } | { kind: 'file'; path: string };

export interface RunOptions {
  image: string;
  format: ImageFormat | 'auto';
  memoryMiB: number;
  cmdline: string;
  initrd?: string;
  modules: string[];
  serial: SerialTarget;
  timeoutSeconds?: number;
  stats: boolean;
  /** Print the boot report (detected format, load plan notes) on stderr before the guest runs. */
  verbose: boolean;
  irqchip: boolean;
  flat?: { loadAddress?: number; entry?: number; mode?: 16 | 32 | 64 };
  /** The VMware personality (backdoor + CPUID signature); --no-vmware turns it off. */
  vmware: boolean;
  /** Where backdoor records go as JSON Lines: a path, or '-' for stdout. */
  backdoorLog?: string;
  guestinfo: Record<string, string>;
  tclo: string[];
  hypercall: 'none' | 'vmcall' | 'vmmcall';
  /** --svga [WxH]: the SVGA II adapter with this initial mode. */
  svga?: { width: number; height: number };
  /** --screenshot FILE.png: the final screen (SVGA or VGA text) written at exit. */
  screenshot?: string;
  /** --screenshot-every MS DIR: numbered PNGs of the screen while it changes. */
  screenshotEvery?: { ms: number; dir: string };
  help: boolean;
}

const FORMATS = ['auto', 'bootsector', 'multiboot', 'pvh', 'elf64', 'bzimage', 'flat'] as const;
export const DEFAULT_MEMORY_MIB = 128;
const MIB = 1024 * 1024;
export const DEFAULT_SVGA_WIDTH = 1024;
export const DEFAULT_SVGA_HEIGHT = 768;
/** The SVGA device's largest mode (MAX_WIDTH/MAX_HEIGHT) and a floor a guest console can use. */
const SVGA_MAX_WIDTH = 2560;
const SVGA_MAX_HEIGHT = 1600;
const SVGA_MIN_SIDE = 64;
/** Shorter periods would only repeat frames: the display refreshes about every 33 ms. */
const MIN_SCREENSHOT_PERIOD_MS = 33;
const MIN_RAM_MIB = MIN_RAM_SIZE / MIB;
const MAX_RAM_MIB = MAX_RAM_SIZE / MIB;

export const RUN_USAGE = `usage: kvmlab run <image> [options]

Boots a guest kernel image on KVM with its serial console on this terminal.

options:
  --format F            auto|bootsector|multiboot|pvh|elf64|bzimage|flat (default auto)
  --memory MiB          guest RAM in MiB (default ${DEFAULT_MEMORY_MIB}, ${MIN_RAM_MIB}..${MAX_RAM_MIB})
  --append, --cmdline T kernel command line
  --initrd FILE         initial ramdisk (bzImage, PVH, ELF64) or first Multiboot module
  --module FILE         a Multiboot/PVH module (repeatable)
  --serial S            stdio|none|file:PATH (default stdio; stdin feeds the UART)
  --timeout SECONDS     stop the guest after this long (exit status 124)
  --stats               print exit statistics as JSON on stderr at the end
  -v, --verbose         print the detected image format and boot plan on stderr first
  --no-irqchip          no in-kernel interrupt controller and timer (HLT exits to the VMM)
  --no-vmware           no VMware personality (backdoor ports and CPUID signature off)
  --backdoor-log FILE   write every VMware backdoor call as JSON Lines to FILE (- for stdout)
  --guestinfo KEY=VALUE a guestinfo value the guest can read over GuestRPC (repeatable)
  --tclo TEXT           queue a TCLO command for the guest's tools loop (repeatable)
  --hypercall H         none|vmcall|vmmcall: advertise the hypercall backdoor in CPUID (default none)
  --svga [WxH]          add the VMware SVGA II display adapter (default mode ${DEFAULT_SVGA_WIDTH}x${DEFAULT_SVGA_HEIGHT})
  --screenshot FILE.png write the final screen (SVGA or VGA text) as a PNG when the guest ends
  --screenshot-every MS DIR
                        also write DIR/screen-NNNN.png every MS milliseconds while the screen changes
  --load-address ADDR   flat images: guest-physical load address
  --entry ADDR          flat images: entry point
  --mode 16|32|64       flat images: CPU mode at entry

exit status: the guest's isa-debug-exit value as QEMU maps it ((v << 1) | 1); 0 when the guest halts
for good or resets; 2 on a triple fault or KVM internal error; 124 on timeout; 1 on bad input.`;

function parseNumber(flag: string, text: string | undefined, what: string): number {
  if (text === undefined || text === '') throw new UsageError(`${flag} needs a value (${what})`);
  const v = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(v)) throw new UsageError(`${flag}: '${text}' is not a number (expected ${what})`);
  return v;
}

function parseMode(text: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/i.exec(text);
  const bad = `--svga: '${text}' is not a mode WxH with width ${SVGA_MIN_SIDE}..${SVGA_MAX_WIDTH} and height ${SVGA_MIN_SIDE}..${SVGA_MAX_HEIGHT} (e.g. 1024x768)`;
  if (!m) throw new UsageError(bad);
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width < SVGA_MIN_SIDE || width > SVGA_MAX_WIDTH || height < SVGA_MIN_SIDE || height > SVGA_MAX_HEIGHT) throw new UsageError(bad);
  return { width, height };
}

export function parseRunArgs(argv: readonly string[]): RunOptions {
  const o: RunOptions = {
    image: '', format: 'auto', memoryMiB: DEFAULT_MEMORY_MIB, cmdline: '', modules: [], serial: { kind: 'stdio' },
    stats: false, verbose: false, irqchip: true, vmware: true, guestinfo: {}, tclo: [], hypercall: 'none', help: false,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let flag = arg;
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { flag = arg.slice(0, eq); inline = arg.slice(eq + 1); }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h': case '--help': o.help = true; break;
      case '--format': {
        const f = value();
        if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format: '${f}' is not one of ${FORMATS.join(', ')}`);
        o.format = f as RunOptions['format'];
        break;
      }
      case '--memory': {
        const text = value();
        const mib = parseNumber('--memory', text, 'MiB');
        if (!Number.isInteger(mib) || mib < MIN_RAM_MIB || mib > MAX_RAM_MIB) {
          throw new UsageError(`--memory: '${text}' is out of range (expected a whole number of MiB from ${MIN_RAM_MIB} to ${MAX_RAM_MIB})`);
        }
        o.memoryMiB = mib;
        break;
      }
      case '--append': case '--cmdline': o.cmdline = value(); break;
      case '--initrd': o.initrd = value(); break;
      case '--module': o.modules.push(value()); break;
      case '--serial': {
        const s = value();
        if (s === 'stdio' || s === 'none') o.serial = { kind: s };
        else if (s.startsWith('file:') && s.length > 5) o.serial = { kind: 'file', path: s.slice(5) };
        else throw new UsageError(`--serial: '${s}' is not stdio, none or file:PATH`);
        break;
      }
      case '--timeout': {
        const t = parseNumber('--timeout', value(), 'seconds');
        if (t <= 0) throw new UsageError('--timeout: expected a positive number of seconds');
        o.timeoutSeconds = t;
        break;
      }
      case '--stats': o.stats = true; break;
      case '-v': case '--verbose': o.verbose = true; break;
      case '--no-irqchip': o.irqchip = false; break;
      case '--no-vmware': o.vmware = false; break;
      case '--backdoor-log': o.backdoorLog = value(); break;
      case '--guestinfo': {
        const kv = value();
        const eq2 = kv.indexOf('=');
        if (eq2 <= 0) throw new UsageError(`--guestinfo: '${kv}' is not KEY=VALUE`);
        o.guestinfo[kv.slice(0, eq2)] = kv.slice(eq2 + 1);
        break;
      }
      case '--tclo': o.tclo.push(value()); break;
      case '--hypercall': {
        const h = value();
        if (h !== 'none' && h !== 'vmcall' && h !== 'vmmcall') throw new UsageError(`--hypercall: '${h}' is not none, vmcall or vmmcall`);
        o.hypercall = h;
        break;
      }
      case '--svga': {
        // The mode is optional: take the next word only when it looks like one.
        const next = inline ?? (/^\d+x\d+$/i.test(argv[i + 1] ?? '') ? argv[++i] : undefined);
        o.svga = next === undefined ? { width: DEFAULT_SVGA_WIDTH, height: DEFAULT_SVGA_HEIGHT } : parseMode(next);
        break;
      }
      case '--screenshot': {
        const f = value();
        if (!/\.png$/i.test(f) || f.length <= 4) throw new UsageError(`--screenshot: '${f}' is not a .png file name`);
        o.screenshot = f;
        break;
      }
      case '--screenshot-every': {
        const text = value();
        const ms = parseNumber('--screenshot-every', text, 'milliseconds');
        if (!Number.isInteger(ms) || ms < MIN_SCREENSHOT_PERIOD_MS) {
          throw new UsageError(`--screenshot-every: '${text}' is not a whole number of milliseconds of at least ${MIN_SCREENSHOT_PERIOD_MS}`);
        }
        const dir = argv[++i];
        if (dir === undefined || dir === '' || dir.startsWith('-')) throw new UsageError('--screenshot-every needs a directory after the period (--screenshot-every MS DIR)');
        o.screenshotEvery = { ms, dir };
        break;
      }
      case '--load-address': (o.flat ??= {}).loadAddress = parseNumber('--load-address', value(), 'an address such as 0x100000'); break;
      case '--entry': (o.flat ??= {}).entry = parseNumber('--entry', value(), 'an address such as 0x100000'); break;
      case '--mode': {
        const m = value();
        if (m !== '16' && m !== '32' && m !== '64') throw new UsageError(`--mode: '${m}' is not 16, 32 or 64`);
        (o.flat ??= {}).mode = Number(m) as 16 | 32 | 64;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${flag} (see kvmlab run --help)`);
        positional.push(arg);
    }
  }
  if (o.help) return o;
  if (positional.length === 0) throw new UsageError('missing image: kvmlab run <image> [options] (see kvmlab run --help)');
  if (positional.length > 1) throw new UsageError(`unexpected argument '${positional[1]}': give exactly one image`);
  o.image = positional[0];
  if (o.format === 'flat') {
    const f = o.flat ?? {};
    if (f.loadAddress === undefined || f.entry === undefined || f.mode === undefined) {
      throw new UsageError('--format flat needs --load-address, --entry and --mode');
    }
  } else if (o.flat) {
    throw new UsageError('--load-address, --entry and --mode apply only to --format flat');
  }
  return o;
}
