// DIE trees of gcc DWARF 4/5 output, attribute by attribute, against readelf --debug-dump=info.
import assert from 'node:assert/strict';
import { AttrValue } from '../../../debug-adapter/src/debugger/symbols/dwarf/attrValue';
import { DwarfReader } from '../../../debug-adapter/src/debugger/symbols/dwarf/dwarfReader';
import { attributeName, tagName } from '../../../debug-adapter/src/debugger/symbols/dwarf/tagsAndAttributes';
import { Die } from '../../../debug-adapter/src/debugger/symbols/dwarf/unit';
import { RefDie, readelfDies } from './helpers/binutils';
import { allDies, openDwarf } from './helpers/openDwarf';
import { join } from 'node:path';
import { DW_UT } from '../../../debug-adapter/src/debugger/symbols/dwarf/constants';
import { MATRIX, Variant, build, fixtureDir, run, variantName } from './helpers/toolchain';

/** llvm-dwarfdump's DIEs with their string-valued attributes (it resolves split-unit strings correctly). */
function llvmDies(file: string): { offset: number; tag: string; strings: Map<string, string> }[] {
  const out: { offset: number; tag: string; strings: Map<string, string> }[] = [];
  for (const line of run('llvm-dwarfdump', ['--debug-info', file]).split('\n')) {
    const d = /^0x([0-9a-f]+):\s+(DW_TAG_\w+)/.exec(line);
    if (d) { out.push({ offset: parseInt(d[1], 16), tag: d[2], strings: new Map() }); continue; }
    const a = /^\s+(DW_AT_\w+)\s+\("(.*)"\)$/.exec(line);
    if (a && out.length > 0) out[out.length - 1].strings.set(a[1], a[2]);
  }
  return out;
}

function hexOrDec(text: string): bigint | undefined {
  const m = /^(-?0x[0-9a-f]+|-?\d+)/.exec(text.trim());
  return m ? BigInt(m[1]) : undefined;
}

/** Why our decoded value differs from readelf's rendering, or undefined when they agree. */
function mismatch(reader: DwarfReader, die: Die, v: AttrValue, text: string): string | undefined {
  const t = text.trimEnd();
  switch (v.kind) {
    case 'ref':
    case 'refAddr': {
      const m = /^<?0x([0-9a-f]+)>?/.exec(t);
      return m && parseInt(m[1], 16) === v.offset ? undefined : `ref ${v.offset.toString(16)}`;
    }
    case 'refSig8': {
      const m = /signature: 0x([0-9a-f]+)/.exec(t);
      return m && BigInt('0x' + m[1]) === v.signature ? undefined : `sig ${v.signature.toString(16)}`;
    }
    case 'string':
    case 'strp':
    case 'strx': {
      const s = reader.string(v, die.unit);
      const expected = /^\((?:indirect|indexed|alt indirect)[^)]*\): (.*)$/.exec(t)?.[1] ?? t;
      return s === expected ? undefined : `string ${JSON.stringify(s)}`;
    }
    case 'block':
    case 'exprloc': {
      const m = /^(\d+) byte block: ((?:[0-9a-f]{2} ?)*)/.exec(t);
      const bytes = m ? m[2].trim().split(' ').filter(Boolean).map((b) => parseInt(b, 16)) : [];
      return m && Number(m[1]) === v.bytes.length && bytes.every((b, i) => b === v.bytes[i]) ? undefined : `block ${[...v.bytes].map((b) => b.toString(16))}`;
    }
    case 'flag': return hexOrDec(t) === (v.value ? 1n : 0n) ? undefined : `flag ${v.value}`;
    case 'address': return hexOrDec(t) === v.value ? undefined : `address ${v.value.toString(16)}`;
    case 'addrx': {
      const a = reader.address(v, die.unit);
      return a !== undefined && t.includes(a.toString(16)) ? undefined : `addrx ${a?.toString(16)}`;
    }
    case 'udata':
    case 'sdata': {
      const n = hexOrDec(t);
      const signed = v.kind === 'udata' && v.size > 0 ? BigInt.asIntN(v.size * 8, v.value) : v.value;
      return n === v.value || n === signed ? undefined : `const ${v.value}`;
    }
    case 'secOffset':
    case 'loclistx':
    case 'rnglistx': {
      const n = hexOrDec(t);
      const ours = v.kind === 'secOffset' ? v.value : v.index;
      return n === BigInt(ours) ? undefined : `offset ${ours}`;
    }
    default: return `unhandled kind ${v.kind}`;
  }
}

