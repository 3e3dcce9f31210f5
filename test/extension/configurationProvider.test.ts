// The configuration provider inside a fake VS Code: F5 without launch.json, defaults from settings, checks before launch.
import assert from 'node:assert/strict';
import { join } from 'path';
import { fakeState, installFakeVscode, resetFake } from './fakeVscode';
import { ROOT } from './helpers';

installFakeVscode();
// Loaded after the fake is in place: the provider imports 'vscode' at the top.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const provider = require('../../extension/src/configurationProvider') as typeof import('../../extension/src/configurationProvider');

const GUESTS = join(ROOT, 'build', 'guests');
const uri = (name: string) => ({ fsPath: join(GUESTS, name) });
const folder = { uri: { fsPath: GUESTS }, name: 'guests', index: 0 } as never;

describe('extension configuration provider (fake VS Code)', () => {
  beforeEach(() => resetFake(GUESTS));

  it('boots a kernel image found in the workspace when F5 has no launch.json, with defaults from the settings', async () => {
    fakeState.files = [uri('multiboot-c.elf'), uri('obj/multiboot-c/multiboot-c_kmain.o'), uri('bootsector.bin')];
    fakeState.settings = { 'launch.memory': 256, 'launch.stopOnEntry': false };
    fakeState.pickIndex = 1;
    const config = await new provider.ConfigurationProvider().resolveDebugConfiguration(folder, { type: '', request: '', name: '' });
    assert.deepEqual(fakeState.picks[0].map((p) => p.label), ['bootsector.bin', 'multiboot-c.elf'], 'the object file is not offered');
    assert.deepEqual(config, {
      memory: 256, stopOnEntry: false, serial: 'debugConsole', type: 'kvmlab', request: 'launch',
      name: 'Boot multiboot-c.elf (Multiboot kernel)', kernel: '${workspaceFolder}/multiboot-c.elf', format: 'multiboot', cmdline: '',
    });
  });

  it('says so when there is nothing to boot, offering to create launch.json', async () => {
    fakeState.errorChoice = 'Create launch.json';
    const config = await new provider.ConfigurationProvider().resolveDebugConfiguration(folder, { type: '', request: '', name: '' });
    assert.equal(config, undefined);
    assert.deepEqual(fakeState.errors, [{
      message: 'KVM Lab: no kernel image found in the workspace; build one, or create a launch.json with a "kernel" path.', items: ['Create launch.json'],
    }]);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(fakeState.commands, ['workbench.action.debug.configure']);
  });

  it('keeps explicit fields and fills in the rest', async () => {
    const config = await new provider.ConfigurationProvider().resolveDebugConfiguration(folder,
      { type: 'kvmlab', request: 'launch', name: 'x', kernel: '/k', memory: 32 });
    assert.deepEqual(config, { memory: 32, stopOnEntry: true, serial: 'debugConsole', type: 'kvmlab', request: 'launch', name: 'x', kernel: '/k' });
  });

  it('stops a launch whose kernel is missing, naming the file and offering launch.json', async () => {
    fakeState.errorChoice = 'Open launch.json';
    const p = new provider.ConfigurationProvider();
    const bad = p.resolveDebugConfigurationWithSubstitutedVariables(folder, { type: 'kvmlab', request: 'launch', name: 'x', kernel: '/nope/kernel.elf', memory: 1 });
    assert.equal(bad, undefined);
    assert.deepEqual(fakeState.errors, [{
      message: "KVM Lab: the kernel image '/nope/kernel.elf' does not exist: build it first, or correct 'kernel' in launch.json (and 1 more problem)",
      items: ['Open launch.json'],
    }]);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(fakeState.commands, ['workbench.action.debug.configure']);
    const good = { type: 'kvmlab', request: 'launch', name: 'x', kernel: join(GUESTS, 'multiboot-c.elf') };
    assert.equal(p.resolveDebugConfigurationWithSubstitutedVariables(folder, good), good);
  });

  it('offers one configuration per image, or a template per boot format in an empty workspace', async () => {
    fakeState.files = [uri('elf64.elf'), uri('pvh64.elf')];
    const dynamic = await new provider.DynamicConfigurationProvider().provideDebugConfigurations(folder);
    assert.deepEqual(dynamic.map((c) => [c.name, c.format]), [['Boot elf64.elf (64-bit ELF kernel)', 'elf64'], ['Boot pvh64.elf (PVH kernel)', 'pvh']]);
    fakeState.files = [];
    fakeState.pickIndex = 2;
    const initial = await new provider.ConfigurationProvider().provideDebugConfigurations(folder);
    assert.deepEqual(fakeState.picks[0].map((p) => p.label), ['Multiboot kernel', 'Boot sector', '64-bit ELF kernel', 'PVH kernel', 'Linux bzImage']);
    assert.equal(initial.length, 1);
    assert.equal(initial[0].format, 'elf64');
  });
});
