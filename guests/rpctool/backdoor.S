/* Backdoor call stubs: load all seven registers from a struct bdoor_regs, run one I/O instruction, store them back. */
#include "backdoorDefs.h"

/*
 * The HB calls need EBP as an argument (a cookie half), which C code built with frame pointers cannot hand to
 * inline assembly, so every call goes through these stubs. cdecl: the struct pointer is the only argument;
 * EBX, ESI, EDI and EBP are restored for the caller.
 */
.macro BDOOR_STUB name, op:vararg
	.globl	\name
	.type	\name, @function
\name:
	push	%ebp
	push	%ebx
	push	%esi
	push	%edi
	/* Four saved registers and the return address sit above the argument. */
	mov	20(%esp), %eax
	push	%eax
	mov	BDOOR_REG_EBX(%eax), %ebx
	mov	BDOOR_REG_ECX(%eax), %ecx
	mov	BDOOR_REG_EDX(%eax), %edx
	mov	BDOOR_REG_ESI(%eax), %esi
	mov	BDOOR_REG_EDI(%eax), %edi
	mov	BDOOR_REG_EBP(%eax), %ebp
	mov	BDOOR_REG_EAX(%eax), %eax
	/* String I/O must move forwards; harmless before a plain IN. */
	cld
	\op
	push	%eax
	mov	4(%esp), %eax
	mov	%ebx, BDOOR_REG_EBX(%eax)
	mov	%ecx, BDOOR_REG_ECX(%eax)
	mov	%edx, BDOOR_REG_EDX(%eax)
	mov	%esi, BDOOR_REG_ESI(%eax)
	mov	%edi, BDOOR_REG_EDI(%eax)
	mov	%ebp, BDOOR_REG_EBP(%eax)
	popl	BDOOR_REG_EAX(%eax)
	add	$4, %esp
	pop	%edi
	pop	%esi
	pop	%ebx
	pop	%ebp
	ret
	.size	\name, . - \name
.endm

	.text
	.code32
	BDOOR_STUB bdoor_lb, inl %dx, %eax
	BDOOR_STUB bdoor_hb_out, rep outsb
	BDOOR_STUB bdoor_hb_in, rep insb

	.section .note.GNU-stack, "", @progbits
