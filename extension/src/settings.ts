// Typed access to the extension's settings (contributes.configuration in package.json describes each one).
import * as vscode from 'vscode';

export type TerminalOpen = 'onStart' | 'onFirstOutput' | 'never';
export type FramebufferScale = 'fit' | '1x' | '2x';

export interface KvmLabSettings {
  defaultMemory: number;
  defaultStopOnEntry: boolean;
  defaultSerial: 'debugConsole' | 'none';
  terminalOpen: TerminalOpen;
  terminalScrollback: number;
  adapterServerPort: number;
  adapterNodePath: string;
  framebufferScale: FramebufferScale;
  framebufferOpenOnFrame: boolean;
  statusBar: boolean;
  screenshotFolder: string;
}

export const SETTINGS_SECTION = 'kvmlab';

export function settings(): KvmLabSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    defaultMemory: c.get<number>('launch.memory', 128),
    defaultStopOnEntry: c.get<boolean>('launch.stopOnEntry', true),
    defaultSerial: c.get<'debugConsole' | 'none'>('launch.serial', 'debugConsole'),
    terminalOpen: c.get<TerminalOpen>('serialTerminal.open', 'onFirstOutput'),
    terminalScrollback: c.get<number>('serialTerminal.scrollback', 5000),
    adapterServerPort: c.get<number>('adapter.serverPort', 0),
    adapterNodePath: c.get<string>('adapter.nodePath', ''),
    framebufferScale: c.get<FramebufferScale>('framebuffer.scale', 'fit'),
    framebufferOpenOnFrame: c.get<boolean>('framebuffer.openOnFirstFrame', true),
    statusBar: c.get<boolean>('statusBar.enabled', true),
    screenshotFolder: c.get<string>('screenshots.folder', '.kvmlab/screenshots'),
  };
}
