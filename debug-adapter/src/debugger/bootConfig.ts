// Turns what the user asked to boot into a MachineConfig, through the same image loaders and file reading as the CLI.
import { fileLabel, readInputFile } from '../cli/imageFiles';
import { UsageError } from '../cli/usageError';
import { ImageFormatError, type ImageFormat } from '../loaders/loadPlan';
import { planImage } from '../loaders/probe';
import type { MachineConfig } from '../vmm/vcpu/protocol';

export interface BootRequest {
  kernel: string;
  format: ImageFormat | 'auto';
  memoryMiB: number;
  cmdline: string;
  initrd?: string;
  modules: string[];
  serial: 'debugConsole' | 'none';
  irqchip: boolean;
  /** The SVGA II adapter with this initial mode; without it the screen is the VGA text console. */
  svga?: { width: number; height: number };
  /** The VMware personality; absent means the CLI's default (on, no guestinfo, nothing queued). */
  vmware?: { enabled: boolean; guestinfo: Record<string, string>; uuid?: string; hypercall: 'none' | 'vmcall' | 'vmmcall'; tclo: string[] };
}

/** One line naming the file or option at fault (wraps loader and file errors). */
export class BootConfigError extends Error {}

export function buildMachineConfig(b: BootRequest): MachineConfig {
  try {
    const image = readInputFile('kernel', b.kernel);
    const initrd = b.initrd ? { name: fileLabel(b.initrd), bytes: readInputFile('initrd', b.initrd) } : undefined;
    const modules = b.modules.map((m) => ({ name: fileLabel(m), bytes: readInputFile('module', m) }));
    const memoryBytes = b.memoryMiB * 1024 * 1024;
    const plan = planImage(image, { ramSize: memoryBytes, cmdline: b.cmdline, initrd, modules, kernelName: fileLabel(b.kernel) }, b.format);
    return {
      memoryBytes, irqchip: b.irqchip, plan, startPaused: true, serialEnabled: b.serial !== 'none', reportUnhandled: true, debug: true,
      // The same VMware personality the CLI boots with by default.
      vmware: {
        enabled: b.vmware?.enabled ?? true, vmName: fileLabel(b.kernel), uuid: b.vmware?.uuid,
        guestinfo: { ...b.vmware?.guestinfo }, tclo: [...b.vmware?.tclo ?? []], hypercall: b.vmware?.hypercall ?? 'none',
      },
      // The extension's backdoor inspector shows every call.
      recordBackdoor: true,
      // Frame updates for the extension's screen panel: SVGA when asked for, the VGA text console otherwise.
      display: true,
      svga: b.svga,
    };
  } catch (e) {
    if (e instanceof ImageFormatError) throw new BootConfigError(`kernel '${b.kernel}': ${e.message}`);
    if (e instanceof UsageError) throw new BootConfigError(e.message);
    throw e;
  }
}
