// Runs the in-host suite inside code-server's Node extension host: the repository is loaded as the extension under
// development and out/test/extensionHost/index.js as its test entry, the same way the desktop runner does it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { makeRunFolder } from './hostWorkspace.mjs';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SUMMARY = /^(\d+) passed, (\d+) failed$/m;

function startServer(tools, dirs, resultFile) {
  // A built workbench honours the extensionDevelopmentPath/extensionTestsPath payload only with the smoke-test
  // driver enabled; code-server passes that VS Code server option through --vscode-option.
  const args = [tools.codeServerEntry, '--user-data-dir', dirs.ud, '--extensions-dir', dirs.ext,
    '--auth', 'none', '--bind-addr', '127.0.0.1:0', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened', '--config', join(dirs.ud, '..', 'cs-config.yaml'),
    '--vscode-option', 'enable-smoke-test-driver', dirs.ws];
  const server = spawn(tools.node, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: dirs.tmp, KVMLAB_EXTHOST_RESULT: resultFile },
  });
  let log = '';
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start listening within 60 s:\n${log}`)), 60_000);
    const onData = (d) => {
      log += d;
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) => reject(new Error(`code-server exited with ${code}:\n${log}`)));
  });
  return { server, url, log: () => log };
}

/**
 * Boots code-server and a headless browser (the extension host starts only once a workbench connects), waits for
 * the suite's closing line in the result file and returns { lines, passed, failed }.
 */
export async function runInCodeServer({ root, tools, log, timeoutMs = 5 * 60_000 }) {
  const { run, dirs, resultFile } = makeRunFolder(root);
  const { server, url: urlPromise, log: serverLog } = startServer(tools, dirs, resultFile);
  let context;
  const consoleLog = [];
  try {
    const url = await urlPromise;
    log(`code-server at ${url}`);
    const authority = new URL(url).host;
    const remote = (p) => `vscode-remote://${authority}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(join(root, 'out', 'test', 'extensionHost', 'index.js'))],
    ];
    context = await chromium.launchPersistentContext(dirs.profile, { executablePath: tools.chromium, headless: true, args: CHROMIUM_ARGS });
    const page = context.pages()[0] ?? await context.newPage();
    page.on('console', (m) => { if (m.text().includes('extension-host tests')) consoleLog.push(m.text()); });
    await page.goto(`${url}?folder=${encodeURIComponent(dirs.ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    log('workbench opened; waiting for the suite');
    const end = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < end) {
      text = existsSync(resultFile) ? readFileSync(resultFile, 'utf8') : '';
      if (SUMMARY.test(text)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const m = SUMMARY.exec(text);
    if (!m) throw new Error(`the suite did not finish within ${timeoutMs / 1000} s; so far:\n${text || '(nothing)'}\n--- workbench console ---\n${consoleLog.join('\n') || '(nothing)'}\n--- code-server log ---\n${serverLog().slice(-4000)}`);
    return { lines: text.trim().split('\n'), passed: Number(m[1]), failed: Number(m[2]) };
  } finally {
    await context?.close().catch(() => undefined);
    // The server, extension host and its adapter children share the detached child's process group.
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
    await new Promise((r) => setTimeout(r, 1000));
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
    rmSync(run, { recursive: true, force: true });
  }
}
