// Runs the in-host suite inside code-server's extension host (scripts/testExtensionHost.mjs --code-server) as one test of `npm test`.
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..', '..');
/** First-time tool installation (code-server compiles native modules) plus the suite itself. */
const RUN_TIMEOUT_MS = 15 * 60_000;
/** The in-host suite's test count; fewer means a suite file failed to load. */
const MIN_TESTS = 10;

describe('extension-host API suite in code-server\'s Node extension host', function () {
  this.timeout(RUN_TIMEOUT_MS + 30_000);

  it('passes every in-host test: activation, commands, configuration provider, missing kernel, debug session to _start, clean stop', async () => {
    // npm test has just built out/ and dist/.
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'testExtensionHost.mjs'), '--code-server', '--prebuilt'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const killer = setTimeout(() => child.kill('SIGTERM'), RUN_TIMEOUT_MS);
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(killer);
    const summary = /^(\d+) passed, (\d+) failed$/m.exec(out);
    const failures = out.split('\n').filter((l) => / FAIL /.test(l) || /^\[extension-host [\d.]+s\]\s{3}/.test(l)).join('\n');
    assert.ok(summary, `the runner printed no summary (exit status ${status}):\n${out.slice(-4000)}`);
    assert.equal(Number(summary[2]), 0, `extension-host failures:\n${failures}`);
    assert.ok(Number(summary[1]) >= MIN_TESTS, `only ${summary[1]} in-host tests ran:\n${out.slice(-4000)}`);
    assert.equal(status, 0);
  });
});
