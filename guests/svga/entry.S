/* Multiboot v1 entry of the SVGA drawing guest: gives C a stack and calls svga_main(magic, info). */
#include "asmMacros.inc"

#define STACK_SIZE 8192

	MULTIBOOT_HEADER

	.section .text.entry, "ax"
	.code32
	.globl	_start
	.type	_start, @function
_start:
	mov	$stack_top, %esp
	xor	%ebp, %ebp
	/* Two pushes plus the return address keep the 16-byte call alignment gcc assumes. */
	sub	$8, %esp
	push	%ebx
	push	%eax
	call	svga_main
	cli
1:	hlt
	jmp	1b
	.size	_start, . - _start

	.section .bss
	.balign	16
stack:
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
