/* Reference KVM loop: boots a Multiboot ELF32 guest with bare ioctls and reports the cost per exit. */
/*
 * This is the yardstick for the benchmarks: the least a VMM can do per exit on this machine.
 * It loads a Multiboot v1 ELF32 image, enters it in 32-bit flat protected mode (EAX = Multiboot
 * magic, EBX = a minimal info block with memory sizes and the command line), and serves exits:
 *   COM1 data writes are counted (echoed with --serial), LSR reads say "transmitter empty",
 *   port 0xe9 reads return 0xe9, a write of v to 0xf4 ends the run with status (v << 1) | 1,
 *   a 32-bit IN from 0x5658 answers the VMware backdoor GETVERSION call through sync_regs (as the VMM does),
 *   MMIO reads return zeros and MMIO writes are dropped, every other port reads 0xff.
 * Exit status: the guest's debug-exit status, 0 after HLT, 2 after a triple fault, 4 after any
 * other stop (emulation failure, unknown exit), 124 on --timeout, 125 for usage or setup errors.
 * At the end it prints one JSON line on stderr: {"exits":N,"seconds":S,"usPerExit":X,"status":C}.
 * Usage: refloop [--serial] [--irqchip] [--cmdline TEXT] [--mem MIB] [--timeout SECONDS] [--steps N | --bp-hits ADDR N] guest.elf
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Guest-physical layout, matching the project's loaders. */
#define GDT_ADDR 0x500
#define MBI_ADDR 0x6000
#define CMDLINE_ADDR 0x20000
#define CMDLINE_MAX 0x10000
#define HIGH_MEM_START 0x100000
#define TSS_ADDR 0xfffbd000 /* three pages KVM needs on VMX hosts without unrestricted guest */

#define PORT_COM1_DATA 0x3f8
#define PORT_COM1_LCR 0x3fb
#define PORT_COM1_LSR 0x3fd
#define PORT_DEBUGCON 0xe9
#define PORT_DEBUG_EXIT 0xf4
#define PORT_VMWARE_BACKDOOR 0x5658
#define LCR_DLAB 0x80
#define LSR_TX_EMPTY 0x60
#define DEBUGCON_READBACK 0xe9

/* VMware backdoor: EAX must hold the magic; ECX low 16 is the command. */
#define BDOOR_MAGIC 0x564d5868
#define BDOOR_CMD_MASK 0xffff
#define BDOOR_CMD_GETVERSION 10
#define BDOOR_VERSION 6
#define BDOOR_PRODUCT_ESX 2
#define BDOOR_UNSUPPORTED 0xffffffffu
#define BDOOR_WIDTH 4

#define MULTIBOOT_HEADER_MAGIC 0x1badb002
#define MULTIBOOT_BOOT_MAGIC 0x2badb002
#define MULTIBOOT_SEARCH_BYTES 8192
#define MBI_FLAG_MEMORY 0x001
#define MBI_FLAG_CMDLINE 0x004

#define STATUS_HALT 0
#define STATUS_TRIPLE_FAULT 2
#define STATUS_VMM_STOP 4
#define STATUS_TIMEOUT 124
#define STATUS_SETUP_ERROR 125

struct options {
	int echo_serial;
	int irqchip;
	const char *cmdline;
	uint64_t mem_bytes;
	unsigned timeout_s;
	const char *image;
	/* Debug-rate modes (debugRates.h): single-step n instructions, or n hardware-breakpoint hits at bp_address. */
	unsigned long steps;
	unsigned long hits;
	uint64_t bp_address;
};

static struct kvm_run *g_run;

static void die(const char *what)
{
	fprintf(stderr, "refloop: %s: %s\n", what, strerror(errno));
	exit(STATUS_SETUP_ERROR);
}

static void fail(const char *message)
{
	fprintf(stderr, "refloop: %s\n", message);
	exit(STATUS_SETUP_ERROR);
}

static void usage(void)
{
	fail("usage: refloop [--serial] [--irqchip] [--cmdline TEXT] [--mem MIB] [--timeout SECONDS] [--steps N | --bp-hits ADDR N] guest.elf");
}

