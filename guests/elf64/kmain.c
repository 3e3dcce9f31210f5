/*
 * elf64: a plain ELF64 kernel (no Multiboot header, no PVH note) entered directly in 64-bit long mode
 * with RDI = struct hvm_start_info. Serial: "elf64: hello from long mode\r\n" then
 * "elf64: cmdline=<cmdline>\r\n". Exit code 0 (status 1); 1 (status 3) when the start-info magic is wrong.
 */
#include <stdint.h>
#include "machine.h"
#include "portio.h"
#include "serial.h"

/* The start of struct hvm_start_info (the PVH boot ABI), as far as this kernel reads it. */
struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

_Static_assert(__builtin_offsetof(struct hvm_start_info, cmdline_paddr) == HVM_CMDLINE_PADDR, "hvm_start_info layout");

void kmain(const struct hvm_start_info *start_info);

static const char *cmdline_of(const struct hvm_start_info *start_info)
{
	if (start_info->cmdline_paddr == 0)
		return "";
	return (const char *)(uintptr_t)start_info->cmdline_paddr;
}

void kmain(const struct hvm_start_info *start_info)
{
	serial_init();
	if (start_info == 0 || start_info->magic != HVM_START_MAGIC) {
		serial_puts("elf64: bad hvm_start_info magic\r\n");
		debug_exit(EXIT_BAD_BOOT_MAGIC);
	}
	serial_puts("elf64: hello from long mode\r\n");
	serial_puts("elf64: cmdline=");
	serial_puts(cmdline_of(start_info));
	serial_puts("\r\n");
	debug_exit(EXIT_SUCCESS_CODE);
}
