// Line programs (DWARF 3/4/5) decoded row by row and compared with objdump --dwarf=decodedline.
import assert from 'node:assert/strict';
import { LineIndex } from '../../../debug-adapter/src/debugger/symbols/dwarf/line/lineIndex';
import { readLineTable } from '../../../debug-adapter/src/debugger/symbols/dwarf/line/lineProgram';
import { baseName } from '../../../debug-adapter/src/debugger/symbols/paths';
import { decodedLines } from './helpers/binutils';
import { Bytes } from './helpers/dwarfBuilder';

const DW_LNCT_PATH = 1;
const DW_LNCT_DIRECTORY_INDEX = 2;
const DW_LNCT_MD5 = 5;
import { openDwarf } from './helpers/openDwarf';
import { MATRIX, Variant, build, fixtureDir, variantName } from './helpers/toolchain';

function compareRows(v: Variant, path: string): void {
  const { reader, problems } = openDwarf(path);
  const index = new LineIndex(reader, problems);
  const ours = index.tables().flatMap((t) => t.rows.map((r) => ({ r, file: t.header.files[r.file] })));
  const ref = decodedLines(path);
  assert.ok(ref.length > 20, 'objdump printed rows');
  assert.equal(ours.length, ref.length, `${variantName(v)}: row count`);
  ours.forEach(({ r, file }, i) => {
    const e = ref[i];
    const where = `${variantName(v)} row ${i} (${e.file}:${e.line ?? '-'} @${e.address.toString(16)})`;
    assert.equal(r.address, e.address, `${where}: address`);
    assert.equal(r.endSequence, e.line === undefined, `${where}: end_sequence`);
    if (e.line === undefined) return;
    assert.equal(r.line, e.line, `${where}: line`);
    assert.equal(r.isStmt, e.isStmt, `${where}: is_stmt`);
    assert.equal(baseName(file!.path), baseName(e.file), `${where}: file`);
  });
  assert.deepEqual(problems.messages, []);
}

describe('symbols: DWARF line programs vs objdump', () => {
  for (const v of MATRIX) {
    it(`every decoded row matches (${variantName(v)})`, () => compareRows(v, build(v).elf));
  }
  it('every decoded row matches for DWARF 3 (strict)', () => {
    const v: Variant = { bits: 64, opt: 2, dwarf: 3, extra: ['-gstrict-dwarf'] };
    compareRows(v, build(v).elf);
  });
  it('every decoded row matches for 64-bit DWARF line units', () => {
    const v: Variant = { bits: 64, opt: 2, dwarf: 5, extra: ['-gdwarf64'] };
    compareRows(v, build(v).elf);
  });
  it('every decoded row matches in a relocatable object', () => {
    const v: Variant = { bits: 32, opt: 2, dwarf: 5 };
    compareRows(v, build(v).kernelObj);
  });

  it('resolves file entries to absolute paths and keeps DWARF 5 MD5 checksums', () => {
    for (const dwarf of [4, 5] as const) {
      const { reader, problems } = openDwarf(build({ bits: 64, opt: 0, dwarf }).elf);
      const index = new LineIndex(reader, problems);
      const files = index.sourceFiles();
      assert.deepEqual(files, ['cfi.c', 'kernel.c', 'list.c', 'shapes.h'].map((f) => `${fixtureDir()}/${f}`), `DWARF ${dwarf}`);
      const table = index.tables()[0];
      if (dwarf === 5) {
        assert.equal(table.header.version, 5);
        assert.ok(table.header.files.every((f) => f?.md5 === undefined || f.md5.length === 16));
      } else {
        assert.equal(table.header.version, 4);
        assert.equal(table.header.files[0]?.path, `${fixtureDir()}/kernel.c`, 'file 0 is the unit itself');
      }
    }
  });

  it('decodes a hand-built DWARF 5 header: entry formats, line_strp directories, MD5 and udata indexes', () => {
    const lineStr = new Bytes().str('/build').str('include').build(); // offsets 0 and 7
    const md5 = Array.from({ length: 16 }, (_, i) => 0xa0 + i);
    const header = new Bytes()
      .u8(1, 1, 1, 0xfb, 14, 13).u8(0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1)
      .u8(1).uleb(DW_LNCT_PATH).uleb(0x1f) // directories: path as line_strp
      .uleb(2).u32(0).u32(7)
      .u8(3).uleb(DW_LNCT_PATH).uleb(0x08).uleb(DW_LNCT_DIRECTORY_INDEX).uleb(0x0f).uleb(DW_LNCT_MD5).uleb(0x1e)
      .uleb(2).str('main.c').uleb(0).bytes(md5).str('defs.h').uleb(1).bytes(md5);
    const program = new Bytes().u8(0, 9, 2).u64(0x2000n).u8(0x04, 1, 0x01).u8(0x21).u8(0, 1, 1);
    const body = new Bytes().u16(5).u8(8, 0).u32(header.length).bytes(header.out).bytes(program.out);
    const unit = new Bytes().u32(body.length).bytes(body.out).build();
    const table = readLineTable(unit, 0, {
      addressSize: 8,
      string: (v) => (v.kind === 'strp' ? new TextDecoder().decode(lineStr.subarray(v.offset, lineStr.indexOf(0, v.offset))) : v.kind === 'string' ? v.value : undefined),
    });
    assert.equal(table.error, undefined);
    assert.deepEqual(table.header.dirs, ['/build', 'include']);
    assert.deepEqual(table.header.files.map((f) => f?.path), ['/build/main.c', '/build/include/defs.h']);
    assert.deepEqual([...table.header.files[1]!.md5!], md5);
    // set_file 1 (0-based in DWARF 5): defs.h; a special opcode then advances address and line.
    assert.deepEqual(table.rows.map((r) => [Number(r.address), r.file, r.line, r.endSequence]), [
      [0x2000, 1, 1, false], [0x2001, 1, 2, false], [0x2001, 1, 2, true],
    ]);
  });

  it('decodes a hand-built DWARF 4 program: special, extended and standard opcodes', () => {
    // Header: version 4, min_inst 1, max_ops 1, default_is_stmt 1, line_base -5, line_range 14, opcode_base 13.
    const dirs = [...Buffer.from('inc\0'), 0];
    const files = [...Buffer.from('a.c\0'), 0, 0, 0, ...Buffer.from('b.h\0'), 1, 0, 0, 0];
    const headerRest = [1, 1, 1, 0xfb, 14, 13, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, ...dirs, ...files];
    const program = [
      0, 9, 2, 0x00, 0x10, 0, 0, 0, 0, 0, 0, // set_address 0x1000
      0x05, 3, // set_column 3
      0x01, // copy: row 1 @0x1000 line 1
      0x03, 9, // advance_line +9 -> 10
      13 + (2 * 14) + (0 + 5), // special: addr +2, line +0 -> row @0x1002 line 10
      0x06, // negate_stmt
      0, 2, 4, 7, // set_discriminator 7
      0x09, 0x10, 0x00, // fixed_advance_pc 16
      0x01, // copy: row @0x1012 line 10, not stmt, discriminator 7
      0x04, 2, // set_file 2
      0x08, // const_add_pc: +17
      0x0a, // set_prologue_end
      0x01, // copy: row @0x1023 file 2
      0x02, 4, // advance_pc 4
      0, 1, 1, // end_sequence @0x1027
    ];
    const headerLength = headerRest.length;
    const body = [4, 0, headerLength & 0xff, 0, 0, 0, ...headerRest, ...program];
    const unit = new Uint8Array([body.length & 0xff, body.length >> 8, 0, 0, ...body]);
    const table = readLineTable(unit, 0, { compDir: '/src', unitName: 'a.c', addressSize: 8, string: () => undefined });
    assert.equal(table.error, undefined);
    const rows = table.rows.map((r) => [Number(r.address), r.file, r.line, r.column, r.isStmt, r.discriminator, r.prologueEnd, r.endSequence]);
    assert.deepEqual(rows, [
      [0x1000, 1, 1, 3, true, 0, false, false],
      [0x1002, 1, 10, 3, true, 0, false, false],
      [0x1012, 1, 10, 3, false, 7, false, false],
      [0x1023, 2, 10, 3, false, 0, true, false],
      [0x1027, 2, 10, 3, false, 0, false, true],
    ]);
    assert.equal(table.header.files[2]?.path, '/src/inc/b.h');
    assert.deepEqual(table.sequences, [{ low: 0x1000n, high: 0x1027n, first: 0, last: 4 }]);
  });
});