static struct options parse_args(int argc, char **argv)
{
	struct options o = { 0, 0, "", 64ull << 20, 0, NULL, 0, 0, 0 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--serial") == 0) {
			o.echo_serial = 1;
		} else if (strcmp(a, "--irqchip") == 0) {
			o.irqchip = 1;
		} else if (strcmp(a, "--cmdline") == 0 && i + 1 < argc) {
			o.cmdline = argv[++i];
		} else if (strcmp(a, "--mem") == 0 && i + 1 < argc) {
			o.mem_bytes = strtoull(argv[++i], NULL, 0) << 20;
		} else if (strcmp(a, "--timeout") == 0 && i + 1 < argc) {
			o.timeout_s = (unsigned)strtoul(argv[++i], NULL, 0);
		} else if (strcmp(a, "--steps") == 0 && i + 1 < argc) {
			o.steps = strtoul(argv[++i], NULL, 0);
		} else if (strcmp(a, "--bp-hits") == 0 && i + 2 < argc) {
			o.bp_address = strtoull(argv[++i], NULL, 0);
			o.hits = strtoul(argv[++i], NULL, 0);
		} else if (a[0] != '-' && o.image == NULL) {
			o.image = a;
		} else {
			usage();
		}
	}
	if (o.image == NULL)
		usage();
	if (o.mem_bytes < (2ull << 20) || o.mem_bytes > (3ull << 30))
		fail("--mem must be between 2 and 3072 MiB");
	if (strlen(o.cmdline) >= CMDLINE_MAX)
		fail("--cmdline is longer than 64 KiB");
	return o;
}

static uint8_t *read_file(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	struct stat st;
	if (fstat(fd, &st) < 0)
		die(path);
	uint8_t *bytes = malloc((size_t)st.st_size);
	if (bytes == NULL)
		die("malloc");
	size_t done = 0;
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, bytes + done, (size_t)st.st_size - done);
		if (n <= 0)
			die(path);
		done += (size_t)n;
	}
	close(fd);
	*size = done;
	return bytes;
}

static int has_multiboot_header(const uint8_t *image, size_t size)
{
	size_t limit = size < MULTIBOOT_SEARCH_BYTES ? size : MULTIBOOT_SEARCH_BYTES;
	for (size_t off = 0; off + 12 <= limit; off += 4) {
		uint32_t h[3];
		memcpy(h, image + off, sizeof h);
		if (h[0] == MULTIBOOT_HEADER_MAGIC && (uint32_t)(h[0] + h[1] + h[2]) == 0)
			return 1;
	}
	return 0;
}

/* Copies every PT_LOAD segment to its physical address; returns the entry point. */
static uint32_t load_elf32(const uint8_t *image, size_t size, uint8_t *ram, uint64_t ram_size)
{
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)image;
	if (size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS32 ||
	    eh->e_machine != EM_386)
		fail("guest image is not an ELF32 i386 file");
	if (!has_multiboot_header(image, size))
		fail("guest image has no Multiboot header in its first 8 KiB");
	if (eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr) > size)
		fail("guest ELF program headers run past the end of the file");
	const Elf32_Phdr *ph = (const Elf32_Phdr *)(image + eh->e_phoff);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if ((uint64_t)ph[i].p_offset + ph[i].p_filesz > size || ph[i].p_filesz > ph[i].p_memsz)
			fail("guest ELF segment runs past the end of the file");
		if ((uint64_t)ph[i].p_paddr + ph[i].p_memsz > ram_size)
			fail("guest ELF segment does not fit in guest RAM (raise --mem)");
		memcpy(ram + ph[i].p_paddr, image + ph[i].p_offset, ph[i].p_filesz);
		memset(ram + ph[i].p_paddr + ph[i].p_filesz, 0, ph[i].p_memsz - ph[i].p_filesz);
	}
	return eh->e_entry;
}

static void write_boot_info(uint8_t *ram, uint64_t ram_size, const char *cmdline)
{
	/* Flat 4 GiB code (0x08) and data (0x10) descriptors. */
	static const uint64_t gdt[3] = { 0, 0x00cf9a000000ffffull, 0x00cf92000000ffffull };
	memcpy(ram + GDT_ADDR, gdt, sizeof gdt);

	strcpy((char *)ram + CMDLINE_ADDR, cmdline);
	uint32_t mbi[8] = { 0 };
	mbi[0] = MBI_FLAG_MEMORY | MBI_FLAG_CMDLINE;
	mbi[1] = 639;
	mbi[2] = (uint32_t)((ram_size - HIGH_MEM_START) >> 10);
	mbi[4] = CMDLINE_ADDR;
	memcpy(ram + MBI_ADDR, mbi, sizeof mbi);
}

