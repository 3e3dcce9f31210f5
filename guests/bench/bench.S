/*
 * Benchmark guests: one exit-heavy loop of n operations (n from "n=<decimal>" on the command line,
 * default 20000), then exit code 0 (status 1). Built three times:
 *   bench-serial (-DBENCH_SERIAL): n byte writes to the COM1 data port, without polling LSR; the serial
 *     output is exactly n 'x' characters.
 *   bench-pio (-DBENCH_PIO): n byte reads from the debug console port 0xe9; exit code 2 (status 5) if
 *     a read does not return 0xe9.
 *   bench-mmio (-DBENCH_MMIO): n 32-bit reads from the unbacked address BENCH_MMIO_ADDR.
 * Nothing else is printed, so every exit but the final one belongs to the measured loop.
 */
#include "asmMacros.inc"

#define STACK_SIZE 1024
#define DEFAULT_N 20000
/* Far above any RAM size and below the PCI BAR window: nothing answers here but the VMM's default. */
#define BENCH_MMIO_ADDR 0xd0000000
#define BENCH_SERIAL_BYTE 'x'

#if defined(BENCH_SERIAL) + defined(BENCH_PIO) + defined(BENCH_MMIO) != 1
#error "define exactly one of BENCH_SERIAL, BENCH_PIO, BENCH_MMIO"
#endif

	MULTIBOOT_HEADER

	MULTIBOOT_START
	mov	$DEFAULT_N, %eax
	call	parse_n
	mov	%eax, %ecx
	test	%ecx, %ecx
	jz	bench_done

	.globl	bench_loop
bench_loop:
#if defined(BENCH_SERIAL)
	mov	$COM1_DATA, %dx
	mov	$BENCH_SERIAL_BYTE, %al
1:	outb	%al, %dx
	dec	%ecx
	jnz	1b
#elif defined(BENCH_PIO)
	mov	$DEBUGCON_PORT, %dx
1:	inb	%dx, %al
	cmp	$DEBUGCON_READBACK, %al
	jne	bench_bad_read
	dec	%ecx
	jnz	1b
#else
1:	mov	BENCH_MMIO_ADDR, %eax
	dec	%ecx
	jnz	1b
#endif

	.globl	bench_done
bench_done:
	DEBUG_EXIT EXIT_SUCCESS_CODE

bench_bad_read:
	DEBUG_EXIT EXIT_SELF_CHECK

#include "cmdlineN.inc"

	.section .bss
	.balign	16
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
