// ELF reader and symbol table, checked against readelf on fixtures built at test time.
import assert from 'node:assert/strict';
import { ElfFile } from '../../../debug-adapter/src/debugger/symbols/elf/elfFile';
import { SymbolTable, readSymbolSection } from '../../../debug-adapter/src/debugger/symbols/elf/symbolTable';
import { SymbolsError } from '../../../debug-adapter/src/debugger/symbols/errors';
import { join } from 'node:path';
import { SHT_DYNSYM, SHT_SYMTAB } from '../../../debug-adapter/src/debugger/symbols/elf/elfConstants';
import { readelfSymbols } from './helpers/binutils';
import { MATRIX, build, fixtureDir, readBytes, run, variantName } from './helpers/toolchain';

describe('symbols: ELF reader', () => {
  for (const v of MATRIX) {
    it(`matches readelf section headers and symbols (${variantName(v)})`, () => {
      const b = build(v);
      for (const path of [b.elf, b.kernelObj]) {
        const elf = new ElfFile(readBytes(path));
        assert.equal(elf.elfClass, v.bits);
        assert.equal(elf.arch, v.bits === 64 ? 'x86-64' : 'i386');
        const sectionLines = run('readelf', ['-SW', path]).split('\n').filter((l) => /^\s+\[\s*\d+\]/.test(l));
        assert.equal(elf.sections.length, sectionLines.length);
        for (const line of sectionLines) {
          const m = /^\s+\[\s*(\d+)\]\s+(\S*)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)/.exec(line.replace(/\]\s+NULL/, '] <null> NULL'))!;
          const s = elf.sections[Number(m[1])];
          assert.equal(s.name || '<null>', m[2] === 'NULL' ? '<null>' : m[2]);
          assert.equal(s.addr, BigInt('0x' + m[3]), `address of ${s.name}`);
          assert.equal(s.offset, parseInt(m[4], 16), `offset of ${s.name}`);
          assert.equal(s.size, parseInt(m[5], 16), `size of ${s.name}`);
        }
        const ref = readelfSymbols(path);
        const symtab = elf.sections.find((s) => s.type === SHT_SYMTAB)!;
        const ours = readSymbolSection(elf, symtab);
        const refTable = ref.find((t) => t.table === '.symtab')!;
        assert.equal(ours.length, refTable.symbols.length);
        ours.forEach((s, i) => {
          const r = refTable.symbols[i];
          // readelf shows section symbols under their section's name.
          const shown = s.type === 'section' && !s.name ? elf.sections[s.shndx].name : s.name;
          assert.equal(shown, r.name, `symbol ${i} name`);
          assert.equal(s.value, r.value, `${r.name} value`);
          assert.equal(s.size, r.size, `${r.name} size`);
          assert.equal(s.type.toUpperCase(), r.type, `${r.name} type`);
          assert.equal(s.binding.toUpperCase(), r.bind, `${r.name} binding`);
        });
      }
    });
  }

  it('reads .dynsym of a shared object like readelf and merges it with .symtab', () => {
    const b = build({ bits: 64, opt: 2, dwarf: 5 });
    const pic = join(b.dir, 'list-pic.o');
    const so = join(b.dir, 'liblist.so');
    run('gcc', ['-m64', '-O2', '-g', '-fPIC', '-ffreestanding', '-nostdlib', '-c', 'list.c', '-o', pic], fixtureDir());
    run('ld', ['-m', 'elf_x86_64', '-shared', '-o', so, pic]);
    const elf = new ElfFile(readBytes(so));
    const dynsym = elf.sections.find((s) => s.type === SHT_DYNSYM)!;
    const ref = readelfSymbols(so).find((t) => t.table === '.dynsym')!.symbols;
    const ours = readSymbolSection(elf, dynsym);
    assert.deepEqual(ours.map((s) => [s.name, s.value, s.size, s.type.toUpperCase(), s.binding.toUpperCase()]), ref.map((r) => [r.name, r.value, r.size, r.type, r.bind]));
    assert.ok(ours.some((s) => s.name === 'walk'));
    const table = SymbolTable.fromElf(elf, 0x7f0000000000n);
    const walk = table.byName('walk')!;
    assert.equal(table.lookup(walk.address + 1n)?.name, 'walk');
    assert.equal(table.functions().filter((f) => f.name === 'walk').length, 1, '.symtab and .dynsym entries are merged');
  });

  it('looks up functions and objects by address and name, with a bias', () => {
    const b = build({ bits: 64, opt: 0, dwarf: 5 });
    const elf = new ElfFile(b.bytes());
    const plain = SymbolTable.fromElf(elf);
    const ref = readelfSymbols(b.elf).find((t) => t.table === '.symtab')!.symbols;
    const fib = ref.find((s) => s.name === 'fib')!;
    const bias = 0xffffffff80000000n - 0x400000n;
    const biased = SymbolTable.fromElf(elf, bias);

    assert.deepEqual(plain.lookup(fib.value + 3n), { name: 'fib', address: fib.value, offset: 3n, size: fib.size, type: 'func', binding: 'global' });
    assert.equal(biased.lookup(fib.value + bias + 3n)?.name, 'fib');
    assert.equal(biased.lookup(fib.value + bias + 3n)?.address, fib.value + bias);
    assert.equal(biased.byName('fib')?.address, fib.value + bias);
    assert.equal(plain.byName('no_such_symbol'), undefined);

    // Every sized function and object resolves to itself at its first and last byte.
    for (const s of ref.filter((r) => (r.type === 'FUNC' || r.type === 'OBJECT') && r.size > 0)) {
      for (const at of [s.value, s.value + BigInt(s.size) - 1n]) {
        const hit = plain.lookup(at);
        assert.equal(hit?.address, s.value, `lookup(${at.toString(16)}) for ${s.name}`);
      }
    }
    // The functions list is sorted by address and only holds functions.
    const funcs = biased.functions();
    assert.ok(funcs.length >= 6);
    for (let i = 1; i < funcs.length; i++) assert.ok(funcs[i - 1].address <= funcs[i].address);
    assert.ok(funcs.every((f) => f.type === 'func'));
    assert.ok(funcs.some((f) => f.name === 'factorial'));
    // Below every symbol nothing matches.
    assert.equal(plain.lookup(0x1000n), undefined);
  });

  it('prefers sized symbols and globals, and stays within the symbol section', () => {
    const sections = [
      { index: 0, name: '', type: 0, flags: 0, addr: 0n, offset: 0, size: 0, link: 0, info: 0, addralign: 0, entsize: 0 },
      { index: 1, name: '.text', type: 1, flags: 6, addr: 0x1000n, offset: 0, size: 0x100, link: 0, info: 0, addralign: 16, entsize: 0 },
    ];
    const sym = (name: string, value: bigint, size: number, type: 'func' | 'notype' | 'object', binding: 'global' | 'local' | 'weak') =>
      ({ name, value, size, type, binding, visibility: 0, shndx: 1, table: '.symtab' as const });
    const table = new SymbolTable([
      sym('entry_label', 0x1000n, 0, 'notype', 'global'),
      sym('real_entry', 0x1000n, 0x20, 'func', 'global'),
      sym('alias_weak', 0x1000n, 0x20, 'func', 'weak'),
      sym('inner', 0x1010n, 0x8, 'func', 'local'),
      sym('tail', 0x1040n, 0, 'notype', 'local'),
    ], 0n, sections);
    assert.equal(table.lookup(0x1004n)?.name, 'real_entry');
    assert.equal(table.lookup(0x1012n)?.name, 'inner', 'innermost sized symbol wins');
    assert.equal(table.lookup(0x1018n)?.name, 'real_entry');
    assert.equal(table.lookup(0x1030n)?.name, 'inner', 'nearest preceding start when nothing contains the address');
    assert.equal(table.lookup(0x1030n)?.offset, 0x20n);
    assert.equal(table.lookup(0x1050n)?.name, 'tail');
    assert.equal(table.lookup(0x1050n)?.offset, 0x10n);
    assert.equal(table.lookup(0x1100n), undefined, 'past the end of .text');
    assert.equal(table.byName('alias_weak')?.binding, 'weak');
  });

  it('rejects files that are not little-endian ELF with a one-line error', () => {
    assert.throws(() => new ElfFile(new Uint8Array([1, 2, 3])), (e: unknown) => e instanceof SymbolsError && /not an ELF file/.test(e.message));
    const be = new Uint8Array(64);
    be.set([0x7f, 0x45, 0x4c, 0x46, 2, 2]);
    assert.throws(() => new ElfFile(be), /big-endian/);
    const truncated = build({ bits: 32, opt: 0, dwarf: 4 }).bytes().subarray(0, 40);
    assert.throws(() => new ElfFile(truncated), SymbolsError);
  });

  it('decompresses zlib-compressed debug sections (gcc -gz)', () => {
    const plain = new ElfFile(build({ bits: 64, opt: 0, dwarf: 5 }).bytes());
    const zipped = new ElfFile(build({ bits: 64, opt: 0, dwarf: 5, extra: ['-gz'] }).bytes());
    const info = zipped.section('.debug_info')!;
    assert.ok((info.flags & 0x800) !== 0, 'section is flagged compressed');
    for (const name of ['.debug_abbrev', '.debug_line']) {
      assert.deepEqual(zipped.sectionData(zipped.section(name)!), plain.sectionData(plain.section(name)!), name);
    }
    assert.ok(zipped.sectionData(info).length > info.size, 'inflated beyond the stored size');
  });
});
