/* GuestRPC client: the MESSAGE calls of one channel, with cookies, and payloads over LB words or one HB string op. */
#include "rpc.h"
#include "backdoor.h"

#define WORD_BYTES 4
#define HIGH16(v) ((v) >> 16)

/* One LB MESSAGE call on the channel; returns the status (ECX high 16). */
static uint32_t message(const struct rpc_channel *ch, uint32_t type, uint32_t arg, struct bdoor_regs *r)
{
	r->eax = BDOOR_MAGIC;
	r->ebx = arg;
	r->ecx = (type << 16) | BDOOR_CMD_MESSAGE;
	r->edx = (ch->id << 16) | BDOOR_PORT_LB;
	r->esi = ch->cookie_high;
	r->edi = ch->cookie_low;
	r->ebp = 0;
	bdoor_lb(r);
	return HIGH16(r->ecx);
}

static int fail(const char **what, const char *step)
{
	*what = step;
	return 0;
}

/* HB only when this channel wants it and the host offered it for this payload. */
static int use_hb(struct rpc_channel *ch, uint32_t status)
{
	if (!ch->want_hb)
		return 0;
	if ((status & MSG_STATUS_HB) == 0) {
		ch->hb_refused = 1;
		return 0;
	}
	return 1;
}

int rpc_open(struct rpc_channel *ch, uint32_t protocol, int want_hb, const char **what)
{
	struct bdoor_regs r;
	ch->id = 0;
	ch->cookie_high = 0;
	ch->cookie_low = 0;
	ch->want_hb = want_hb;
	ch->hb_refused = 0;
	if ((message(ch, MSG_OPEN, protocol | GUESTMSG_FLAG_COOKIE, &r) & MSG_STATUS_SUCCESS) == 0)
		return fail(what, "open");
	ch->id = HIGH16(r.edx);
	ch->cookie_high = r.esi;
	ch->cookie_low = r.edi;
	return 1;
}

static int send_hb(struct rpc_channel *ch, const char *msg, uint32_t len, const char **what)
{
	/* Guest to host: ESI is the buffer, so the cookies travel in EBP (high) and EDI (low). */
	struct bdoor_regs r;
	r.eax = BDOOR_MAGIC;
	r.ebx = (MSG_STATUS_SUCCESS << 16) | BDOORHB_CMD_MESSAGE;
	r.ecx = len;
	r.edx = (ch->id << 16) | BDOOR_PORT_HB;
	r.esi = (uint32_t)(uintptr_t)msg;
	r.edi = ch->cookie_low;
	r.ebp = ch->cookie_high;
	bdoor_hb_out(&r);
	if ((HIGH16(r.ebx) & MSG_STATUS_SUCCESS) == 0 || r.ecx != 0)
		return fail(what, "hb send");
	return 1;
}

static int send_lb(const struct rpc_channel *ch, const char *msg, uint32_t len, const char **what)
{
	struct bdoor_regs r;
	for (uint32_t i = 0; i < len; i += WORD_BYTES) {
		uint32_t word = 0;
		for (uint32_t b = 0; b < WORD_BYTES && i + b < len; b++)
			word |= (uint32_t)(uint8_t)msg[i + b] << (8 * b);
		if ((message(ch, MSG_SENDPAYLOAD, word, &r) & MSG_STATUS_SUCCESS) == 0)
			return fail(what, "send payload");
	}
	return 1;
}

int rpc_send(struct rpc_channel *ch, const char *msg, uint32_t len, const char **what)
{
	struct bdoor_regs r;
	uint32_t status = message(ch, MSG_SENDSIZE, len, &r);
	if ((status & MSG_STATUS_SUCCESS) == 0)
		return fail(what, "send size");
	if (len == 0)
		return 1;
	return use_hb(ch, status) ? send_hb(ch, msg, len, what) : send_lb(ch, msg, len, what);
}

static int recv_hb(const struct rpc_channel *ch, char *buf, uint32_t len, const char **what)
{
	/* Host to guest: EDI is the buffer, so the cookies travel in ESI (high) and EBP (low). */
	struct bdoor_regs r;
	r.eax = BDOOR_MAGIC;
	r.ebx = (MSG_STATUS_SUCCESS << 16) | BDOORHB_CMD_MESSAGE;
	r.ecx = len;
	r.edx = (ch->id << 16) | BDOOR_PORT_HB;
	r.esi = ch->cookie_high;
	r.edi = (uint32_t)(uintptr_t)buf;
	r.ebp = ch->cookie_low;
	bdoor_hb_in(&r);
	if ((HIGH16(r.ebx) & MSG_STATUS_SUCCESS) == 0 || r.ecx != 0)
		return fail(what, "hb receive");
	return 1;
}

static int recv_lb(const struct rpc_channel *ch, char *buf, uint32_t len, const char **what)
{
	struct bdoor_regs r;
	for (uint32_t i = 0; i < len; i += WORD_BYTES) {
		/* EBX = SUCCESS acknowledges the previous piece. */
		uint32_t status = message(ch, MSG_RECVPAYLOAD, MSG_STATUS_SUCCESS, &r);
		if ((status & MSG_STATUS_SUCCESS) == 0 || HIGH16(r.edx) != MSG_SENDPAYLOAD)
			return fail(what, "receive payload");
		for (uint32_t b = 0; b < WORD_BYTES && i + b < len; b++)
			buf[i + b] = (char)(r.ebx >> (8 * b));
	}
	return 1;
}

int rpc_recv(struct rpc_channel *ch, char *buf, uint32_t cap, uint32_t *len, const char **what)
{
	struct bdoor_regs r;
	*len = 0;
	buf[0] = '\0';
	uint32_t status = message(ch, MSG_RECVSIZE, 0, &r);
	if ((status & MSG_STATUS_SUCCESS) == 0)
		return fail(what, "receive size");
	if ((status & MSG_STATUS_DORECV) == 0)
		return 1;
	/* A waiting message is announced with the SENDSIZE type in EDX high 16. */
	uint32_t size = r.ebx;
	if (HIGH16(r.edx) != MSG_SENDSIZE || size >= cap)
		return fail(what, "receive size");
	int ok = use_hb(ch, status) ? recv_hb(ch, buf, size, what) : recv_lb(ch, buf, size, what);
	if (!ok)
		return 0;
	if ((message(ch, MSG_RECVSTATUS, MSG_STATUS_SUCCESS, &r) & MSG_STATUS_SUCCESS) == 0)
		return fail(what, "receive status");
	buf[size] = '\0';
	*len = size;
	return 1;
}

int rpc_close(struct rpc_channel *ch, const char **what)
{
	struct bdoor_regs r;
	if ((message(ch, MSG_CLOSE, 0, &r) & MSG_STATUS_SUCCESS) == 0)
		return fail(what, "close");
	return 1;
}
