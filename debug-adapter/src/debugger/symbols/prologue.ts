// Finds where a function's prologue ends from its line-table rows (the address for function breakpoints).
import { LinePosition } from './dwarf/line/lineIndex';

/**
 * `rows` are the line rows inside the function's entry range, in address order. The prologue
 * ends at the first row marked prologue_end (clang); otherwise at the first statement that
 * starts a different line after the entry (gcc), or at the second statement of a one-line
 * function. When several lines already start at the entry address, or no later statement
 * exists, the compiler scheduled no prologue (typical at -O2) and the entry is used.
 */
export function findPrologueEnd(rows: LinePosition[], lowPc: bigint): bigint {
  const marked = rows.find((r) => r.prologueEnd);
  if (marked) return marked.address;
  const atEntry = rows.filter((r) => r.address === lowPc && r.isStmt);
  if (new Set(atEntry.map((r) => r.line)).size >= 2) return lowPc;
  const firstLine = atEntry.length > 0 ? atEntry[atEntry.length - 1].line : rows[0]?.line;
  const next = rows.find((r) => r.address > lowPc && r.isStmt && r.line !== firstLine)
    ?? rows.find((r) => r.address > lowPc && r.isStmt);
  return next ? next.address : lowPc;
}
