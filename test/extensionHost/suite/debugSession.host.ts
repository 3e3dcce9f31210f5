// In-host test: a real kvmlab debug session boots a guest, stops on entry at _start, and leaves no adapter behind.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { adapterProcesses, DEBUG_TYPE, GUEST_RELATIVE, waitFor, workspaceFolder } from './hostHelpers';

const SESSION_NAME = 'Boot multiboot-c (extension-host test)';
/** Booting on a slow nested host plus the adapter's start. */
const STOP_TIMEOUT_MS = 60_000;

interface DapMessage { type: string; event?: string; body?: Record<string, unknown> }

describe('KVM Lab debug session', () => {
  const seen: DapMessage[] = [];
  let tracker: vscode.Disposable | undefined;
  let session: vscode.DebugSession | undefined;

  before(() => {
    tracker = vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker: () => ({ onDidSendMessage: (m: DapMessage) => { seen.push(m); } }),
    });
  });

  after(async () => {
    tracker?.dispose();
    if (session && vscode.debug.activeDebugSession?.id === session.id) await vscode.debug.stopDebugging(session);
  });

  it('boots the guest from a minimal configuration and stops on entry with _start on top of the stack', async () => {
    const started = new Promise<vscode.DebugSession>((resolve) => {
      const sub = vscode.debug.onDidStartDebugSession((s) => { if (s.name === SESSION_NAME) { sub.dispose(); resolve(s); } });
    });
    const ok = await vscode.debug.startDebugging(workspaceFolder(), {
      type: DEBUG_TYPE, request: 'launch', name: SESSION_NAME, kernel: `\${workspaceFolder}/${GUEST_RELATIVE}`,
    });
    assert.equal(ok, true, 'startDebugging refused the configuration');
    session = await started;
    assert.equal(session.type, DEBUG_TYPE);
    // The resolved configuration carries the defaults the provider added.
    assert.equal(session.configuration.stopOnEntry, true);
    assert.equal(session.configuration.memory, 128);

    const stopped = await waitFor(() => seen.find((m) => m.type === 'event' && m.event === 'stopped'), 'the stopped event', STOP_TIMEOUT_MS);
    assert.equal(stopped.body?.reason, 'entry');

    const { threads } = await session.customRequest('threads') as { threads: { id: number }[] };
    assert.ok(threads.length >= 1, 'no threads');
    const { stackFrames } = await session.customRequest('stackTrace', { threadId: threads[0].id, startFrame: 0, levels: 20 }) as
      { stackFrames: { name: string }[] };
    assert.ok(stackFrames.length >= 1, 'empty stack');
    assert.match(stackFrames[0].name, /\b_start\b/);
    assert.equal(adapterProcesses().length, 1, `expected one adapter process:\n${adapterProcesses().join('\n')}`);
  });

  it('stops the session and leaves no adapter process', async () => {
    assert.ok(session, 'the previous test did not start a session');
    const s = session;
    const ended = new Promise<void>((resolve) => {
      const sub = vscode.debug.onDidTerminateDebugSession((t) => { if (t.id === s.id) { sub.dispose(); resolve(); } });
    });
    await vscode.debug.stopDebugging(s);
    await ended;
    session = undefined;
    await waitFor(() => adapterProcesses().length === 0, 'the adapter process to exit', 15_000)
      .catch(() => { throw new Error(`still running:\n${adapterProcesses().join('\n')}`); });
  });
});