static struct kvm_segment flat_segment(uint16_t selector, uint8_t type)
{
	struct kvm_segment s = { 0 };
	s.base = 0;
	s.limit = 0xffffffff;
	s.selector = selector;
	s.type = type;
	s.present = 1;
	s.s = 1;
	s.db = 1;
	s.g = 1;
	return s;
}

static void set_entry_state(int vcpu, uint32_t entry)
{
	struct kvm_sregs sregs;
	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		die("KVM_GET_SREGS");
	sregs.cs = flat_segment(0x08, 0xb);
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = flat_segment(0x10, 0x3);
	sregs.gdt.base = GDT_ADDR;
	sregs.gdt.limit = 3 * 8 - 1;
	sregs.cr0 = 0x11; /* PE + ET, paging off as Multiboot requires */
	sregs.cr4 = 0;
	sregs.efer = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		die("KVM_SET_SREGS");

	/* General registers travel through the shared kvm_run page (sync_regs), as in the real VMM. */
	struct kvm_regs *regs = &g_run->s.regs.regs;
	memset(regs, 0, sizeof *regs);
	regs->rip = entry;
	regs->rax = MULTIBOOT_BOOT_MAGIC;
	regs->rbx = MBI_ADDR;
	regs->rflags = 0x2;
	g_run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
}

static void set_cpuid(int kvm, int vcpu)
{
	/* Without a CPUID table the guest has no long mode, so EFER.LME would fault. */
	int max = 256;
	struct kvm_cpuid2 *cpuid = calloc(1, sizeof *cpuid + max * sizeof(struct kvm_cpuid_entry2));
	if (cpuid == NULL)
		die("calloc");
	cpuid->nent = (uint32_t)max;
	if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, cpuid) < 0)
		die("KVM_GET_SUPPORTED_CPUID");
	if (ioctl(vcpu, KVM_SET_CPUID2, cpuid) < 0)
		die("KVM_SET_CPUID2");
	free(cpuid);
}

