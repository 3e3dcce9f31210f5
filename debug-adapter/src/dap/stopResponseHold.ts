// Holds the response of a run-control request (continue, step) until the stop it caused, so both reach the client together.

/**
 * An instruction step or a breakpoint hit usually stops within a fraction of a millisecond. Sending the response at
 * once and the `stopped` event a moment later wakes the client twice; holding the response briefly lets both leave in
 * one write (see BatchedWriter). A guest that runs on is answered when the hold expires, long before anyone notices.
 */
export const STOP_RESPONSE_HOLD_MS = 2;

export class StopResponseHold {
  private held: { send: () => void; timer: NodeJS.Timeout } | undefined;

  /** Sends `send` at the next release(), or after `ms` at the latest; a response already held goes first. */
  hold(send: () => void, ms = STOP_RESPONSE_HOLD_MS): void {
    this.release();
    this.held = { send, timer: setTimeout(() => this.release(), ms) };
  }

  /** Sends the held response, if any (before an event that must not overtake it). */
  release(): void {
    const h = this.held;
    if (!h) return;
    this.held = undefined;
    clearTimeout(h.timer);
    h.send();
  }

}
