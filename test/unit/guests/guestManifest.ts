// Loads guests/manifest.json and the built images in build/guests for the guest tests.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Tests run from out/test/unit/guests; the repository root is four levels up. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
export const MANIFEST_PATH = join(REPO_ROOT, 'guests', 'manifest.json');

export type ExitKind = 'debugExit' | 'halt' | 'tripleFault' | 'none';

export interface GuestEntry {
  name: string;
  file: string;
  format: string;
  symbols: string;
  symbolNames: string[];
  source: string;
  cmdline: string;
  serial?: string;
  serialPattern?: string;
  exit: ExitKind;
  exitCode: number | null;
  exitStatus: number | null;
  needs: string[];
  notes: string;
  vga?: { row: number; column: number; text: string; attribute: number; cursorRow: number; cursorColumn: number };
}

export interface GuestManifest {
  version: number;
  directory: string;
  guests: GuestEntry[];
}

export function loadManifest(): GuestManifest {
  return JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as GuestManifest;
}

export function builtDir(manifest: GuestManifest): string {
  return join(REPO_ROOT, manifest.directory);
}

/** Reads a built image; a missing file fails with the command that produces it. */
export function readBuilt(manifest: GuestManifest, file: string): Uint8Array {
  const path = join(builtDir(manifest), file);
  if (!existsSync(path)) throw new Error(`${manifest.directory}/${file} is missing: run "npm run guests" first`);
  return new Uint8Array(readFileSync(path));
}
