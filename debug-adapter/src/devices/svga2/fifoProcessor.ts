// One pass over the command ring: validate the pointers, decode complete commands, run them, advance STOP.
import { COMMANDS, type CommandTarget } from './fifoCommands';
import { FifoRing, hex, type RingPointers } from './fifoRing';
import { Fifo, commandName } from './svgaConstants';

/** A malformed FIFO, as reported to the user. */
export interface FifoError {
  /** What is wrong, in one line. */
  what: string;
  /** The offending command id and its byte offset in the FIFO, when a command was at fault. */
  commandId?: number;
  commandOffset?: number;
  /** The ring pointers when the problem was found. */
  pointers: RingPointers;
  /** `what` plus where, ready to show. */
  message: string;
}

export interface FifoRunResult {
  /** Commands completed in this pass. */
  processed: number;
  /** True when STOP caught up with NEXT_CMD. */
  drained: boolean;
  /** True when the last command is only partly written and the pass waits for the rest. */
  pending: boolean;
  error?: FifoError;
}

export interface FifoRunOptions {
  /** Bound on the work of one pass; the rest waits for the next one. */
  maxCommands: number;
  /** Treat a partly written command as an error (for a final drain, when no more words will come). */
  requireComplete?: boolean;
  /** Observer for inspectors and traces, called before each command runs. */
  onCommand?: (id: number, offset: number, args: Uint32Array) => void;
}

export function makeFifoError(what: string, p: RingPointers, commandId?: number, commandOffset?: number): FifoError {
  const where = commandOffset === undefined ? '' : ` (${commandName(commandId ?? 0)} at FIFO offset 0x${hex(commandOffset)})`;
  const ptrs = `MIN 0x${hex(p.min)} MAX 0x${hex(p.max)} NEXT_CMD 0x${hex(p.nextCmd)} STOP 0x${hex(p.stop)}`;
  return { what, commandId, commandOffset, pointers: { ...p }, message: `SVGA FIFO: ${what}${where}; ${ptrs}` };
}

export function runFifo(ring: FifoRing, target: CommandTarget, opts: FifoRunOptions): FifoRunResult {
  const p = ring.pointers();
  const bad = ring.validate(p);
  if (bad) return { processed: 0, drained: false, pending: false, error: makeFifoError(bad, p) };

  let processed = 0;
  while (processed < opts.maxCommands) {
    const avail = ring.available(p);
    if (avail === 0) return { processed, drained: true, pending: false };
    const at = p.stop;
    const id = ring.word(at >>> 2);
    const fail = (what: string): FifoRunResult => ({ processed, drained: false, pending: false, error: makeFifoError(what, p, id, at) });
    const waitOrFail = (have: number, need: number): FifoRunResult => (opts.requireComplete
      ? fail(`command is truncated: ${have} of ${need} words present`)
      : { processed, drained: false, pending: true });

    const spec = COMMANDS.get(id);
    if (!spec) return fail(`unknown or unsupported command ${id}`);
    const argsAt = ring.advance(p, at, 1);
    if (avail < 1 + spec.headerWords) return waitOrFail(avail, 1 + spec.headerWords);
    const words = spec.argWords(ring.readWords(p, argsAt, spec.headerWords));
    if (typeof words === 'string') return fail(words);
    if (1 + words > ring.capacityWords(p)) {
      return fail(`command needs ${(1 + words) * 4} bytes but the ring holds at most ${ring.capacityWords(p) * 4}`);
    }
    if (avail < 1 + words) return waitOrFail(avail, 1 + words);

    const args = ring.readWords(p, argsAt, words);
    opts.onCommand?.(id, at, args);
    const err = spec.run(args, target);
    if (err) return fail(err);
    p.stop = ring.advance(p, at, 1 + words);
    ring.setWord(Fifo.STOP, p.stop);
    processed++;
  }
  return { processed, drained: ring.available(p) === 0, pending: false };
}
