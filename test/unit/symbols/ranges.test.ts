// DIE address ranges (low/high pc, .debug_ranges, .debug_rnglists) and .debug_aranges against reference dumps.
import assert from 'node:assert/strict';
import { ProblemLog } from '../../../debug-adapter/src/debugger/symbols/errors';
import { parseAranges } from '../../../debug-adapter/src/debugger/symbols/dwarf/aranges';
import { dieRanges } from '../../../debug-adapter/src/debugger/symbols/dwarf/ranges';
import { DW_AT } from '../../../debug-adapter/src/debugger/symbols/dwarf/tagsAndAttributes';
import { allDies, openDwarf } from './helpers/openDwarf';
import { MATRIX, build, run, variantName } from './helpers/toolchain';

/** llvm-dwarfdump's resolved ranges per DIE offset (empty ranges dropped, as the reader does). */
function llvmRanges(file: string): Map<number, [bigint, bigint][]> {
  const out = new Map<number, [bigint, bigint][]>();
  let die = -1;
  let low: bigint | undefined;
  let inRanges = false;
  for (const line of run('llvm-dwarfdump', ['--debug-info', file]).split('\n')) {
    const d = /^0x([0-9a-f]+):\s+DW_TAG/.exec(line);
    if (d) { die = parseInt(d[1], 16); low = undefined; inRanges = false; continue; }
    const lo = /DW_AT_low_pc\s+\((0x[0-9a-f]+)\)/.exec(line);
    if (lo) { low = BigInt(lo[1]); continue; }
    const hi = /DW_AT_high_pc\s+\((0x[0-9a-f]+)\)/.exec(line);
    if (hi && low !== undefined) { if (BigInt(hi[1]) > low) out.set(die, [[low, BigInt(hi[1])]]); continue; }
    if (/DW_AT_ranges\s+\(/.test(line)) { inRanges = true; out.set(die, []); }
    if (inRanges) {
      for (const m of line.matchAll(/\[(0x[0-9a-f]+), (0x[0-9a-f]+)\)/g)) {
        if (BigInt(m[2]) > BigInt(m[1])) out.get(die)!.push([BigInt(m[1]), BigInt(m[2])]);
      }
      if (/\)\)\s*$/.test(line) || /DW_AT_ranges\s+\(0x[0-9a-f]+\)\s*$/.test(line)) inRanges = false;
    }
  }
  return out;
}

describe('symbols: address ranges', () => {
  for (const v of MATRIX.filter((m) => m.opt === 2)) {
    it(`every DIE's ranges match llvm-dwarfdump (${variantName(v)})`, () => {
      const b = build(v);
      const { reader, problems } = openDwarf(b.elf);
      const ref = llvmRanges(b.elf);
      let withList = 0;
      for (const d of allDies(reader)) {
        if (!d.attr(DW_AT.ranges) && !(d.attr(DW_AT.low_pc) && d.attr(DW_AT.high_pc))) continue;
        const ours = dieRanges(reader, d).map((r) => [r.low, r.high]);
        assert.deepEqual(ours, ref.get(d.offset) ?? [], `DIE ${d.offset.toString(16)}`);
        if (d.attr(DW_AT.ranges)) withList++;
      }
      assert.ok(withList >= 3, `${withList} DIEs use range lists`);
      assert.deepEqual(problems.messages, []);
    });
  }

  it('.debug_aranges matches readelf', () => {
    const b = build(MATRIX[7]);
    const { reader } = openDwarf(b.elf);
    const text = run('readelf', ['--debug-dump=aranges', b.elf]);
    const expected: [bigint, bigint, number][] = [];
    let unit = 0;
    for (const line of text.split('\n')) {
      const u = /Offset into .debug_info:\s+(0x[0-9a-f]+|\d+)/.exec(line);
      if (u) unit = Number(u[1]);
      const t = /^\s+([0-9a-f]{8,16}) ([0-9a-f]{8,16})\s*$/.exec(line);
      if (t && BigInt('0x' + t[2]) > 0n) expected.push([BigInt('0x' + t[1]), BigInt('0x' + t[1]) + BigInt('0x' + t[2]), unit]);
    }
    const ours = parseAranges(reader.sections.aranges, new ProblemLog()).map((a) => [a.low, a.high, a.unitOffset]);
    assert.ok(expected.length >= 3);
    assert.deepEqual(ours, expected);
  });
});
