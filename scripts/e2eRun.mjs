// `npm run test:e2e`: installs the tools when missing, packages the extension, runs the workbench suite, prints
// "N passed, M failed" and exits non-zero on any failure. Screenshots and logs go to .e2e-artifacts/.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureE2eTools } from './e2eSetup.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = join(root, '.e2e-artifacts');
const vsix = join(root, 'build', 'kvmlab.vsix');
/** Guests the fixture workspace boots, from npm run guests. */
const GUESTS = ['multiboot-c.elf', 'svga.elf', 'rpctool.elf'];
const guestPath = (name) => join(root, 'build', 'guests', name);
const skipPackage = process.argv.includes('--no-package');
const started = Date.now();
const log = (m) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);

rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

const tools = ensureE2eTools();
log(`chromium ${execFileSync(tools.chromium, ['--version'], { encoding: 'utf8' }).trim()}`);
if (!skipPackage || !existsSync(vsix)) {
  execFileSync('npm', ['run', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  log('packaged build/kvmlab.vsix');
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
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
