/* A Multiboot kernel in C: greets over COM1, shows the boot information, computes something, and ends the VM. */
#include <stdint.h>
#include "serial.h"

#define MULTIBOOT_BOOT_MAGIC 0x2badb002
#define MULTIBOOT_INFO_MEMORY (1u << 0)
#define MULTIBOOT_INFO_CMDLINE (1u << 2)

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower;	/* KiB below 1 MiB */
	uint32_t mem_upper;	/* KiB above 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline;	/* physical address of a zero-terminated string */
};

/* Globals show up in the debugger's Variables and can be watched. */
volatile uint32_t ticks;

static uint32_t fibonacci(uint32_t n)
{
	if (n < 2)
		return n;
	return fibonacci(n - 1) + fibonacci(n - 2);
}

void kernel_main(uint32_t magic, const struct multiboot_info *info)
{
	serial_puts("Hello from my Multiboot kernel!\r\n");
	if (magic != MULTIBOOT_BOOT_MAGIC) {
		serial_puts("not started by a Multiboot loader\r\n");
		vm_exit(1);
	}
	if (info->flags & MULTIBOOT_INFO_CMDLINE) {
		serial_puts("command line: ");
		serial_puts((const char *)(uintptr_t)info->cmdline);
		serial_puts("\r\n");
	}
	if (info->flags & MULTIBOOT_INFO_MEMORY) {
		serial_puts("memory above 1 MiB: ");
		serial_put_uint(info->mem_upper);
		serial_puts(" KiB\r\n");
	}
	for (ticks = 0; ticks < 10; ticks++) {
		serial_puts("fibonacci(");
		serial_put_uint(ticks);
		serial_puts(") = ");
		serial_put_uint(fibonacci(ticks));
		serial_puts("\r\n");
	}
	serial_puts("done\r\n");
	vm_exit(0);
}
