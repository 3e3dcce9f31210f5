/* Port I/O and VM-exit helpers for the C guests (32- and 64-bit). */
#ifndef GUESTS_PORTIO_H
#define GUESTS_PORTIO_H

#include <stdint.h>
#include "machine.h"

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

/* Ends the VM with status (code << 1) | 1; halts for good if the machine has no debug-exit port. */
static inline __attribute__((noreturn)) void debug_exit(uint8_t code)
{
	outb(DEBUG_EXIT_PORT, code);
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif
