// `npm run test:e2e`: installs the tools when missing, packages the extension, runs the workbench suite, prints
// "N passed, M failed" and exits non-zero on any failure. Screenshots and logs go to .e2e-artifacts/<run>/.
//   --no-package  reuse build/kvmlab.vsix from `npm run package`
//   --prebuilt    dist/ is fresh (npm test built it): package straight into a private file, without rebuilding
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureE2eTools } from './e2eSetup.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Runs from several shells of one checkout may overlap, so each keeps its own artifacts and package. */
const artifactRoot = join(root, '.e2e-artifacts');
const artifacts = join(artifactRoot, `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
const KEEP_RUNS = 3;
const privateDir = mkdtempSync(join(tmpdir(), 'kvmlab-vsix-'));
const prebuilt = process.argv.includes('--prebuilt');
/** Guests the fixture workspace boots, from npm run guests. */
const GUESTS = ['multiboot-c.elf', 'svga.elf', 'rpctool.elf'];
const guestPath = (name) => join(root, 'build', 'guests', name);
const skipPackage = process.argv.includes('--no-package');
const vsix = skipPackage ? join(root, 'build', 'kvmlab.vsix') : join(privateDir, 'kvmlab.vsix');
const started = Date.now();
const log = (m) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);

mkdirSync(artifacts, { recursive: true });
for (const old of readdirSync(artifactRoot).filter((d) => d.startsWith('run-')).sort().slice(0, -KEEP_RUNS)) {
  rmSync(join(artifactRoot, old), { recursive: true, force: true });
}

const tools = ensureE2eTools();
// Debian's chromium wrapper script prints shell noise on stderr; only the version line matters.
log(`chromium ${execFileSync(tools.chromium, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}`);
if (skipPackage && !existsSync(vsix)) throw new Error('e2e: --no-package needs build/kvmlab.vsix; run npm run package first');
if (!skipPackage) {
  if (!prebuilt) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(join(root, 'node_modules', '.bin', 'vsce'), ['package', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  log(`packaged ${vsix}`);
}
if (!GUESTS.every((g) => existsSync(guestPath(g)))) execFileSync('npm', ['run', 'guests'], { cwd: root, stdio: 'inherit' });

const { startWorkbench } = await import('../test/e2e/workbench.mjs');
const { defineChecks } = await import('../test/e2e/suite.mjs');

let passed = 0;
let failed = 0;
let wb;
try {
  wb = await startWorkbench({
    tools, vsix, log,
    fixture: join(root, 'test', 'e2e', 'workspace'),
    protectedDirs: [root],
    prepareWorkspace: (ws) => {
      mkdirSync(join(ws, 'build'), { recursive: true });
      for (const g of GUESTS) copyFileSync(guestPath(g), join(ws, 'build', g));
      // An empty folder for "New VM from Template" to fill.
      mkdirSync(join(ws, 'newvm'));
    },
  });
  const shot = (name) => wb.page.screenshot({ path: join(artifacts, `${name}.png`) });
  for (const [name, fn] of defineChecks({ page: wb.page, dirs: wb.dirs, shot, log })) {
    try {
      await fn();
      passed++;
      log(`PASS ${name}`);
    } catch (e) {
      failed++;
      log(`FAIL ${name}: ${e instanceof Error ? e.message.split('\n').slice(0, 6).join('\n  ') : String(e)}`);
      await shot(`failed-${passed + failed}`).catch(() => undefined);
    }
  }
} catch (e) {
  failed++;
  log(`FAIL setting up the workbench: ${e instanceof Error ? e.stack : String(e)}`);
} finally {
  if (wb) {
    writeFileSync(join(artifacts, 'code-server.log'), wb.serverLog());
    await wb.stop();
    rmSync(join(wb.dirs.ud, '..'), { recursive: true, force: true });
  }
  rmSync(privateDir, { recursive: true, force: true });
}
log(`screenshots and logs in ${artifacts}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
