// Launch configuration of the "kvmlab" debug type, shared by the extension (configuration provider) and the adapter.

export type ImageFormatName = 'auto' | 'bootsector' | 'multiboot' | 'pvh' | 'elf64' | 'bzimage' | 'flat';

export interface LaunchArguments {
  /** Path of the kernel image to boot. */
  kernel: string;
  /** Image format; detected from the file when "auto" (default). */
  format?: ImageFormatName;
  /** Guest RAM in MiB (default 128). */
  memory?: number;
  /** Kernel command line. */
  cmdline?: string;
  /** Initial ramdisk (bzImage, PVH, ELF64) or first Multiboot module. */
  initrd?: string;
  /** Further Multiboot/PVH modules. */
  modules?: string[];
  /** Stop at the first instruction (default true). */
  stopOnEntry?: boolean;
  /** Where the guest's COM1 output goes (default "debugConsole"). */
  serial?: 'debugConsole' | 'none';
  /** In-kernel interrupt controller and timer (default true). */
  irqchip?: boolean;
  /** ELF file with symbols for function breakpoints and labels; defaults to the kernel when it is an ELF file. */
  symbols?: string;
  /** Add the VMware SVGA II display adapter: true for 1024x768, or an initial mode "WxH". */
  svga?: boolean | string;
}

/** Every field a launch configuration may have; anything else draws a warning. */
export const LAUNCH_FIELDS: readonly (keyof LaunchArguments)[] = [
  'kernel', 'format', 'memory', 'cmdline', 'initrd', 'modules', 'stopOnEntry', 'serial', 'irqchip', 'symbols', 'svga',
];

/** Fields VS Code itself adds to every configuration; they are not ours to warn about. */
export const CLIENT_FIELDS: readonly string[] = [
  'type', 'request', 'name', '__configurationTarget', '__sessionId', 'noDebug', '__restart', 'preLaunchTask', 'postDebugTask',
  'internalConsoleOptions', 'presentation', 'debugServer', 'suppressMultipleSessionWarning',
];
