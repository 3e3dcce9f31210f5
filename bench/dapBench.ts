// Debugger rates through DAP: instruction steps, breakpoint hit + continue, and breakpoints whose hit count never stops.
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { join } from 'path';

export interface DapRates {
  stepsPerSecond: number;
  hitsPerSecond: number;
  silentHitsPerSecond: number;
}

const STEPS = 400;
const HITS = 300;
/** bploop calls tick() this many times; a hit count that is never reached lets every call run through the stub. */
const SILENT_CALLS = 20000;

async function session(root: string, cmdline: string): Promise<DebugClient> {
  const dc = new DebugClient('node', join(root, 'dist', 'debug-adapter.js'), 'kvmlab');
  dc.defaultTimeout = 120_000;
  await dc.start();
  await Promise.all([
    dc.configurationSequence(),
    dc.launch({ kernel: join(root, 'build', 'guests', 'bploop.elf'), cmdline, stopOnEntry: true, serial: 'none' } as DebugProtocol.LaunchRequestArguments),
    dc.waitForEvent('stopped'),
  ]);
  return dc;
}

function perSecond(count: number, t0: bigint): number {
  return count / (Number(process.hrtime.bigint() - t0) / 1e9);
}

export async function dapBench(root: string): Promise<DapRates> {
  // A client that waits for each stop before asking for the next step, as a person holding F11 does.
  let dc = await session(root, 'n=1000000');
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < STEPS; i++) {
    await Promise.all([dc.waitForEvent('stopped'), dc.stepInRequest({ threadId: 1, granularity: 'instruction' })]);
  }
  const stepsPerSecond = perSecond(STEPS, t0);

  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'tick' }] });
  t0 = process.hrtime.bigint();
  for (let i = 0; i < HITS; i++) {
    await Promise.all([dc.waitForEvent('stopped'), dc.continueRequest({ threadId: 1 })]);
  }
  const hitsPerSecond = perSecond(HITS, t0);
  await dc.stop();

  dc = await session(root, `n=${SILENT_CALLS}`);
  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'tick', hitCondition: '>= 1000000000' }] });
  t0 = process.hrtime.bigint();
  await Promise.all([dc.waitForEvent('terminated'), dc.continueRequest({ threadId: 1 })]);
  const silentHitsPerSecond = perSecond(SILENT_CALLS, t0);
  await dc.stop().catch(() => undefined);
  return { stepsPerSecond, hitsPerSecond, silentHitsPerSecond };
}
