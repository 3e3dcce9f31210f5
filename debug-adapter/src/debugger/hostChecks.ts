// Breakpoint conditions, hit counts and logpoints written in C: classified here, then run on the main thread
// (where the DWARF variables are) each time the vCPU worker stops on such a breakpoint.
import { Expression, identifiers } from './expression';
import { isRegisterName } from './registerNames';
import { parseC } from './variables/cSyntax';
import { formatSuffix } from './variables/sourceVariables';
import type { DebugInfo } from './symbols';

/** Evaluates in the innermost frame of the stopped vCPU; throws a one-line Error when the text cannot be evaluated. */
export interface StopEvaluator {
  /** Whether a condition holds (non-zero). */
  truth(text: string): Promise<boolean>;
  /** The display text of a logpoint's `{expr}`. */
  text(expr: string): Promise<string>;
}

/** The checks of one breakpoint the worker leaves to the main thread. */
export interface HostCheck {
  /** Where the breakpoint is, for messages ("demo.c:24", "fact", "0x100400"). */
  where: string;
  condition?: string;
  hitCondition?: (hits: number) => boolean;
  logMessage?: string;
  hits: number;
  /** A failing condition is reported once, not on every hit. */
  warned: boolean;
}

const LOG_EXPRESSION = /\{([^{}]+)\}/g;

/** The `{expr}` parts of a logpoint message. */
export function logExpressions(message: string | undefined): string[] {
  return [...(message ?? '').matchAll(LOG_EXPRESSION)].map((m) => m[1]);
}

/**
 * Whether an expression needs the C evaluator: with DWARF loaded, text that parses as C and names something other
 * than registers. Register-only expressions and `[memory]` syntax stay with the worker's fast machine-level evaluator.
 */
export function needsC(text: string, info: DebugInfo | undefined): boolean {
  if (!info?.hasDwarf || !text.trim()) return false;
  let machine = true;
  try { Expression.parse(text); } catch { machine = false; }
  if (machine && identifiers(text).every(isRegisterName)) return false;
  try {
    parseC(formatSuffix(text).expression, { isTypeName: (n) => info.typeByName(n) !== undefined });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the checks of the breakpoints the worker stopped on and returns the ids that should be reported as a stop.
 * Logpoints print their message and never stop; a condition that fails to evaluate stops (so the user sees where)
 * and says why the first time only.
 */
export async function runHostChecks(
  ids: readonly number[], checkOf: (id: number) => HostCheck | undefined, ev: StopEvaluator, output: (text: string) => void,
): Promise<number[]> {
  const stop: number[] = [];
  for (const id of ids) {
    const c = checkOf(id);
    if (!c) continue;
    if (c.condition?.trim()) {
      let holds: boolean;
      try {
        holds = await ev.truth(c.condition);
      } catch (e) {
        if (!c.warned) output(`breakpoint at ${c.where}: condition '${c.condition}' cannot be evaluated: ${(e as Error).message}\n`);
        c.warned = true;
        stop.push(id);
        continue;
      }
      if (!holds) continue;
    }
    c.hits++;
    if (c.hitCondition && !c.hitCondition(c.hits)) continue;
    if (c.logMessage !== undefined) {
      output(`${await interpolateAsync(c.logMessage, ev)}\n`);
      continue;
    }
    stop.push(id);
  }
  return stop;
}

/** `{expr}` interpolation; an expression that fails shows its error in place so the line is never lost. */
async function interpolateAsync(message: string, ev: StopEvaluator): Promise<string> {
  let out = '';
  let last = 0;
  for (const m of message.matchAll(LOG_EXPRESSION)) {
    out += message.slice(last, m.index);
    try {
      out += await ev.text(m[1]);
    } catch (e) {
      out += `<${(e as Error).message}>`;
    }
    last = m.index! + m[0].length;
  }
  return out + message.slice(last);
}
