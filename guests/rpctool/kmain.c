/*
 * rpctool: a Multiboot v1 kernel that talks GuestRPC over the VMware backdoor, at -O0 with DWARF.
 * Serial transcript, each line ending in \r\n (<p> is the pass: lb, then hb when the command line has the word hb):
 *   rpctool: backdoor version 6 product <GETVERSION ECX>
 *   rpci <p>: "log hello from rpctool" -> "1 "          (the hb pass logs "hello from rpctool over hb")
 *   rpci <p>: "info-set guestinfo.answer 42" -> "1 "
 *   rpci <p>: "info-get guestinfo.answer" -> "1 42"
 *   rpci <p>: "info-get guestinfo.fromhost" -> "1 <value>"  ("0 No value found" when the host set none)
 *   rpci <p>: "no-such-command" -> "0 Unknown command"
 *   tclo <p>: "reset" -> "OK ATR rpctool"
 *   tclo <p>: "<host command>" -> "OK "                    (or: tclo <p>: no host command after 8 polls)
 *   rpctool: done
 * then exit code 0 (status 1). Each pass opens one RPCI channel (with cookies) for all five commands, then a TCLO
 * channel that sends an empty message and polls until the host's first command after "reset". The lb pass moves
 * payloads 4 bytes per IN; the hb pass moves them with REP OUTSB/INSB on port 0x5659 and requires the host to
 * offer HB. Failures: "rpctool: no VMware backdoor" or "rpctool: <step> failed (<p>)", exit code 2 (status 5);
 * bad Multiboot magic, exit code 1 (status 3).
 */
#include <stdint.h>
#include "backdoor.h"
#include "machine.h"
#include "portio.h"
#include "rpc.h"
#include "serial.h"
#include "text.h"

#define REPLY_CAP 256
#define TCLO_MAX_POLLS 8
#define TCLO_RESET "reset"
#define TCLO_RESET_REPLY "OK ATR rpctool"
#define TCLO_OK_REPLY "OK "
#define RPCI_COMMANDS 4
#define BDOOR_UNSUPPORTED 0xffffffff

/* The part of the Multiboot v1 information structure rpctool reads. */
struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower;
	uint32_t mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
};

struct pass {
	const char *name;
	int hb;
	const char *log;
};

void kmain(uint32_t magic, const struct multiboot_info *info);

/* After the transport-specific log line, both passes send the same commands. */
static const char *const g_rpci_commands[RPCI_COMMANDS] = {
	"info-set guestinfo.answer 42",
	"info-get guestinfo.answer",
	"info-get guestinfo.fromhost",
	"no-such-command",
};

static char g_reply[REPLY_CAP];

static int same_text(const char *a, const char *b)
{
	uint32_t n = strlen(a);
	return n == strlen(b) && memcmp(a, b, n) == 0;
}

static __attribute__((noreturn)) void stop(const char *step, const struct pass *p)
{
	serial_puts("rpctool: ");
	serial_puts(step);
	serial_puts(" failed (");
	serial_puts(p->name);
	serial_puts(")\r\n");
	debug_exit(EXIT_SELF_CHECK);
}

static void check_hb(const struct rpc_channel *ch, const struct pass *p)
{
	if (ch->hb_refused)
		stop("HB offer", p);
}

static void print_exchange(const char *protocol, const struct pass *p, const char *request, const char *reply)
{
	serial_puts(protocol);
	serial_putc(' ');
	serial_puts(p->name);
	serial_puts(": \"");
	serial_puts(request);
	serial_puts("\" -> \"");
	serial_puts(reply);
	serial_puts("\"\r\n");
}

static void rpci_exchange(struct rpc_channel *ch, const struct pass *p, const char *command)
{
	const char *what;
	uint32_t len;
	if (!rpc_send(ch, command, strlen(command), &what) || !rpc_recv(ch, g_reply, REPLY_CAP, &len, &what))
		stop(what, p);
	/* The host answers every RPCI command before the guest asks for the reply. */
	if (len == 0)
		stop("reply", p);
	check_hb(ch, p);
	print_exchange("rpci", p, command, g_reply);
}

