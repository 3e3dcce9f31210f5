// Checks that the launch attributes contributed in package.json match the adapter's LaunchArguments fields.
import assert from 'node:assert/strict';
import { readFileSync } from 'fs';
import { join } from 'path';
import { LAUNCH_FIELDS } from '../../../protocol/launchConfig';

const ROOT = join(__dirname, '..', '..', '..', '..');

describe('package.json debugger contribution', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const dbg = pkg.contributes.debuggers.find((d: { type: string }) => d.type === 'kvmlab');

  it('declares the kvmlab debug type with the bundled adapter', () => {
    assert.equal(dbg.program, './dist/debug-adapter.js');
    assert.equal(dbg.runtime, 'node');
    assert.ok(pkg.activationEvents.includes('onDebugResolve:kvmlab'));
  });

  it('lists exactly the launch fields the adapter knows, each with a description', () => {
    const props = dbg.configurationAttributes.launch.properties;
    assert.deepEqual(Object.keys(props).sort(), [...LAUNCH_FIELDS].sort());
    for (const [name, p] of Object.entries(props)) assert.ok((p as { description?: string }).description, `${name} has no description`);
    assert.deepEqual(dbg.configurationAttributes.launch.required, ['kernel']);
  });
});
