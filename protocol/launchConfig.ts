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
  /**
   * ELF symbols: one file that stands in for the kernel's, or a list of images added to them, each a path or
   * `{ path, offset }` with its load offset. Without it, the kernel's own when it is an ELF file.
   */
  symbols?: string | (string | { path: string; offset?: number | string })[];
  /** Added to every address of the symbols file: where the image runs minus where it was linked (relocated or higher-half kernels). */
  symbolOffset?: number | string;
  /** Source directories as the image's debug information names them (where it was built) → directories on this machine. */
  sourceMap?: Record<string, string>;
  /** Add the VMware SVGA II display adapter: true for 1024x768, or an initial mode "WxH". */
  svga?: boolean | string;
  /** The VMware personality (default true): backdoor ports and VMware CPUID leaves; false leaves the ports empty. */
  backdoor?: boolean;
  /** guestinfo values the guest can read over GuestRPC ("info-get guestinfo.KEY"). */
  guestinfo?: Record<string, string>;
  /** The VM's BIOS UUID (32 hex digits); derived from the kernel file name when absent. */
  uuid?: string;
  /** Advertise the VMCALL/VMMCALL backdoor transport in CPUID (default "none"). */
  hypercall?: 'none' | 'vmcall' | 'vmmcall';
  /** TCLO commands queued for the guest tools at start. */
  tclo?: string[];
}

/** Every field a launch configuration may have; anything else draws a warning. */
export const LAUNCH_FIELDS: readonly (keyof LaunchArguments)[] = [
  'kernel', 'format', 'memory', 'cmdline', 'initrd', 'modules', 'stopOnEntry', 'serial', 'irqchip', 'symbols', 'symbolOffset', 'sourceMap', 'svga',
  'backdoor', 'guestinfo', 'uuid', 'hypercall', 'tclo',
];

/** Fields VS Code itself adds to every configuration; they are not ours to warn about. */
export const CLIENT_FIELDS: readonly string[] = [
  'type', 'request', 'name', '__configurationTarget', '__sessionId', 'noDebug', '__restart', 'preLaunchTask', 'postDebugTask',
  'internalConsoleOptions', 'presentation', 'debugServer', 'suppressMultipleSessionWarning',
];
