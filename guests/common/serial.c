/* Polled COM1 driver: programs 115200 8N1 once, then waits for LSR.THRE before every byte. */
#include "serial.h"
#include "portio.h"

/* Line control: divisor latch access, and 8 data bits / no parity / 1 stop bit. */
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
/* FIFO control: enable and clear both FIFOs. */
#define FCR_ENABLE_CLEAR 0x07
/* Modem control: DTR, RTS, OUT2. */
#define MCR_DTR_RTS_OUT2 0x0b
/* 115200 baud from the 1.8432 MHz UART clock. */
#define DIVISOR_115200 1

void serial_init(void)
{
	outb(COM1_IER, 0x00); /* polled: no UART interrupts */
	outb(COM1_LCR, LCR_DLAB);
	outb(COM1_DATA, DIVISOR_115200 & 0xff);
	outb(COM1_IER, DIVISOR_115200 >> 8);
	outb(COM1_LCR, LCR_8N1);
	outb(COM1_FCR, FCR_ENABLE_CLEAR);
	outb(COM1_MCR, MCR_DTR_RTS_OUT2);
}

void serial_putc(char c)
{
	while ((inb(COM1_LSR) & LSR_THRE) == 0) {
	}
	outb(COM1_DATA, (uint8_t)c);
}

void serial_puts(const char *s)
{
	while (*s != '\0')
		serial_putc(*s++);
}

void serial_put_uint(uint32_t value)
{
	/* 10 digits hold any 32-bit value. */
	char digits[10];
	int count = 0;
	do {
		digits[count++] = (char)('0' + value % 10);
		value /= 10;
	} while (value != 0);
	while (count > 0)
		serial_putc(digits[--count]);
}

void serial_put_int(int32_t value)
{
	if (value < 0) {
		serial_putc('-');
		/* Negate in unsigned arithmetic so INT32_MIN does not overflow. */
		serial_put_uint(0u - (uint32_t)value);
	} else {
		serial_put_uint((uint32_t)value);
	}
}

void serial_put_hex(uint32_t value)
{
	static const char hex[] = "0123456789abcdef";
	serial_puts("0x");
	for (int shift = 28; shift >= 0; shift -= 4)
		serial_putc(hex[(value >> shift) & 0xf]);
}
