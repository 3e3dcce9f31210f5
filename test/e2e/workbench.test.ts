// Runs the end-to-end suite (scripts/e2eRun.mjs: code-server + headless Chromium) as one test of `npm test`.
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..', '..');
/** First-time tool installation (code-server compiles native modules) plus the suite itself. */
const SUITE_TIMEOUT_MS = 15 * 60_000;

describe('extension in a real VS Code workbench (code-server, headless Chromium)', function () {
  this.timeout(SUITE_TIMEOUT_MS + 30_000);

  it('passes every end-to-end check: F5, stops, call stack, reset, panels, serial terminal, templates, walkthrough, clean end', async () => {
    // npm test has just built dist/, so the suite only packages it.
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'e2eRun.mjs'), '--prebuilt'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const killer = setTimeout(() => child.kill('SIGTERM'), SUITE_TIMEOUT_MS);
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(killer);
    const summary = /^(\d+) passed, (\d+) failed$/m.exec(out);
    const failures = out.split('\n').filter((l) => / FAIL /.test(l) || /^\s{2}\S/.test(l)).join('\n');
    assert.ok(summary, `the suite printed no summary (exit status ${status}):\n${out.slice(-4000)}`);
    assert.equal(Number(summary[2]), 0, `end-to-end failures (screenshots in .e2e-artifacts/):\n${failures}`);
    assert.ok(Number(summary[1]) >= 15, `only ${summary[1]} checks ran`);
    assert.equal(status, 0);
  });
});
