// Debugger rates through DAP: instruction steps, breakpoint hit + continue, and breakpoints whose hit count never stops.
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { join } from 'path';

/** Round trips per second (from the mean) and the spread of single round trips, in microseconds. */
export interface RoundTrips {
  perSecond: number;
  p50us: number;
  p90us: number;
  p99us: number;
}

export interface DapRates {
  steps: RoundTrips;
  hits: RoundTrips;
  silentHitsPerSecond: number;
}

/** Untimed round trips first: the adapter's and the client's code is compiled by then (steady state is measured). */
const WARM_UP = 200;
const STEPS = 3000;
const HITS = 1500;
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

/** Runs `once` (a request and the stop it causes) WARM_UP + count times, timing the last `count`. */
async function roundTrips(count: number, once: () => Promise<unknown>): Promise<RoundTrips> {
  for (let i = 0; i < WARM_UP; i++) await once();
  const us: number[] = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const t = process.hrtime.bigint();
    await once();
    us.push(Number(process.hrtime.bigint() - t) / 1e3);
  }
  const total = Number(process.hrtime.bigint() - t0) / 1e9;
  us.sort((a, b) => a - b);
  const at = (q: number) => us[Math.min(us.length - 1, Math.floor(q * us.length))];
  return { perSecond: count / total, p50us: at(0.5), p90us: at(0.9), p99us: at(0.99) };
}

export async function dapBench(root: string): Promise<DapRates> {
  // A client that waits for each stop before asking for the next step, as a person holding F11 does.
  let dc = await session(root, 'n=1000000');
  const steps = await roundTrips(STEPS, () => Promise.all([dc.waitForEvent('stopped'), dc.stepInRequest({ threadId: 1, granularity: 'instruction' })]));

  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'tick' }] });
  const hits = await roundTrips(HITS, () => Promise.all([dc.waitForEvent('stopped'), dc.continueRequest({ threadId: 1 })]));
  await dc.stop();

  dc = await session(root, `n=${SILENT_CALLS}`);
  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'tick', hitCondition: '>= 1000000000' }] });
  const t0 = process.hrtime.bigint();
  await Promise.all([dc.waitForEvent('terminated'), dc.continueRequest({ threadId: 1 })]);
  const silentHitsPerSecond = SILENT_CALLS / (Number(process.hrtime.bigint() - t0) / 1e9);
  await dc.stop().catch(() => undefined);
  return { steps, hits, silentHitsPerSecond };
}

/** "4,100/s (one round trip: median 150 us, p90 240 us, p99 2.2 ms)". */
export function describeRoundTrips(r: RoundTrips): string {
  const t = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us.toFixed(0)} us`);
  return `${r.perSecond.toFixed(0)}/s (one round trip: median ${t(r.p50us)}, p90 ${t(r.p90us)}, p99 ${t(r.p99us)})`;
}
