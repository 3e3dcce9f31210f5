// The backdoor inspector panel of a VM session: every VMware backdoor call and GuestRPC message, TCLO send box, export.
import * as vscode from 'vscode';
import { TCLO_REQUEST, type TcloArguments } from '../../../protocol/extensionEvents';
import type { SessionRouter, Subscription } from '../sessionRouter';
import { BackdoorBridge } from './backdoorBridge';
import { createPanel, fileStem, outputFolder } from './panelFrame';

export const BACKDOOR_VIEW_TYPE = 'kvmlab.backdoorInspector';
/** Exports land next to the screenshots' default folder, inside the workspace. */
const EXPORT_FOLDER = '.kvmlab/exports';

class BackdoorPanel {
  readonly panel: vscode.WebviewPanel;
  readonly bridge: BackdoorBridge;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly subscription: Subscription;

  constructor(extensionUri: vscode.Uri, readonly session: vscode.DebugSession, router: SessionRouter, private readonly onDispose: () => void) {
    const panel = createPanel(extensionUri, { viewType: BACKDOOR_VIEW_TYPE, title: `Backdoor: ${session.name}`, bundle: 'backdoorInspector', icon: 'backdoor' });
    this.panel = panel;
    this.bridge = new BackdoorBridge({
      post: (m) => void panel.webview.postMessage(m),
      sendTclo: (command) => sendTclo(session, command),
      saveExport: async (fileName, text) => {
        const dir = outputFolder(EXPORT_FOLDER);
        await vscode.workspace.fs.createDirectory(dir);
        const dot = fileName.lastIndexOf('.');
        const file = vscode.Uri.joinPath(dir, `${fileStem(`${session.name}-${dot > 0 ? fileName.slice(0, dot) : fileName}`, new Date())}${dot > 0 ? fileName.slice(dot) : ''}`);
        await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
        void vscode.window.showInformationMessage(`KVM Lab: backdoor trace exported to ${vscode.workspace.asRelativePath(file)}`, 'Open')
          .then((b) => b && vscode.window.showTextDocument(file));
        return file.fsPath;
      },
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m) => this.bridge.onWebviewMessage(m)),
      panel.onDidChangeViewState(() => { if (!panel.visible) this.bridge.reset(); }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.subscription = router.subscribe(session.id, (_id, e) => this.bridge.onRouterEvent(e));
  }

  dispose(): void {
    this.subscription.dispose();
    this.bridge.reset();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
    this.onDispose();
  }
}

export async function sendTclo(session: vscode.DebugSession, command: string): Promise<void> {
  await session.customRequest(TCLO_REQUEST, { command } satisfies TcloArguments);
}

export class BackdoorPanels implements vscode.Disposable {
  private readonly panels = new Map<string, BackdoorPanel>();

  constructor(private readonly extensionUri: vscode.Uri, private readonly router: SessionRouter) {}

  show(session: vscode.DebugSession): void {
    const existing = this.panels.get(session.id);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    this.panels.set(session.id, new BackdoorPanel(this.extensionUri, session, this.router, () => this.panels.delete(session.id)));
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
  }
}
