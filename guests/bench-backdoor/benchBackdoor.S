/*
 * bench-backdoor: n VMware backdoor GETVERSION calls (n from "n=<decimal>" on the command line, default 20000),
 * one 32-bit IN on port 0x5658 each, then exit code 0 (status 1). Every call must answer EBX = magic, otherwise
 * exit code 2 (status 5). Nothing is printed, so every exit but the final one belongs to the measured loop.
 */
#include "asmMacros.inc"
#include "../rpctool/backdoorDefs.h"

#define STACK_SIZE 1024
#define DEFAULT_N 20000

	MULTIBOOT_HEADER

	MULTIBOOT_START
	mov	$DEFAULT_N, %eax
	call	parse_n
	/* The call uses EAX, EBX, ECX and EDX, so the count lives in EBP. */
	mov	%eax, %ebp
	test	%ebp, %ebp
	jz	bench_done

	.globl	bench_loop
bench_loop:
	mov	$BDOOR_MAGIC, %eax
	/* Anything but the magic: only a real answer puts the magic in EBX. */
	xor	%ebx, %ebx
	mov	$BDOOR_CMD_GETVERSION, %ecx
	mov	$BDOOR_PORT_LB, %edx
	inl	%dx, %eax
	cmp	$BDOOR_MAGIC, %ebx
	jne	bench_bad_answer
	dec	%ebp
	jnz	bench_loop

	.globl	bench_done
bench_done:
	DEBUG_EXIT EXIT_SUCCESS_CODE

bench_bad_answer:
	DEBUG_EXIT EXIT_SELF_CHECK

#include "cmdlineN.inc"

	.section .bss
	.balign	16
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
