// Every DWARF 5 attribute form and unit type, on hand-built sections, with indexed strings, addresses and lists.
import assert from 'node:assert/strict';
import { ProblemLog } from '../../../debug-adapter/src/debugger/symbols/errors';
import { DW_FORM, DW_UT } from '../../../debug-adapter/src/debugger/symbols/dwarf/constants';
import { DwarfReader } from '../../../debug-adapter/src/debugger/symbols/dwarf/dwarfReader';
import { readLocationList } from '../../../debug-adapter/src/debugger/symbols/dwarf/locLists';
import { dieRanges } from '../../../debug-adapter/src/debugger/symbols/dwarf/ranges';
import { emptySections } from '../../../debug-adapter/src/debugger/symbols/dwarf/sections';
import { DW_AT, DW_TAG } from '../../../debug-adapter/src/debugger/symbols/dwarf/tagsAndAttributes';
import { Bytes } from './helpers/dwarfBuilder';

const SIG = 0x1122334455667788n;
const F = DW_FORM;

function abbrevs(): Bytes {
  const a = new Bytes();
  const decl = (code: number, tag: number, children: boolean, specs: [number, number, number?][]) => {
    a.uleb(code).uleb(tag).u8(children ? 1 : 0);
    for (const [at, form, implicit] of specs) {
      a.uleb(at).uleb(form);
      if (form === F.implicit_const) a.sleb(implicit!);
    }
    a.u8(0, 0);
  };
  decl(1, DW_TAG.compile_unit, true, [
    [DW_AT.name, F.strx1], [DW_AT.producer, F.strx2], [DW_AT.comp_dir, F.line_strp], [DW_AT.str_offsets_base, F.sec_offset],
    [DW_AT.addr_base, F.sec_offset], [DW_AT.rnglists_base, F.sec_offset], [DW_AT.loclists_base, F.sec_offset],
    [DW_AT.low_pc, F.addrx], [DW_AT.ranges, F.rnglistx],
  ]);
  decl(2, DW_TAG.base_type, false, [[DW_AT.name, F.strx4], [DW_AT.byte_size, F.data1], [DW_AT.encoding, F.data1]]);
  decl(3, DW_TAG.variable, false, [
    [DW_AT.name, F.strx3], [DW_AT.type, F.ref_udata], [DW_AT.location, F.loclistx], [DW_AT.decl_line, F.implicit_const, 42],
    [DW_AT.external, F.flag_present], [DW_AT.declaration, F.flag],
  ]);
  decl(4, DW_TAG.variable, false, [
    [DW_AT.name, F.strx], [DW_AT.type, F.ref_sig8], [DW_AT.location, F.exprloc], [DW_AT.low_pc, F.addrx1],
    [DW_AT.high_pc, F.addrx2], [DW_AT.entry_pc, F.addrx3], [DW_AT.call_pc, F.addrx4],
    [0x2901, F.block1], [0x2902, F.block2], [0x2903, F.block4], [0x2904, F.block], [0x2905, F.string],
    [0x2906, F.sdata], [0x2907, F.udata], [0x2908, F.data2], [0x2909, F.data4], [0x290a, F.data8], [0x290b, F.data16],
    [0x290c, F.ref1], [0x290d, F.ref2], [0x290e, F.ref4], [0x290f, F.ref8], [0x2910, F.ref_addr], [0x2911, F.indirect],
    [0x2912, F.strp], [0x2913, F.addr],
  ]);
  decl(5, DW_TAG.type_unit, true, [[DW_AT.name, F.string]]);
  decl(6, DW_TAG.structure_type, false, [[DW_AT.name, F.string], [DW_AT.byte_size, F.data1]]);
  decl(7, DW_TAG.partial_unit, false, [[DW_AT.name, F.string]]);
  decl(8, DW_TAG.skeleton_unit, false, [[DW_AT.dwo_name, F.string]]);
  decl(9, DW_TAG.compile_unit, false, [[DW_AT.name, F.strp], [DW_AT.stmt_list, F.sec_offset]]);
  a.u8(0);
  return a;
}

