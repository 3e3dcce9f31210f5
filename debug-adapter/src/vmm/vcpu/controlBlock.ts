// Shared control words between the VM's owner (main thread) and the vCPU worker: doorbell, thread id, run state, counters.

/** Int32 slots of the control SharedArrayBuffer. */
export const CTL = {
  /** Incremented by the owner after posting a command; the worker waits on it while paused. */
  DOORBELL: 0,
  /** The worker's kernel thread id, for the kick signal; 0 while it is not inside its run loop. */
  TID: 1,
  /** Current state, one of RunState. */
  STATE: 2,
  /** Number of KVM exits so far (wraps); the owner's idle probe watches it. */
  EXITS: 3,
} as const;

export const enum RunState { Starting = 0, Running = 1, Paused = 2, Ended = 3 }

export const CTL_SLOTS = 8;

export function allocateControl(): SharedArrayBuffer {
  return new SharedArrayBuffer(CTL_SLOTS * 4);
}
