// package.json's extension contributions agree with the code: commands, settings, activation, packaging.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { COMMANDS } from '../../extension/src/commandIds';
import { ROOT } from './helpers';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('extension manifest', () => {
  it('contributes exactly the commands the extension registers, each titled and categorised', () => {
    const contributed = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(contributed, Object.values(COMMANDS).sort());
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'KVM Lab');
      assert.ok(c.title.length > 3);
    }
    const menuCommands = Object.values(pkg.contributes.menus).flat().map((m: any) => m.command);
    for (const m of menuCommands) assert.ok(contributed.includes(m), `menu item ${m} is a contributed command`);
  });

  it('describes every setting the extension reads', () => {
    const source = readFileSync(join(ROOT, 'extension', 'src', 'settings.ts'), 'utf8');
    const read = [...source.matchAll(/c\.get<[^>]+>\('([\w.]+)'/g)].map((m) => `kvmlab.${m[1]}`).sort();
    assert.ok(read.length >= 10);
    const props = pkg.contributes.configuration.properties;
    assert.deepEqual(Object.keys(props).sort(), read);
    for (const key of read) assert.ok(props[key].description || props[key].markdownDescription, `${key} has a description`);
  });

  it('activates for kvmlab debugging and runs in the workspace extension host', () => {
    for (const e of ['onDebugResolve:kvmlab', 'onDebugDynamicConfigurations:kvmlab']) assert.ok(pkg.activationEvents.includes(e), e);
    assert.deepEqual(pkg.extensionKind, ['workspace']);
    assert.equal(pkg.main, 'dist/extension.js');
  });

  it('points at files that exist: icon, walkthrough media, license', () => {
    assert.ok(existsSync(join(ROOT, pkg.icon)));
    for (const step of pkg.contributes.walkthroughs[0].steps) {
      assert.ok(existsSync(join(ROOT, step.media.markdown)), step.media.markdown);
      for (const e of step.completionEvents ?? []) assert.match(e, /^(onCommand|onContext|onView|onSettingChanged|onLink|extensionInstalled):/, e);
    }
    assert.ok(existsSync(join(ROOT, 'LICENSE')) && existsSync(join(ROOT, 'CHANGELOG.md')));
  });

  it('ships koffi and its Linux binary but not the bundled packages', () => {
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8');
    for (const keep of ['!dist/extension.js', '!dist/debug-adapter.js', '!dist/vcpuWorker.js', '!node_modules/koffi/package.json',
      '!node_modules/@koromix/koffi-linux-x64/linux_x64/**', '!templates/**']) {
      assert.ok(ignore.split('\n').includes(keep), keep);
    }
    assert.ok(!/^!node_modules\/(@vscode|@xterm|pngjs)/m.test(ignore));
  });
});
