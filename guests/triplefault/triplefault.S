/*
 * triplefault: prints "triplefault: about to fault\r\n", loads an IDT with limit 0 and executes ud2.
 * #UD finds no gate, neither does the #GP that follows nor the #DF after it: the CPU shuts down.
 * Expected: the VMM reports a triple fault (status 2). Exit code 5 (status 11) if execution survives.
 */
#include "asmMacros.inc"

#define STACK_SIZE 1024

	MULTIBOOT_HEADER

	MULTIBOOT_START
	mov	$msg, %esi
	call	serial_puts32
	lidt	empty_idt_ptr
	.globl	fault_here
fault_here:
	ud2
	DEBUG_EXIT EXIT_SURVIVED_FAULT

	DEFINE_SERIAL_PUTS serial_puts32

	.section .rodata
msg:	.asciz	"triplefault: about to fault\r\n"
	.balign	4
empty_idt_ptr:
	.word	0
	.long	0

	.section .bss
	.balign	16
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
