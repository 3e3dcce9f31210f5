// Every fixed guest-physical address, I/O port and IRQ the machine uses, each with the reason it is there.

/** Guest RAM starts at 0; the legacy hole (VGA + BIOS area) is reported reserved in the memory maps. */
export const RAM_BASE = 0;
/** End of conventional memory reported usable to guests (640 KiB minus the EBDA page). */
export const LOW_MEM_END = 0x9fc00;
/** Start of the legacy VGA/ROM window, reserved in e820 up to 1 MiB. */
export const LEGACY_HOLE_START = 0xa0000;
export const HIGH_MEM_START = 0x100000;
/** The PCI MMIO hole: RAM never reaches it (the largest RAM size is below it). */
export const PCI_MMIO_HOLE_START = 0xc0000000;
export const MAX_RAM_SIZE = PCI_MMIO_HOLE_START;
export const MIN_RAM_SIZE = 2 * 1024 * 1024;

/** GDT the loaders write for protected- and long-mode entries (flat code/data, 32- and 64-bit). */
export const BOOT_GDT_ADDR = 0x500;
/** Boot information for the guest: multiboot info, hvm_start_info, with their tables after it. */
export const BOOT_INFO_ADDR = 0x6000;
/** Linux zero page (struct boot_params) for bzImage. */
export const ZERO_PAGE_ADDR = 0x7000;
/** Boot sectors are loaded here, in the BIOS tradition. */
export const BOOT_SECTOR_ADDR = 0x7c00;
/** A small stack for entries that need one (stack grows down from here). */
export const BOOT_STACK_TOP = 0x8ff0;
/** Identity-map page tables for 64-bit entries: PML4, PDPT, then four page directories (4 GiB in 2 MiB pages). */
export const PML4_ADDR = 0x9000;
export const PDPT_ADDR = 0xa000;
export const PD_ADDR = 0xb000;
/** Kernel command line (zero-terminated). */
export const CMDLINE_ADDR = 0x20000;
export const CMDLINE_MAX = 0x10000;
/** Module and initrd area starts here when the kernel leaves room; otherwise modules go after the kernel. */
export const MODULES_MIN_ADDR = 0x1000000;

/** PCI memory BARs are assigned from here up (32-bit prefetchable window for framebuffers). */
export const PCI_MMIO_BAR_BASE = 0xe0000000;
export const PCI_MMIO_BAR_END = 0xfec00000;
/** PCI I/O BARs are assigned from here up. */
export const PCI_IO_BAR_BASE = 0xc000;
export const PCI_IO_BAR_END = 0x10000;
/** In-kernel IOAPIC and LAPIC MMIO windows (handled by KVM's irqchip). */
export const IOAPIC_ADDR = 0xfec00000;
export const LAPIC_ADDR = 0xfee00000;

/** I/O ports. */
export const PORT_COM1 = 0x3f8;
export const PORT_COM1_LEN = 8;
export const PORT_DEBUGCON = 0xe9;
/** QEMU isa-debug-exit (iobase 0xf4, iosize 4): writing v ends the VM with status (v << 1) | 1. */
export const PORT_DEBUG_EXIT = 0xf4;
export const PORT_DEBUG_EXIT_LEN = 4;
export const PORT_I8042_DATA = 0x60;
export const PORT_I8042_CMD = 0x64;
/** System control port A: bit 0 fast reset, bit 1 A20. */
export const PORT_SYSCTL_A = 0x92;
/** PCI configuration mechanism #1 (0xcf8 address, 0xcfc..0xcff data); 0xcf9 is the reset control register. */
export const PORT_PCI_CONFIG = 0xcf8;
export const PORT_PCI_CONFIG_LEN = 8;
export const PORT_VGA_CRTC_INDEX = 0x3d4;
export const PORT_VGA_CRTC_DATA = 0x3d5;
/** VMware backdoor: low-bandwidth and high-bandwidth ports. */
export const PORT_VMWARE_LB = 0x5658;
export const PORT_VMWARE_HB = 0x5659;

/** ISA IRQ lines (GSI numbers on the in-kernel irqchip). */
export const IRQ_TIMER = 0;
export const IRQ_KEYBOARD = 1;
export const IRQ_COM1 = 4;
export const IRQ_MOUSE = 12;
/**
 * The SVGA II device's INTA# line. With no interrupt router to program, the machine wires it straight to ISA IRQ 11
 * (level-triggered, as PCI lines are) and reports 11 in the function's Interrupt Line register, like firmware would.
 */
export const IRQ_SVGA = 11;

/** The legacy VGA text buffer. */
export const VGA_TEXT_ADDR = 0xb8000;
export const VGA_TEXT_SIZE = 0x8000;