function sections() {
  const s = emptySections();
  s.abbrev = abbrevs().build();
  s.str = new Bytes().str('alpha').str('beta').str('gamma').str('delta').build(); // offsets 0, 6, 11, 17
  s.lineStr = new Bytes().str('/comp').build();
  s.strOffsets = new Bytes().u32(4 + 16).u16(5).u16(0).u32(0).u32(6).u32(11).u32(17).build(); // base 8
  s.addr = new Bytes().u32(4 + 32).u16(5).u8(8, 0).u64(0x1000n).u64(0x1100n).u64(0x1200n).u64(0x1300n).build(); // base 8
  // Range list table: one offset entry (base 12) pointing 4 bytes further.
  const rl = new Bytes().u16(5).u8(8, 0).u32(1).u32(4)
    .u8(3).uleb(0).uleb(0x10) // startx_length: [0x1000, 0x1010)
    .u8(4).uleb(0x200).uleb(0x210) // offset_pair from the unit base 0x1300
    .u8(0);
  s.rnglists = new Bytes().u32(rl.length).bytes(rl.out).build();
  const ll = new Bytes().u16(5).u8(8, 0).u32(1).u32(4)
    .u8(3).uleb(1).uleb(8).uleb(1).u8(0x50) // startx_length [0x1100, 0x1108): DW_OP_reg0
    .u8(1).uleb(2) // base_addressx 0x1200
    .u8(4).uleb(0).uleb(4).uleb(2).u8(0x31, 0x9f) // offset_pair [0x1200, 0x1204): lit1; stack_value
    .u8(5).uleb(1).u8(0x53) // default_location: DW_OP_reg3
    .u8(0);
  s.loclists = new Bytes().u32(ll.length).bytes(ll.out).build();

  const info = new Bytes();
  // Unit 1: DW_UT_compile at 0.
  const cu = new Bytes().u16(5).u8(DW_UT.compile, 8).u32(0);
  const at = () => 4 + cu.length; // offset within the unit
  cu.uleb(1).u8(0).u16(1).u32(0).u32(8).u32(8).u32(12).u32(12).uleb(3).uleb(0);
  const baseType = at();
  cu.uleb(2).u32(3).u8(4).u8(5);
  const variable = at();
  cu.uleb(3).u24(2).uleb(baseType).uleb(0).u8(0);
  const sink = at();
  cu.uleb(4).uleb(1).u64(SIG).uleb(1).u8(0x50).u8(0).u16(1).u24(2).u32(3)
    .u8(2, 1, 2).u16(1).u8(3).u32(3).u8(4, 5, 6).uleb(1).u8(7).str('inline')
    .sleb(-5).uleb(300).u16(0xbeef).u32(0xdeadbeef).u64(0x0102030405060708n)
    .bytes(Array.from({ length: 16 }, (_, i) => i))
    .u8(baseType).u16(baseType).u32(baseType).u64(BigInt(baseType)).u32(baseType)
    .uleb(F.data2).u16(0x1234).u32(17).u64(0xabcn);
  cu.u8(0);
  info.u32(cu.length).bytes(cu.out);
  // Unit 2: DW_UT_type with the signature the sink refers to.
  const tuStart = info.length;
  const tu = new Bytes().u16(5).u8(DW_UT.type, 8).u32(0).u64(SIG);
  const typeOffsetAt = tu.length;
  tu.u32(0);
  tu.uleb(5).str('tu');
  const structOff = 4 + tu.length;
  tu.uleb(6).str('pair').u8(8).u8(0);
  tu.patch32(typeOffsetAt, structOff);
  info.u32(tu.length).bytes(tu.out);
  // Unit 3: DW_UT_partial; unit 4: DW_UT_skeleton with a dwo id.
  const pu = new Bytes().u16(5).u8(DW_UT.partial, 8).u32(0).uleb(7).str('part');
  const puStart = info.length;
  info.u32(pu.length).bytes(pu.out);
  const sk = new Bytes().u16(5).u8(DW_UT.skeleton, 8).u32(0).u64(0xfeedn).uleb(8).str('main.dwo');
  const skStart = info.length;
  info.u32(sk.length).bytes(sk.out);
  // Unit 5: 64-bit DWARF, where strp and sec_offset are 8 bytes.
  const d64 = new Bytes().u16(5).u8(DW_UT.compile, 8).u64(0n).uleb(9).u64(6n).u64(0x40n);
  const d64Start = info.length;
  info.u32(0xffffffff).u64(BigInt(d64.length)).bytes(d64.out);
  s.info = info.build();
  return { s, baseType, variable, sink, tuStart, structOff, puStart, skStart, d64Start };
}

