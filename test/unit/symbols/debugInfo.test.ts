// The DebugInfo facade on gcc-built fixtures: lines, breakpoints, functions, inline chains, globals, bias.
import assert from 'node:assert/strict';
import { DebugInfo } from '../../../debug-adapter/src/debugger/symbols/debugInfo';
import { baseName } from '../../../debug-adapter/src/debugger/symbols/paths';
import { decodedLines, readelfSymbols } from './helpers/binutils';
import { MATRIX, Variant, build, fixtureDir, readBytes, run, variantName } from './helpers/toolchain';

const BIAS: Record<32 | 64, bigint> = { 32: 0x10000000n, 64: 0xffffffff80000000n - 0x400000n };

function open(v: Variant, bias = 0n): DebugInfo {
  return DebugInfo.fromElf(build(v).bytes(), { bias });
}

/** gdb's breakpoint address for each function: its own prologue analysis. */
function gdbBreakpoints(elf: string, names: string[]): Map<string, bigint> {
  const args = ['-batch', '-nx'];
  for (const n of names) args.push('-ex', `break ${n}`);
  const out = run('gdb', [...args, elf]);
  const result = new Map<string, bigint>();
  for (const m of out.matchAll(/^Breakpoint (\d+) at (0x[0-9a-f]+): file /gm)) result.set(names[Number(m[1]) - 1], BigInt(m[2]));
  return result;
}

