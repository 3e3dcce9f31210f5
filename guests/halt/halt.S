/*
 * halt: prints "halt: bye\r\n", then cli; hlt for good, without touching the debug-exit port.
 * Expected: the VMM sees a halted vCPU that no interrupt can wake and ends the VM with status 0.
 * (With an in-kernel irqchip KVM keeps a halted vCPU inside the kernel, so the VMM must notice it.)
 */
#include "asmMacros.inc"

#define STACK_SIZE 1024

	MULTIBOOT_HEADER

	MULTIBOOT_START
	mov	$msg, %esi
	call	serial_puts32
	cli
	.globl	halt_here
halt_here:
	hlt
	/* Only an NMI or SMI could get here; go back to sleep. */
	jmp	halt_here

	DEFINE_SERIAL_PUTS serial_puts32

	.section .rodata
msg:	.asciz	"halt: bye\r\n"

	.section .bss
	.balign	16
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
