/* Polled COM1 output: enough for a kernel's first messages. */
#ifndef SERIAL_H
#define SERIAL_H

#include <stdint.h>

#define COM1_DATA 0x3f8
#define COM1_LSR 0x3fd
#define LSR_THRE 0x20		/* the UART can take another byte */
#define DEBUG_EXIT_PORT 0xf4	/* writing v ends the VM with status (v << 1) | 1 */

static inline void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t value;
	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline void serial_putc(char c)
{
	while ((inb(COM1_LSR) & LSR_THRE) == 0) {
	}
	outb(COM1_DATA, (uint8_t)c);
}

static inline void serial_puts(const char *s)
{
	while (*s != '\0')
		serial_putc(*s++);
}

static inline void serial_put_uint(unsigned long value)
{
	char digits[20];	/* enough for 64 bits */
	int count = 0;
	do {
		digits[count++] = (char)('0' + value % 10);
		value /= 10;
	} while (value != 0);
	while (count > 0)
		serial_putc(digits[--count]);
}

static inline void serial_put_hex(unsigned long value)
{
	serial_puts("0x");
	for (int shift = (int)sizeof(value) * 8 - 4; shift >= 0; shift -= 4)
		serial_putc("0123456789abcdef"[(value >> shift) & 0xf]);
}

static inline __attribute__((noreturn)) void vm_exit(uint8_t code)
{
	outb(DEBUG_EXIT_PORT, code);
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif
