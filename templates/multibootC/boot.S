/* Multiboot v1 header and entry: the loader jumps to _start in 32-bit protected mode with EAX = magic, EBX = info. */
#define MULTIBOOT_HEADER_MAGIC 0x1badb002
#define MULTIBOOT_HEADER_FLAGS 0x00000003	/* page-aligned modules, memory information wanted */
#define STACK_SIZE 16384

	.section .multiboot, "a"
	.balign	4
	.long	MULTIBOOT_HEADER_MAGIC
	.long	MULTIBOOT_HEADER_FLAGS
	.long	-(MULTIBOOT_HEADER_MAGIC + MULTIBOOT_HEADER_FLAGS)

	.section .text.entry, "ax"
	.code32
	.globl	_start
	.type	_start, @function
_start:
	mov	$stack_top, %esp
	xor	%ebp, %ebp		/* a zero frame pointer ends the debugger's stack walk here */
	sub	$8, %esp		/* keep the 16-byte alignment gcc expects at a call */
	push	%ebx
	push	%eax
	call	kernel_main
	cli
1:	hlt
	jmp	1b
	.size	_start, . - _start

	.section .bss
	.balign	16
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
