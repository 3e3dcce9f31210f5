// Shared by tests that need /dev/kvm: they run for real where it exists and skip with a printed reason where it does not.
import { accessSync, constants } from 'fs';

export function kvmUnavailableReason(): string | undefined {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return undefined;
  } catch (e) {
    return `/dev/kvm is not usable here (${(e as NodeJS.ErrnoException).code}); KVM tests are skipped`;
  }
}

/** Call at the top of a describe() callback: skips the suite, loudly, when KVM is missing. */
export function requireKvm(suite: Mocha.Suite): void {
  const reason = kvmUnavailableReason();
  if (reason) {
    suite.beforeAll(function () {
      console.log(`    SKIPPED: ${reason}`);
      this.skip();
    });
  }
}
