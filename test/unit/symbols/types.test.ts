// The type model: struct layouts and bitfields against gdb's ptype /o, enums, arrays, typedefs, names.
import assert from 'node:assert/strict';
import { DebugInfo } from '../../../debug-adapter/src/debugger/symbols/debugInfo';
import { DwarfType, EnumType, StructType, stripTypedefs, typeName, typeSize } from '../../../debug-adapter/src/debugger/symbols/dwarf/types';
import { MATRIX, Variant, build, run, variantName } from './helpers/toolchain';

/** gdb's `ptype /o` rows: "offset" (or "byte: bit", '' inside unions) and size, in print order. */
function gdbLayout(elf: string, type: string): [string, number][] {
  const out: [string, number][] = [];
  for (const line of run('gdb', ['-batch', '-nx', '-ex', `ptype /o ${type}`, elf]).split('\n')) {
    const m = /^\/\*\s+(\d+(?::\s*\d+)?)?\s*\|?\s+(\d+) \*\//.exec(line);
    if (m) out.push([(m[1] ?? '').replace(/\s+/g, ' '), Number(m[2])]);
  }
  return out;
}

/** The same rows from our model: members in order, nested struct/union members expanded as gdb does. */
function ourLayout(t: StructType, base = 0): [string, number][] {
  const out: [string, number][] = [];
  for (const m of t.members) {
    const size = typeSize(m.type) ?? -1;
    let off = '';
    if (t.kind !== 'union') off = m.bitSize !== undefined ? `${base + Math.floor(m.bitOffset! / 8)}: ${m.bitOffset! % 8}` : `${base + m.offset}`;
    out.push([off, size]);
    if (m.type.kind === 'struct' || m.type.kind === 'union') out.push(...ourLayout(m.type, base + m.offset));
  }
  return out;
}

function struct(di: DebugInfo, name: string): StructType {
  const t = di.typeByName(name);
  assert.ok(t && (t.kind === 'struct' || t.kind === 'union'), name);
  return t as StructType;
}

describe('symbols: DWARF type model', () => {
  for (const v of MATRIX) {
    it(`struct, union and bitfield layouts match gdb ptype /o (${variantName(v)})`, () => {
      const b = build(v);
      const di = DebugInfo.fromElf(b.bytes());
      for (const name of ['struct node', 'struct flags', 'union value', 'struct point']) {
        assert.deepEqual(ourLayout(struct(di, name)), gdbLayout(b.elf, name), `${variantName(v)} ${name}`);
      }
    });
  }

  for (const v of [MATRIX[0], MATRIX[5]] as Variant[]) {
    it(`names, sizes, enums, arrays and typedefs (${variantName(v)})`, () => {
      const di = DebugInfo.fromElf(build(v).bytes());
      const ptr = v.bits / 8;
      const node = struct(di, 'struct node');
      assert.equal(node.size, v.bits === 64 ? 104 : 84);
      assert.deepEqual(node.members.map((m) => [m.name, typeName(m.type)]), [
        ['next', 'struct node *'], ['pos', 'struct point'], ['fl', 'struct flags'], ['val', 'union value'],
        ['grid', 'int [3][4]'], ['label', 'const char *'], ['tint', 'enum color'], ['callback', 'void (*)(int)'],
      ]);
      const flags = struct(di, 'struct flags');
      assert.deepEqual(flags.members.map((m) => [m.name, m.bitOffset, m.bitSize]), [
        ['ready', 0, 1], ['mode', 1, 3], ['delta', 4, 5], ['wide', 9, 20], ['tail', undefined, undefined],
      ]);
      const grid = node.members[4].type;
      assert.equal(grid.kind, 'array');
      if (grid.kind === 'array') assert.deepEqual(grid.dims, [{ lower: 0n, count: 3 }, { lower: 0n, count: 4 }]);
      assert.equal(typeSize(grid), 48);

      const color = di.typeByName('enum color') as EnumType;
      assert.equal(color.kind, 'enum');
      assert.equal(color.signed, true);
      assert.deepEqual(color.enumerators.map((e) => [e.name, e.value]), [['RED', 0n], ['GREEN', 5n], ['BLUE', 6n], ['NEGATIVE', -3n]]);

      const nodeT = di.typeByName('node_t')!;
      assert.equal(nodeT.kind, 'typedef');
      assert.equal(stripTypedefs(nodeT), node, 'typedef resolves to the same struct object');
      assert.equal(typeName(di.typeByName('u64')!), 'u64');
      assert.equal(typeSize(di.typeByName('u64')!), 8);
      const p = di.typeByName('struct node *')!;
      assert.equal(p.kind, 'pointer');
      assert.equal(typeSize(p), ptr);
      assert.equal(typeName(p), 'struct node *');
      assert.equal(di.typeByName('struct no_such_type'), undefined);

      // The struct is recursive through `next`; the model is a finite graph with shared nodes.
      const next = stripTypedefs(node.members[0].type);
      assert.equal(next.kind === 'pointer' && next.target, node);

      const globals = new Map(di.globals().map((g) => [g.name, g.type] as [string, DwarfType]));
      assert.equal(typeName(globals.get('big_table')!), 'u64 [2][3]');
      assert.equal(typeSize(globals.get('big_table')!), 48);
      assert.equal(typeName(globals.get('greeting')!), 'const char [3]');
      assert.equal(typeName(globals.get('counter')!), 'volatile u32');
      assert.equal(typeName(globals.get('global_ptr')!), 'int *');
      assert.equal(typeName(globals.get('nodes')!), 'struct node [2]');
    });
  }

  it('completes forward declarations from another unit', () => {
    const di = DebugInfo.fromElf(build(MATRIX[0]).bytes());
    const decl: StructType = { kind: 'struct', name: 'node', members: [], declaration: true, id: 'test' };
    const full = di.completeType(decl);
    assert.notEqual(full, decl);
    assert.equal((full as StructType).members.length, 8);
  });
});
