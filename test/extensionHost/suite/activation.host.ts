// In-host tests: the extension activates on its debug type and registers every command it contributes.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEBUG_TYPE, kvmlabExtension, spyOnErrorMessages, waitFor, workspaceFolder } from './hostHelpers';

interface ContributedCommand { command: string; title: string }

describe('KVM Lab extension activation', () => {
  it('is loaded but idle until a kvmlab configuration is resolved, then activates', async () => {
    const ext = kvmlabExtension();
    assert.equal(ext.isActive, false, 'nothing in an idle workbench should activate the extension');
    // Any kvmlab launch fires onDebugResolve:kvmlab; this one stops at the kernel check, before an adapter starts.
    const spy = spyOnErrorMessages();
    try {
      const started = await vscode.debug.startDebugging(workspaceFolder(), {
        type: DEBUG_TYPE, request: 'launch', name: 'activation probe', kernel: '${workspaceFolder}/build/absent-for-activation.elf',
      });
      assert.equal(started, false);
    } finally {
      spy.restore();
    }
    await waitFor(() => ext.isActive, 'the extension to be active', 10_000);
    assert.equal(vscode.debug.activeDebugSession, undefined);
  });

  it('registers every command contributed in package.json', async () => {
    const contributed = (kvmlabExtension().packageJSON.contributes.commands as ContributedCommand[]).map((c) => c.command);
    assert.ok(contributed.length >= 9, `only ${contributed.length} commands contributed`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('contributes the kvmlab debugger with an initial configuration that needs only a kernel', () => {
    const debuggers = kvmlabExtension().packageJSON.contributes.debuggers as { type: string; initialConfigurations: vscode.DebugConfiguration[] }[];
    const kvmlab = debuggers.find((d) => d.type === DEBUG_TYPE);
    assert.ok(kvmlab, 'no kvmlab debugger contribution');
    assert.equal(kvmlab.initialConfigurations.length, 1);
    const [initial] = kvmlab.initialConfigurations;
    assert.equal(initial.type, DEBUG_TYPE);
    assert.equal(initial.request, 'launch');
    assert.match(String(initial.kernel), /^\$\{workspaceFolder\}\//);
  });
});
