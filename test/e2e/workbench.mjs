// Starts code-server with the packaged extension and drives its workbench in headless Chromium (playwright-core).
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** Workbench settings that keep the layout stable and quiet for screenshots. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'debug.openDebug': 'openOnSessionStart',
  'debug.internalConsoleOptions': 'neverOpen',
  'window.restoreWindows': 'none',
  // The DOM renderer puts terminal text into the page, where the suite can read it.
  'terminal.integrated.gpuAcceleration': 'off',
  'kvmlab.serialTerminal.open': 'onStart',
  'git.openRepositoryInParentFolders': 'never',
};

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * One code-server + browser for the whole suite. `tools` comes from scripts/e2eSetup.mjs; the run folder lives in
 * the temp directory (short, so code-server's socket path fits the 108-byte limit).
 */
export async function startWorkbench({ tools, vsix, fixture, prepareWorkspace, log, protectedDirs = [] }) {
  const run = mkdtempSync(join(tmpdir(), 'kvmlab-e2e-'));
  const dirs = Object.fromEntries(['ud', 'ext', 'ws', 'results', 'tmp', 'profile'].map((d) => [d, join(run, d)]));
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  cpSync(fixture, dirs.ws, { recursive: true });
  prepareWorkspace(dirs.ws);
  mkdirSync(join(dirs.ud, 'User'), { recursive: true });
  // The guests' DWARF names their sources in the checkout, so the debugger opens those files: keys meant for a
  // palette or terminal must never be able to edit (and a save write) the project's own sources.
  const readonly = Object.fromEntries(protectedDirs.map((d) => [`${d}/**`, true]));
  const settings = { ...USER_SETTINGS, 'files.autoSave': 'off', 'files.readonlyInclude': readonly };
  writeFileSync(join(dirs.ud, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const csArgs = (extra) => [tools.codeServerEntry, '--user-data-dir', dirs.ud, '--extensions-dir', dirs.ext, ...extra];
  execFileSync(tools.node, csArgs(['--install-extension', vsix]), { stdio: 'pipe' });
  log(`installed ${vsix}`);

  const server = spawn(tools.node, csArgs(['--auth', 'none', '--bind-addr', '127.0.0.1:0', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', '--config', join(run, 'cs-config.yaml'), dirs.ws]), {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: dirs.tmp, KVMLAB_TEST_OUTPUT_DIR: dirs.results },
  });
  let serverLog = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start listening within 60 s:\n${serverLog}`)), 60_000);
    const onData = (d) => {
      serverLog += d;
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(serverLog);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) => reject(new Error(`code-server exited with ${code}:\n${serverLog}`)));
  });
  log(`code-server at ${url}`);

  const context = await chromium.launchPersistentContext(dirs.profile, {
    executablePath: tools.chromium, headless: true, viewport: { width: 1400, height: 900 }, args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(`${url}?folder=${encodeURIComponent(dirs.ws)}`);

  return {
    page, dirs, url,
    serverLog: () => serverLog,
    async stop() {
      await context.close().catch(() => undefined);
      // The server, extension host, pty host and file watcher share the detached child's process group.
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
      await new Promise((r) => setTimeout(r, 1000));
      try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
    },
  };
}

/**
 * Gives the workbench keyboard focus (a focused webview would take F1 and F5 for itself): the open text editor
 * when there is one, else the fixture's README in the Explorer.
 */
export async function focusWorkbench(page) {
  // Clicking a text editor's active tab focuses it without moving its cursor or scrolling.
  const tab = page.locator('.editor-group-container').first().locator('.tab.active');
  if (await page.locator('.editor-group-container').first().locator('.monaco-editor').isVisible() && await tab.isVisible()) {
    await tab.click();
    return;
  }
  const readme = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'README.md' }).first();
  if (!(await readme.isVisible())) await page.keyboard.press('Control+Shift+E');
  await readme.click();
  await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
}

/** Runs a palette command, retrying while the extension host is still registering the extension's commands. */
export async function runCommand(page, title, { attempts = 15 } = {}) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await focusWorkbench(page);
  for (let i = 0; i < attempts; i++) {
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`>${title}`, { timeout: 5000 });
      const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
      await row.waitFor({ state: 'visible', timeout: 2000 });
      await page.keyboard.press('Enter');
      return;
    } catch {
      // Not registered yet, or the palette lost focus while opening: close it and try again.
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
      if (i % 3 === 2) await focusWorkbench(page).catch(() => undefined);
    }
  }
  throw new Error(`command "${title}" never appeared in the palette`);
}

/** The inner frame of the webview panel whose host page has the given title in its tab. */
export function webviewFrame(page) {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
}
