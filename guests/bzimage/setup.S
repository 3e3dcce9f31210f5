/* Real-mode part of the synthetic bzImage: the Linux boot-protocol 2.15 setup header loaders read. */
#include "asmMacros.inc"

/* Setup sectors after the boot sector; 3 rather than the common 4 so a loader that assumes 4 fails visibly. */
#define SETUP_SECTS 3
#define BOOT_PROTOCOL_2_15 0x020f
#define LOADFLAGS_LOADED_HIGH 0x01
#define XLF_KERNEL_64 0x0001
#define KERNEL_LOAD_ADDR 0x100000
#define KERNEL_ALIGNMENT 0x200000
#define KERNEL_MIN_ALIGNMENT_LOG2 21
#define INITRD_ADDR_MAX 0x7fffffff
#define CMDLINE_SIZE_MAX 4095
#define VID_MODE_NORMAL 0xffff
#define START_SYS_SEG 0x1000
#define SETUP_MOVE_SIZE 0x8000

	.code16
	.section .setup, "ax"
	.globl	setup_start
setup_start:
	/* Sector 0 is the legacy boot sector; if something boots it anyway, say so and stop. */
	DEBUG_EXIT EXIT_WRONG_ENTRY

	/* Each .org pins the next field to its boot-protocol offset (and fails the build on overlap). */
	.org	0x1f1
	.byte	SETUP_SECTS		/* setup_sects */
	.word	0			/* root_flags */
	.long	bz_syssize		/* syssize: payload size in 16-byte units (from the linker) */
	.word	0			/* ram_size (obsolete) */
	.word	VID_MODE_NORMAL		/* vid_mode */
	.word	0			/* root_dev */
	.word	0xaa55			/* boot_flag */
	.org	0x200
	.globl	setup_jump
setup_jump:
	.byte	0xeb, realmode_entry - 1f	/* jmp short: the real-mode setup entry */
1:
	.org	0x202
	.ascii	"HdrS"			/* header */
	.word	BOOT_PROTOCOL_2_15	/* version */
	.long	0			/* realmode_swtch */
	.word	START_SYS_SEG		/* start_sys_seg (obsolete) */
	.word	kernel_version - setup_start - 0x200	/* kernel_version */
	.byte	0			/* type_of_loader: the loader fills it */
	.byte	LOADFLAGS_LOADED_HIGH	/* loadflags */
	.word	SETUP_MOVE_SIZE		/* setup_move_size */
	.org	0x214
	.long	KERNEL_LOAD_ADDR	/* code32_start */
	.long	0			/* ramdisk_image */
	.long	0			/* ramdisk_size */
	.long	0			/* bootsect_kludge */
	.word	0			/* heap_end_ptr */
	.byte	0			/* ext_loader_ver */
	.byte	0			/* ext_loader_type */
	.org	0x228
	.long	0			/* cmd_line_ptr: the loader fills it */
	.long	INITRD_ADDR_MAX		/* initrd_addr_max */
	.long	KERNEL_ALIGNMENT	/* kernel_alignment */
	.byte	0			/* relocatable_kernel: the payload is linked at code32_start */
	.byte	KERNEL_MIN_ALIGNMENT_LOG2	/* min_alignment */
	.org	0x236
	.word	XLF_KERNEL_64		/* xloadflags: 64-bit entry at code32_start + 0x200 */
	.long	CMDLINE_SIZE_MAX	/* cmdline_size */
	.long	0			/* hardware_subarch */
	.quad	0			/* hardware_subarch_data */
	.long	0			/* payload_offset: no compressed payload */
	.long	0			/* payload_length */
	.quad	0			/* setup_data */
	.org	0x258
	.quad	KERNEL_LOAD_ADDR	/* pref_address */
	.long	bz_init_size		/* init_size (from the linker) */
	.long	0			/* handover_offset: no EFI handover */
	.org	0x268
	.long	bz_kernel_info_offset	/* kernel_info_offset (from the linker) */

	/* A loader that runs the real-mode setup code lands here: only the 64-bit entry is implemented. */
realmode_entry:
	DEBUG_EXIT EXIT_WRONG_ENTRY

kernel_version:
	.asciz	"kvmlab synthetic bzImage 1.0"

	.org	(SETUP_SECTS + 1) * 512

	.section .note.GNU-stack, "", @progbits
