// A mistake in what the user typed or pointed at: printed as one line, exit status 1, never a stack trace.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
