/*
 * svga: a Multiboot v1 kernel that drives the VMware SVGA II adapter the way a simple 2D driver does.
 * It finds 15ad:0405 on PCI bus 0 (mechanism #1), reads BAR0/1/2, negotiates SVGA_ID_2, sets 640x480x32,
 * enables the device, sets up the FIFO and draws through it (pixel loops would be far too slow on hosts
 * that emulate kernel code). Serial transcript, each line ending in \r\n:
 *   svga: found 15ad:0405 at 00:<slot>.0 irq <Interrupt Line> / svga: io=0x<BAR0> fb=0x<BAR1> fifo=0x<BAR2> /
 *   svga: id=0x90000002 caps=0x<caps> vram=<KiB> KiB fifo=<KiB> KiB / svga: mode 640x480 pitch=2560 /
 *   svga: fifo min=4096 max=<bytes> / svga: drew 6 rectangles and 1 copy / svga: sync done /
 *   svga: wrote 11 pixels / svga: vram check ok / svga: done
 * then exit code 0 (status 1). Without the device it prints "svga: no SVGA II device on PCI bus 0" and
 * exits with code 0 too. Failures: 1 (bad Multiboot magic), 2 (the device misbehaved).
 *
 * With the word "nofifo" on the command line it stops after "svga: mode 640x480 pitch=2560", leaves the
 * FIFO off (so only the VMM's VRAM dirty log can see what it draws), prints "svga: waiting for the host"
 * and polls the VRAM word at byte offset 0x200000 (outside the screen) until the host makes it non-zero.
 * Then it writes orange 0xff8800 at 100..131,100 and green 0x00ff00 at 5,300, prints
 * "svga: wrote 33 pixels without the FIFO" and spins for good (stop it from the host).
 * With the word "movefb" it moves BAR1 (VRAM) to 0xd0000000 after the mode line, checks that FB_START
 * follows, prints "svga: fb moved to 0xd0000000" and goes on as above at the new address.
 * With the word "irq" (and the in-kernel irqchip) it also fences with ANY_FENCE unmasked after drawing,
 * checks through the slave 8259's IRR that IRQ 11 went up and came down when IRQSTATUS was acknowledged,
 * and prints "svga: a fence raised irq 11 and IRQSTATUS lowered it" before "svga: vram check ok".
 *
 * The picture (colours 0xRRGGBB, rectangles x,y widthxheight):
 *   background 0x202020 over the whole screen;
 *   red 0xff0000 at 40,40 160x120; green 0x00ff00 at 240,40 160x120; blue 0x0000ff at 440,40 160x120;
 *   yellow 0xffff00 at 40,220 100x80 with magenta 0xff00ff at 60,240 20x20 inside it;
 *   RECT_COPY of 40,220 100x80 to 200,220 (a second yellow square with magenta at 220,240);
 *   written straight into VRAM: 0x123456 at 10,400; 0xabcdef at 11,400; cyan 0x00ffff at 300..307,400;
 *   white 0xffffff at 630,470.
 */
#include <stdint.h>
#include "machine.h"
#include "portio.h"
#include "serial.h"
#include "svga.h"
#include "text.h"

#define MODE_WIDTH 640
#define MODE_HEIGHT 480
#define BYTES_PER_PIXEL 4
#define KIB 1024
#define CYAN_RUN 8
#define ORANGE_RUN 32
/* The host's go-ahead in nofifo mode: a VRAM word past any 640x480 screen. */
#define RELEASE_OFFSET 0x200000
#define PCI_REG_INTERRUPT_LINE 0x3c
/* Where "movefb" puts BAR1: inside the PCI hole, 16 MiB aligned, below the addresses firmware assigned. */
#define MOVED_FB_ADDRESS 0xd0000000u
/* The ISA IRQ the machine wires the device's INTA# to (its Interrupt Line register says the same). */
#define SVGA_IRQ_LINE 11
#define MULTIBOOT_CMDLINE_FLAG 0x4

/* The fields of the Multiboot information structure this guest reads. */
struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower;
	uint32_t mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
};

void svga_main(uint32_t magic, const struct multiboot_info *info);
/* Global so a debugger (and the manifest) can name it. */
void draw_without_fifo(void) __attribute__((noreturn, noinline));

static uint16_t svga_io;
static volatile uint32_t *fifo;
static volatile uint32_t *vram;
static uint32_t pitch_pixels;
static uint32_t caps;
static uint32_t fifo_size;

