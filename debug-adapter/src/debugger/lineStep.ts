// Source-line stepping as a series of instruction steps: decides after each one whether the line is done.
import type { SourcePosition } from './symbolIndex';

/** Give up (and stop where we are) after this many instructions, so a tight loop on one line cannot hang a step. */
export const LINE_STEP_BUDGET = 20_000;

export interface LineStep {
  kind: 'in' | 'over';
  file: string;
  line: number;
  budget: number;
}

export type LineStepAction =
  | { kind: 'stop' }
  /** One more instruction (`over` runs calls to their return). */
  | { kind: 'step'; mode: 'in' | 'over' }
  /** The call-return breakpoint was hit by a deeper (recursive) activation: run to it again. */
  | { kind: 'rerun'; address: bigint };

/**
 * After an instruction step stopped at `pc` (source `here`, stack pointer `sp`): stop on reaching another line,
 * or code without line information; otherwise keep going. `callSp` is set when the stop was the temporary
 * breakpoint after a call, to the stack pointer just before that call: a stop with a lower stack pointer is a
 * deeper (recursive) activation reaching the same return address, not the return of our call.
 */
export function nextLineStepAction(step: LineStep, pc: bigint, here: SourcePosition | undefined, sp: bigint, callSp: bigint | undefined): LineStepAction {
  if (--step.budget <= 0) return { kind: 'stop' };
  if (callSp !== undefined && sp < callSp) return { kind: 'rerun', address: pc };
  if (!here) return { kind: 'stop' };
  if (here.file !== step.file || here.line !== step.line) return { kind: 'stop' };
  return { kind: 'step', mode: step.kind };
}
