// Per-thread signal plumbing for the vCPU kick: block the kick signal, build KVM's run-time mask, consume a pending kick.
import * as libc from './libc';

/** SIGUSR2: Node installs no handler for it, and SIGUSR1 would start the inspector. */
export const KICK_SIGNAL = 12;

function setBit(set: Buffer, sig: number, on: boolean): void {
  const bit = sig - 1;
  if (on) set[bit >> 3] |= 1 << (bit & 7); else set[bit >> 3] &= ~(1 << (bit & 7));
}

/**
 * Blocks `sig` in the calling thread and returns the kernel sigset to pass to KVM_SET_SIGNAL_MASK:
 * the thread's mask without `sig`, so the signal is deliverable only while the thread is inside KVM_RUN.
 */
export function blockForKvmRun(sig: number): Buffer {
  const set = Buffer.alloc(libc.GLIBC_SIGSET_SIZE);
  setBit(set, sig, true);
  const old = Buffer.alloc(libc.GLIBC_SIGSET_SIZE);
  if (libc.pthreadSigmask(libc.SIG_BLOCK, set, old) !== 0) throw new Error('pthread_sigmask failed');
  const runMask = Buffer.from(old.subarray(0, libc.KERNEL_SIGSET_SIZE));
  setBit(runMask, sig, false);
  return runMask;
}

const ZERO_TIMEOUT = Buffer.alloc(16);
const INFO = Buffer.alloc(128);

/** Consumes a pending `sig` without waiting; true when one was pending. */
export function consumePending(sig: number): boolean {
  const set = Buffer.alloc(libc.GLIBC_SIGSET_SIZE);
  setBit(set, sig, true);
  return libc.sigtimedwait(set, INFO, ZERO_TIMEOUT) === sig;
}

/** Sends the kick to one thread of this process. */
export function kickThread(tid: number, sig = KICK_SIGNAL): boolean {
  return libc.tgkill(libc.getpid(), tid, sig) === 0;
}
