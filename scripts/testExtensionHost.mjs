// `npm run test:extension-host`: runs the in-host suite (test/extensionHost/) in a real VS Code extension host.
//   default        desktop VS Code through @vscode/test-electron: VSCODE_EXECUTABLE_PATH when set, else a download
//                  (which needs network access to the VS Code update service)
//   --code-server  code-server's Node extension host, driven by headless Chromium (tools from scripts/e2eSetup.mjs)
//   --prebuilt     out/ and dist/ are fresh (npm test built them): skip the build
// Prints "N passed, M failed" last and exits non-zero on any failure.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GUEST, makeRunFolder } from '../test/extensionHost/hostWorkspace.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const log = (m) => console.log(`[extension-host ${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);
const suiteEntry = join(root, 'out', 'test', 'extensionHost', 'index.js');

if (!process.argv.includes('--prebuilt')) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (!existsSync(join(root, 'build', 'guests', GUEST))) execFileSync('npm', ['run', 'guests'], { cwd: root, stdio: 'inherit' });
if (!existsSync(suiteEntry)) throw new Error(`extension-host tests: ${suiteEntry} is missing; the build should have emitted it`);

async function desktop() {
  const { runTests } = await import('@vscode/test-electron');
  const { run, dirs, resultFile } = makeRunFolder(root);
  const exe = process.env.VSCODE_EXECUTABLE_PATH;
  log(exe ? `desktop VS Code at ${exe}` : 'downloading desktop VS Code (needs the VS Code update service)');
  try {
    const status = await runTests({
      // Downloads are kept outside the repository, like the code-server tools.
      ...(exe ? { vscodeExecutablePath: exe } : { cachePath: join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kvmlab-vscode-test') }),
      extensionDevelopmentPath: root,
      extensionTestsPath: suiteEntry,
      extensionTestsEnv: { KVMLAB_EXTHOST_RESULT: resultFile },
      launchArgs: [dirs.ws, '--user-data-dir', dirs.ud, '--extensions-dir', dirs.ext],
    }).catch((e) => {
      log(`VS Code run failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!exe) log('without network access, set VSCODE_EXECUTABLE_PATH to a local desktop VS Code, or run with --code-server');
      return 1;
    });
    const text = existsSync(resultFile) ? readFileSync(resultFile, 'utf8') : '';
    return { lines: text.trim().split('\n').filter(Boolean), status };
  } finally {
    rmSync(run, { recursive: true, force: true });
  }
}

async function codeServer() {
  const { ensureE2eTools } = await import('./e2eSetup.mjs');
  const { runInCodeServer } = await import('../test/extensionHost/codeServerHost.mjs');
  const result = await runInCodeServer({ root, tools: ensureE2eTools(), log });
  return { lines: result.lines, status: result.failed === 0 ? 0 : 1 };
}

let outcome;
try {
  outcome = process.argv.includes('--code-server') ? await codeServer() : await desktop();
} catch (e) {
  outcome = { lines: [`FAIL running the suite: ${e instanceof Error ? e.message : String(e)}`], status: 1 };
}
const summary = outcome.lines.map((l) => /^(\d+) passed, (\d+) failed$/.exec(l)).find(Boolean);
for (const l of outcome.lines.filter((l) => !/^\d+ passed, \d+ failed$/.test(l))) log(l);
if (!summary) log(`the suite reported no results (exit status ${outcome.status}): VS Code did not run it to the end`);
const passed = summary ? Number(summary[1]) : 0;
const failed = summary ? Number(summary[2]) : Math.max(1, outcome.lines.filter((l) => l.startsWith('FAIL')).length);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && outcome.status === 0 ? 0 : 1);