function compareTrees(v: Variant, path: string, extraArgs: string[] = [], minDies = 50): void {
  const { reader } = openDwarf(path);
  const ref = readelfDies(path, extraArgs);
  const ours = allDies(reader);
  const byOffset = new Map(ours.map((d) => [`${d.unit.header.section}:${d.offset}`, d]));
  assert.ok(ref.length >= minDies, 'readelf listed DIEs');
  // readelf prints .debug_info first, then .debug_types; our walk is in the same order.
  assert.equal(ours.length, ref.length, 'DIE count');
  ours.forEach((d, i) => {
    const r: RefDie = ref[i];
    const where = `${variantName(v)} DIE <${r.offset.toString(16)}>`;
    assert.equal(d.offset, r.offset, `${where}: offset`);
    assert.equal(tagName(d.tag), r.tag, `${where}: tag`);
    assert.equal(d.attrs.length, r.attrs.length, `${where}: attribute count`);
    d.attrs.forEach((a, j) => {
      assert.equal(attributeName(a.at), r.attrs[j].name, `${where}: attribute ${j}`);
      const why = mismatch(reader, d, a.value, r.attrs[j].value);
      assert.equal(why, undefined, `${where} ${r.attrs[j].name}: readelf says "${r.attrs[j].value}", we decoded ${why}`);
    });
  });
  assert.ok(byOffset.size === ours.length);
}

describe('symbols: DWARF DIE trees vs readelf', () => {
  for (const v of MATRIX) {
    it(`linked executable ${variantName(v)}`, () => compareTrees(v, build(v).elf));
  }
  for (const v of [MATRIX[0], MATRIX[MATRIX.length - 1]]) {
    it(`relocatable object (relocations applied) ${variantName(v)}`, () => compareTrees(v, build(v).kernelObj));
  }
  for (const dwarf of [4, 5] as const) {
    const v: Variant = { bits: 64, opt: 0, dwarf, extra: ['-fdebug-types-section'] };
    it(`type units and DW_FORM_ref_sig8 (${variantName(v)})`, () => {
      const b = build(v);
      compareTrees(v, b.elf);
      const { reader } = openDwarf(b.elf);
      const typeUnits = reader.units.filter((u) => u.header.typeSignature !== undefined);
      assert.ok(typeUnits.length > 3, 'type units exist');
      // A reference by signature lands on the unit's type DIE, a structure in this fixture.
      const sigRef = allDies(reader).flatMap((d) => d.attrs.filter((a) => a.value.kind === 'refSig8').map((a) => ({ d, a })))[0];
      assert.ok(sigRef, 'some attribute uses DW_FORM_ref_sig8');
      const target = reader.ref(sigRef.a.value, sigRef.d);
      assert.ok(target, 'signature resolves');
      assert.equal(target!.offset, reader.typeUnit((sigRef.a.value as { signature: bigint }).signature)!.header.typeOffset);
    });
  }
  it('64-bit DWARF units (-gdwarf64): 8-byte offsets in headers and forms', () => {
    const v: Variant = { bits: 64, opt: 2, dwarf: 5, extra: ['-gdwarf64'] };
    const b = build(v);
    compareTrees(v, b.elf);
    assert.ok(openDwarf(b.elf).reader.units.every((u) => u.header.offsetSize === 8));
  });
  it('split DWARF: the skeleton unit and the .dwo split unit with implied string-offset base', () => {
    const b = build({ bits: 64, opt: 2, dwarf: 5 });
    const obj = join(b.dir, 'split.o');
    run('gcc', ['-m64', '-O2', '-gdwarf-5', '-gsplit-dwarf', '-ffreestanding', '-nostdlib', '-c', 'kernel.c', '-o', obj], fixtureDir());
    const skeleton = openDwarf(obj).reader;
    assert.equal(skeleton.units[0].header.unitType, DW_UT.skeleton);
    compareTrees({ bits: 64, opt: 2, dwarf: 5 }, obj, ['--debug-dump=no-follow-links'], 1);
    // readelf mis-resolves strings in .dwo files; llvm-dwarfdump is the reference there.
    const dwo = join(b.dir, 'split.dwo');
    const { reader } = openDwarf(dwo);
    assert.equal(reader.units[0].header.unitType, DW_UT.split_compile);
    const ref = llvmDies(dwo);
    const ours = allDies(reader);
    assert.equal(ours.length, ref.length);
    let strings = 0;
    ours.forEach((d, i) => {
      assert.equal(d.offset, ref[i].offset);
      assert.equal(tagName(d.tag), ref[i].tag);
      for (const a of d.attrs) {
        const expected = ref[i].strings.get(attributeName(a.at));
        if (expected === undefined || !['string', 'strp', 'strx'].includes(a.value.kind)) continue;
        assert.equal(reader.string(a.value, d.unit), expected, `${tagName(d.tag)} ${attributeName(a.at)}`);
        strings++;
      }
    });
    assert.ok(strings > 50, `${strings} strings compared`);
    assert.equal(reader.name(reader.root(reader.units[0])!), 'kernel.c');
  });
  it('DWARF 3 units with strict DWARF (DW_AT_bit_offset, data4 section offsets)', () => {
    const v: Variant = { bits: 32, opt: 2, dwarf: 3, extra: ['-gstrict-dwarf'] };
    compareTrees(v, build(v).elf);
  });
  it('resolves names and the unit bases', () => {
    const { reader } = openDwarf(build({ bits: 64, opt: 2, dwarf: 5 }).elf);
    const units = reader.compileUnits();
    assert.equal(units.length, 3);
    assert.deepEqual(units.map((u) => { reader.root(u); return u.name; }), ['kernel.c', 'list.c', 'cfi.c']);
    assert.ok(units.every((u) => u.compDir?.endsWith('test/fixtures/symbols')));
    assert.ok(units[0].baseAddress > 0n);
  });
});
