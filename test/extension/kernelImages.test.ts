// Kernel images recognised among workspace files, and the configurations offered for them.
import assert from 'node:assert/strict';
import { readFileSync } from 'fs';
import { join } from 'path';
import { isBootableCandidate, kernelFormat } from '../../extension/src/kernelImages';
import { configForImage, FORMAT_TEMPLATES } from '../../extension/src/launchTemplates';
import { ROOT } from './helpers';

const guest = (name: string) => new Uint8Array(readFileSync(join(ROOT, 'build', 'guests', name)));

describe('extension kernel image discovery', () => {
  it('recognises the example guests by content', () => {
    assert.equal(kernelFormat(guest('multiboot-c.elf')), 'multiboot');
    assert.equal(kernelFormat(guest('bootsector.bin')), 'bootsector');
    assert.equal(kernelFormat(guest('elf64.elf')), 'elf64');
    assert.equal(kernelFormat(guest('pvh64.elf')), 'pvh');
    assert.equal(kernelFormat(guest('bzimage.bin')), 'bzimage');
  });

  it('skips object files, text and empty files', () => {
    assert.ok(isBootableCandidate(guest('multiboot-c.elf')));
    const objectFile = guest('multiboot-c.elf').slice();
    objectFile[16] = 1; // ET_REL
    assert.equal(isBootableCandidate(objectFile), false);
    assert.equal(isBootableCandidate(new TextEncoder().encode('int main(void) { return 0; }\n')), false);
    assert.equal(isBootableCandidate(new Uint8Array()), false);
  });

  it('offers one configuration per boot format and one per image found', () => {
    assert.deepEqual(FORMAT_TEMPLATES.map((t) => t.format), ['multiboot', 'bootsector', 'elf64', 'pvh', 'bzimage']);
    for (const t of FORMAT_TEMPLATES) {
      assert.equal(t.config.type, 'kvmlab');
      assert.equal(t.config.request, 'launch');
      assert.equal(t.config.format, t.format);
      assert.match(String(t.config.kernel), /^\$\{workspaceFolder\}\//);
    }
    assert.deepEqual(configForImage('out/boot.bin', 'bootsector'), {
      type: 'kvmlab', request: 'launch', name: 'Boot out/boot.bin (Boot sector)', kernel: '${workspaceFolder}/out/boot.bin',
      format: 'bootsector',
    });
  });
});
