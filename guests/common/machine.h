/* Ports, magic numbers and exit codes shared by every guest; plain #defines so both C and assembly can use them. */
#ifndef GUESTS_MACHINE_H
#define GUESTS_MACHINE_H

/* COM1 16550 UART. */
#define COM1_DATA 0x3f8
#define COM1_IER 0x3f9
#define COM1_FCR 0x3fa
#define COM1_LCR 0x3fb
#define COM1_MCR 0x3fc
#define COM1_LSR 0x3fd
/* LSR bit 5: the transmit holding register can take another byte. */
#define LSR_THRE 0x20

/* Bochs/QEMU debug console: writes print, reads return 0xe9 so guests can detect it. */
#define DEBUGCON_PORT 0xe9
#define DEBUGCON_READBACK 0xe9

/* isa-debug-exit: writing v ends the VM with status (v << 1) | 1. */
#define DEBUG_EXIT_PORT 0xf4

/* Values guests write to DEBUG_EXIT_PORT (the VM status is (code << 1) | 1). */
#define EXIT_SUCCESS_CODE 0      /* status 1 */
#define EXIT_BAD_BOOT_MAGIC 1    /* status 3: EAX/EBX or hvm_start_info magic was not what the entry expects */
#define EXIT_SELF_CHECK 2        /* status 5: a computed value inside the guest was wrong */
#define EXIT_WRONG_ENTRY 3       /* status 7: entered through an entry point this image does not implement */
#define EXIT_UNEXPECTED_TRAP 4   /* status 9: an exception or interrupt arrived that the guest did not expect */
#define EXIT_SURVIVED_FAULT 5    /* status 11: execution continued past an instruction that must not return */

/* Legacy VGA text mode. */
#define VGA_TEXT_SEGMENT 0xb800
#define VGA_CRTC_INDEX 0x3d4
#define VGA_CRTC_DATA 0x3d5
#define VGA_CRTC_CURSOR_HIGH 0x0e
#define VGA_CRTC_CURSOR_LOW 0x0f
#define VGA_COLUMNS 80

/* System control port A: bit 1 enables A20, bit 0 would reset the machine. */
#define SYSCTL_A_PORT 0x92
#define SYSCTL_A_A20 0x02
#define SYSCTL_A_RESET 0x01

/* 8259 PICs and 8254 PIT. */
#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define PIC_ICW1_INIT_ICW4 0x11
#define PIC_ICW4_8086 0x01
#define PIC_EOI 0x20
#define PIT_CH0 0x40
#define PIT_CMD 0x43
/* Channel 0, lobyte/hibyte access, mode 2 (rate generator), binary. */
#define PIT_CH0_RATE_GEN 0x34
#define PIT_INPUT_HZ 1193182

/* Multiboot v1. */
#define MULTIBOOT_HEADER_MAGIC 0x1badb002
#define MULTIBOOT_BOOT_MAGIC 0x2badb002
/* Header flags: bit 0 page-align modules, bit 1 we want memory information. */
#define MULTIBOOT_HEADER_FLAGS 0x00000003
#define MULTIBOOT_INFO_MEMORY 0x001
#define MULTIBOOT_INFO_CMDLINE 0x004
#define MBI_FLAGS 0
#define MBI_MEM_LOWER 4
#define MBI_MEM_UPPER 8
#define MBI_CMDLINE 16

/* PVH: struct hvm_start_info field offsets. */
#define HVM_START_MAGIC 0x336ec578
#define HVM_MAGIC 0
#define HVM_VERSION 4
#define HVM_FLAGS 8
#define HVM_NR_MODULES 12
#define HVM_MODLIST_PADDR 16
#define HVM_CMDLINE_PADDR 24
#define HVM_RSDP_PADDR 32
#define HVM_MEMMAP_PADDR 40
#define HVM_MEMMAP_ENTRIES 48
/* ELF note announcing the 32-bit PVH entry point. */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

/* Linux zero page (struct boot_params) offsets used by the bzImage payload. */
#define BP_EXT_CMD_LINE_PTR 0x0c8
#define BP_CMD_LINE_PTR 0x228

/* Control registers and MSRs for the switch to long mode. */
#define CR0_PE 0x00000001
#define CR0_PG 0x80000000
#define CR4_PAE 0x00000020
#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100

/* Page-table entry bits. */
#define PTE_PRESENT 0x001
#define PTE_WRITABLE 0x002
#define PTE_LARGE 0x080
#define LARGE_PAGE_SIZE 0x200000

#endif
