/* The three backdoor instructions as C calls: every register goes in and comes back through struct bdoor_regs. */
#ifndef RPCTOOL_BACKDOOR_H
#define RPCTOOL_BACKDOOR_H

#include <stdint.h>
#include "backdoorDefs.h"

/* Field order matches the BDOOR_REG_* offsets. */
struct bdoor_regs {
	uint32_t eax;
	uint32_t ebx;
	uint32_t ecx;
	uint32_t edx;
	uint32_t esi;
	uint32_t edi;
	uint32_t ebp;
};

/* 32-bit IN from the port in DX (the low-bandwidth call). */
void bdoor_lb(struct bdoor_regs *r);
/* REP OUTSB: ECX bytes from ESI to the port in DX (high-bandwidth guest-to-host payload). */
void bdoor_hb_out(struct bdoor_regs *r);
/* REP INSB: ECX bytes from the port in DX to EDI (high-bandwidth host-to-guest payload). */
void bdoor_hb_in(struct bdoor_regs *r);

#endif
