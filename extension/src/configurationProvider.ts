// Launch configurations for the kvmlab debug type: initial and dynamic ones, defaults, and checks before the adapter starts.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'fs';
import * as vscode from 'vscode';
import { kernelFormat, isBootableCandidate, KERNEL_EXCLUDE, KERNEL_GLOB, MAX_CANDIDATES, MAX_PROBE_BYTES } from './kernelImages';
import { configForImage, DEBUG_TYPE, FORMAT_TEMPLATES } from './launchTemplates';
import { applyDefaults, checkLaunchConfig, KVM_DEVICE, type KvmAccess, type LaunchEnvironment } from './launchValidation';
import { settings } from './settings';
import { COMMANDS } from './commandIds';

export const hostEnvironment: LaunchEnvironment = {
  fileKind(path) {
    try { return statSync(path).isDirectory() ? 'directory' : 'file'; } catch { return 'missing'; }
  },
  kvmAccess(): KvmAccess {
    if (!existsSync(KVM_DEVICE)) return 'missing';
    try {
      accessSync(KVM_DEVICE, constants.R_OK | constants.W_OK);
      return 'ok';
    } catch {
      return 'denied';
    }
  },
};

interface FoundImage { uri: vscode.Uri; relative: string; format: ReturnType<typeof kernelFormat> & string }

/** Kernel images in the workspace folder, recognised by content rather than by name. */
export async function findKernelImages(folder: vscode.WorkspaceFolder, token?: vscode.CancellationToken): Promise<FoundImage[]> {
  const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, KERNEL_GLOB), KERNEL_EXCLUDE, MAX_CANDIDATES, token);
  const found: FoundImage[] = [];
  for (const uri of uris) {
    try {
      if (statSync(uri.fsPath).size > MAX_PROBE_BYTES) continue;
      const bytes = new Uint8Array(readFileSync(uri.fsPath));
      if (!isBootableCandidate(bytes)) continue;
      found.push({ uri, relative: vscode.workspace.asRelativePath(uri, false), format: kernelFormat(bytes)! });
    } catch {
      // Unreadable files are simply not candidates.
    }
  }
  return found.sort((a, b) => a.relative.localeCompare(b.relative));
}

export class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** Shown when launch.json is created: found images first, otherwise a template per boot format. */
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined, token?: vscode.CancellationToken): Promise<vscode.DebugConfiguration[]> {
    const images = folder ? await findKernelImages(folder, token) : [];
    if (images.length > 0) return images.map((i) => configForImage(i.relative, i.format) as vscode.DebugConfiguration);
    const pick = await vscode.window.showQuickPick(
      FORMAT_TEMPLATES.map((t) => ({ label: t.label, description: t.description, template: t })),
      { title: 'KVM Lab: what kind of kernel will you boot?', ignoreFocusOut: true },
    );
    return [(pick?.template ?? FORMAT_TEMPLATES[0]).config as vscode.DebugConfiguration];
  }

  /** F5 without a launch.json arrives as an empty configuration: boot a kernel image from the workspace. */
  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (!config.type && !config.request && !config.name) {
      const target = folder ?? vscode.workspace.workspaceFolders?.[0];
      const images = target ? await findKernelImages(target) : [];
      if (images.length === 0) {
        void vscode.window.showErrorMessage('KVM Lab: no kernel image found in the workspace; build one, or create a launch.json with a "kernel" path.',
          'Create launch.json').then((b) => b && vscode.commands.executeCommand('workbench.action.debug.configure'));
        return undefined;
      }
      let chosen = images[0];
      if (images.length > 1) {
        const pick = await vscode.window.showQuickPick(images.map((i) => ({ label: i.relative, description: i.format, image: i })),
          { title: 'KVM Lab: boot which kernel image?' });
        if (!pick) return undefined;
        chosen = pick.image;
      }
      config = configForImage(chosen.relative, chosen.format) as vscode.DebugConfiguration;
    }
    const s = settings();
    return applyDefaults(config, { memory: s.defaultMemory, stopOnEntry: s.defaultStopOnEntry, serial: s.defaultSerial }) as vscode.DebugConfiguration;
  }

  /** Variables are substituted now, so file paths can be checked before a process is started. */
  resolveDebugConfigurationWithSubstitutedVariables(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    const { errors } = checkLaunchConfig(config, hostEnvironment);
    if (errors.length === 0) return config;
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    const action = first.fix === 'checkHost' ? 'Check KVM Host' : 'Open launch.json';
    void vscode.window.showErrorMessage(`KVM Lab: ${first.message}${more}`, action).then((b) => {
      if (!b) return;
      void vscode.commands.executeCommand(first.fix === 'checkHost' ? COMMANDS.checkHost : 'workbench.action.debug.configure');
    });
    // undefined aborts the launch quietly; the message above already says why.
    return undefined;
  }
}

/** Offered under "More kvmlab options…" in the Run and Debug view: one configuration per image found. */
export class DynamicConfigurationProvider implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined, token?: vscode.CancellationToken): Promise<vscode.DebugConfiguration[]> {
    if (!folder) return [];
    return (await findKernelImages(folder, token)).map((i) => configForImage(i.relative, i.format) as vscode.DebugConfiguration);
  }
}

export function registerConfigurationProviders(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ConfigurationProvider(), vscode.DebugConfigurationProviderTriggerKind.Initial),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new DynamicConfigurationProvider(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
  );
}
