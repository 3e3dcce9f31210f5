/*
 * selfcopy: copies a routine into a buffer at run time, as a loader copies code into place, and runs the copy.
 * Serial: "selfcopy: copied\r\n" (between the copy and the call: a VM exit), then "selfcopy: ran\r\n".
 * Exit code 0 (status 1); 2 (status 5) if the copy did not return 42.
 * For the debugger: a breakpoint set on copy_dest before the copy must survive the guest writing over it.
 */
#include "asmMacros.inc"

#define STACK_SIZE 1024
#define ROUTINE_RESULT 42

	MULTIBOOT_HEADER
	MULTIBOOT_START
	mov	$copy_source, %esi
	mov	$copy_dest, %edi
	mov	$(copy_source_end - copy_source), %ecx
	rep movsb
	mov	$msg_copied, %esi
	call	serial_puts32
	.globl	call_copy
call_copy:
	call	copy_dest
	cmp	$ROUTINE_RESULT, %eax
	je	1f
	DEBUG_EXIT EXIT_SELF_CHECK
1:	mov	$msg_ran, %esi
	call	serial_puts32
	DEBUG_EXIT EXIT_SUCCESS_CODE

	/* Position-independent, so it runs the same from copy_dest. */
	.globl	copy_source
	.type	copy_source, @function
copy_source:
	mov	$ROUTINE_RESULT, %eax
	ret
copy_source_end:
	.size	copy_source, . - copy_source

	DEFINE_SERIAL_PUTS serial_puts32

	.section .rodata
msg_copied:	.asciz	"selfcopy: copied\r\n"
msg_ran:	.asciz	"selfcopy: ran\r\n"

	.section .bss
	.balign	16
	.globl	copy_dest
copy_dest:
	.skip	16
	.balign	16
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
