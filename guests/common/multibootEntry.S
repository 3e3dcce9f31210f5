/*
 * Multiboot v1 entry shared by the C guests: gives C a stack and calls C_MAIN(magic, info).
 * C_MAIN defaults to kmain and STACK_SIZE to 16 KiB; a guest's build passes -D to change them.
 */
#include "asmMacros.inc"

#ifndef STACK_SIZE
#define STACK_SIZE 16384
#endif
#ifndef C_MAIN
#define C_MAIN kmain
#endif

	MULTIBOOT_HEADER

	.section .text.entry, "ax"
	.code32
	.globl	_start
	.type	_start, @function
_start:
	mov	$stack_top, %esp
	/* A zero frame pointer ends a debugger's frame-pointer walk at the C entry function. */
	xor	%ebp, %ebp
	/* Two pushes plus the return address keep the 16-byte call alignment gcc assumes. */
	sub	$8, %esp
	push	%ebx
	push	%eax
	call	C_MAIN
	/* The C entry leaves through the debug-exit port; never run into whatever follows. */
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
