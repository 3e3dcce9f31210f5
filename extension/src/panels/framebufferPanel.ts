// The framebuffer panel of a VM session: a webview showing the guest screen, with keyboard/mouse capture and screenshots.
import * as vscode from 'vscode';
import { FRAME_REFRESH_REQUEST, INPUT_REQUEST } from '../../../protocol/extensionEvents';
import type { SessionRouter, Subscription } from '../sessionRouter';
import { settings } from '../settings';
import { FramebufferBridge } from './framebufferBridge';
import { frameHasContent } from './frameContent';
import { createPanel, fileStem, outputFolder } from './panelFrame';

export const FRAMEBUFFER_VIEW_TYPE = 'kvmlab.framebuffer';
/** How long a screenshot waits for a freshly opened panel to load. */
const READY_TIMEOUT_MS = 15_000;

class FramebufferPanel {
  readonly panel: vscode.WebviewPanel;
  readonly bridge: FramebufferBridge;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly subscription: Subscription;
  private noticeShown = false;
  private readyWaiters: (() => void)[] = [];

  constructor(extensionUri: vscode.Uri, readonly session: vscode.DebugSession, router: SessionRouter, private readonly onDispose: () => void) {
    const panel = createPanel(extensionUri, { viewType: FRAMEBUFFER_VIEW_TYPE, title: `Screen: ${session.name}`, bundle: 'framebuffer', icon: 'screen' },
      { scale: settings().framebufferScale });
    this.panel = panel;
    this.bridge = new FramebufferBridge({
      post: (m) => void panel.webview.postMessage(m),
      sendInput: async (input) => { await session.customRequest(INPUT_REQUEST, input); },
      requestFullFrame: async () => { await session.customRequest(FRAME_REFRESH_REQUEST); },
      saveScreenshot: (png) => saveScreenshot(session.name, png).then((u) => u.fsPath),
      notice: (message) => {
        if (this.noticeShown) return;
        this.noticeShown = true;
        void vscode.window.showWarningMessage(`KVM Lab screen of "${session.name}": ${message}`);
      },
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage(async (m) => {
        await this.bridge.onWebviewMessage(m);
        if (this.bridge.isReady) this.flushWaiters();
      }),
      panel.onDidChangeViewState(() => { if (!panel.visible) this.bridge.reset(); }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.subscription = router.subscribe(session.id, (_id, e) => this.bridge.onRouterEvent(e));
  }

  private flushWaiters(): void {
    const w = this.readyWaiters;
    this.readyWaiters = [];
    for (const f of w) f();
  }

  whenReady(): Promise<void> {
    if (this.bridge.isReady) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the framebuffer panel did not load')), READY_TIMEOUT_MS);
      this.readyWaiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.bridge.reset();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
    this.onDispose();
  }
}

async function saveScreenshot(sessionName: string, png: Uint8Array): Promise<vscode.Uri> {
  const dir = outputFolder(settings().screenshotFolder);
  await vscode.workspace.fs.createDirectory(dir);
  const file = vscode.Uri.joinPath(dir, `${fileStem(sessionName, new Date())}.png`);
  await vscode.workspace.fs.writeFile(file, png);
  return file;
}

export class FramebufferPanels implements vscode.Disposable {
  private readonly panels = new Map<string, FramebufferPanel>();
  private readonly autoOpened = new Set<string>();
  private readonly subscription: Subscription;

  /** `sessionOf` finds the live debug session of a router session id (for opening its panel on the first frame). */
  constructor(private readonly extensionUri: vscode.Uri, private readonly router: SessionRouter,
    private readonly sessionOf: (id: string) => vscode.DebugSession | undefined) {
    // The first frame with something on it means the guest drew a screen: show it unless the user opted out.
    this.subscription = router.subscribeAll((id, e) => {
      if (e.kind !== 'frame' || this.panels.has(id) || this.autoOpened.has(id) || !settings().framebufferOpenOnFrame) return;
      if (!frameHasContent(e.bytes)) return;
      this.autoOpened.add(id);
      const session = this.sessionOf(id);
      if (session) this.show(session);
    });
  }

  show(session: vscode.DebugSession): FramebufferPanel {
    let p = this.panels.get(session.id);
    if (p) {
      p.panel.reveal();
      return p;
    }
    p = new FramebufferPanel(this.extensionUri, session, this.router, () => this.panels.delete(session.id));
    this.panels.set(session.id, p);
    return p;
  }

  /** Saves the screen of the session as PNG (opening its panel first if needed) and returns the file. */
  async screenshot(session: vscode.DebugSession): Promise<vscode.Uri> {
    const p = this.show(session);
    await p.whenReady();
    return saveScreenshot(session.name, await p.bridge.snapshotPng());
  }

  dispose(): void {
    this.subscription.dispose();
    for (const p of [...this.panels.values()]) p.dispose();
  }
}
