/*
 * A boot sector: 512 bytes loaded at 0x7c00 and entered in 16-bit real mode. It uses no BIOS services
 * (KVM Lab boots it directly), so it talks to the hardware itself: COM1 for text, VGA memory for the
 * screen, and the isa-debug-exit port to end the VM.
 */
#define COM1_DATA	0x3f8
#define COM1_LSR	0x3fd
#define LSR_THRE	0x20		/* the UART can take another byte */
#define DEBUG_EXIT_PORT	0xf4		/* writing v ends the VM with status (v << 1) | 1 */
#define VGA_TEXT_SEG	0xb800
#define ATTR_WHITE_ON_BLUE 0x1f

	.code16
	.section .text.boot, "ax"
	.globl	start
start:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$0x7c00, %sp

	mov	$message, %si
	call	serial_puts

	/* The same text on the first row of the VGA text screen. */
	mov	$VGA_TEXT_SEG, %ax
	mov	%ax, %es
	xor	%di, %di
	mov	$message, %si
	mov	$ATTR_WHITE_ON_BLUE, %ah
1:	lodsb
	cmp	$0x0d, %al		/* stop at the carriage return */
	je	2f
	stosw
	jmp	1b

2:	mov	$0, %al			/* exit code 0: VM status 1 */
	outb	%al, $DEBUG_EXIT_PORT
	hlt

	.globl	serial_puts
serial_puts:				/* prints the zero-terminated string at DS:SI */
	lodsb
	test	%al, %al
	jz	3f
	mov	%al, %ah
	mov	$COM1_LSR, %dx
4:	inb	%dx, %al
	test	$LSR_THRE, %al
	jz	4b
	mov	$COM1_DATA, %dx
	mov	%ah, %al
	outb	%al, %dx
	jmp	serial_puts
3:	ret

message:
	.asciz	"Hello from my boot sector!\r\n"

	/* Pad to 510 bytes and add the boot signature. */
	.org	510
	.byte	0x55, 0xaa

	.section .note.GNU-stack, "", @progbits
