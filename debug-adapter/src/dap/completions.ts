// Debug Console completion: console commands, register names and symbol names for the word being typed.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { GPR_NAMES } from '../vmm/cpu/registers';
import type { SymbolIndex } from '../debugger/symbolIndex';

const COMMANDS = ['info gdt', 'info idt', 'info tab', 'x/16xb ', 'x/4xw ', 'x/2xg ', 'xp/16xb '];
const REGISTERS = [...GPR_NAMES, 'rip', 'rflags', 'eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'esp', 'ebp', 'eip', 'eflags',
  'cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'efer', 'cs', 'ds', 'es', 'fs', 'gs', 'ss'];
/** Enough to choose from without flooding the list with a big kernel's symbols. */
const MAX_SYMBOLS = 50;

/** Completions for `text` with the cursor at `column` (1-based, as VS Code sends it). */
export function completions(text: string, column: number, symbols: SymbolIndex | undefined): DebugProtocol.CompletionItem[] {
  const before = text.slice(0, Math.max(0, column - 1));
  const word = /[$A-Za-z_.][A-Za-z0-9_.@]*$/.exec(before)?.[0] ?? '';
  const start = before.length - word.length;
  const items: DebugProtocol.CompletionItem[] = [];
  // A command can only be the whole line so far.
  for (const c of COMMANDS) {
    if (before.trim() !== '' && c.startsWith(before)) items.push({ label: c.trim(), text: c, type: 'keyword', start: 0, length: before.length });
  }
  if (word === '') return items;
  const bare = word.replace(/^\$/, '');
  for (const r of REGISTERS) {
    if (r.startsWith(bare)) items.push({ label: `$${r}`, text: word.startsWith('$') ? `$${r}` : r, type: 'variable', start, length: word.length });
  }
  if (!word.startsWith('$')) {
    for (const name of symbols?.namesStartingWith(word, MAX_SYMBOLS) ?? []) items.push({ label: name, type: 'function', start, length: word.length });
  }
  return items;
}
