// CFI parsing and rule execution: every row of readelf's frames-interp tables, plus hand-built records.
import assert from 'node:assert/strict';
import { ElfFile } from '../../../debug-adapter/src/debugger/symbols/elf/elfFile';
import { applyDebugRelocations } from '../../../debug-adapter/src/debugger/symbols/elf/relocations';
import { ProblemLog, SymbolsError } from '../../../debug-adapter/src/debugger/symbols/errors';
import { collectSections } from '../../../debug-adapter/src/debugger/symbols/dwarf/sections';
import { DwarfArch, dwarfRegisterNumber } from '../../../debug-adapter/src/debugger/symbols/dwarfRegisters';
import { RegisterRule, UnwindRow, rowForPc, unwindRows } from '../../../debug-adapter/src/debugger/symbols/unwind/cfaMachine';
import { CfiTable, parseCfi } from '../../../debug-adapter/src/debugger/symbols/unwind/cfiParser';
import { cfiTablesFrom } from '../../../debug-adapter/src/debugger/symbols/unwind/cfiTables';
import { RefFrameEntry, framesInterp } from './helpers/binutils';
import { MATRIX, Variant, build, readBytes, variantName } from './helpers/toolchain';

function loadTables(path: string): { eh?: CfiTable; debug?: CfiTable; arch: DwarfArch; problems: ProblemLog } {
  const elf = new ElfFile(readBytes(path));
  const problems = new ProblemLog();
  applyDebugRelocations(elf, problems);
  const t = cfiTablesFrom(collectSections(elf, problems), elf.addressSize, problems);
  return { eh: t.ehFrame, debug: t.debugFrame, arch: elf.arch!, problems };
}

function cell(rule: RegisterRule | undefined, arch: DwarfArch): string {
  if (!rule || rule.kind === 'undefined') return 'u';
  switch (rule.kind) {
    case 'sameValue': return 's';
    case 'offset': return `c${rule.offset >= 0n ? '+' : ''}${rule.offset}`;
    case 'valOffset': return `v${rule.offset >= 0n ? '+' : ''}${rule.offset}`;
    case 'register': return `r${rule.reg}`;
    case 'expression': return 'exp';
    case 'valExpression': return 'vexp';
  }
  void arch;
}

function cfaCell(row: UnwindRow, arch: DwarfArch): string {
  if (row.cfa.kind === 'expression') return 'exp';
  const names = arch === 'x86-64' ? ['rax', 'rdx', 'rcx', 'rbx', 'rsi', 'rdi', 'rbp', 'rsp'] : ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
  const o = row.cfa.offset;
  return `${names[row.cfa.reg] ?? 'r' + row.cfa.reg}${o >= 0n ? '+' : ''}${o}`;
}

function compareWithReadelf(v: Variant, path: string, section: '.eh_frame' | '.debug_frame'): number {
  const { eh, debug, arch, problems } = loadTables(path);
  const table = section === '.eh_frame' ? eh : debug;
  assert.ok(table, `${section} parsed`);
  const ref = framesInterp(path, section);
  const refFdes = ref.filter((e) => e.kind === 'FDE');
  assert.equal(table!.fdes.length, refFdes.length, 'FDE count');
  assert.equal(table!.cies.size, ref.filter((e) => e.kind === 'CIE').length, 'CIE count');
  const byOffset = new Map(table!.fdes.map((f) => [f.offset, f]));
  let checked = 0;
  for (const r of refFdes) {
    const fde = byOffset.get(r.offset);
    const where = `${variantName(v)} ${section} FDE ${r.offset.toString(16)}`;
    assert.ok(fde, `${where}: found`);
    assert.equal(fde!.pcLow, r.pcLow, `${where}: pc low`);
    assert.equal(fde!.pcHigh, r.pcHigh, `${where}: pc high`);
    // An FDE without instructions inherits its CIE's table, which readelf prints under the CIE.
    const rows = r.rows.length > 0 ? r.rows : ref.find((e: RefFrameEntry) => e.kind === 'CIE' && e.offset === r.cieOffset)!.rows.map((x) => ({ ...x, loc: r.pcLow! }));
    for (const row of rows) {
      const ours = rowForPc(fde!, row.loc);
      assert.ok(ours, `${where}: row at ${row.loc.toString(16)}`);
      assert.equal(cfaCell(ours!, arch), row.cfa, `${where} @${row.loc.toString(16)}: CFA`);
      for (const [col, expected] of row.regs) {
        const num: number = col === 'ra' ? fde!.cie.raReg : dwarfRegisterNumber(arch, col)!;
        const want = expected.replace(/ \(.*\)$/, '');
        assert.equal(cell(ours!.regs.get(num), arch), want, `${where} @${row.loc.toString(16)}: ${col}`);
      }
      checked++;
    }
  }
  assert.deepEqual(problems.messages, []);
  return checked;
}

