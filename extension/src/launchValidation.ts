// Defaults and checks applied to a kvmlab launch configuration before the adapter process is started (no vscode imports).
import { CLIENT_FIELDS, LAUNCH_FIELDS, type ImageFormatName } from '../../protocol/launchConfig';
import { MAX_RAM_SIZE, MIN_RAM_SIZE } from '../../debug-adapter/src/vmm/layout';

const MIB = 1024 * 1024;
export const MIN_MEMORY_MIB = MIN_RAM_SIZE / MIB;
export const MAX_MEMORY_MIB = MAX_RAM_SIZE / MIB;
/** Formats the debugger boots; "flat" needs load options only the CLI takes. */
export const DEBUGGER_FORMATS: readonly ImageFormatName[] = ['auto', 'bootsector', 'multiboot', 'pvh', 'elf64', 'bzimage'];
const SERIAL_TARGETS = ['debugConsole', 'none'];
/** An initial SVGA mode: width x height in pixels. */
const SVGA_MODE = /^[1-9]\d{1,4}x[1-9]\d{1,4}$/;
export const KVM_DEVICE = '/dev/kvm';

export type FileKind = 'file' | 'directory' | 'missing';
export type KvmAccess = 'ok' | 'missing' | 'denied';

/** What validation may look at on the host; tests pass fakes. */
export interface LaunchEnvironment {
  fileKind(path: string): FileKind;
  kvmAccess(): KvmAccess;
}

export interface LaunchDefaults {
  memory: number;
  stopOnEntry: boolean;
  serial: 'debugConsole' | 'none';
}

/** What the user can do about a problem; the provider turns it into a button. */
export type ProblemFix = 'openLaunchJson' | 'checkHost';

export interface LaunchProblem {
  message: string;
  fix: ProblemFix;
}

export interface LaunchCheck {
  errors: LaunchProblem[];
  warnings: string[];
}

export type LaunchConfig = Record<string, unknown>;

/** Fills in what the user left out, from the extension settings; explicit fields always win. */
export function applyDefaults(config: LaunchConfig, defaults: LaunchDefaults): LaunchConfig {
  return {
    memory: defaults.memory,
    stopOnEntry: defaults.stopOnEntry,
    serial: defaults.serial,
    ...config,
  };
}

export function kvmAccessProblem(access: KvmAccess): string | undefined {
  if (access === 'missing') {
    return `${KVM_DEVICE} does not exist: load the KVM module (sudo modprobe kvm_intel, or kvm_amd) and enable VT-x/AMD-V in the firmware, or nested virtualisation if this machine is a VM`;
  }
  if (access === 'denied') {
    return `no permission to read and write ${KVM_DEVICE}: add yourself to the kvm group (sudo usermod -aG kvm $USER), then log out and in again`;
  }
  return undefined;
}

function describe(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

function checkFile(field: string, value: unknown, env: LaunchEnvironment, what: string, errors: LaunchProblem[]): void {
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push({ message: `'${field}' must be the path of ${what}, not ${describe(value)}`, fix: 'openLaunchJson' });
    return;
  }
  const kind = env.fileKind(value);
  if (kind === 'missing') {
    errors.push({ message: `${what} '${value}' does not exist: build it first, or correct '${field}' in launch.json`, fix: 'openLaunchJson' });
  } else if (kind === 'directory') {
    errors.push({ message: `'${field}' is the folder '${value}': expected the path of ${what}`, fix: 'openLaunchJson' });
  }
}

/** Every problem that would make the launch fail, each as one line naming the field and what was expected. */
export function checkLaunchConfig(config: LaunchConfig, env: LaunchEnvironment): LaunchCheck {
  const errors: LaunchProblem[] = [];
  const warnings: string[] = [];

  if (config.kernel === undefined) {
    errors.push({ message: `the configuration has no 'kernel': set it to the path of the kernel image to boot`, fix: 'openLaunchJson' });
  } else {
    checkFile('kernel', config.kernel, env, 'the kernel image', errors);
  }
  if (config.initrd !== undefined) checkFile('initrd', config.initrd, env, 'the initial ramdisk', errors);
  if (Array.isArray(config.symbols)) {
    // A list adds images to the kernel's symbols: paths, or { path, offset } (the adapter checks the offsets).
    config.symbols.forEach((s, i) => {
      const path = typeof s === 'object' && s !== null ? (s as { path?: unknown }).path : s;
      checkFile(typeof s === 'object' && s !== null ? `symbols[${i}].path` : `symbols[${i}]`, path, env, 'the symbol file', errors);
    });
  } else if (config.symbols !== undefined) {
    checkFile('symbols', config.symbols, env, 'the symbol file', errors);
  }
  if (config.modules !== undefined) {
    if (!Array.isArray(config.modules)) {
      errors.push({ message: `'modules' must be a list of file paths, not ${describe(config.modules)}`, fix: 'openLaunchJson' });
    } else {
      config.modules.forEach((m, i) => checkFile(`modules[${i}]`, m, env, 'the module', errors));
    }
  }
  if (config.format !== undefined && !DEBUGGER_FORMATS.includes(config.format as ImageFormatName)) {
    errors.push({ message: `'format' must be one of ${DEBUGGER_FORMATS.join(', ')}, not ${describe(config.format)}`, fix: 'openLaunchJson' });
  }
  const mem = config.memory;
  if (mem !== undefined && (typeof mem !== 'number' || !Number.isInteger(mem) || mem < MIN_MEMORY_MIB || mem > MAX_MEMORY_MIB)) {
    errors.push({ message: `'memory' must be a whole number of MiB from ${MIN_MEMORY_MIB} to ${MAX_MEMORY_MIB}, not ${describe(mem)}`, fix: 'openLaunchJson' });
  }
  if (config.serial !== undefined && !SERIAL_TARGETS.includes(config.serial as string)) {
    errors.push({ message: `'serial' must be "debugConsole" or "none", not ${describe(config.serial)}`, fix: 'openLaunchJson' });
  }
  if (config.cmdline !== undefined && typeof config.cmdline !== 'string') {
    errors.push({ message: `'cmdline' must be a string, not ${describe(config.cmdline)}`, fix: 'openLaunchJson' });
  }
  const svga = config.svga;
  if (svga !== undefined && typeof svga !== 'boolean' && !(typeof svga === 'string' && SVGA_MODE.test(svga))) {
    errors.push({ message: `'svga' must be true, false or a mode such as "800x600", not ${describe(svga)}`, fix: 'openLaunchJson' });
  }
  for (const field of ['stopOnEntry', 'irqchip']) {
    if (config[field] !== undefined && typeof config[field] !== 'boolean') {
      errors.push({ message: `'${field}' must be true or false, not ${describe(config[field])}`, fix: 'openLaunchJson' });
    }
  }
  for (const key of Object.keys(config)) {
    if (!(LAUNCH_FIELDS as readonly string[]).includes(key) && !CLIENT_FIELDS.includes(key) && !key.startsWith('__')) {
      warnings.push(`unknown field '${key}' in the launch configuration is ignored`);
    }
  }

  const kvm = kvmAccessProblem(env.kvmAccess());
  if (kvm) errors.push({ message: kvm, fix: 'checkHost' });
  return { errors, warnings };
}
