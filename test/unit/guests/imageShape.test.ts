// The image-shape checks catch the corruptions a broken guest build would produce (so passing them means something).
import assert from 'node:assert/strict';
import { loadManifest, readBuilt } from './guestManifest';
import { checkImageShape, findMultibootHeader } from './imageShape';

const manifest = loadManifest();
const built = (name: string) => readBuilt(manifest, manifest.guests.find((g) => g.name === name)!.file).slice();

function indexOf(bytes: Uint8Array, pattern: number[]): number {
  outer: for (let i = 0; i + pattern.length <= bytes.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return i;
  }
  return -1;
}

describe('guest image shape checks', () => {
  it('reject a boot sector without the 55 AA signature or of the wrong size', () => {
    const sector = built('bootsector');
    sector[511] = 0;
    assert.deepEqual(checkImageShape('bootsector', sector), ['boot sector does not end with 55 AA']);
    assert.match(checkImageShape('bootsector', built('bootsector').subarray(0, 510)).join(), /510 bytes/);
  });

  it('reject a Multiboot kernel whose header checksum is wrong', () => {
    const image = built('multiboot-c');
    const at = findMultibootHeader(image);
    assert.ok(at >= 0 && at < 8192 && at % 4 === 0);
    image[at + 8] ^= 1;
    assert.deepEqual(checkImageShape('multiboot', image), ['no valid Multiboot header in the first 8 KiB']);
  });

  it('reject a PVH kernel whose entry note is missing', () => {
    const image = built('pvh64');
    // namesz 4, descsz 4, type 18, "Xen\0": the PHYS32_ENTRY note.
    const note = indexOf(image, [4, 0, 0, 0, 4, 0, 0, 0, 18, 0, 0, 0, 0x58, 0x65, 0x6e, 0]);
    assert.ok(note > 0, 'PVH note not found in pvh64.elf');
    image[note + 8] = 17;
    assert.match(checkImageShape('pvh', image).join(), /no Xen PHYS32_ENTRY note/);
  });

  it('tell the ELF formats apart the way the loader probe order needs', () => {
    assert.match(checkImageShape('elf64', built('pvh64')).join(), /must not carry a PVH entry note/);
    assert.match(checkImageShape('elf64', built('multiboot-c')).join(), /Multiboot header/);
    assert.match(checkImageShape('pvh', built('elf64')).join(), /no Xen PHYS32_ENTRY note/);
    assert.match(checkImageShape('multiboot', built('elf64')).join(), /no valid Multiboot header/);
  });

  it('reject a bzImage with an old protocol, a wrong size or no 64-bit entry', () => {
    const old = built('bzimage');
    old[0x206] = 0x0c; // version 2.12
    assert.deepEqual(checkImageShape('bzimage', old), ['boot protocol older than 2.15']);

    const truncated = built('bzimage').subarray(0, built('bzimage').length - 16);
    assert.match(checkImageShape('bzimage', truncated).join(), /setup_sects and syssize say/);

    const no64 = built('bzimage');
    no64[0x236] &= ~1;
    assert.deepEqual(checkImageShape('bzimage', no64), ['xloadflags lacks XLF_KERNEL_64']);
  });
});
