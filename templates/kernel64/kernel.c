/* A 64-bit kernel in C: greets over COM1, reads a control register, walks a small list, and ends the VM. */
#include <stdint.h>
#include "serial.h"

struct node {
	uint64_t value;
	struct node *next;
};

/* Globals show up in the debugger's Variables and can be watched. */
static struct node nodes[4];
volatile unsigned long sum;

static unsigned long read_cr3(void)
{
	unsigned long cr3;
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	return cr3;
}

static unsigned long list_sum(const struct node *n)
{
	unsigned long total = 0;
	for (; n; n = n->next)
		total += n->value;
	return total;
}

void kernel_main(const void *boot_info)
{
	(void)boot_info;
	serial_puts("Hello from my 64-bit kernel!\r\n");
	serial_puts("page tables at CR3 = ");
	serial_put_hex(read_cr3());
	serial_puts("\r\n");
	for (int i = 0; i < 4; i++) {
		nodes[i].value = (uint64_t)(i + 1) * 100;
		nodes[i].next = i < 3 ? &nodes[i + 1] : 0;
	}
	sum = list_sum(&nodes[0]);
	serial_puts("sum of the list = ");
	serial_put_uint(sum);
	serial_puts("\r\ndone\r\n");
	vm_exit(0);
}
