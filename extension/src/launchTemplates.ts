// Ready-made kvmlab launch configurations: one per boot format, and one for a kernel image found in the workspace.
import type { ImageFormatName } from '../../protocol/launchConfig';

export const DEBUG_TYPE = 'kvmlab';

export interface FormatTemplate {
  format: Exclude<ImageFormatName, 'auto' | 'flat'>;
  label: string;
  description: string;
  config: Record<string, unknown>;
}

const base = (name: string) => ({ type: DEBUG_TYPE, request: 'launch', name });

export const FORMAT_TEMPLATES: readonly FormatTemplate[] = [
  {
    format: 'multiboot',
    label: 'Multiboot kernel',
    description: '32-bit protected mode, multiboot_info in EBX (GRUB-style kernels)',
    config: { ...base('Boot Multiboot kernel'), kernel: '${workspaceFolder}/build/kernel.elf', format: 'multiboot', cmdline: '', stopOnEntry: true },
  },
  {
    format: 'bootsector',
    label: 'Boot sector',
    description: '512 bytes loaded at 0x7c00, 16-bit real mode',
    config: {
      ...base('Boot the boot sector'), kernel: '${workspaceFolder}/build/boot.bin', format: 'bootsector',
      symbols: '${workspaceFolder}/build/boot.elf', stopOnEntry: true,
    },
  },
  {
    format: 'elf64',
    label: '64-bit ELF kernel',
    description: 'entered in long mode with identity-mapped page tables',
    config: { ...base('Boot 64-bit kernel'), kernel: '${workspaceFolder}/build/kernel64.elf', format: 'elf64', cmdline: '', stopOnEntry: true },
  },
  {
    format: 'pvh',
    label: 'PVH kernel',
    description: 'ELF with a Xen PVH entry note (Linux vmlinux, 32-bit entry)',
    config: { ...base('Boot PVH kernel'), kernel: '${workspaceFolder}/vmlinux', format: 'pvh', cmdline: 'console=ttyS0', memory: 256, stopOnEntry: false },
  },
  {
    format: 'bzimage',
    label: 'Linux bzImage',
    description: 'Linux boot protocol, with an optional initrd',
    config: {
      ...base('Boot Linux bzImage'), kernel: '${workspaceFolder}/bzImage', format: 'bzimage', cmdline: 'console=ttyS0',
      memory: 256, stopOnEntry: false,
    },
  },
];

/** A configuration for an image found in the workspace; `relative` is its path from the workspace folder, with '/'. */
export function configForImage(relative: string, format: FormatTemplate['format']): Record<string, unknown> {
  const template = FORMAT_TEMPLATES.find((t) => t.format === format)!;
  const config: Record<string, unknown> = {
    ...template.config,
    name: `Boot ${relative} (${template.label})`,
    kernel: `\${workspaceFolder}/${relative}`,
  };
  // The template's symbol file belongs to its own example layout, not to an image found elsewhere; and a found image
  // follows the user's kvmlab.launch.stopOnEntry setting rather than the template's choice.
  delete config.symbols;
  delete config.stopOnEntry;
  return config;
}