describe('symbols: DWARF 5 forms and unit types (hand-built)', () => {
  const built = sections();
  const problems = new ProblemLog();
  const reader = new DwarfReader(built.s, problems);

  it('indexes compile, type, partial, skeleton and 64-bit units', () => {
    assert.deepEqual(reader.units.map((u) => [u.offset, u.header.unitType, u.header.offsetSize]), [
      [0, DW_UT.compile, 4], [built.tuStart, DW_UT.type, 4], [built.puStart, DW_UT.partial, 4],
      [built.skStart, DW_UT.skeleton, 4], [built.d64Start, DW_UT.compile, 8],
    ]);
    assert.equal(reader.units[1].header.typeSignature, SIG);
    assert.equal(reader.units[3].header.dwoId, 0xfeedn);
    assert.equal(reader.compileUnits().length, 4, 'type units are not compile units');
    assert.equal(reader.string(reader.root(reader.units[2])!.attr(DW_AT.name), reader.units[2]), 'part');
    assert.equal(reader.string(reader.root(reader.units[3])!.attr(DW_AT.dwo_name), reader.units[3]), 'main.dwo');
    const wide = reader.root(reader.units[4])!;
    assert.equal(reader.string(wide.attr(DW_AT.name), reader.units[4]), 'beta');
    assert.deepEqual(wide.attr(DW_AT.stmt_list), { kind: 'secOffset', value: 0x40 });
  });

  it('resolves strx, line_strp, addrx and the unit bases', () => {
    const unit = reader.units[0];
    const root = reader.root(unit)!;
    assert.equal(reader.name(root), 'alpha');
    assert.equal(reader.string(root.attr(DW_AT.producer), unit), 'beta');
    assert.equal(unit.compDir, '/comp');
    assert.equal(unit.baseAddress, 0x1300n);
    assert.deepEqual([unit.strOffsetsBase, unit.addrBase, unit.rnglistsBase, unit.loclistsBase], [8, 8, 12, 12]);
    assert.deepEqual(dieRanges(reader, root), [{ low: 0x1000n, high: 0x1010n }, { low: 0x1500n, high: 0x1510n }]);
  });

  it('decodes every value form of one DIE', () => {
    const unit = reader.units[0];
    const sink = reader.dieAt(built.sink)!;
    const v = (at: number) => sink.attr(at);
    assert.equal(reader.name(sink), 'beta');
    assert.deepEqual(v(DW_AT.location), { kind: 'exprloc', bytes: new Uint8Array([0x50]) });
    assert.deepEqual([DW_AT.low_pc, DW_AT.high_pc, DW_AT.entry_pc, DW_AT.call_pc].map((a) => reader.address(v(a), unit)), [0x1000n, 0x1100n, 0x1200n, 0x1300n]);
    assert.deepEqual([0x2901, 0x2902, 0x2903, 0x2904].map((a) => [...(v(a) as { bytes: Uint8Array }).bytes]), [[1, 2], [3], [4, 5, 6], [7]]);
    assert.deepEqual(v(0x2905), { kind: 'string', value: 'inline' });
    assert.deepEqual(v(0x2906), { kind: 'sdata', value: -5n });
    assert.deepEqual(v(0x2907), { kind: 'udata', value: 300n, size: 0 });
    assert.deepEqual(v(0x2908), { kind: 'udata', value: 0xbeefn, size: 2 });
    assert.deepEqual(v(0x2909), { kind: 'udata', value: 0xdeadbeefn, size: 4 });
    assert.deepEqual(v(0x290a), { kind: 'udata', value: 0x0102030405060708n, size: 8 });
    assert.deepEqual([...(v(0x290b) as { bytes: Uint8Array }).bytes], Array.from({ length: 16 }, (_, i) => i));
    for (const a of [0x290c, 0x290d, 0x290e, 0x290f, 0x2910]) assert.equal(reader.ref(v(a), sink)?.offset, built.baseType, `ref form ${a.toString(16)}`);
    assert.deepEqual(v(0x2911), { kind: 'udata', value: 0x1234n, size: 2 }, 'DW_FORM_indirect carries its form');
    assert.equal(reader.string(v(0x2912), unit), 'delta');
    assert.deepEqual(v(0x2913), { kind: 'address', value: 0xabcn });
    const pair = reader.ref(v(DW_AT.type), sink)!;
    assert.equal(pair.offset, built.tuStart + built.structOff, 'ref_sig8 lands on the type unit DIE');
    assert.equal(reader.name(pair), 'pair');
  });

  it('reads implicit constants, flags, ref_udata and loclistx lists', () => {
    const unit = reader.units[0];
    const variable = reader.dieAt(built.variable)!;
    assert.equal(reader.name(variable), 'gamma');
    assert.deepEqual(variable.attr(DW_AT.decl_line), { kind: 'sdata', value: 42n });
    assert.deepEqual(variable.attr(DW_AT.external), { kind: 'flag', value: true });
    assert.deepEqual(variable.attr(DW_AT.declaration), { kind: 'flag', value: false });
    assert.equal(reader.name(reader.ref(variable.attr(DW_AT.type), variable)!), 'delta');
    const list = readLocationList(reader, unit, variable.attr(DW_AT.location)!);
    assert.deepEqual(list.map((e) => [e.low, e.high, [...e.expr], !!e.isDefault]), [
      [0x1100n, 0x1108n, [0x50], false],
      [0x1200n, 0x1204n, [0x31, 0x9f], false],
      [0n, 1n << 64n, [0x53], true],
    ]);
    assert.deepEqual(problems.messages, []);
  });

  it('reports an unknown form as a problem and keeps the DIEs before it', () => {
    const s = sections().s;
    const abbrev = new Uint8Array(s.abbrev);
    // Turn DW_FORM_string of the kitchen-sink DIE (0x08) into an undefined form 0x7f.
    const idx = [...abbrev].findIndex((b, i) => b === 0x85 && abbrev[i + 1] === 0x52 && abbrev[i + 2] === F.string); // ULEB 0x2905
    abbrev[idx + 2] = 0x7f;
    const p = new ProblemLog();
    const r = new DwarfReader({ ...s, abbrev }, p);
    const parsed = r.parse(r.units[0]);
    assert.ok(parsed.byOffset.has(built.variable), 'earlier DIEs survive');
    assert.match(p.messages[0], /unknown attribute form DW_FORM_0x7f/);
  });
});
