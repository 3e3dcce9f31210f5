// Watches every message of kvmlab debug sessions and feeds the session router (custom events, stops, output).
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DEBUG_TYPE } from './launchTemplates';
import type { SessionRouter } from './sessionRouter';

export function registerDebugTracker(router: SessionRouter, onSessionStart: (session: vscode.DebugSession) => void): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker(session) {
        return {
          onWillStartSession: () => {
            router.startSession(session.id, session.name);
            onSessionStart(session);
          },
          onWillReceiveMessage: (m) => router.onClientMessage(session.id, m as DebugProtocol.ProtocolMessage),
          onDidSendMessage: (m) => router.onAdapterMessage(session.id, m as DebugProtocol.ProtocolMessage),
          onExit: () => router.endSession(session.id),
        };
      },
    }),
    vscode.debug.onDidTerminateDebugSession((s) => { if (s.type === DEBUG_TYPE) router.endSession(s.id); }),
  );
}
