// Helpers of the in-host suite: polling, the extension under test, adapter processes, and a spy on error notifications.
import { readdirSync, readFileSync } from 'fs';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'kvmlab.kvmlab';
export const DEBUG_TYPE = 'kvmlab';
/** The guest the runners copy into the test workspace (from npm run guests). */
export const GUEST_RELATIVE = 'build/multiboot-c.elf';

export async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function kvmlabExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded: start the host with the repository as extension development path`);
  return ext;
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error(`no workspace folder is open: the runner opens one holding ${GUEST_RELATIVE}`);
  return folder;
}

/** Debug adapter processes started by this extension host (VS Code spawns them as its direct children). */
export function adapterProcesses(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      // Field 4 of stat is the parent pid; the command name in field 2 may hold spaces, so split after its ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && cmd.includes('debug-adapter.js')) found.push(`${pid}: ${cmd}`);
    } catch { /* exited while we looked */ }
  }
  return found;
}

/**
 * Records the error notifications the extension shows. Extensions loaded from one folder share one API object,
 * so replacing the function here also replaces it for the extension; the real one still runs.
 */
export function spyOnErrorMessages(): { messages: string[]; restore(): void } {
  const messages: string[] = [];
  const win = vscode.window as { showErrorMessage: (...a: unknown[]) => unknown };
  const original = win.showErrorMessage;
  win.showErrorMessage = (...args: unknown[]) => {
    messages.push(String(args[0]));
    return original.apply(vscode.window, args);
  };
  if (vscode.window.showErrorMessage === original) throw new Error('vscode.window.showErrorMessage cannot be replaced in this host');
  return { messages, restore: () => { win.showErrorMessage = original; } };
}