static void on_alarm(int sig)
{
	(void)sig;
	/* Makes the running or next KVM_RUN return EINTR even if the guest never exits. */
	g_run->immediate_exit = 1;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct uart {
	uint8_t lcr;
	uint64_t bytes;
};

/*
 * GETVERSION: EAX = version, EBX = magic, ECX = product. The registers come and go through the kvm_run page
 * (sync_regs), and EAX is also put in the I/O data, since KVM completes the IN from the data after it applies
 * the dirty registers. Anything else answers all ones and leaves the registers alone.
 */
static void handle_backdoor_in(uint8_t *data, size_t len)
{
	struct kvm_regs *regs = &g_run->s.regs.regs;
	uint32_t eax = BDOOR_UNSUPPORTED;
	if (len == BDOOR_WIDTH && (uint32_t)regs->rax == BDOOR_MAGIC && (regs->rcx & BDOOR_CMD_MASK) == BDOOR_CMD_GETVERSION) {
		eax = BDOOR_VERSION;
		regs->rax = eax;
		regs->rbx = BDOOR_MAGIC;
		regs->rcx = BDOOR_PRODUCT_ESX;
		g_run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
	}
	if (len == BDOOR_WIDTH)
		memcpy(data, &eax, sizeof eax);
	else
		memset(data, 0xff, len);
}

/* Returns -1 to keep running, or the run's exit status. */
static int handle_io(struct uart *uart, const struct options *o)
{
	uint8_t *data = (uint8_t *)g_run + g_run->io.data_offset;
	size_t len = (size_t)g_run->io.size * g_run->io.count;
	uint16_t port = g_run->io.port;
	if (g_run->io.direction == KVM_EXIT_IO_OUT) {
		if (port == PORT_DEBUG_EXIT)
			return ((data[0] << 1) | 1) & 0xff;
		if (port == PORT_COM1_LCR)
			uart->lcr = data[len - 1];
		if ((port == PORT_COM1_DATA && !(uart->lcr & LCR_DLAB)) || port == PORT_DEBUGCON) {
			uart->bytes += len;
			if (o->echo_serial && fwrite(data, 1, len, stdout) != len)
				die("stdout");
		}
		return -1;
	}
	if (port == PORT_VMWARE_BACKDOOR) {
		handle_backdoor_in(data, len);
		return -1;
	}
	uint8_t value = 0xff;
	if (port == PORT_COM1_LSR)
		value = LSR_TX_EMPTY;
	else if (port == PORT_DEBUGCON)
		value = DEBUGCON_READBACK;
	memset(data, value, len);
	return -1;
}

static int run_loop(int vcpu, const struct options *o, uint64_t *exits)
{
	struct uart uart = { 0, 0 };
	for (;;) {
		int rc = ioctl(vcpu, KVM_RUN, 0);
		if (rc < 0 && errno == EINTR) {
			if (g_run->immediate_exit)
				return STATUS_TIMEOUT;
			continue;
		}
		if (rc < 0)
			die("KVM_RUN");
		(*exits)++;
		int status = -1;
		switch (g_run->exit_reason) {
		case KVM_EXIT_IO:
			status = handle_io(&uart, o);
			break;
		case KVM_EXIT_MMIO:
			if (!g_run->mmio.is_write)
				memset(g_run->mmio.data, 0, sizeof g_run->mmio.data);
			break;
		case KVM_EXIT_HLT:
			return STATUS_HALT;
		case KVM_EXIT_SHUTDOWN:
			fprintf(stderr, "refloop: triple fault at rip 0x%llx\n", (unsigned long long)g_run->s.regs.regs.rip);
			return STATUS_TRIPLE_FAULT;
		case KVM_EXIT_INTERNAL_ERROR:
			fprintf(stderr, "refloop: internal error (suberror %u) at rip 0x%llx\n", g_run->internal.suberror,
				(unsigned long long)g_run->s.regs.regs.rip);
			return STATUS_VMM_STOP;
		case KVM_EXIT_FAIL_ENTRY:
			fprintf(stderr, "refloop: entry failed (reason 0x%llx)\n",
				(unsigned long long)g_run->fail_entry.hardware_entry_failure_reason);
			return STATUS_VMM_STOP;
		default:
			fprintf(stderr, "refloop: unexpected exit reason %u\n", g_run->exit_reason);
			return STATUS_VMM_STOP;
		}
		if (status >= 0)
			return status;
	}
}

#include "debugRates.h"

int main(int argc, char **argv)
{
	struct options o = parse_args(argc, argv);
	size_t image_size;
	uint8_t *image = read_file(o.image, &image_size);

	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("/dev/kvm");
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		fail("unexpected KVM API version");
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS) <= 0)
		fail("KVM lacks KVM_CAP_SYNC_REGS");
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	/* Only needed on VMX without unrestricted guest; harmless (and possibly refused) elsewhere. */
	(void)ioctl(vm, KVM_SET_TSS_ADDR, TSS_ADDR);

	uint8_t *ram = mmap(NULL, o.mem_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ram == MAP_FAILED)
		die("mmap guest RAM");
	struct kvm_userspace_memory_region region = { 0, 0, 0, o.mem_bytes, (uint64_t)(uintptr_t)ram };
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		die("KVM_SET_USER_MEMORY_REGION");
	if (o.irqchip) {
		if (ioctl(vm, KVM_CREATE_IRQCHIP, 0) < 0)
			die("KVM_CREATE_IRQCHIP");
		struct kvm_pit_config pit = { 0 };
		if (ioctl(vm, KVM_CREATE_PIT2, &pit) < 0)
			die("KVM_CREATE_PIT2");
	}

	int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		die("KVM_CREATE_VCPU");
	int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (int)sizeof(struct kvm_run))
		die("KVM_GET_VCPU_MMAP_SIZE");
	g_run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (g_run == MAP_FAILED)
		die("mmap kvm_run");
	set_cpuid(kvm, vcpu);

	uint32_t entry = load_elf32(image, image_size, ram, o.mem_bytes);
	write_boot_info(ram, o.mem_bytes, o.cmdline);
	g_run->kvm_valid_regs = KVM_SYNC_X86_REGS;
	set_entry_state(vcpu, entry);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		die("sigaction");
	if (o.timeout_s > 0)
		alarm(o.timeout_s);

	if (o.steps > 0)
		return measure_steps(vcpu, o.steps);
	if (o.hits > 0)
		return measure_breakpoint_hits(vcpu, o.bp_address, o.hits);

	uint64_t exits = 0;
	double start = now_seconds();
	int status = run_loop(vcpu, &o, &exits);
	double seconds = now_seconds() - start;
	fflush(stdout);
	double us_per_exit = exits > 0 ? seconds * 1e6 / (double)exits : 0.0;
	fprintf(stderr, "{\"exits\":%llu,\"seconds\":%.6f,\"usPerExit\":%.3f,\"status\":%d}\n", (unsigned long long)exits,
		seconds, us_per_exit, status);
	return status;
}
