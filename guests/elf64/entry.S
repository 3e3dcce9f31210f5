/* Entry of the plain ELF64 kernel: already in long mode; gives C its own stack and calls kmain(start_info). */
#include "machine.h"

#define STACK_SIZE 16384

	.section .text.entry, "ax"
	.code64
	.globl	_start
	.type	_start, @function
_start:
	/* The loader's stack would do, but owning it keeps the guest independent of where that lies. */
	lea	stack_top(%rip), %rsp
	/* A zero frame pointer ends the debugger's frame-pointer walk at kmain. */
	xor	%ebp, %ebp
	/* RDI (hvm_start_info) is already kmain's first argument. */
	call	kmain
	cli
1:	hlt
	jmp	1b
	.size	_start, . - _start

	.section .bss
	.balign	16
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
