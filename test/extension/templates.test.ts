// "New VM from Template": every template scaffolds into an empty folder, builds with its script, and boots to its greeting.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { listTemplates, planScaffold, scaffold, ScaffoldError, targetName } from '../../extension/src/scaffold';
import { kernelFormat } from '../../extension/src/kernelImages';
import { ROOT } from './helpers';

const TEMPLATES = join(ROOT, 'templates');
/** What each template's kernel prints first, and the image its launch.json boots. */
const EXPECTED: Record<string, { image: string; format: string; greeting: string }> = {
  bootSector: { image: 'build/boot.bin', format: 'bootsector', greeting: 'Hello from my boot sector!\r\n' },
  multibootC: { image: 'build/kernel.elf', format: 'multiboot', greeting: 'Hello from my Multiboot kernel!\r\n' },
  kernel64: { image: 'build/kernel64.elf', format: 'elf64', greeting: 'Hello from my 64-bit kernel!\r\n' },
};

describe('extension project templates', () => {
  let work: string;
  before(() => { work = mkdtempSync(join(tmpdir(), 'kvmlab-templates-')); });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('lists the three templates in their menu order', () => {
    assert.deepEqual(listTemplates(TEMPLATES).map((t) => t.id), ['bootSector', 'multibootC', 'kernel64']);
    for (const t of listTemplates(TEMPLATES)) {
      assert.ok(t.label && t.description, `${t.id} has a label and description`);
      assert.ok(existsSync(join(TEMPLATES, t.id, t.open)), `${t.id} opens an existing file`);
    }
  });

  it('maps stored dot-names to dot files and refuses to overwrite', () => {
    assert.equal(targetName('dot-vscode/launch.json'), join('.vscode', 'launch.json'));
    assert.equal(targetName('dot-gitignore'), '.gitignore');
    const dir = join(work, 'conflict');
    mkdirSync(join(dir, '.vscode'), { recursive: true });
    writeFileSync(join(dir, '.vscode', 'launch.json'), '{}');
    assert.deepEqual(planScaffold(join(TEMPLATES, 'multibootC'), dir).conflicts, [join('.vscode', 'launch.json')]);
    assert.throws(() => scaffold(join(TEMPLATES, 'multibootC'), dir),
      (e: Error) => e instanceof ScaffoldError && e.message === `'${dir}' already has ${join('.vscode', 'launch.json')}; choose an empty folder, or move those files away`);
    assert.equal(readFileSync(join(dir, '.vscode', 'launch.json'), 'utf8'), '{}', 'nothing was written');
  });

  for (const [id, expected] of Object.entries(EXPECTED)) {
    it(`${id}: scaffolds, builds and boots to its greeting`, () => {
      const dir = join(work, id);
      const written = scaffold(join(TEMPLATES, id), dir);
      assert.ok(written.includes(join('.vscode', 'launch.json')) && written.includes('.gitignore') && written.includes('build.sh'));
      assert.ok(!written.includes('template.json'));
      const launch = JSON.parse(readFileSync(join(dir, '.vscode', 'launch.json'), 'utf8')).configurations[0];
      assert.equal(launch.type, 'kvmlab');
      assert.equal(launch.kernel, `\${workspaceFolder}/${expected.image}`);
      assert.equal(launch.preLaunchTask, 'build');
      const tasks = JSON.parse(readFileSync(join(dir, '.vscode', 'tasks.json'), 'utf8')).tasks;
      assert.equal(tasks[0].label, 'build');

      execFileSync('sh', [join(dir, 'build.sh')], { stdio: 'pipe' });
      const image = join(dir, expected.image);
      assert.equal(kernelFormat(new Uint8Array(readFileSync(image))), expected.format);
      const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'kvmlab.js'), 'run', image, '--timeout', '60'], { encoding: 'utf8', timeout: 90_000 });
      assert.ok(run.stdout.startsWith(expected.greeting), `serial output: ${JSON.stringify(run.stdout)} ${run.stderr}`);
      assert.equal(run.status, 1, 'the guest ended through isa-debug-exit with code 0');
    });
  }
});
