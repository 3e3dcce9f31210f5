/* A GuestRPC channel over the backdoor MESSAGE command: open, send, receive and close, over LB or HB. */
#ifndef RPCTOOL_RPC_H
#define RPCTOOL_RPC_H

#include <stdint.h>

struct rpc_channel {
	uint32_t id;
	uint32_t cookie_high;
	uint32_t cookie_low;
	/* Move payloads with REP OUTSB/INSB when the host offers HB; otherwise 4 bytes per IN. */
	int want_hb;
	/* Set by a call that asked for HB and was not offered it. */
	int hb_refused;
};

/* Each returns 1 on success and 0 on failure; *what then names the step that failed (for the transcript). */
int rpc_open(struct rpc_channel *ch, uint32_t protocol, int want_hb, const char **what);
int rpc_send(struct rpc_channel *ch, const char *msg, uint32_t len, const char **what);
/* Receives the waiting message into buf (NUL-terminated); *len is 0 when nothing is waiting. */
int rpc_recv(struct rpc_channel *ch, char *buf, uint32_t cap, uint32_t *len, const char **what);
int rpc_close(struct rpc_channel *ch, const char **what);

#endif
