// Unit tests for Debug Console completion.
import assert from 'node:assert/strict';
import { completions } from '../../../debug-adapter/src/dap/completions';
import type { SymbolIndex } from '../../../debug-adapter/src/debugger/symbolIndex';

const symbols = { namesStartingWith: (p: string) => ['tick', 'tick_count'].filter((n) => n.startsWith(p)) } as unknown as SymbolIndex;

describe('console completion', () => {
  it('offers commands at the start of the line', () => {
    assert.deepEqual(completions('info ', 6, undefined).map((c) => c.label), ['info gdt', 'info idt', 'info tab']);
  });

  it('offers registers and symbols for the word under the cursor, replacing just that word', () => {
    const items = completions('[esp] + tic', 12, symbols);
    assert.deepEqual(items.map((c) => c.label), ['tick', 'tick_count']);
    assert.deepEqual(items.map((c) => [c.start, c.length]), [[8, 3], [8, 3]]);
    const regs = completions('$ea', 4, symbols);
    assert.deepEqual(regs.map((c) => c.text), ['$eax']);
  });

  it('offers nothing after an operator', () => {
    assert.deepEqual(completions('rax + ', 7, symbols), []);
  });
});
