// The palette commands: templates, panels, screenshot, TCLO, reset, host check, console copy.
import { writeFileSync } from 'fs';
import { join } from 'path';
import * as vscode from 'vscode';
import { RESET_REQUEST } from '../../protocol/extensionEvents';
import { COMMANDS } from './commandIds';
import type { BackdoorPanels } from './panels/backdoorPanel';
import { sendTclo } from './panels/backdoorPanel';
import type { FramebufferPanels } from './panels/framebufferPanel';
import { listTemplates, scaffold, ScaffoldError } from './scaffold';
import type { SerialTerminals } from './serialTerminal';
import type { VmSessions } from './vmSessions';

export interface CommandDeps {
  extensionUri: vscode.Uri;
  sessions: VmSessions;
  terminals: SerialTerminals;
  framebuffers: FramebufferPanels;
  backdoors: BackdoorPanels;
}

/** When set (by the end-to-end suite), commands also write what they show into this folder. */
const TEST_OUTPUT_ENV = 'KVMLAB_TEST_OUTPUT_DIR';

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

let hostChannel: vscode.OutputChannel | undefined;

async function checkHost(): Promise<void> {
  // Loaded on demand: the host report opens /dev/kvm through the native binding, which activation must not pay for.
  const { collectHostReport, formatHostReport } = await import('../../debug-adapter/src/host/hostReport');
  hostChannel ??= vscode.window.createOutputChannel('KVM Lab Host');
  let text: string;
  let usable = false;
  try {
    const report = collectHostReport();
    usable = report.kvmUsable;
    text = formatHostReport(report);
  } catch (e) {
    text = `KVM Lab host check could not run: ${errorText(e)}`;
  }
  hostChannel.clear();
  hostChannel.appendLine(text);
  hostChannel.show(true);
  const out = process.env[TEST_OUTPUT_ENV];
  if (out) writeFileSync(join(out, 'host-check.txt'), text);
  if (usable) void vscode.window.showInformationMessage('KVM Lab: KVM is usable on this host (details in the "KVM Lab Host" output).');
  else void vscode.window.showErrorMessage('KVM Lab: KVM is not usable on this host; the "KVM Lab Host" output says what to fix.');
}

async function newFromTemplate(extensionUri: vscode.Uri): Promise<void> {
  const root = vscode.Uri.joinPath(extensionUri, 'templates').fsPath;
  const templates = listTemplates(root);
  const pick = await vscode.window.showQuickPick(templates.map((t) => ({ label: t.label, detail: t.description, template: t })),
    { title: 'KVM Lab: New VM from Template', placeHolder: 'Kind of guest kernel to start from' });
  if (!pick) return;
  const folder = await vscode.window.showOpenDialog({
    canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Create Project Here',
    title: `Folder for the new "${pick.template.label}" project (empty, or without the template's files)`,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  if (!folder?.[0]) return;
  const target = folder[0];
  try {
    scaffold(join(root, pick.template.id), target.fsPath);
  } catch (e) {
    void vscode.window.showErrorMessage(`KVM Lab: ${e instanceof ScaffoldError ? e.message : `could not create the project: ${errorText(e)}`}`);
    return;
  }
  const home = vscode.workspace.getWorkspaceFolder(target);
  if (home) await vscode.window.showTextDocument(vscode.Uri.joinPath(target, pick.template.open));
  if (home?.uri.fsPath === target.fsPath) {
    void vscode.window.showInformationMessage(`KVM Lab: "${pick.template.label}" project created. Press F5 to build and boot it.`);
    return;
  }
  // Its launch.json and build task apply when the project is a workspace folder of its own.
  const choice = await vscode.window.showInformationMessage(
    `KVM Lab: "${pick.template.label}" project created in ${target.fsPath}. Open it as a folder (or add it to the workspace), then press F5 to build and boot it.`,
    'Open Folder', 'Add to Workspace');
  if (choice === 'Open Folder') await vscode.commands.executeCommand('vscode.openFolder', target);
  else if (choice === 'Add to Workspace') vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: target });
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { sessions, terminals, framebuffers, backdoors } = deps;
  const guarded = (id: string, fn: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      await fn(...args);
    } catch (e) {
      void vscode.window.showErrorMessage(`KVM Lab: ${errorText(e)}`);
    }
  });
  return [
    guarded(COMMANDS.newFromTemplate, () => newFromTemplate(deps.extensionUri)),
    guarded(COMMANDS.checkHost, checkHost),
    guarded(COMMANDS.showFramebuffer, async () => {
      const s = await sessions.pick('show the screen');
      if (s) framebuffers.show(s);
    }),
    guarded(COMMANDS.showBackdoorInspector, async () => {
      const s = await sessions.pick('inspect the backdoor traffic');
      if (s) backdoors.show(s);
    }),
    guarded(COMMANDS.takeScreenshot, async () => {
      const s = await sessions.pick('take a screenshot');
      if (!s) return;
      const file = await framebuffers.screenshot(s);
      const b = await vscode.window.showInformationMessage(`KVM Lab: screenshot saved to ${vscode.workspace.asRelativePath(file)}`, 'Open');
      if (b) await vscode.commands.executeCommand('vscode.open', file);
    }),
    guarded(COMMANDS.sendTclo, async () => {
      const s = await sessions.pick('send a TCLO command');
      if (!s) return;
      const command = await vscode.window.showInputBox({
        title: `KVM Lab: TCLO command for "${s.name}"`, prompt: 'Sent to the guest tools over the backdoor (e.g. "ping", "Capabilities_Register")',
        validateInput: (v) => (v.trim() === '' ? 'Type a command' : undefined),
      });
      if (!command) return;
      await sendTclo(s, command.trim());
      void vscode.window.showInformationMessage(`KVM Lab: TCLO "${command.trim()}" queued for the guest.`);
    }),
    guarded(COMMANDS.resetVm, async () => {
      const s = await sessions.pick('reset');
      if (!s) return;
      try {
        await s.customRequest(RESET_REQUEST);
      } catch {
        // An adapter without in-place reset still restarts: VS Code ends the session and launches it again.
        await vscode.commands.executeCommand('workbench.action.debug.restart');
      }
    }),
    guarded(COMMANDS.copyConsoleScreen, async () => {
      const screen = await terminals.screenText();
      if (!screen) {
        void vscode.window.showErrorMessage('KVM Lab: no serial console to copy; start a VM first.');
        return;
      }
      await vscode.env.clipboard.writeText(screen.text);
      const out = process.env[TEST_OUTPUT_ENV];
      if (out) writeFileSync(join(out, 'console-screen.txt'), screen.text);
      void vscode.window.showInformationMessage(`KVM Lab: console screen of "${screen.name}" copied (${screen.text.split('\n').length} lines).`);
    }),
    guarded(COMMANDS.showSerialTerminal, () => {
      if (!terminals.show()) void vscode.window.showErrorMessage('KVM Lab: no serial console yet; start a VM first.');
    }),
  ];
}
