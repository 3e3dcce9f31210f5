// The one error type the symbol, DWARF and unwind readers throw for malformed or unsupported input.
import { hex } from '../../common/hex';

/**
 * Raised for corrupt, truncated or unsupported debug data. The message is one line that names
 * the section or record at fault and what was expected, so it can be shown to the user as is.
 */
export class SymbolsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SymbolsError';
  }
}

/** Hex rendering used in error messages and diagnostics. */
export { hex };

/**
 * Collects non-fatal problems met while reading (a bad unit, a truncated section) so that the
 * rest of the file stays usable and the problems can still be reported.
 */
export class ProblemLog {
  private readonly seen = new Set<string>();
  readonly messages: string[] = [];

  /** Keeps the list short: a fuzzed file can repeat the same fault thousands of times. */
  static readonly MAX_MESSAGES = 100;

  add(message: string): void {
    if (this.seen.has(message) || this.messages.length >= ProblemLog.MAX_MESSAGES) return;
    this.seen.add(message);
    this.messages.push(message);
  }

  /** Runs `fn`; a SymbolsError becomes a logged problem and `fallback` is returned instead. */
  guard<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof SymbolsError) {
        this.add(err.message);
        return fallback;
      }
      throw err;
    }
  }
}
