// Extension entry: registers the adapter factory, configuration providers, session tracking, views and commands.
import * as vscode from 'vscode';
import { AdapterDescriptorFactory } from './adapterDescriptor';
import { registerCommands } from './commands';
import { registerConfigurationProviders } from './configurationProvider';
import { registerDebugTracker } from './debugTracker';
import { DEBUG_TYPE } from './launchTemplates';
import { BackdoorPanels } from './panels/backdoorPanel';
import { FramebufferPanels } from './panels/framebufferPanel';
import { SerialTerminals } from './serialTerminal';
import { SessionRouter } from './sessionRouter';
import { VmStatusBar } from './statusBar';
import { VmSessions } from './vmSessions';

export function activate(context: vscode.ExtensionContext): void {
  const router = new SessionRouter();
  const sessions = new VmSessions();
  const terminals = new SerialTerminals(router);
  const framebuffers = new FramebufferPanels(context.extensionUri, router, (id) => sessions.get(id));
  const backdoors = new BackdoorPanels(context.extensionUri, router);

  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new AdapterDescriptorFactory(context.extensionPath)),
    registerDebugTracker(router, (session) => {
      sessions.add(session);
      terminals.attach(session);
    }),
    vscode.debug.onDidTerminateDebugSession((s) => sessions.remove(s.id)),
    terminals, framebuffers, backdoors,
    new VmStatusBar(router),
    ...registerCommands({ extensionUri: context.extensionUri, sessions, terminals, framebuffers, backdoors }),
  );
  registerConfigurationProviders(context);
}

export function deactivate(): void {
  // Everything is in context.subscriptions; VS Code ends the debug sessions (and with them the VMs) itself.
}
