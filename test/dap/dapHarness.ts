// Shared by the adapter tests: spawns the bundled debug adapter under DebugClient and boots the project's test guests.
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ChildProcess } from 'child_process';
import { join } from 'path';

export const ROOT = join(__dirname, '..', '..', '..');
export const ADAPTER = join(ROOT, 'dist', 'debug-adapter.js');
export const GUESTS = join(ROOT, 'build', 'guests');

/** Guest code runs through a slow emulator on PVM hosts and the machine is shared: be generous. */
export const TIMEOUT_MS = 30_000;

export function guest(name: string): string {
  return join(GUESTS, name);
}

export async function startClient(): Promise<DebugClient> {
  const dc = new DebugClient('node', ADAPTER, 'kvmlab');
  dc.defaultTimeout = TIMEOUT_MS;
  await dc.start();
  return dc;
}

/** Disconnects unless the adapter has already exited (a request to a dead adapter would never be answered). */
export async function stopClient(dc: DebugClient): Promise<void> {
  const p = adapterProcess(dc);
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  await dc.stop();
}

export function adapterProcess(dc: DebugClient): ChildProcess {
  return (dc as unknown as { _adapterProcess: ChildProcess })._adapterProcess;
}

/** initialize + launch + configurationDone; resolves with the first stop (stopOnEntry defaults to true). */
export async function launchToStop(dc: DebugClient, args: Record<string, unknown>): Promise<DebugProtocol.StoppedEvent> {
  const [, , stopped] = await Promise.all([
    dc.configurationSequence(),
    dc.launch(args as DebugProtocol.LaunchRequestArguments),
    dc.waitForEvent('stopped'),
  ]);
  return stopped as DebugProtocol.StoppedEvent;
}

/** Collects all output events of one category as they arrive. */
export function collectOutput(dc: DebugClient, category: string): { text: () => string } {
  let all = '';
  dc.on('output', (e: DebugProtocol.OutputEvent) => { if ((e.body.category ?? 'console') === category) all += e.body.output; });
  return { text: () => all };
}

/** Resolves once the accumulated output contains `needle`. */
export function waitForOutput(dc: DebugClient, needle: string, category = 'stdout'): Promise<string> {
  let all = '';
  return new Promise((resolve) => {
    const on = (e: DebugProtocol.OutputEvent) => {
      if ((e.body.category ?? 'console') !== category) return;
      all += e.body.output;
      if (all.includes(needle)) { dc.removeListener('output', on); resolve(all); }
    };
    dc.on('output', on);
  });
}

export async function topFrame(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId: 1 });
  return st.body.stackFrames[0];
}

/** Registers of one group of the Registers scope, by name. */
export async function registerGroup(dc: DebugClient, group: string): Promise<Map<string, DebugProtocol.Variable>> {
  const frame = await topFrame(dc);
  const scopes = await dc.scopesRequest({ frameId: frame.id });
  const regs = scopes.body.scopes.find((s) => s.name === 'Registers')!;
  const groups = await dc.variablesRequest({ variablesReference: regs.variablesReference });
  const g = groups.body.variables.find((v) => v.name === group);
  if (!g) throw new Error(`no register group '${group}'`);
  const vars = await dc.variablesRequest({ variablesReference: g.variablesReference });
  return new Map(vars.body.variables.map((v) => [v.name, v]));
}

export function exited(dc: DebugClient): Promise<DebugProtocol.ExitedEvent> {
  return dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
}

/** DebugClient has no helper for this request. */
export async function setInstructionBreakpoints(
  dc: DebugClient, breakpoints: DebugProtocol.InstructionBreakpoint[],
): Promise<DebugProtocol.Breakpoint[]> {
  const r = await dc.send('setInstructionBreakpoints', { breakpoints }) as DebugProtocol.SetInstructionBreakpointsResponse;
  return r.body.breakpoints;
}