describe('symbols: CFI vs readelf frames-interp', () => {
  for (const v of MATRIX) {
    it(`.eh_frame rows (${variantName(v)})`, () => {
      assert.ok(compareWithReadelf(v, build(v).elf, '.eh_frame') > 20);
    });
  }
  for (const bits of [32, 64] as const) {
    const v: Variant = { bits, opt: 2, dwarf: 5, frames: 'debug' };
    it(`.debug_frame rows in a linked image and a relocatable object (${variantName(v)})`, () => {
      assert.ok(compareWithReadelf(v, build(v).elf, '.debug_frame') > 20);
      assert.ok(compareWithReadelf(v, build(v).kernelObj, '.debug_frame') > 10);
    });
  }

  it('reads the zPLR and zRS augmentations of the hand-written fixture', () => {
    for (const bits of [32, 64] as const) {
      const { eh } = loadTables(build({ bits, opt: 0, dwarf: 5 }).elf);
      const cies = [...eh!.cies.values()];
      const plr = cies.find((c) => c.augmentation === 'zPLR')!;
      assert.ok(plr, 'zPLR CIE present');
      assert.equal(plr.personality?.indirect, true);
      assert.equal(plr.lsdaEncoding, 0x1b);
      assert.equal(plr.fdeEncoding, 0x1b);
      const fdeWithLsda = eh!.fdes.find((f) => f.cie === plr)!;
      assert.ok(fdeWithLsda.lsda && fdeWithLsda.lsda.value > fdeWithLsda.pcLow, 'LSDA points into .rodata, above the code');
      assert.ok(cies.some((c) => c.augmentation === 'zRS' && c.signalFrame));
    }
  });

  it('executes every rule kind on hand-built .debug_frame records', () => {
    // CIE: version 4, address size 8, code align 1, data align -8, RA column 16,
    // initial: def_cfa rsp+8, offset r16 at cfa-8.
    const cie = [0x04, 0x00, 0x08, 0x00, 0x01, 0x78, 0x10, 0x0c, 0x07, 0x08, 0x90, 0x01];
    const fdeInstr = [
      0x41, // advance_loc 1
      0x0e, 0x10, // def_cfa_offset 16
      0x86, 0x02, // offset r6 at cfa-16
      0x02, 0x03, // advance_loc1 3 -> 4
      0x0d, 0x06, // def_cfa_register r6
      0x03, 0x10, 0x00, // advance_loc2 16 -> 0x14
      0x05, 0x03, 0x03, // offset_extended r3 at cfa-24
      0x11, 0x0c, 0x7d, // offset_extended_sf r12 at cfa+24 (-3 * -8)
      0x2f, 0x0d, 0x01, // GNU_negative_offset_extended r13 at cfa+8
      0x15, 0x0e, 0x7f, // val_offset_sf r14 = cfa+8
      0x0a, // remember_state
      0x04, 0x08, 0x00, 0x00, 0x00, // advance_loc4 8 -> 0x1c
      0x12, 0x07, 0x7e, // def_cfa_sf rsp + 16 (-2 * -8)
      0x07, 0x03, // undefined r3
      0x08, 0x0c, // same_value r12
      0x09, 0x0d, 0x00, // register r13 in r0
      0x2e, 0x20, // GNU_args_size 32
      0x01, 0x30, 0x10, 0, 0, 0, 0, 0, 0, // set_loc 0x1030
      0x0b, // restore_state
      0x06, 0x03, // restore_extended r3 (no initial rule: removed)
      0xc6, // restore r6 (no initial rule)
      0x13, 0x7c, // def_cfa_offset_sf 32 (-4 * -8)
      0x42, // advance_loc 2 -> 0x1032
      0x0f, 0x02, 0x77, 0x08, // def_cfa_expression breg7 8
      0x10, 0x06, 0x02, 0x76, 0x00, // expression r6: breg6 0
      0x16, 0x03, 0x01, 0x30, // val_expression r3: lit0
      0x14, 0x0f, 0x02, // val_offset r15 = cfa-16
    ];
    const table = parseCfi({ kind: 'debug_frame', bytes: debugFrame(cie, fdeInstr, 0x1000n, 0x40n), bases: { addressSize: 8, sectionAddr: 0n } }, new ProblemLog());
    const rows = unwindRows(table.fdes[0]);
    const show = (r: UnwindRow) => [
      Number(r.loc), r.cfa.kind === 'regOffset' ? `${r.cfa.reg}+${r.cfa.offset}` : 'exp',
      [...r.regs].sort((a, b) => a[0] - b[0]).map(([k, x]) => `${k}:${x.kind}${'offset' in x ? x.offset : 'reg' in x ? x.reg : ''}`).join(' '),
      r.argsSize ?? null,
    ];
    assert.deepEqual(rows.map(show), [
      [0x1000, '7+8', '16:offset-8', null],
      [0x1001, '7+16', '6:offset-16 16:offset-8', null],
      [0x1004, '6+16', '6:offset-16 16:offset-8', null],
      [0x1014, '6+16', '3:offset-24 6:offset-16 12:offset24 13:offset8 14:valOffset8 16:offset-8', null],
      [0x101c, '7+16', '3:undefined 6:offset-16 12:sameValue 13:register0 14:valOffset8 16:offset-8', 32n],
      [0x1030, '6+32', '12:offset24 13:offset8 14:valOffset8 16:offset-8', null],
      [0x1032, 'exp', '3:valExpression 6:expression 12:offset24 13:offset8 14:valOffset8 15:valOffset-16 16:offset-8', null],
    ]);
    assert.equal(rowForPc(table.fdes[0], 0x1033n)?.loc, 0x1032n);
    assert.equal(rowForPc(table.fdes[0], 0x1040n), undefined, 'past the FDE');
  });

  it('decodes eh_frame pointer encodings: absptr, udata4, sdata8, datarel, textrel, aligned', () => {
    const cases: { enc: number; bytes: number[]; expect: bigint }[] = [
      { enc: 0x00, bytes: le(0x401000n, 8), expect: 0x401000n },
      { enc: 0x03, bytes: le(0x401000n, 4), expect: 0x401000n },
      { enc: 0x0c, bytes: le(0x401000n, 8), expect: 0x401000n },
      { enc: 0x30 | 0x0b, bytes: le(BigInt.asUintN(32, -0x100n), 4), expect: 0x600000n - 0x100n },
      { enc: 0x20 | 0x03, bytes: le(0x10n, 4), expect: 0x401010n },
    ];
    for (const c of cases) {
      // CIE "zR" with the encoding under test, then one FDE using it.
      const cieBody = [0, 0, 0, 0, 1, ...Buffer.from('zR\0'), 1, 0x78, 16, 1, c.enc, 0x0c, 7, 8];
      const cieRec = [...le(BigInt(cieBody.length), 4), ...cieBody];
      const fdeBody = [...le(BigInt(cieRec.length + 4), 4), ...c.bytes, ...rangeFor(c.enc, 0x20n), 0, 0x41];
      const bytes = new Uint8Array([...cieRec, ...le(BigInt(fdeBody.length), 4), ...fdeBody, 0, 0, 0, 0]);
      const table = parseCfi({ kind: 'eh_frame', bytes, bases: { addressSize: 8, sectionAddr: 0x500000n, textAddr: 0x401000n, dataAddr: 0x600000n } }, new ProblemLog());
      assert.equal(table.fdes.length, 1, `encoding ${c.enc.toString(16)}`);
      assert.equal(table.fdes[0].pcLow, c.expect, `encoding ${c.enc.toString(16)}`);
      assert.equal(table.fdes[0].pcHigh, c.expect + 0x20n);
    }
  });

  it('reports broken records as problems and keeps the rest', () => {
    const cie = [0x04, 0x00, 0x08, 0x00, 0x01, 0x78, 0x10, 0x0c, 0x07, 0x08];
    const good = debugFrame(cie, [0x41], 0x1000n, 0x10n);
    const problems = new ProblemLog();
    // An FDE pointing at a CIE that does not exist.
    const orphan = [...le(4n + 16n + 1n, 4), ...le(0x999n, 4), ...le(0x2000n, 8), ...le(0x10n, 8), 0x41];
    const table = parseCfi({ kind: 'debug_frame', bytes: new Uint8Array([...good, ...orphan]), bases: { addressSize: 8, sectionAddr: 0n } }, problems);
    assert.equal(table.fdes.length, 1);
    assert.match(problems.messages[0], /refers to CIE 0x999/);
    // restore_state without remember_state is an error for that FDE's rows only.
    const bad = parseCfi({ kind: 'debug_frame', bytes: debugFrame(cie, [0x41, 0x0b], 0x1000n, 0x10n), bases: { addressSize: 8, sectionAddr: 0n } }, new ProblemLog());
    assert.throws(() => unwindRows(bad.fdes[0]), (e: unknown) => e instanceof SymbolsError && /restore_state without remember_state/.test(e.message));
    const unknown = parseCfi({ kind: 'debug_frame', bytes: debugFrame(cie, [0x3f], 0x1000n, 0x10n), bases: { addressSize: 8, sectionAddr: 0n } }, new ProblemLog());
    assert.throws(() => unwindRows(unknown.fdes[0]), /unknown call frame instruction 0x3f/);
  });
});

function le(v: bigint, size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < size; i++) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
  return out;
}

function rangeFor(enc: number, len: bigint): number[] {
  switch (enc & 0x0f) {
    case 0x00: case 0x0c: return le(len, 8);
    default: return le(len, 4);
  }
}

/** A .debug_frame with one 32-bit CIE (at offset 0) and one FDE. */
function debugFrame(cieBody: number[], fdeInstr: number[], pc: bigint, len: bigint): Uint8Array {
  const cie = [...le(0xffffffffn, 4), ...cieBody];
  const fde = [...le(0n, 4), ...le(pc, 8), ...le(len, 8), ...fdeInstr];
  return new Uint8Array([...le(BigInt(cie.length), 4), ...cie, ...le(BigInt(fde.length), 4), ...fde]);
}
