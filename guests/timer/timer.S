/*
 * timer: interrupt-driven Multiboot guest. It switches to long mode (32-bit iretd cannot be emulated on
 * some KVM hosts, so handlers return with iretq), remaps the 8259 to vectors 0x20-0x2f, programs PIT
 * channel 0 at 100 Hz, and waits in sti; hlt until IRQ0 has fired 10 times.
 * Serial: "timer: 10 ticks\r\n". Exit code 0 (status 1); 1 (status 3) on bad Multiboot magic; 4 (status 9)
 * if a CPU exception arrives. Needs the in-kernel 8259 and 8254 (or equivalent device models).
 */
#include "asmMacros.inc"
#include "longMode.inc"

#define STACK_SIZE 4096
#define TICKS_WANTED 10
#define TIMER_HZ 100
#define PIT_DIVISOR ((PIT_INPUT_HZ + TIMER_HZ / 2) / TIMER_HZ)
#define IRQ_BASE_MASTER 0x20
#define IRQ_BASE_SLAVE 0x28
#define VECTOR_IRQ0 IRQ_BASE_MASTER
#define FIRST_IRQ_VECTOR IRQ_BASE_MASTER
#define IDT_VECTORS 0x30
#define IDT_GATE_SIZE 16
/* Present, DPL 0, 64-bit interrupt gate (IF cleared on entry). */
#define GATE_INTERRUPT 0x8e00
/* ICW3: the slave hangs off master line 2; the slave's own cascade identity is 2. */
#define PIC1_ICW3_SLAVE_ON_IRQ2 0x04
#define PIC2_ICW3_CASCADE_ID 0x02
#define PIC1_MASK_ALL_BUT_IRQ0 0xfe
#define PIC_MASK_ALL 0xff

	MULTIBOOT_HEADER

	.section .text.entry, "ax"
	.code32
	.globl	_start
	.type	_start, @function
_start:
	/* Multiboot promises IF=0; make sure, since no IDT exists until setup_idt. */
	cli
	cld
	CHECK_MULTIBOOT_MAGIC
	ENTER_LONG_MODE long_mode_entry

	.code64
	.globl	long_mode_entry
long_mode_entry:
	LONG_MODE_SEGMENTS stack_top
	call	setup_idt
	call	setup_pic
	call	setup_pit

	.globl	wait_for_ticks
wait_for_ticks:
	cli
	cmpl	$TICKS_WANTED, tick_count(%rip)
	jae	1f
	/* sti's one-instruction shadow keeps the tick from landing between sti and hlt. */
	sti
	hlt
	jmp	wait_for_ticks
1:	mov	$PIC_MASK_ALL, %al
	outb	%al, $PIC1_DATA
	lea	msg_ticks(%rip), %rsi
	call	serial_puts64
	DEBUG_EXIT EXIT_SUCCESS_CODE

/* Vectors 0-31 (exceptions) stop the VM, 0x20 counts ticks, the other PIC vectors are ignored. */
setup_idt:
	xor	%ecx, %ecx
1:	lea	unexpected_trap(%rip), %rax
	cmp	$FIRST_IRQ_VECTOR, %ecx
	jb	2f
	lea	ignore_irq(%rip), %rax
	cmp	$VECTOR_IRQ0, %ecx
	jne	2f
	lea	irq0_handler(%rip), %rax
2:	call	set_gate
	inc	%ecx
	cmp	$IDT_VECTORS, %ecx
	jb	1b
	lidt	idt_ptr(%rip)
	ret

/* set_gate: ECX = vector, RAX = handler. Clobbers RAX, RDX. */
set_gate:
	mov	%ecx, %edx
	shl	$4, %edx
	lea	idt(%rip), %rdi
	add	%rdx, %rdi
	mov	%ax, (%rdi)
	movw	$GDT64_CODE, 2(%rdi)
	movw	$GATE_INTERRUPT, 4(%rdi)
	shr	$16, %rax
	mov	%ax, 6(%rdi)
	shr	$16, %rax
	mov	%eax, 8(%rdi)
	movl	$0, 12(%rdi)
	ret

setup_pic:
	mov	$PIC_ICW1_INIT_ICW4, %al
	outb	%al, $PIC1_CMD
	outb	%al, $PIC2_CMD
	mov	$IRQ_BASE_MASTER, %al
	outb	%al, $PIC1_DATA
	mov	$IRQ_BASE_SLAVE, %al
	outb	%al, $PIC2_DATA
	mov	$PIC1_ICW3_SLAVE_ON_IRQ2, %al
	outb	%al, $PIC1_DATA
	mov	$PIC2_ICW3_CASCADE_ID, %al
	outb	%al, $PIC2_DATA
	mov	$PIC_ICW4_8086, %al
	outb	%al, $PIC1_DATA
	outb	%al, $PIC2_DATA
	mov	$PIC1_MASK_ALL_BUT_IRQ0, %al
	outb	%al, $PIC1_DATA
	mov	$PIC_MASK_ALL, %al
	outb	%al, $PIC2_DATA
	ret

setup_pit:
	mov	$PIT_CH0_RATE_GEN, %al
	outb	%al, $PIT_CMD
	mov	$(PIT_DIVISOR & 0xff), %al
	outb	%al, $PIT_CH0
	mov	$(PIT_DIVISOR >> 8), %al
	outb	%al, $PIT_CH0
	ret

	.globl	irq0_handler
	.type	irq0_handler, @function
irq0_handler:
	push	%rax
	incl	tick_count(%rip)
	mov	$PIC_EOI, %al
	outb	%al, $PIC1_CMD
	pop	%rax
	iretq

	/* Spurious or masked-line interrupts: nothing to acknowledge. */
ignore_irq:
	iretq

unexpected_trap:
	DEBUG_EXIT EXIT_UNEXPECTED_TRAP

	DEFINE_SERIAL_PUTS serial_puts64

	DEFINE_GDT64
	DEFINE_IDENTITY_MAP

	.section .rodata
msg_ticks:	.asciz	"timer: 10 ticks\r\n"
	.balign	8
idt_ptr:
	.word	IDT_VECTORS * IDT_GATE_SIZE - 1
	.long	idt, 0

	.section .bss
	.balign	16
idt:
	.skip	IDT_VECTORS * IDT_GATE_SIZE
	.globl	tick_count
tick_count:
	.long	0
	.balign	16
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
