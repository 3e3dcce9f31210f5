/*
 * Raw KVM debugging rates for the benchmark, measured by the reference loop itself: instruction single-steps
 * (KVM_GUESTDBG_SINGLESTEP) and hardware-breakpoint hits with a step over the breakpoint before continuing,
 * which is the least work any debugger built on KVM_SET_GUEST_DEBUG does per hit. Included by refloop.c.
 */
#ifndef REFLOOP_DEBUG_RATES_H
#define REFLOOP_DEBUG_RATES_H

static void set_guest_debug(int vcpu, uint32_t control, uint64_t dr0, uint64_t dr7)
{
	struct kvm_guest_debug dbg;
	memset(&dbg, 0, sizeof dbg);
	dbg.control = control;
	dbg.arch.debugreg[0] = dr0;
	dbg.arch.debugreg[7] = dr7;
	if (ioctl(vcpu, KVM_SET_GUEST_DEBUG, &dbg) < 0)
		die("KVM_SET_GUEST_DEBUG");
}

/*
 * Runs until the next debug exit. Port reads in between answer all ones (so a polled UART looks ready) and
 * writes are dropped; MMIO completes with whatever the data area holds.
 */
static int run_to_debug_exit(int vcpu)
{
	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die("KVM_RUN");
		}
		switch (g_run->exit_reason) {
		case KVM_EXIT_DEBUG:
			return 1;
		case KVM_EXIT_IO:
			if (g_run->io.direction == KVM_EXIT_IO_IN)
				memset((uint8_t *)g_run + g_run->io.data_offset, 0xff, (size_t)g_run->io.size * g_run->io.count);
			continue;
		case KVM_EXIT_MMIO:
			continue;
		default:
			return 0;
		}
	}
}

/* Prints {"steps":N,"seconds":S,"perSecond":R} and returns 0, or 4 when the guest stopped stepping early. */
static int measure_steps(int vcpu, unsigned long n)
{
	set_guest_debug(vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, 0, 0);
	double start = now_seconds();
	unsigned long done = 0;
	while (done < n && run_to_debug_exit(vcpu))
		done++;
	double seconds = now_seconds() - start;
	fprintf(stderr, "{\"steps\":%lu,\"seconds\":%.6f,\"perSecond\":%.1f}\n", done, seconds, done / seconds);
	return done == n ? 0 : STATUS_VMM_STOP;
}

/* DR7: local enable of DR0, execute breakpoint (R/W and LEN bits zero). */
#define DR7_L0_EXEC 0x1ull

static int measure_breakpoint_hits(int vcpu, uint64_t address, unsigned long n)
{
	const uint32_t armed = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
	double start = now_seconds();
	unsigned long hits = 0;
	while (hits < n) {
		set_guest_debug(vcpu, armed, address, DR7_L0_EXEC);
		if (!run_to_debug_exit(vcpu))
			break;
		hits++;
		/* Step over the instruction at the breakpoint with the breakpoint disarmed, then re-arm. */
		set_guest_debug(vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, 0, 0);
		if (!run_to_debug_exit(vcpu))
			break;
	}
	double seconds = now_seconds() - start;
	fprintf(stderr, "{\"hits\":%lu,\"seconds\":%.6f,\"perSecond\":%.1f}\n", hits, seconds, hits / seconds);
	return hits == n ? 0 : STATUS_VMM_STOP;
}

#endif
