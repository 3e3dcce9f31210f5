/*
 * pvh64: a PVH ELF kernel. The loader enters pvh_start (named by the XEN_ELFNOTE_PHYS32_ENTRY note) in
 * 32-bit flat protected mode with paging off and EBX = struct hvm_start_info. The stub switches to long
 * mode on its own page tables and prints "pvh64: long mode\r\n" then "pvh64: cmdline=<cmdline>\r\n".
 * Exit code 0 (status 1); 1 (status 3) when the hvm_start_info magic is wrong.
 */
#include "asmMacros.inc"
#include "longMode.inc"

#define STACK_SIZE 4096

	/* ELF note: name "Xen", type XEN_ELFNOTE_PHYS32_ENTRY, descriptor = 32-bit entry address. */
	.pushsection .note.Xen, "a", @note
	.balign	4
	.long	4f - 3f
	.long	6f - 5f
	.long	XEN_ELFNOTE_PHYS32_ENTRY
3:	.asciz	"Xen"
4:	.balign	4
5:	.long	pvh_start
6:	.balign	4
	.popsection

	.section .text.entry, "ax"
	.code32
	.globl	pvh_start
	.type	pvh_start, @function
pvh_start:
	cld
	cmpl	$HVM_START_MAGIC, HVM_MAGIC(%ebx)
	je	1f
	DEBUG_EXIT EXIT_BAD_BOOT_MAGIC
1:	/* EBX survives the switch: long mode only adds the upper halves. */
	ENTER_LONG_MODE long_mode_entry

	.code64
	.globl	long_mode_entry
	.type	long_mode_entry, @function
long_mode_entry:
	LONG_MODE_SEGMENTS stack_top
	mov	%ebx, %ebx
	lea	msg_long(%rip), %rsi
	call	serial_puts64
	lea	msg_cmdline(%rip), %rsi
	call	serial_puts64
	mov	HVM_CMDLINE_PADDR(%rbx), %rsi
	test	%rsi, %rsi
	jz	1f
	call	serial_puts64
1:	lea	msg_crlf(%rip), %rsi
	call	serial_puts64
	DEBUG_EXIT EXIT_SUCCESS_CODE

	DEFINE_SERIAL_PUTS serial_puts64

	DEFINE_GDT64
	DEFINE_IDENTITY_MAP

	.section .rodata
msg_long:	.asciz	"pvh64: long mode\r\n"
msg_cmdline:	.asciz	"pvh64: cmdline="
msg_crlf:	.asciz	"\r\n"

	.section .bss
	.balign	16
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
