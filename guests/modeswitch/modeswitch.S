/*
 * modeswitch: a boot sector that walks real mode -> 32-bit protected mode -> 64-bit long mode, building
 * its own GDT and page tables, and prints one line per mode: "real\r\n", "protected\r\n", "long\r\n".
 * Each phase starts at a global symbol (real_mode_entry, protected_mode_entry, long_mode_entry) so a
 * debugger can stop at every switch; modeswitch.elf carries the symbols. Exit code 0 (status 1).
 * Like a higher-half kernel, long mode continues through a second mapping of the same memory (linear
 * HIGH_ALIAS + x is physical x) right after paging is on, with no VM exit in between: long_mode_high runs at
 * HIGH_ALIAS + long_mode_high.
 */
#include "asmMacros.inc"

#define BOOT_ADDR 0x7c00
/* Page tables for the 2 MiB identity map: PML4, PDPT and one page directory, one page each. */
#define PT_PML4 0x10000
#define PT_PDPT 0x11000
#define PT_PD 0x12000
#define PT_DWORDS (3 * 4096 / 4)
/* PDPT entry 1: linear 1 GiB + x maps physical x as well, for the first 2 MiB. */
#define HIGH_ALIAS 0x40000000
#define SEL_CODE32 0x08
#define SEL_DATA 0x10
#define SEL_CODE64 0x18

	.code16
	.section .text.boot, "ax"
	.globl	boot_entry
boot_entry:
	.globl	real_mode_entry
real_mode_entry:
	cli
	ljmp	$0, $1f
1:	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$BOOT_ADDR, %sp
	cld
	mov	$msg_real, %si
	call	serial_puts16

	/* Fast A20 through system control port A, keeping the reset bit clear. */
	inb	$SYSCTL_A_PORT, %al
	or	$SYSCTL_A_A20, %al
	and	$~SYSCTL_A_RESET & 0xff, %al
	outb	%al, $SYSCTL_A_PORT

	lgdt	gdt_ptr
	mov	%cr0, %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$SEL_CODE32, $protected_mode_entry

	DEFINE_SERIAL_PUTS serial_puts16

	.code32
	.globl	protected_mode_entry
protected_mode_entry:
	mov	$SEL_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$BOOT_ADDR, %esp
	mov	$msg_protected, %esi
	call	serial_puts32

	/* One 2 MiB page covers this code, the stack and everything the guest touches. */
	mov	$PT_PML4, %edi
	mov	$PT_DWORDS, %ecx
	xor	%eax, %eax
	rep stosl
	movl	$(PT_PDPT + PTE_PRESENT + PTE_WRITABLE), PT_PML4
	movl	$(PT_PD + PTE_PRESENT + PTE_WRITABLE), PT_PDPT
	movl	$(PT_PD + PTE_PRESENT + PTE_WRITABLE), PT_PDPT + 8
	movl	$(PTE_PRESENT + PTE_WRITABLE + PTE_LARGE), PT_PD

	mov	$PT_PML4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$CR0_PG, %eax
	mov	%eax, %cr0
	ljmp	$SEL_CODE64, $long_mode_entry

	DEFINE_SERIAL_PUTS serial_puts32

	.code64
	.globl	long_mode_entry
long_mode_entry:
	/* On through the high mapping (a 32-bit immediate: mov zero-extends into rax). */
	mov	$(HIGH_ALIAS + long_mode_high), %eax
	jmp	*%rax
	.globl	long_mode_high
long_mode_high:
	mov	$msg_long, %esi
	call	serial_puts64
	DEBUG_EXIT EXIT_SUCCESS_CODE

	DEFINE_SERIAL_PUTS serial_puts64

	.balign	8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* SEL_CODE32: flat, 32-bit */
	.quad	0x00cf92000000ffff	/* SEL_DATA: flat, writable */
	.quad	0x00af9a000000ffff	/* SEL_CODE64: L=1 */
gdt_end:
gdt_ptr:
	.word	gdt_end - gdt - 1
	.long	gdt

msg_real:	.asciz	"real\r\n"
msg_protected:	.asciz	"protected\r\n"
msg_long:	.asciz	"long\r\n"

	.org	510
	.word	0xaa55

	.section .note.GNU-stack, "", @progbits
