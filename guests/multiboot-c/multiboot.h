/* The part of the Multiboot v1 information structure this kernel reads. */
#ifndef MULTIBOOT_C_MULTIBOOT_H
#define MULTIBOOT_C_MULTIBOOT_H

#include <stdint.h>

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower; /* KiB below 1 MiB, valid with MULTIBOOT_INFO_MEMORY */
	uint32_t mem_upper; /* KiB above 1 MiB, valid with MULTIBOOT_INFO_MEMORY */
	uint32_t boot_device;
	uint32_t cmdline; /* physical address, valid with MULTIBOOT_INFO_CMDLINE */
	uint32_t mods_count;
	uint32_t mods_addr;
};

#endif
