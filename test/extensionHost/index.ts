// Test entry loaded by the VS Code extension host (desktop or code-server): runs the in-host mocha suite and reports it.
import { appendFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type MochaType from 'mocha';

/** Set by the runners: a file that receives one line per test and the closing "N passed, N failed" line. */
export const RESULT_FILE_ENV = 'KVMLAB_EXTHOST_RESULT';
/** Order matters: activation is checked before anything else can activate the extension. */
const SUITE_FILES = ['activation.host.js', 'configurations.host.js', 'debugSession.host.js'];
const TEST_TIMEOUT_MS = 90_000;

/** Writes progress both to the console (the host's log) and to the result file the runner waits for. */
function reporterFor(resultFile: string | undefined): (line: string) => void {
  if (resultFile) writeFileSync(resultFile, '');
  return (line) => {
    console.log(`[kvmlab extension-host tests] ${line}`);
    if (resultFile) appendFileSync(resultFile, `${line}\n`);
  };
}

export function run(): Promise<void> {
  const report = reporterFor(process.env[RESULT_FILE_ENV]);
  // mocha's package entry is an ES module; its CommonJS build loads the same way in every extension host.
  const Mocha = require('mocha/lib/mocha.cjs') as typeof MochaType;
  const mocha = new Mocha({ ui: 'bdd', timeout: TEST_TIMEOUT_MS, color: false, reporter: Mocha.reporters.Base });
  for (const f of SUITE_FILES) mocha.addFile(join(__dirname, 'suite', f));
  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    try {
      const runner = mocha.run(() => {
        report(`${passed} passed, ${failed} failed`);
        if (failed > 0) reject(new Error(`${failed} extension-host test(s) failed`));
        else resolve();
      });
      runner.on('pass', (t) => { passed++; report(`PASS ${t.fullTitle()}`); });
      runner.on('fail', (t, err: Error) => {
        failed++;
        report(`FAIL ${t.fullTitle()}: ${String(err?.message ?? err).split('\n').slice(0, 8).join('\n  ')}`);
      });
    } catch (e) {
      report(`FAIL loading the suite: ${e instanceof Error ? e.stack : String(e)}`);
      report('0 passed, 1 failed');
      reject(e);
    }
  });
}
