/*
 * bploop: calls tick() n times (n from "n=<decimal>" on the command line, default 100000), for
 * breakpoint-rate benchmarks: put a breakpoint on tick and count hits per second.
 * Serial: "bploop: start\r\n" then "bploop: done\r\n". Exit code 0 (status 1); 2 (status 5) if
 * tick_count does not equal n at the end (a breakpoint lost or repeated a call).
 */
#include "asmMacros.inc"

#define STACK_SIZE 1024
#define DEFAULT_N 100000

	MULTIBOOT_HEADER

	MULTIBOOT_START
	mov	$DEFAULT_N, %eax
	call	parse_n
	mov	%eax, iterations
	mov	$msg_start, %esi
	call	serial_puts32

	mov	iterations, %ecx
	test	%ecx, %ecx
	jz	2f
	.globl	call_loop
call_loop:
1:	call	tick
	dec	%ecx
	jnz	1b
2:	mov	tick_count, %eax
	cmp	iterations, %eax
	je	3f
	DEBUG_EXIT EXIT_SELF_CHECK
3:	mov	$msg_done, %esi
	call	serial_puts32
	DEBUG_EXIT EXIT_SUCCESS_CODE

	.globl	tick
	.type	tick, @function
tick:
	incl	tick_count
	ret
	.size	tick, . - tick

	DEFINE_SERIAL_PUTS serial_puts32
#include "cmdlineN.inc"

	.section .rodata
msg_start:	.asciz	"bploop: start\r\n"
msg_done:	.asciz	"bploop: done\r\n"

	.section .bss
	.balign	4
	.globl	tick_count
tick_count:
	.long	0
	.globl	iterations
iterations:
	.long	0
	.balign	16
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