static inline void outl(uint16_t port, uint32_t value)
{
	__asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t value;
	__asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static uint32_t pci_read(uint32_t slot, uint32_t reg)
{
	outl(PCI_CONFIG_ADDRESS, PCI_CONFIG_ENABLE | (slot << 11) | reg);
	return inl(PCI_CONFIG_DATA);
}

static void pci_write(uint32_t slot, uint32_t reg, uint32_t value)
{
	outl(PCI_CONFIG_ADDRESS, PCI_CONFIG_ENABLE | (slot << 11) | reg);
	outl(PCI_CONFIG_DATA, value);
}

static uint32_t svga_read(uint32_t index)
{
	outl(svga_io + SVGA_INDEX_PORT, index);
	return inl(svga_io + SVGA_VALUE_PORT);
}

static void svga_write(uint32_t index, uint32_t value)
{
	outl(svga_io + SVGA_INDEX_PORT, index);
	outl(svga_io + SVGA_VALUE_PORT, value);
}

/* Lowercase hex with a fixed number of digits and no prefix (PCI slot numbers, port numbers). */
static void put_hex_digits(uint32_t value, int digits)
{
	static const char hex[] = "0123456789abcdef";
	for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
		serial_putc(hex[(value >> shift) & 0xf]);
}

static __attribute__((noreturn)) void fail(const char *why)
{
	serial_puts("svga: ");
	serial_puts(why);
	serial_puts("\r\n");
	debug_exit(EXIT_SELF_CHECK);
}

/* Appends one word at NEXT_CMD, wrapping at MAX; the command becomes visible when NEXT_CMD moves. */
static void fifo_put(uint32_t *next, uint32_t word)
{
	fifo[*next / 4] = word;
	*next += 4;
	if (*next == fifo[SVGA_FIFO_MAX])
		*next = fifo[SVGA_FIFO_MIN];
}

static void fifo_cmd(uint32_t id, const uint32_t *args, uint32_t count)
{
	uint32_t next = fifo[SVGA_FIFO_NEXT_CMD];
	fifo_put(&next, id);
	for (uint32_t i = 0; i < count; i++)
		fifo_put(&next, args[i]);
	fifo[SVGA_FIFO_NEXT_CMD] = next;
}

static void rect_fill(uint32_t color, uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	const uint32_t args[] = { color, x, y, w, h };
	fifo_cmd(SVGA_CMD_RECT_FILL, args, 5);
}

static void rect_copy(uint32_t sx, uint32_t sy, uint32_t dx, uint32_t dy, uint32_t w, uint32_t h)
{
	const uint32_t args[] = { sx, sy, dx, dy, w, h };
	fifo_cmd(SVGA_CMD_RECT_COPY, args, 6);
}

static void update(uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	const uint32_t args[] = { x, y, w, h };
	fifo_cmd(SVGA_CMD_UPDATE, args, 4);
}

/* Rings the doorbell unless the device is already awake, then waits until it has drained the FIFO. */
static void sync_and_wait(void)
{
	if (fifo[SVGA_FIFO_BUSY] == 0) {
		fifo[SVGA_FIFO_BUSY] = 1;
		svga_write(SVGA_REG_SYNC, SVGA_SYNC_GENERIC);
	}
	while (svga_read(SVGA_REG_BUSY) != 0) {
	}
}

static void put_pixel(uint32_t x, uint32_t y, uint32_t color)
{
	vram[y * pitch_pixels + x] = color;
}

static uint32_t find_device(void)
{
	for (uint32_t slot = 0; slot < PCI_DEVICES_PER_BUS; slot++) {
		if (pci_read(slot, PCI_REG_ID) == SVGA_PCI_ID)
			return slot;
	}
	return PCI_DEVICES_PER_BUS;
}

static void set_up(uint32_t slot)
{
	serial_puts("svga: found 15ad:0405 at 00:");
	put_hex_digits(slot, 2);
	serial_puts(".0 irq ");
	serial_put_uint(pci_read(slot, PCI_REG_INTERRUPT_LINE) & 0xff);
	serial_puts("\r\n");
	/* Firmware normally enables decoding; do it anyway so the guest does not depend on that. */
	uint32_t command = pci_read(slot, PCI_REG_COMMAND) & 0xffff;
	pci_write(slot, PCI_REG_COMMAND, command | PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
	svga_io = (uint16_t)(pci_read(slot, PCI_REG_BAR0) & PCI_BAR_IO_MASK);
	vram = (volatile uint32_t *)(uintptr_t)(pci_read(slot, PCI_REG_BAR1) & PCI_BAR_MEM_MASK);
	fifo = (volatile uint32_t *)(uintptr_t)(pci_read(slot, PCI_REG_BAR2) & PCI_BAR_MEM_MASK);
	serial_puts("svga: io=0x");
	put_hex_digits(svga_io, 4);
	serial_puts(" fb=0x");
	put_hex_digits((uint32_t)(uintptr_t)vram, 8);
	serial_puts(" fifo=0x");
	put_hex_digits((uint32_t)(uintptr_t)fifo, 8);
	serial_puts("\r\n");

	svga_write(SVGA_REG_ID, SVGA_ID_2);
	if (svga_read(SVGA_REG_ID) != SVGA_ID_2)
		fail("the device refused SVGA_ID_2");
	caps = svga_read(SVGA_REG_CAPABILITIES);
	fifo_size = svga_read(SVGA_REG_MEM_SIZE);
	serial_puts("svga: id=0x");
	put_hex_digits(SVGA_ID_2, 8);
	serial_puts(" caps=0x");
	put_hex_digits(caps, 8);
	serial_puts(" vram=");
	serial_put_uint(svga_read(SVGA_REG_VRAM_SIZE) / KIB);
	serial_puts(" KiB fifo=");
	serial_put_uint(fifo_size / KIB);
	serial_puts(" KiB\r\n");
	if ((caps & (SVGA_CAP_RECT_FILL | SVGA_CAP_RECT_COPY)) != (SVGA_CAP_RECT_FILL | SVGA_CAP_RECT_COPY))
		fail("the device cannot fill or copy rectangles");

	svga_write(SVGA_REG_WIDTH, MODE_WIDTH);
	svga_write(SVGA_REG_HEIGHT, MODE_HEIGHT);
	uint32_t pitch = svga_read(SVGA_REG_BYTES_PER_LINE);
	if (svga_read(SVGA_REG_FB_OFFSET) != 0 || pitch < MODE_WIDTH * BYTES_PER_PIXEL)
		fail("the mode has an unexpected layout");
	pitch_pixels = pitch / BYTES_PER_PIXEL;
	serial_puts("svga: mode 640x480 pitch=");
	serial_put_uint(pitch);
	serial_puts("\r\n");
	svga_write(SVGA_REG_ENABLE, SVGA_ENABLE_ON);
}

static void set_up_fifo(void)
{
	/* The ring starts after the FIFO registers, rounded up to a page as drivers do. */
	uint32_t regs = (caps & SVGA_CAP_EXTENDED_FIFO) ? svga_read(SVGA_REG_MEM_REGS) * 4 : 16;
	uint32_t min = (regs + SVGA_FIFO_ALIGN - 1) & ~(uint32_t)(SVGA_FIFO_ALIGN - 1);
	fifo[SVGA_FIFO_MIN] = min;
	fifo[SVGA_FIFO_MAX] = fifo_size;
	fifo[SVGA_FIFO_NEXT_CMD] = min;
	fifo[SVGA_FIFO_STOP] = min;
	if (caps & SVGA_CAP_EXTENDED_FIFO)
		fifo[SVGA_FIFO_BUSY] = 0;
	svga_write(SVGA_REG_CONFIG_DONE, 1);
	serial_puts("svga: fifo min=");
	serial_put_uint(min);
	serial_puts(" max=");
	serial_put_uint(fifo_size);
	serial_puts("\r\n");
}

static void draw(void)
{
	rect_fill(0x202020, 0, 0, MODE_WIDTH, MODE_HEIGHT);
	rect_fill(0xff0000, 40, 40, 160, 120);
	rect_fill(0x00ff00, 240, 40, 160, 120);
	rect_fill(0x0000ff, 440, 40, 160, 120);
	rect_fill(0xffff00, 40, 220, 100, 80);
	rect_fill(0xff00ff, 60, 240, 20, 20);
	rect_copy(40, 220, 200, 220, 100, 80);
	update(0, 0, MODE_WIDTH, MODE_HEIGHT);
	serial_puts("svga: drew 6 rectangles and 1 copy\r\n");
	sync_and_wait();
	serial_puts("svga: sync done\r\n");

	put_pixel(10, 400, 0x123456);
	put_pixel(11, 400, 0xabcdef);
	for (uint32_t x = 300; x < 300 + CYAN_RUN; x++)
		put_pixel(x, 400, 0x00ffff);
	put_pixel(630, 470, 0xffffff);
	/* Direct writes are invisible to the device until the driver reports them. */
	update(0, 400, MODE_WIDTH, 1);
	update(630, 470, 1, 1);
	sync_and_wait();
	serial_puts("svga: wrote 11 pixels\r\n");
}

/* Guest drawing the device is never told about: only dirty-page logging of VRAM can show it. */
void draw_without_fifo(void)
{
	serial_puts("svga: waiting for the host\r\n");
	while (vram[RELEASE_OFFSET / 4] == 0) {
	}
	for (uint32_t x = 100; x < 100 + ORANGE_RUN; x++)
		put_pixel(x, 100, 0xff8800);
	put_pixel(5, 300, 0x00ff00);
	serial_puts("svga: wrote 33 pixels without the FIFO\r\n");
	for (;;)
		__asm__ volatile("pause");
}

static int has_option(const struct multiboot_info *info, const char *word)
{
	if ((info->flags & MULTIBOOT_CMDLINE_FLAG) == 0 || info->cmdline == 0)
		return 0;
	return has_word((const char *)(uintptr_t)info->cmdline, word);
}

/* Reprograms BAR1 with memory decoding off, as an OS that rearranges PCI space does; FB_START must follow. */
static void move_framebuffer(uint32_t slot)
{
	uint32_t command = pci_read(slot, PCI_REG_COMMAND) & 0xffff;
	pci_write(slot, PCI_REG_COMMAND, command & ~(uint32_t)PCI_COMMAND_MEMORY);
	pci_write(slot, PCI_REG_BAR1, MOVED_FB_ADDRESS);
	pci_write(slot, PCI_REG_COMMAND, command | PCI_COMMAND_MEMORY);
	vram = (volatile uint32_t *)(uintptr_t)(pci_read(slot, PCI_REG_BAR1) & PCI_BAR_MEM_MASK);
	if ((uint32_t)(uintptr_t)vram != MOVED_FB_ADDRESS || svga_read(SVGA_REG_FB_START) != MOVED_FB_ADDRESS)
		fail("BAR1 did not move");
	serial_puts("svga: fb moved to 0x");
	put_hex_digits(MOVED_FB_ADDRESS, 8);
	serial_puts("\r\n");
}

/* IRQ 11 is input 3 of the slave 8259; its IRR shows the line's level once the input is level-triggered. */
static int irq_line_pending(void)
{
	outb(PIC2_CMD, PIC_OCW3_READ_IRR);
	return (inb(PIC2_CMD) >> (SVGA_IRQ_LINE - 8)) & 1;
}

/* A fence with ANY_FENCE unmasked must raise the INTx line, and acknowledging IRQSTATUS must lower it. */
static void check_irq(void)
{
	if ((caps & SVGA_CAP_IRQMASK) == 0)
		fail("the device has no IRQMASK capability");
	/* PCI lines are level-triggered; with the default edge trigger the IRR would not follow the line. */
	outb(PIC2_ELCR, inb(PIC2_ELCR) | (1 << (SVGA_IRQ_LINE - 8)));
	svga_write(SVGA_REG_IRQMASK, SVGA_IRQFLAG_ANY_FENCE);
	const uint32_t fence = 1;
	fifo_cmd(SVGA_CMD_FENCE, &fence, 1);
	sync_and_wait();
	if (!irq_line_pending())
		fail("the fence did not raise IRQ 11");
	outl(svga_io + SVGA_IRQSTATUS_PORT, inl(svga_io + SVGA_IRQSTATUS_PORT));
	if (irq_line_pending())
		fail("IRQ 11 stayed raised after IRQSTATUS was acknowledged");
	svga_write(SVGA_REG_IRQMASK, 0);
	serial_puts("svga: a fence raised irq 11 and IRQSTATUS lowered it\r\n");
}

/* The device drew into the same VRAM the guest sees, so its work can be read back. */
static void check_vram(void)
{
	if (vram[100 * pitch_pixels + 100] != 0xff0000 || vram[240 * pitch_pixels + 220] != 0xff00ff
	    || vram[230 * pitch_pixels + 210] != 0xffff00 || vram[0] != 0x202020)
		fail("VRAM does not hold the drawn picture");
	serial_puts("svga: vram check ok\r\n");
}

void svga_main(uint32_t magic, const struct multiboot_info *info)
{
	serial_init();
	if (magic != MULTIBOOT_BOOT_MAGIC) {
		serial_puts("svga: bad boot magic\r\n");
		debug_exit(EXIT_BAD_BOOT_MAGIC);
	}
	uint32_t slot = find_device();
	if (slot == PCI_DEVICES_PER_BUS) {
		serial_puts("svga: no SVGA II device on PCI bus 0\r\n");
		debug_exit(EXIT_SUCCESS_CODE);
	}
	set_up(slot);
	if (has_option(info, "movefb"))
		move_framebuffer(slot);
	if (has_option(info, "nofifo"))
		draw_without_fifo();
	set_up_fifo();
	draw();
	if (has_option(info, "irq"))
		check_irq();
	check_vram();
	serial_puts("svga: done\r\n");
	debug_exit(EXIT_SUCCESS_CODE);
}
