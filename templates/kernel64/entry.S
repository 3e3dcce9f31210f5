/* Entry of the 64-bit kernel: KVM Lab's ELF64 loader starts it in long mode with paging on and RDI = boot info. */
#define STACK_SIZE 16384

	.section .text.entry, "ax"
	.code64
	.globl	_start
	.type	_start, @function
_start:
	lea	stack_top(%rip), %rsp
	xor	%ebp, %ebp		/* a zero frame pointer ends the debugger's stack walk here */
	call	kernel_main		/* RDI (boot information) is already the first argument */
	cli
1:	hlt
	jmp	1b
	.size	_start, . - _start

	.section .bss
	.balign	16
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
