/*
 * multiboot-c: a Multiboot v1 ELF32 kernel in C, built with full DWARF at -O0 (multiboot-c.elf) and -O2
 * (multiboot-c-O2.elf). Serial transcript, each line ending in \r\n:
 *   multiboot-c: hello / fact(5)=120 / cmdline=<cmdline> / mem_upper=<KiB> KiB (or unknown) /
 *   area2=12 local_area2=24 / counter=10 sum=45 / mix=400944 / [spin lines] / done
 * then exit code 0 (status 1). With the word "spin" on the command line it prints "spinning\r\n" and
 * waits in spin() until a debugger sets spin_release, then prints "released\r\n" and goes on.
 * Failures: exit code 1 (bad Multiboot magic), 2 (a computed value was wrong).
 */
#include <stdint.h>
#include "demo.h"
#include "machine.h"
#include "multiboot.h"
#include "portio.h"
#include "serial.h"
#include "text.h"

#define COUNT_ROUNDS 10

void kmain(uint32_t magic, const struct multiboot_info *info);

static void check(int ok)
{
	if (!ok) {
		serial_puts("multiboot-c: self-check failed\r\n");
		debug_exit(EXIT_SELF_CHECK);
	}
}

static const char *cmdline_of(const struct multiboot_info *info)
{
	if ((info->flags & MULTIBOOT_INFO_CMDLINE) == 0 || info->cmdline == 0)
		return "";
	return (const char *)(uintptr_t)info->cmdline;
}

static void print_memory(const struct multiboot_info *info)
{
	serial_puts("mem_upper=");
	if (info->flags & MULTIBOOT_INFO_MEMORY) {
		serial_put_uint(info->mem_upper);
		serial_puts(" KiB\r\n");
	} else {
		serial_puts("unknown\r\n");
	}
}

void kmain(uint32_t magic, const struct multiboot_info *info)
{
	serial_init();
	if (magic != MULTIBOOT_BOOT_MAGIC) {
		serial_puts("multiboot-c: bad boot magic\r\n");
		debug_exit(EXIT_BAD_BOOT_MAGIC);
	}
	serial_puts("multiboot-c: hello\r\n");

	uint32_t f = fact(5);
	serial_puts("fact(5)=");
	serial_put_uint(f);
	serial_puts("\r\n");
	check(f == 120);

	const char *cmdline = cmdline_of(info);
	serial_puts("cmdline=");
	serial_puts(cmdline);
	serial_puts("\r\n");
	print_memory(info);

	int32_t area2 = shape_area2(&g_triangle);
	int32_t local_area2 = local_shape_area2();
	serial_puts("area2=");
	serial_put_int(area2);
	serial_puts(" local_area2=");
	serial_put_int(local_area2);
	serial_puts("\r\n");
	check(area2 == 12 && local_area2 == 24);

	count_up(COUNT_ROUNDS);
	serial_puts("counter=");
	serial_put_uint(g_counter);
	serial_puts(" sum=");
	serial_put_uint(g_sum);
	serial_puts("\r\n");
	check(g_counter == COUNT_ROUNDS && g_sum == 45);

	struct point p = { 5, 6 };
	int32_t m = mix(-3, 7, 300, 100000, "tag", p);
	serial_puts("mix=");
	serial_put_int(m);
	serial_puts("\r\n");
	check(m == 400944);

	if (has_word(cmdline, "spin")) {
		serial_puts("spinning\r\n");
		spin();
		serial_puts("released\r\n");
	}

	serial_puts("done\r\n");
	debug_exit(EXIT_SUCCESS_CODE);
}
