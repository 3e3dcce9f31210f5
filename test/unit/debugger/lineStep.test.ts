// Unit tests for the source-line stepping decision.
import assert from 'node:assert/strict';
import { nextLineStepAction, type LineStep } from '../../../debug-adapter/src/debugger/lineStep';

const at = (line: number, file = '/src/a.c') => ({ file, line, column: 1 });

describe('line stepping', () => {
  const step = (kind: 'in' | 'over' = 'over', budget = 100): LineStep => ({ kind, file: '/src/a.c', line: 10, budget });

  it('keeps stepping on the same line and stops on another line or file', () => {
    assert.deepEqual(nextLineStepAction(step(), 0x100n, at(10), 0x8000n, undefined), { kind: 'step', mode: 'over' });
    assert.deepEqual(nextLineStepAction(step('in'), 0x100n, at(10), 0x8000n, undefined), { kind: 'step', mode: 'in' });
    assert.deepEqual(nextLineStepAction(step(), 0x100n, at(11), 0x8000n, undefined), { kind: 'stop' });
    assert.deepEqual(nextLineStepAction(step(), 0x100n, at(10, '/src/b.c'), 0x8000n, undefined), { kind: 'stop' });
  });

  it('stops in code without line information', () => {
    assert.deepEqual(nextLineStepAction(step('in'), 0x100n, undefined, 0x8000n, undefined), { kind: 'stop' });
  });

  it('runs again to the return address when a deeper activation reached it first', () => {
    assert.deepEqual(nextLineStepAction(step(), 0x100n, at(10), 0x7f00n, 0x8000n), { kind: 'rerun', address: 0x100n });
    assert.deepEqual(nextLineStepAction(step(), 0x100n, at(10), 0x8000n, 0x8000n), { kind: 'step', mode: 'over' });
  });

  it('gives up when the budget is spent', () => {
    const s = step('over', 2);
    assert.equal(nextLineStepAction(s, 0x100n, at(10), 0x8000n, undefined).kind, 'step');
    assert.equal(nextLineStepAction(s, 0x100n, at(10), 0x8000n, undefined).kind, 'stop');
  });
});
