/*
 * spin: the smallest guest that never exits: prints "spin\r\n", then jumps to itself at spin_forever
 * with no I/O at all, so only a pause request (a kick) gets the vCPU out of KVM_RUN. No exit status.
 */
#include "asmMacros.inc"

#define STACK_SIZE 1024

	MULTIBOOT_HEADER

	MULTIBOOT_START
	mov	$msg, %esi
	call	serial_puts32
	.globl	spin_forever
spin_forever:
	jmp	spin_forever

	DEFINE_SERIAL_PUTS serial_puts32

	.section .rodata
msg:	.asciz	"spin\r\n"

	.section .bss
	.balign	16
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
