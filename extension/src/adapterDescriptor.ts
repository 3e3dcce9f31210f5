// Hands VS Code the kvmlab debug adapter for each session (see adapterCommand.ts for how it is started).
import * as vscode from 'vscode';
import { adapterLaunch } from './adapterCommand';
import { settings } from './settings';

export class AdapterDescriptorFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionPath: string) {}

  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const s = settings();
    const plan = adapterLaunch(this.extensionPath, { serverPort: s.adapterServerPort, nodePath: s.adapterNodePath },
      { execPath: process.execPath, electron: process.versions.electron });
    if (plan.kind === 'server') return new vscode.DebugAdapterServer(plan.port, '127.0.0.1');
    return new vscode.DebugAdapterExecutable(plan.command, plan.args, { env: plan.env });
  }
}
