// C variables against gdb on the symbol fixtures (32- and 64-bit, -O0 and -O2): frame values and expression results.
import assert from 'node:assert/strict';
import { DebugInfo } from '../../../debug-adapter/src/debugger/symbols';
import { SourceVariables, type VariablesHost } from '../../../debug-adapter/src/debugger/variables/sourceVariables';
import type { Regs } from '../../../debug-adapter/src/vmm/cpu/registers';
import { gdbCapture, type GdbCapture } from '../symbols/helpers/gdbCapture';
import { build, readBytes, run, variantName, type Variant } from '../symbols/helpers/toolchain';

const VARIANTS: Variant[] = [
  { bits: 32, opt: 0, dwarf: 5 }, { bits: 64, opt: 0, dwarf: 5 }, { bits: 32, opt: 2, dwarf: 5 }, { bits: 64, opt: 2, dwarf: 4 },
];
const SUM_GRID_STOP = ['break kernel.c:27', 'run', 'continue 2'];
const FIB_STOP = ['break fib', 'run', 'continue 5'];
/** At -O2 clamp_add() is inlined: gdb shows it as a frame of its own above sum_grid at the same pc. */
const INLINE_STOP = ['break clamp_add', 'run'];
/** Expressions over sum_grid's `nd` and the fixture's globals, printed by gdb and by us. */
const EXPRESSIONS = [
  'nd->grid[1][2]', 'nd->pos.x + nd->pos.y', 'nd->fl.mode', 'nd->fl.delta', 'nd->tint', 'nd->next->tint', 'nd->val.word',
  'current_color', 'counter', 'sizeof(struct node)', '(unsigned char)nd->val.word', 'nodes[1].tint == GREEN', 'big_table[1][2]',
  '*global_ptr', 'hidden_total + 1', '&nodes[1] - &nodes[0]', 'nd->fl.delta < 0', '-nd->fl.delta * 3u',
];

const GDB_NAMES_64 = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip'];
const GDB_NAMES_32 = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'esp'];

function regsOf(cap: GdbCapture): Regs {
  const r = Object.fromEntries([...GDB_NAMES_64, 'rflags'].map((n) => [n, 0n])) as unknown as Regs;
  for (const n of GDB_NAMES_64) if (cap.regs.has(n)) r[n as keyof Regs] = cap.regs.get(n)!;
  GDB_NAMES_32.forEach((n) => { if (cap.regs.has(n)) r[`r${n.slice(1)}` as keyof Regs] = cap.regs.get(n)!; });
  if (cap.regs.has('eip')) r.rip = cap.regs.get('eip')!;
  r.rflags = cap.regs.get('eflags') ?? 2n;
  return r;
}

function hostOf(cap: GdbCapture, info: DebugInfo): VariablesHost {
  return {
    debugInfo: () => info,
    registers: async () => regsOf(cap),
    // gdb lists inlined calls as frames of their own at the pc of the frame that holds them, as the client may.
    framePcs: async () => cap.frames.map((f) => f.pc),
    readMemory: async (a, n) => cap.readMemory(a, n)?.slice(),
    writeMemory: async () => { throw new Error('read-only capture'); },
    writeRegister: async () => { throw new Error('read-only capture'); },
    symbolLabel: (a) => info.symbols.lookup(a)?.name,
  };
}

/** gdb's `print` results for the expressions, at the same stop. */
function gdbPrints(elf: string, setup: string[], exprs: string[]): string[] {
  const args = ['-batch', '-nx', '-ex', 'set pagination off', '-ex', 'set confirm off'];
  for (const cmd of setup) args.push('-ex', cmd);
  for (const e of exprs) args.push('-ex', `print ${e}`);
  const out = run('gdb', [...args, elf]);
  return out.split('\n').filter((l) => /^\$\d+ = /.test(l)).map((l) => l.replace(/^\$\d+ = /, ''));
}

describe('C variables vs gdb', function () {
  this.timeout(120_000);
  for (const v of VARIANTS) {
    it(`shows the values gdb shows in every frame (${variantName(v)})`, async () => {
      const b = build(v);
      const info = DebugInfo.fromElf(readBytes(b.elf));
      let compared = 0;
      let inlineFrames = 0;
      for (const setup of [SUM_GRID_STOP, FIB_STOP, ...(v.opt > 0 ? [INLINE_STOP] : [])]) {
        const cap = gdbCapture(b.elf, setup);
        const vars = new SourceVariables(hostOf(cap, info));
        for (let i = 0; i < cap.frames.length; i++) {
          const g = cap.frames[i];
          if (g.inline) inlineFrames++;
          const scopes = await vars.scopes(i);
          const shown = new Map<string, string>();
          for (const s of scopes.filter((x) => x.name !== 'Globals')) {
            for (const x of await vars.variables({ variablesReference: s.variablesReference })) shown.set(x.name, x.value);
          }
          const seen = new Set<string>();
          for (const gv of g.vars) {
            if (seen.has(gv.name)) continue;
            seen.add(gv.name);
            const where = `${variantName(v)} ${setup[0]}: frame ${i} ${g.func}.${gv.name}`;
            const mine = shown.get(gv.name);
            assert.ok(mine !== undefined, `${where}: not shown (shown: ${[...shown.keys()].join(', ')})`);
            if (gv.optimizedOut) { assert.match(mine, /^</, `${where}: gdb says optimised out, we show ${mine}`); continue; }
            if (gv.int === undefined) continue;
            // gdb recovers some values from call sites (entry values); we report those as not available.
            if (mine.startsWith('<')) { assert.match(mine, /optimised out|not available/, where); continue; }
            const first = mine.split(' ')[0];
            const expected = /^0x/.test(first) ? `0x${BigInt.asUintN(v.bits, gv.int).toString(16)}` : /^[A-Z]/.test(first) ? gv.text : gv.int.toString();
            assert.equal(first, expected, `${where} (gdb: ${gv.text})`);
            compared++;
          }
        }
      }
      assert.ok(compared >= (v.opt === 0 ? 12 : 4), `${variantName(v)}: only ${compared} values compared`);
      if (v.opt > 0) assert.ok(inlineFrames > 0, `${variantName(v)}: no inlined call was stopped in`);
    });
  }

  it('evaluates expressions as gdb prints them (m64-O0, m32-O0)', async () => {
    for (const v of VARIANTS.filter((x) => x.opt === 0)) {
      const b = build(v);
      const info = DebugInfo.fromElf(readBytes(b.elf));
      const cap = gdbCapture(b.elf, SUM_GRID_STOP);
      const printed = gdbPrints(b.elf, SUM_GRID_STOP, EXPRESSIONS);
      assert.equal(printed.length, EXPRESSIONS.length, `gdb printed ${printed.length} of ${EXPRESSIONS.length} expressions`);
      const vars = new SourceVariables(hostOf(cap, info));
      for (let k = 0; k < EXPRESSIONS.length; k++) {
        const mine = (await vars.evaluate(EXPRESSIONS[k], 0))?.result;
        // gdb adds the character after a char's number and shows booleans of comparisons as 1/0 like C.
        const theirs = printed[k].replace(/ '(\\\d+|.)'$/, '');
        assert.equal(mine?.replace(/ '(\\x[0-9a-f]+|\\.|.)'$/, ''), theirs, `${variantName(v)}: ${EXPRESSIONS[k]}`);
      }
    }
  });
});
