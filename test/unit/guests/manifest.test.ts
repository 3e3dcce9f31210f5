// The guest manifest is complete and consistent, and every image it lists was built with its declared shape.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readElf } from './elfReader';
import { builtDir, loadManifest, readBuilt, REPO_ROOT, type GuestEntry } from './guestManifest';
import { checkImageShape, GUEST_FORMATS, type GuestFormat } from './imageShape';

const manifest = loadManifest();
const EXIT_KINDS = ['debugExit', 'halt', 'tripleFault', 'none'];
const KNOWN_NEEDS = ['irqchip', 'pit'];
/** Folders under guests/ that hold shared code rather than a guest. */
const SHARED_FOLDERS = ['common'];

function expectedStatus(g: GuestEntry): number | null {
  switch (g.exit) {
    case 'debugExit':
      return (((g.exitCode ?? 0) << 1) | 1) & 0xff;
    case 'halt':
      return 0;
    case 'tripleFault':
      return 2;
    case 'none':
      return null;
  }
}

describe('guest manifest', () => {
  it('names the build directory and at least one guest', () => {
    assert.equal(manifest.version, 1);
    assert.equal(manifest.directory, 'build/guests');
    assert.ok(manifest.guests.length > 0);
  });

  it('gives every guest a unique name and the fields integration tests read', () => {
    const names = new Set<string>();
    for (const g of manifest.guests) {
      assert.ok(/^[a-z0-9][a-z0-9-]*$/i.test(g.name), `bad name ${g.name}`);
      assert.ok(!names.has(g.name), `duplicate name ${g.name}`);
      names.add(g.name);
      assert.ok(GUEST_FORMATS.includes(g.format as GuestFormat), `${g.name}: unknown format ${g.format}`);
      for (const key of ['file', 'symbols', 'source', 'cmdline', 'notes'] as const) {
        assert.equal(typeof g[key], 'string', `${g.name}: ${key} must be a string`);
      }
      assert.ok(g.notes.length > 0, `${g.name}: notes are empty`);
      assert.ok(Array.isArray(g.symbolNames) && g.symbolNames.length > 0, `${g.name}: symbolNames must list symbols`);
      assert.ok(Array.isArray(g.needs) && g.needs.every((n) => KNOWN_NEEDS.includes(n)), `${g.name}: unknown needs`);
    }
  });

  it('declares exit statuses that follow the exit convention', () => {
    for (const g of manifest.guests) {
      assert.ok(EXIT_KINDS.includes(g.exit), `${g.name}: unknown exit kind ${g.exit}`);
      if (g.exit === 'debugExit') {
        assert.ok(Number.isInteger(g.exitCode) && g.exitCode! >= 0 && g.exitCode! <= 0xff, `${g.name}: exitCode must be a byte`);
      } else {
        assert.equal(g.exitCode, null, `${g.name}: only debugExit guests have an exitCode`);
      }
      assert.equal(g.exitStatus, expectedStatus(g), `${g.name}: exitStatus does not follow from exit ${g.exit}`);
    }
  });

  it('gives each serial expectation exactly one form, with anchored patterns that compile', () => {
    for (const g of manifest.guests) {
      assert.ok((g.serial === undefined) !== (g.serialPattern === undefined), `${g.name}: give serial or serialPattern, not both`);
      if (g.serialPattern !== undefined) {
        assert.ok(g.serialPattern.startsWith('^') && g.serialPattern.endsWith('$'), `${g.name}: pattern must match the whole output`);
        assert.doesNotThrow(() => new RegExp(g.serialPattern!), `${g.name}: pattern does not compile`);
      }
      // Guests that print their command line must be run with the one the expectation names. Multiboot kernels
      // see it after their own file name, as GRUB and QEMU pass it.
      const expectation = g.serial ?? g.serialPattern!;
      if (expectation.includes('cmdline=')) {
        const shown = g.format === 'multiboot' ? ` ${g.cmdline}` : `cmdline=${g.cmdline}`;
        assert.ok(expectation.includes(shown), `${g.name}: cmdline mismatch`);
      }
    }
  });

  it('has an entry for every guest source folder, and every source folder exists', () => {
    const guestsRoot = join(REPO_ROOT, 'guests');
    const folders = readdirSync(guestsRoot).filter((f) => statSync(join(guestsRoot, f)).isDirectory() && !SHARED_FOLDERS.includes(f));
    const sources = new Set(manifest.guests.map((g) => g.source));
    for (const folder of folders) assert.ok(sources.has(`guests/${folder}`), `guests/${folder} has no manifest entry`);
    for (const source of sources) assert.ok(statSync(join(REPO_ROOT, source)).isDirectory(), `${source} does not exist`);
  });

  it('describes the boot sector VGA banner inside the 80x25 text screen', () => {
    const vga = manifest.guests.find((g) => g.name === 'bootsector')?.vga;
    assert.ok(vga, 'bootsector has no vga expectation');
    assert.ok(vga.column + vga.text.length <= 80 && vga.row < 25 && vga.cursorRow < 25);
    assert.ok(vga.attribute >= 0 && vga.attribute <= 0xff);
  });
});

describe('built guests (npm run guests)', () => {
  const files = new Map<string, string>();
  for (const g of manifest.guests) files.set(g.file, g.format);

  for (const [file, format] of files) {
    it(`${file} has the ${format} image shape`, () => {
      assert.deepEqual(checkImageShape(format as GuestFormat, readBuilt(manifest, file)), []);
    });
  }

  for (const g of manifest.guests) {
    it(`${g.name}: ${g.symbols} defines ${g.symbolNames.join(', ')}`, () => {
      const symbols = readElf(readBuilt(manifest, g.symbols)).symbols;
      const missing = g.symbolNames.filter((s) => !symbols.has(s));
      assert.deepEqual(missing, []);
    });
  }

  it('lists every image in the build directory', () => {
    const listed = new Set(manifest.guests.flatMap((g) => [g.file, g.symbols]));
    const dir = builtDir(manifest);
    // Fails with the "run npm run guests" hint when nothing was built yet.
    readBuilt(manifest, manifest.guests[0].file);
    const built = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
    assert.deepEqual(built.filter((f) => !listed.has(f)), []);
  });
});
