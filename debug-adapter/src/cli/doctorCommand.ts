// `kvmlab doctor`: prints the host report (also available as JSON with --json).
import { collectHostReport, formatHostReport } from '../host/hostReport';
import { UsageError } from './usageError';

export function doctorCommand(argv: readonly string[]): number {
  const json = argv.includes('--json');
  const unknown = argv.find((a) => a !== '--json');
  if (unknown) throw new UsageError(`unknown option ${unknown} for doctor (expected --json)`);
  const report = collectHostReport();
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${formatHostReport(report)}\n`);
  return report.kvmUsable ? 0 : 1;
}
