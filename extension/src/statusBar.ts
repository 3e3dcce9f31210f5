// Status bar item for the current VM: run state, CPU mode and exits per second while it runs.
import * as vscode from 'vscode';
import { COMMANDS } from './commandIds';
import type { SessionRouter, Subscription } from './sessionRouter';
import { settings } from './settings';
import { statusText, statusTooltip } from './vmStatus';

/** How long the final state of an ended VM stays visible. */
const LINGER_AFTER_END_MS = 15_000;

export class VmStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kvmlab.vmStatus', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: Subscription;
  private hideTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly router: SessionRouter) {
    this.item.name = 'KVM Lab VM';
    this.item.command = COMMANDS.showSerialTerminal;
    this.subscription = router.subscribeAll((id) => this.refresh(id));
  }

  private refresh(changedId: string): void {
    if (!settings().statusBar) {
      this.item.hide();
      return;
    }
    const shown = this.router.activeSession() ?? this.router.session(changedId);
    if (!shown) return;
    this.item.text = statusText(shown);
    this.item.tooltip = statusTooltip(shown);
    this.item.show();
    if (this.hideTimer) clearTimeout(this.hideTimer);
    this.hideTimer = undefined;
    if (shown.state === 'terminated') this.hideTimer = setTimeout(() => this.item.hide(), LINGER_AFTER_END_MS);
  }

  dispose(): void {
    if (this.hideTimer) clearTimeout(this.hideTimer);
    this.subscription.dispose();
    this.item.dispose();
  }
}
