/*
 * bootsector: a 512-byte boot sector in 16-bit real mode that uses no BIOS services.
 * Serial: "Hello from the boot sector\r\n". VGA text row 0: "KVM Lab boot sector" in bright white on
 * blue (attribute 0x1f), cursor at row 1, column 0. Exit code 0 (status 1).
 */
#include "asmMacros.inc"

#define BOOT_ADDR 0x7c00
/* Bright white on blue. */
#define BANNER_ATTR 0x1f
/* Cursor at the start of row 1 (linear cell index = row * columns + column). */
#define CURSOR_CELL (1 * VGA_COLUMNS)

	.code16
	.section .text.boot, "ax"
	.globl	boot_entry
boot_entry:
	cli
	/* Firmware may jump here as 07c0:0000 or 0000:7c00; settle on the latter. */
	ljmp	$0, $1f
1:	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$BOOT_ADDR, %sp
	cld

	mov	$hello, %si
	call	serial_puts16
	call	vga_banner
	DEBUG_EXIT EXIT_SUCCESS_CODE

	.globl	vga_banner
vga_banner:
	mov	$VGA_TEXT_SEGMENT, %ax
	mov	%ax, %es
	xor	%di, %di
	mov	$banner, %si
	mov	$BANNER_ATTR, %ah
1:	lodsb
	test	%al, %al
	jz	2f
	stosw
	jmp	1b
2:	mov	$VGA_CRTC_INDEX, %dx
	mov	$VGA_CRTC_CURSOR_HIGH, %al
	outb	%al, %dx
	inc	%dx
	mov	$(CURSOR_CELL >> 8), %al
	outb	%al, %dx
	dec	%dx
	mov	$VGA_CRTC_CURSOR_LOW, %al
	outb	%al, %dx
	inc	%dx
	mov	$(CURSOR_CELL & 0xff), %al
	outb	%al, %dx
	ret

	DEFINE_SERIAL_PUTS serial_puts16

hello:	.asciz	"Hello from the boot sector\r\n"
banner:	.asciz	"KVM Lab boot sector"

	.org	510
	.word	0xaa55

	.section .note.GNU-stack, "", @progbits
