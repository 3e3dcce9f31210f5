// The folder both extension-host runners open: one Multiboot C guest in build/, no launch.json, quiet user settings.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The guest the in-host suite boots (suite/hostHelpers.ts names the same relative path). */
export const GUEST = 'multiboot-c.elf';

export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.disableAIFeatures': true,
  'window.restoreWindows': 'none',
  'git.enabled': false,
  // The suite counts adapter processes itself; a terminal opening on start would only add noise.
  'kvmlab.serialTerminal.open': 'never',
  'kvmlab.framebuffer.openOnFirstFrame': false,
};

/** A fresh run folder (short path: code-server's socket must fit 108 bytes) holding ws/, ud/, ext/, tmp/, results/. */
export function makeRunFolder(root) {
  const guest = join(root, 'build', 'guests', GUEST);
  if (!existsSync(guest)) throw new Error(`extension-host tests: ${guest} is missing; run npm run guests first`);
  const run = mkdtempSync(join(tmpdir(), 'kvmlab-xh-'));
  const dirs = Object.fromEntries(['ws', 'ud', 'ext', 'tmp', 'results', 'profile'].map((d) => [d, join(run, d)]));
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.ws, 'build'));
  copyFileSync(guest, join(dirs.ws, 'build', GUEST));
  mkdirSync(join(dirs.ud, 'User'), { recursive: true });
  writeFileSync(join(dirs.ud, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  return { run, dirs, resultFile: join(dirs.results, 'extension-host.txt') };
}
