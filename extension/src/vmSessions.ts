// The kvmlab debug sessions that are alive, and which one a command acts on.
import * as vscode from 'vscode';
import { DEBUG_TYPE } from './launchTemplates';

export class VmSessions {
  private readonly live = new Map<string, vscode.DebugSession>();

  add(session: vscode.DebugSession): void { this.live.set(session.id, session); }
  remove(id: string): void { this.live.delete(id); }
  get(id: string): vscode.DebugSession | undefined { return this.live.get(id); }

  /** The focused kvmlab session, the only one, or the user's choice; undefined (after saying so) when none runs. */
  async pick(purpose: string): Promise<vscode.DebugSession | undefined> {
    const active = vscode.debug.activeDebugSession;
    if (active?.type === DEBUG_TYPE && this.live.has(active.id)) return active;
    const all = [...this.live.values()];
    if (all.length === 1) return all[0];
    if (all.length === 0) {
      void vscode.window.showErrorMessage(`KVM Lab: no VM is running to ${purpose}; start one with Run > Start Debugging (F5).`);
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(all.map((s) => ({ label: s.name, session: s })), { title: `KVM Lab: ${purpose} of which VM?` });
    return pick?.session;
  }
}
