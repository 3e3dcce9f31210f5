// In-host tests: the configuration provider with the real workspace API, and the launch checks VS Code runs before an adapter starts.
import assert from 'node:assert/strict';
import { join } from 'path';
import * as vscode from 'vscode';
import { ConfigurationProvider, DynamicConfigurationProvider } from '../../../extension/src/configurationProvider';
import { DEBUG_TYPE, GUEST_RELATIVE, spyOnErrorMessages, waitFor, workspaceFolder } from './hostHelpers';

describe('KVM Lab launch configurations', () => {
  it('offers the kernel image found in the workspace as the initial configuration', async () => {
    const configs = await new ConfigurationProvider().provideDebugConfigurations(workspaceFolder());
    assert.equal(configs.length, 1, JSON.stringify(configs));
    const [c] = configs;
    assert.equal(c.type, DEBUG_TYPE);
    assert.equal(c.request, 'launch');
    assert.equal(c.kernel, `\${workspaceFolder}/${GUEST_RELATIVE}`);
    assert.equal(c.format, 'multiboot');
    assert.equal(typeof c.name, 'string');
  });

  it('lists the same image as a dynamic configuration', async () => {
    const configs = await new DynamicConfigurationProvider().provideDebugConfigurations(workspaceFolder());
    assert.deepEqual(configs.map((c) => c.kernel), [`\${workspaceFolder}/${GUEST_RELATIVE}`]);
  });

  it('fills the defaults from the settings into a minimal configuration', async () => {
    const minimal = { type: DEBUG_TYPE, request: 'launch', name: 'minimal', kernel: '${workspaceFolder}/build/kernel.elf' };
    const resolved = await new ConfigurationProvider().resolveDebugConfiguration(workspaceFolder(), { ...minimal });
    assert.ok(resolved);
    const settings = vscode.workspace.getConfiguration('kvmlab.launch');
    assert.equal(resolved.memory, settings.get('memory'));
    assert.equal(resolved.memory, 128);
    assert.equal(resolved.stopOnEntry, true);
    assert.equal(resolved.serial, 'debugConsole');
    assert.equal(resolved.kernel, minimal.kernel);
  });

  it('turns F5 without a launch.json into a configuration for the only kernel image', async () => {
    const resolved = await new ConfigurationProvider().resolveDebugConfiguration(workspaceFolder(), { type: '', request: '', name: '' });
    assert.ok(resolved);
    assert.equal(resolved.type, DEBUG_TYPE);
    assert.equal(resolved.kernel, `\${workspaceFolder}/${GUEST_RELATIVE}`);
    assert.equal(resolved.stopOnEntry, true);
  });

  it('refuses to launch a missing kernel with one line naming the file and what to do', async () => {
    const spy = spyOnErrorMessages();
    try {
      const started = await vscode.debug.startDebugging(workspaceFolder(), {
        type: DEBUG_TYPE, request: 'launch', name: 'missing kernel', kernel: '${workspaceFolder}/build/no-such-kernel.elf',
      });
      assert.equal(started, false, 'the launch should have been refused');
      const message = await waitFor(() => spy.messages.find((m) => m.startsWith('KVM Lab:')), 'the error notification', 10_000);
      const expectedPath = join(workspaceFolder().uri.fsPath, 'build', 'no-such-kernel.elf');
      assert.equal(message, `KVM Lab: the kernel image '${expectedPath}' does not exist: build it first, or correct 'kernel' in launch.json`);
      assert.ok(!message.includes('\n'), 'the message must be one line');
    } finally {
      spy.restore();
    }
    assert.equal(vscode.debug.activeDebugSession, undefined);
  });
});