describe('symbols: DebugInfo facade', () => {
  for (const v of MATRIX) {
    const bias = BIAS[v.bits];
    it(`maps every line-table row back to its line, with a load bias (${variantName(v)})`, () => {
      const di = open(v, bias);
      const rows = decodedLines(build(v).elf).filter((r) => r.line !== undefined);
      const byAddr = new Map<bigint, { file: string; line: number; isStmt: boolean }[]>();
      for (const r of rows) {
        const list = byAddr.get(r.address) ?? [];
        list.push({ file: r.file, line: r.line!, isStmt: r.isStmt });
        byAddr.set(r.address, list);
      }
      for (const [addr, list] of byAddr) {
        const loc = di.addressToLine(addr + bias);
        assert.ok(loc, `line at ${addr.toString(16)}`);
        assert.equal(loc!.address, addr + bias);
        // With several rows at one address the last statement row wins, as in gdb.
        const stmts = list.filter((r) => r.isStmt);
        const expect = stmts.length > 0 ? stmts[stmts.length - 1] : list[list.length - 1];
        assert.equal(loc!.line, expect.line, `line at ${addr.toString(16)}`);
        assert.equal(baseName(loc!.file), baseName(expect.file));
        assert.ok(loc!.file.startsWith(fixtureDir()), 'absolute path');
        // An address inside the row resolves to the same row.
        const inside = di.addressToLine(addr + bias + 1n);
        if (inside && !byAddr.has(addr + 1n)) assert.equal(inside.address, addr + bias);
      }
      assert.equal(di.addressToLine(0x10n), undefined);
      assert.deepEqual(di.problems, []);
    });

    it(`functions match the symbol table and gdb's breakpoint placement (${variantName(v)})`, () => {
      const b = build(v);
      const di = open(v, bias);
      const all = readelfSymbols(b.elf).find((t) => t.table === '.symtab')!.symbols.filter((s) => s.type === 'FUNC');
      // A static inline function can have one out-of-line copy per unit; gdb then sets several locations.
      const funcs = all.filter((f) => all.filter((g) => g.name === f.name).length === 1);
      const gdb = gdbBreakpoints(b.elf, funcs.map((f) => f.name));
      let compared = 0;
      for (const f of funcs) {
        const info = di.functionAt(f.value + bias + BigInt(f.size - 1));
        assert.ok(info, f.name);
        assert.equal(info!.name, f.name);
        assert.equal(info!.lowPc, f.value + bias, `${f.name} low pc`);
        assert.equal(info!.highPc, f.value + bias + BigInt(f.size), `${f.name} high pc`);
        // The hand-written assembly in cfi.c has symbols and CFI but no DWARF function.
        assert.equal(info!.source, f.name.startsWith('cfi_') && f.name !== 'cfi_plain' ? 'symbol' : 'dwarf', f.name);
        if (info!.source === 'dwarf') {
          assert.equal(info!.prologueEnd, gdb.get(f.name)! + bias, `${f.name}: prologue end vs gdb`);
          compared++;
        }
      }
      assert.ok(compared >= 7);
      const fib = di.functionAt(di.symbols.byName('fib')!.address)!;
      assert.equal(fib.declFile, `${fixtureDir()}/kernel.c`);
      assert.equal(fib.declLine, 38);
      assert.equal(fib.unitName, 'kernel.c');
      assert.equal(fib.frameBase.kind, 'expr');
    });
  }

  it('places line breakpoints: exact lines, the next line with code, per-function copies of inlined lines', () => {
    for (const v of [MATRIX[2], MATRIX[7]]) {
      const di = open(v);
      const kernel = `${fixtureDir()}/kernel.c`;
      // Line 41 has code; line 37 (blank) and 43 (blank) move to the next line with code.
      const l41 = di.lineToAddresses(kernel, 41)!;
      assert.equal(l41.line, 41);
      assert.ok(l41.addresses.length >= 1);
      for (const a of l41.addresses) assert.equal(di.functionAt(a)?.name, 'fib');
      assert.equal(di.lineToAddresses(kernel, 37)!.line, 38);
      assert.ok([44, 45, 46, 47, 48].includes(di.lineToAddresses(kernel, 43)!.line));
      assert.equal(di.lineToAddresses(kernel, 10_000), undefined);
      // Lines of the header's inline function exist once per function it was inlined into (at -O2).
      const shapes = `${fixtureDir()}/shapes.h`;
      const inl = di.lineToAddresses(shapes, 46)!;
      const owners = new Set(inl.addresses.map((a) => di.functionAt(a)!.name));
      if (v.opt === 2) assert.deepEqual([...owners].sort(), ['sum_grid', 'walk']);
      // Suffix matching: a checkout in another directory still finds the file.
      assert.deepEqual(di.lineToAddresses('/elsewhere/symbols/kernel.c', 41), l41);
      // breakpointLines lists exactly the lines lineToAddresses accepts unchanged.
      const lines = di.breakpointLines(kernel, 1, 60);
      assert.ok(lines.includes(41) && !lines.includes(37));
      for (const line of lines) assert.equal(di.lineToAddresses(kernel, line)!.line, line);
      assert.deepEqual(di.sourceFiles(), ['cfi.c', 'kernel.c', 'list.c', 'shapes.h'].map((f) => `${fixtureDir()}/${f}`));
    }
  });

  it('describes inlined calls with their call sites and variables', () => {
    for (const bits of [32, 64] as const) {
      const di = open({ bits, opt: 2, dwarf: 5 }, BIAS[bits]);
      const shapes = `${fixtureDir()}/shapes.h`;
      const expected: Record<string, [string, number]> = { sum_grid: ['kernel.c', 33], walk: ['list.c', 10] };
      for (const [caller, [callFile, callLine]] of Object.entries(expected)) {
        const fn = di.functionAt(di.symbols.byName(caller)!.address)!;
        // The first address of the caller that lies inside the inlined body.
        let at: bigint | undefined;
        for (let a = fn.lowPc; a < fn.highPc && at === undefined; a++) if (di.functionAt(a)!.inlineChain.length > 0) at = a;
        assert.ok(at !== undefined, `${caller} has inlined code`);
        const chain = di.functionAt(at!)!.inlineChain;
        assert.equal(chain.length, 1);
        assert.equal(chain[0].name, 'clamp_add');
        assert.equal(chain[0].declFile, shapes);
        assert.equal(chain[0].declLine, 45);
        assert.equal(baseName(chain[0].callFile!), callFile);
        assert.equal(chain[0].callLine, callLine);
        assert.ok(chain[0].ranges.some((r) => at! >= r.low && at! < r.high));
        assert.deepEqual(di.scopesAt(at!, 0)!.params.map((p) => p.name), ['a', 'b']);
        assert.deepEqual(di.scopesAt(at!, 1)!.params.map((p) => p.name), [caller === 'walk' ? 'head' : 'nd']);
      }
    }
  });

  it('lists locals through lexical blocks, innermost first, and unit globals', () => {
    const di = open({ bits: 64, opt: 0, dwarf: 5 });
    const kernel = `${fixtureDir()}/kernel.c`;
    const inner = di.lineToAddresses(kernel, 27)!.addresses[0];
    const scopes = di.scopesAt(inner)!;
    assert.deepEqual(scopes.params.map((p) => p.name), ['nd']);
    assert.deepEqual(scopes.locals.map((l) => [l.name, l.scopeDepth]), [['c', 3], ['row_sum', 2], ['r', 1], ['total', 0]]);
    const bonusBlock = di.scopesAt(di.lineToAddresses(kernel, 33)!.addresses[0])!;
    assert.deepEqual(bonusBlock.locals.map((l) => l.name), ['bonus', 'total']);
    const globalNames = scopes.globals.map((g) => g.name);
    for (const g of ['nodes', 'counter', 'hidden_total', 'greeting', 'global_ptr', 'current_color', 'big_table']) assert.ok(globalNames.includes(g), g);
    assert.ok(!globalNames.includes('visits'), 'statics of other units are not globals of this one');
    const all = di.globals().map((g) => g.name);
    assert.equal(all.filter((n) => n === 'counter').length, 1, 'declaration and definition are one global');
    assert.ok(all.includes('visits'));
    assert.ok(di.globals().every((g) => g.location.kind === 'expr'), 'every global has an address');
    const start = di.scopesAt(di.lineToAddresses(kernel, 47)!.addresses[0])!;
    assert.deepEqual(start.locals.map((l) => l.name).sort(), ['calls', 'v'], 'function statics are locals');
  });

  it('keeps working from the symbol table alone when debug info is stripped', () => {
    const b = build({ bits: 64, opt: 2, dwarf: 5 });
    const stripped = `${b.dir}/stripped.elf`;
    run('objcopy', ['--strip-debug', b.elf, stripped]);
    const di = DebugInfo.fromElf(readBytes(stripped));
    assert.equal(di.hasDwarf, false);
    const fib = di.symbols.byName('fib')!;
    const info = di.functionAt(fib.address + 2n)!;
    assert.equal(info.name, 'fib');
    assert.equal(info.source, 'symbol');
    assert.equal(info.lowPc, fib.address);
    assert.equal(di.addressToLine(fib.address), undefined);
    assert.deepEqual(di.sourceFiles(), []);
    assert.ok(di.unwindRowAt(fib.address), '.eh_frame survives stripping');
    const bare = `${b.dir}/bare.elf`;
    run('objcopy', ['--strip-all', '--remove-section=.eh_frame', b.elf, bare]);
    const none = DebugInfo.fromElf(readBytes(bare));
    assert.equal(none.functionAt(fib.address), undefined);
    assert.equal(none.unwindRowAt(fib.address), undefined);
  });

  it('reads relocatable objects with section-relative addresses', () => {
    const b = build({ bits: 32, opt: 0, dwarf: 4 });
    const di = DebugInfo.fromElf(readBytes(b.kernelObj));
    const fib = di.symbols.byName('fib')!;
    assert.equal(di.functionAt(fib.address + 1n)?.name, 'fib');
    assert.equal(di.addressToLine(fib.address)?.line, 38);
    assert.deepEqual(di.problems, []);
    // i386 REL addends live in the section bytes: a second reader over the same ElfFile must not relocate again.
    const again = new DebugInfo(di.elf);
    assert.equal(again.addressToLine(fib.address)?.line, 38);
    assert.equal(again.functionAt(fib.address + 1n)?.name, 'fib');
  });
});
