// Location lists of -O2 variables (.debug_loc and .debug_loclists) against readelf, and their use by scopesAt.
import assert from 'node:assert/strict';
import { DebugInfo } from '../../../debug-adapter/src/debugger/symbols/debugInfo';
import { expressionOpNames } from '../../../debug-adapter/src/debugger/symbols/dwarf/expression/format';
import { isLocationList, readLocationList } from '../../../debug-adapter/src/debugger/symbols/dwarf/locLists';
import { DW_AT, DW_TAG } from '../../../debug-adapter/src/debugger/symbols/dwarf/tagsAndAttributes';
import { Die } from '../../../debug-adapter/src/debugger/symbols/dwarf/unit';
import { readelfLocLists } from './helpers/binutils';
import { allDies, openDwarf } from './helpers/openDwarf';
import { MATRIX, build, variantName } from './helpers/toolchain';

function enclosingFunction(d: Die): Die | undefined {
  for (let p = d.parent; p; p = p.parent) {
    if (p.tag === DW_TAG.inlined_subroutine) return undefined;
    if (p.tag === DW_TAG.subprogram) return p;
  }
  return undefined;
}

describe('symbols: location lists vs readelf', () => {
  for (const v of MATRIX.filter((m) => m.opt === 2)) {
    it(`every list entry and its expression match (${variantName(v)})`, () => {
      const b = build(v);
      const { reader, problems } = openDwarf(b.elf);
      const ref = readelfLocLists(b.elf);
      const di = DebugInfo.fromElf(b.bytes());
      let lists = 0;
      let resolved = 0;
      for (const d of allDies(reader)) {
        const loc = d.attr(DW_AT.location);
        if (!loc || !isLocationList(loc)) continue;
        const offset = loc.kind === 'secOffset' ? loc.value : Number((loc as { value: bigint }).value);
        const theirs = ref.get(offset);
        assert.ok(theirs, `readelf has a list at ${offset.toString(16)}`);
        const ours = readLocationList(reader, d.unit, loc);
        const enc = { addressSize: d.unit.header.addressSize, offsetSize: d.unit.header.offsetSize };
        assert.deepEqual(
          ours.map((e) => [e.low, e.high, expressionOpNames(e.expr, enc)]),
          theirs!.map((e) => [e.low, e.high, e.ops]),
          `${variantName(v)} list at ${offset.toString(16)} (${reader.name(d)})`,
        );
        lists++;
        // scopesAt picks the entry in effect at each pc of an ordinary (not inlined) function.
        const fn = enclosingFunction(d);
        if (!fn) continue;
        for (const e of ours) {
          if (e.high <= e.low) continue;
          const depth = di.functionAt(e.low)?.inlineChain.length ?? 0;
          const scopes = di.scopesAt(e.low, depth);
          const found = scopes && [...scopes.params, ...scopes.locals].find((x) => x.dieOffset === d.offset);
          if (!found) continue; // the variable's lexical block may not cover the whole entry
          assert.equal(found.location.kind, 'expr');
          assert.deepEqual(found.location.kind === 'expr' && [...found.location.expr], [...e.expr]);
          resolved++;
        }
      }
      assert.ok(lists >= 10, `${lists} lists compared`);
      assert.ok(resolved >= 10, `${resolved} entries resolved through scopesAt`);
      assert.deepEqual(problems.messages, []);
    });
  }
});
