/*
 * bzimage: the protected-mode payload of a synthetic bzImage, loaded at 1 MiB. The 64-bit entry
 * (payload offset 0x200) runs in long mode with RSI = the zero page, reads cmd_line_ptr (plus
 * ext_cmd_line_ptr) and prints "bzImage: cmdline=<cmdline>\r\n". Exit code 0 (status 1); 1 (status 3)
 * when the zero page lacks the "HdrS" setup header copy; 3 (status 7) if entered through the 32-bit
 * entry or the real-mode setup code, which this image does not implement.
 */
#include "asmMacros.inc"

#define STACK_SIZE 4096
/* The loader copies the setup header into the zero page; "HdrS" sits at offset 0x202 there too. */
#define BP_HEADER 0x202
#define HDRS_MAGIC 0x53726448

	.section .text.startup32, "ax"
	.code32
	.globl	startup_32
	.type	startup_32, @function
startup_32:
	DEBUG_EXIT EXIT_WRONG_ENTRY

	.section .text.startup64, "ax"
	.code64
	.globl	startup_64
	.type	startup_64, @function
startup_64:
	cld
	lea	stack_top(%rip), %rsp
	mov	%rsi, %rbx
	cmpl	$HDRS_MAGIC, BP_HEADER(%rbx)
	je	1f
	DEBUG_EXIT EXIT_BAD_BOOT_MAGIC
1:	lea	msg_cmdline(%rip), %rsi
	call	serial_puts64
	/* The 64-bit command-line address is cmd_line_ptr | ext_cmd_line_ptr << 32. */
	mov	BP_CMD_LINE_PTR(%rbx), %esi
	mov	BP_EXT_CMD_LINE_PTR(%rbx), %eax
	shl	$32, %rax
	or	%rax, %rsi
	jz	2f
	call	serial_puts64
2:	lea	msg_crlf(%rip), %rsi
	call	serial_puts64
	DEBUG_EXIT EXIT_SUCCESS_CODE

	DEFINE_SERIAL_PUTS serial_puts64

	.section .rodata
msg_cmdline:	.asciz	"bzImage: cmdline="
msg_crlf:	.asciz	"\r\n"

	/* kernel_info (boot protocol 2.15): header, size of this part, total size, setup_type_max. */
	.balign	4
	.globl	kernel_info
kernel_info:
	.ascii	"LToP"
	.long	kernel_info_end - kernel_info
	.long	kernel_info_end - kernel_info
	.long	0
kernel_info_end:

	.section .bss
	.balign	16
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
