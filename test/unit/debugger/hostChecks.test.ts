// Unit tests for C breakpoint checks: which expressions go to the main thread, and how hits, conditions and logpoints run.
import assert from 'node:assert/strict';
import { readFileSync } from 'fs';
import { join } from 'path';
import { logExpressions, needsC, runHostChecks, type HostCheck, type StopEvaluator } from '../../../debug-adapter/src/debugger/hostChecks';
import { DebugInfo } from '../../../debug-adapter/src/debugger/symbols';

const ELF = join(__dirname, '..', '..', '..', '..', 'build', 'guests', 'multiboot-c.elf');

/** Conditions over a table of variable values; anything else is an evaluation error. */
function evaluator(vars: Record<string, number>): StopEvaluator & { calls: number } {
  const ev = {
    calls: 0,
    async truth(text: string) {
      ev.calls++;
      const m = /^(\w+) == (\d+)$/.exec(text);
      if (!m || vars[m[1]] === undefined) throw new Error(`'${text}' is not understood`);
      return vars[m[1]] === Number(m[2]);
    },
    async text(expr: string) {
      if (vars[expr] === undefined) throw new Error(`no variable '${expr}'`);
      return String(vars[expr]);
    },
  };
  return ev;
}

function check(partial: Partial<HostCheck>): HostCheck {
  return { where: 'demo.c:22', hits: 0, warned: false, ...partial };
}

describe('hostChecks', () => {
  it('sends C variables to the main thread and keeps registers and [memory] in the worker', () => {
    const info = DebugInfo.fromElf(new Uint8Array(readFileSync(ELF)));
    assert.equal(needsC('n == 1', info), true);
    assert.equal(needsC('g_counter > 3 && local.corners[0].x == 0', info), true);
    assert.equal(needsC('g_triangle.corners[1].x', info), true);
    assert.equal(needsC('n,x', info), true);
    assert.equal(needsC('eax == 5 && [esp] != 0', info), false);
    assert.equal(needsC('$ecx', info), false);
    assert.equal(needsC('dword [ebp+8] == 2', info), false);
    assert.equal(needsC('', info), false);
    assert.equal(needsC('n == 1', undefined), false);
  });

  it('finds the {expr} parts of a log message', () => {
    assert.deepEqual(logExpressions('fact({n}) x={g_triangle.corners[1].x}'), ['n', 'g_triangle.corners[1].x']);
    assert.deepEqual(logExpressions(undefined), []);
  });

  it('stops only where the condition holds, and counts hits only there', async () => {
    const c = check({ condition: 'n == 2', hitCondition: (h) => h >= 2 });
    const out: string[] = [];
    for (const n of [5, 2, 4, 2]) {
      const stop = await runHostChecks([7], () => c, evaluator({ n }), (t) => out.push(t));
      assert.deepEqual(stop, n === 2 && c.hits >= 2 ? [7] : []);
    }
    assert.equal(c.hits, 2);
    assert.deepEqual(out, []);
  });

  it('prints a logpoint with its values in place and never stops', async () => {
    const out: string[] = [];
    const c = check({ logMessage: 'fact({n}) {missing}!' });
    assert.deepEqual(await runHostChecks([1], () => c, evaluator({ n: 3 }), (t) => out.push(t)), []);
    assert.deepEqual(out, ["fact(3) <no variable 'missing'>!\n"]);
  });

  it('stops on a condition that cannot be evaluated and reports it once', async () => {
    const out: string[] = [];
    const c = check({ condition: 'n ==' });
    for (let i = 0; i < 3; i++) assert.deepEqual(await runHostChecks([4], () => c, evaluator({ n: 1 }), (t) => out.push(t)), [4]);
    assert.deepEqual(out, ["breakpoint at demo.c:22: condition 'n ==' cannot be evaluated: 'n ==' is not understood\n"]);
  });

  it('skips ids it has no checks for', async () => {
    const ev = evaluator({});
    assert.deepEqual(await runHostChecks([9], () => undefined, ev, () => undefined), []);
    assert.equal(ev.calls, 0);
  });
});