static void rpci_pass(const struct pass *p)
{
	struct rpc_channel ch;
	const char *what;
	if (!rpc_open(&ch, RPCI_PROTOCOL, p->hb, &what))
		stop(what, p);
	rpci_exchange(&ch, p, p->log);
	for (int i = 0; i < RPCI_COMMANDS; i++)
		rpci_exchange(&ch, p, g_rpci_commands[i]);
	if (!rpc_close(&ch, &what))
		stop(what, p);
}

/*
 * The tools loop in miniature: every poll first sends the answer to the previous host command (empty at the
 * start), then asks for the next one. It ends once the reply to the first command after "reset" is sent.
 */
static void tclo_pass(const struct pass *p)
{
	struct rpc_channel ch;
	const char *what;
	const char *reply = "";
	int finished = 0;
	int polls = 0;
	uint32_t len;
	if (!rpc_open(&ch, TCLO_PROTOCOL, p->hb, &what))
		stop(what, p);
	for (;;) {
		if (!rpc_send(&ch, reply, strlen(reply), &what))
			stop(what, p);
		if (finished || polls == TCLO_MAX_POLLS)
			break;
		polls++;
		if (!rpc_recv(&ch, g_reply, REPLY_CAP, &len, &what))
			stop(what, p);
		check_hb(&ch, p);
		if (len == 0) {
			reply = "";
			continue;
		}
		if (same_text(g_reply, TCLO_RESET)) {
			reply = TCLO_RESET_REPLY;
		} else {
			reply = TCLO_OK_REPLY;
			finished = 1;
		}
		print_exchange("tclo", p, g_reply, reply);
	}
	if (!finished) {
		serial_puts("tclo ");
		serial_puts(p->name);
		serial_puts(": no host command after ");
		serial_put_uint(TCLO_MAX_POLLS);
		serial_puts(" polls\r\n");
	}
	if (!rpc_close(&ch, &what))
		stop(what, p);
}

/* GETVERSION with the sentinels open-vm-tools uses, so an absent backdoor cannot pass for a present one. */
static void check_backdoor(void)
{
	struct bdoor_regs r = {
		.eax = BDOOR_MAGIC, .ebx = ~(uint32_t)BDOOR_MAGIC, .ecx = BDOOR_GETVERSION_ECX_PRESET | BDOOR_CMD_GETVERSION,
		.edx = BDOOR_PORT_LB,
	};
	bdoor_lb(&r);
	if (r.ebx != BDOOR_MAGIC || r.eax == BDOOR_UNSUPPORTED) {
		serial_puts("rpctool: no VMware backdoor\r\n");
		debug_exit(EXIT_SELF_CHECK);
	}
	serial_puts("rpctool: backdoor version ");
	serial_put_uint(r.eax);
	serial_puts(" product ");
	serial_put_uint(r.ecx);
	serial_puts("\r\n");
	if (r.eax != BDOOR_VERSION) {
		serial_puts("rpctool: expected backdoor version 6\r\n");
		debug_exit(EXIT_SELF_CHECK);
	}
}

static const char *cmdline_of(const struct multiboot_info *info)
{
	if ((info->flags & MULTIBOOT_INFO_CMDLINE) == 0 || info->cmdline == 0)
		return "";
	return (const char *)(uintptr_t)info->cmdline;
}

void kmain(uint32_t magic, const struct multiboot_info *info)
{
	static const struct pass lb = { "lb", 0, "log hello from rpctool" };
	static const struct pass hb = { "hb", 1, "log hello from rpctool over hb" };
	serial_init();
	if (magic != MULTIBOOT_BOOT_MAGIC) {
		serial_puts("rpctool: bad boot magic\r\n");
		debug_exit(EXIT_BAD_BOOT_MAGIC);
	}
	check_backdoor();
	rpci_pass(&lb);
	tclo_pass(&lb);
	if (has_word(cmdline_of(info), "hb")) {
		rpci_pass(&hb);
		tclo_pass(&hb);
	}
	serial_puts("rpctool: done\r\n");
	debug_exit(EXIT_SUCCESS_CODE);
}
