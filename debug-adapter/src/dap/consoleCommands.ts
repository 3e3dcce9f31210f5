// Debug Console commands that are not expressions (`x/16xb ADDR`, `xp/4xw ADDR`, `info gdt|idt|tab`).
import type { DebugEngine } from '../debugger/engine';
import { examineMemory, parseExamine } from '../debugger/examine';
import { infoCommand } from '../debugger/systemTables';

/** The command's output, or undefined when the text is not a console command (it is then evaluated as an expression). */
export async function runConsoleCommand(engine: DebugEngine, text: string): Promise<string | undefined> {
  const t = text.trim();
  const ex = parseExamine(t);
  if (ex) return examineMemory(ex, (ref, n) => engine.readMemory(ref, 0, n), (v) => engine.evaluateValue(v));
  const info = /^info\s+(\w+)$/.exec(t);
  if (info) return infoCommand(engine, info[1]);
  return undefined;
}
