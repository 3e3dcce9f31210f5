// `npm run bench`: KVM Lab measured side by side with a bare C KVM loop on the same exit-heavy guests, in one run.
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { DebugInfo } from '../debug-adapter/src/debugger/symbols';
import { dapBench, describeRoundTrips, type DapRates } from './dapBench';
import { runDisplayBench } from './displayBench';

const ROOT = join(__dirname, '..');
const GUESTS = join(ROOT, 'build', 'guests');
const REFLOOP = join(ROOT, 'build', 'refloop');
const KVMLAB = join(ROOT, 'bin', 'kvmlab.js');
const ROUNDS = 5;
const N = 20000;
/** Exit-heavy guests and the row label each gets; every one runs n=N operations, one exit each. */
const BENCH_GUESTS: readonly [file: string, label: string][] = [
  ['bench-serial.elf', 'bench-serial'],
  ['bench-pio.elf', 'bench-pio'],
  ['bench-mmio.elf', 'bench-mmio'],
  // One IN whose answer needs the registers (read and written back through sync_regs on both sides).
  ['bench-backdoor.elf', 'backdoor GETVERSION'],
];

interface Sample { usPerExit: number; exits: number }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function lastJsonLine(text: string): Record<string, unknown> {
  const line = text.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no JSON statistics in output:\n${text}`);
  return JSON.parse(line);
}

function runRefloop(guest: string, irqchip: boolean): Sample {
  const args = [...(irqchip ? ['--irqchip'] : []), '--cmdline', `n=${N}`, join(GUESTS, guest)];
  const r = spawnSync(REFLOOP, args, { encoding: 'utf8' });
  const j = lastJsonLine(r.stderr);
  return { usPerExit: Number(j.usPerExit), exits: Number(j.exits) };
}

function runKvmlab(guest: string, irqchip: boolean): Sample {
  const args = [KVMLAB, 'run', join(GUESTS, guest), '--append', `n=${N}`, '--serial', 'none', '--stats', ...(irqchip ? [] : ['--no-irqchip'])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const j = lastJsonLine(r.stderr) as { totalExits: number; runSeconds: number };
  return { usPerExit: (j.runSeconds * 1e6) / j.totalExits, exits: j.totalExits };
}

/** Process start to the first guest instruction (from --stats), and the whole run of a guest that halts at once. */
function startup(): { firstInstruction: number; wholeRun: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [KVMLAB, 'run', join(GUESTS, 'halt.elf'), '--serial', 'none', '--stats'], { encoding: 'utf8' });
  const wholeRun = Number(process.hrtime.bigint() - t0) / 1e9;
  return { firstInstruction: Number(lastJsonLine(r.stderr).startupSeconds), wholeRun };
}

async function main(): Promise<void> {
  for (const f of [REFLOOP, ...BENCH_GUESTS.map(([file]) => join(GUESTS, file))]) {
    if (!existsSync(f)) { console.error(`bench: ${f} is missing; run npm run guests first`); process.exit(1); }
  }
  const rows: string[][] = [['guest', 'exits', 'C loop us/exit', 'KVM Lab us/exit', 'ratio']];
  const results: Record<string, unknown> = {};
  for (const [guest, label] of BENCH_GUESTS) {
    for (const irqchip of [true, false]) {
      const c: number[] = [];
      const k: number[] = [];
      let exits = 0;
      // Alternate the two so both see the same machine load.
      for (let i = 0; i < ROUNDS; i++) {
        c.push(runRefloop(guest, irqchip).usPerExit);
        const s = runKvmlab(guest, irqchip);
        k.push(s.usPerExit);
        exits = s.exits;
      }
      const cm = median(c);
      const km = median(k);
      const name = `${label}${irqchip ? '' : ' (no irqchip)'}`;
      rows.push([name, String(exits), cm.toFixed(2), km.toFixed(2), (km / cm).toFixed(3)]);
      results[name] = { cUsPerExit: cm, kvmlabUsPerExit: km, ratio: km / cm };
    }
  }
  const starts = Array.from({ length: ROUNDS }, startup);
  const firstInstruction = median(starts.map((s) => s.firstInstruction));
  const wholeRun = median(starts.map((s) => s.wholeRun));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(`Exit cost, median of ${ROUNDS} alternating runs of ${N} operations each:`);
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
  console.log(`\nProcess start to first guest instruction, median: ${firstInstruction.toFixed(3)} s`);
  console.log(`Whole \`kvmlab run\` of a guest that halts at once (start to exit), median: ${wholeRun.toFixed(3)} s`);
  const display = await runDisplayBench();
  console.log(`Full-screen 1024x768x32 frames the display path can deliver to the owner (synthetic driver, whole VRAM dirty; live ticks come every 33 ms): ${display.fullScreenFps.toFixed(1)} fps (goal >= 30)`);
  console.log(`Adapter-side cost of a 64x64 update (encode + post): ${display.smallUpdateMs.toFixed(3)} ms (goal < 2)`);
  const debug = await debugRates();
  console.log(`\nDebugger, through DAP (a client waiting for each stop) against raw KVM_SET_GUEST_DEBUG in a C loop:`);
  console.log(`  instruction steps: ${describeRoundTrips(debug.dap.steps)} over DAP (goal >= 5000/s), ${debug.raw.stepsPerSecond.toFixed(0)}/s raw`);
  console.log(`  breakpoint hit + continue: ${describeRoundTrips(debug.dap.hits)} over DAP (goal >= 2000/s), ${debug.raw.hitsPerSecond.toFixed(0)}/s raw (hardware breakpoint + step over)`);
  console.log(`  breakpoint hits that do not stop (hit count never reached): ${debug.dap.silentHitsPerSecond.toFixed(0)}/s (goal >= 15000)`);
  console.log(`\n${JSON.stringify({ exitCost: results, firstInstruction, wholeRun, display, debug })}`);
}

/** The raw rates from the reference loop, on the same guest the DAP client debugs. */
function refloopRate(args: string[]): number {
  const r = spawnSync(REFLOOP, [...args, '--cmdline', 'n=1000000', join(GUESTS, 'bploop.elf')], { encoding: 'utf8' });
  return Number(lastJsonLine(r.stderr).perSecond);
}

async function debugRates() {
  const tick = DebugInfo.fromElf(new Uint8Array(readFileSync(join(GUESTS, 'bploop.elf')))).symbols.byName('tick');
  if (!tick) throw new Error('bploop.elf has no symbol tick');
  const raw = {
    stepsPerSecond: refloopRate(['--steps', '20000']),
    hitsPerSecond: refloopRate(['--bp-hits', `0x${tick.address.toString(16)}`, '5000']),
  };
  // The DAP client runs in a process of its own, as an editor's does: the heap this process has built up over the
  // other measurements would otherwise put its garbage collections into the debugger's figures.
  const client = spawnSync(process.execPath, [__filename, DAP_CLIENT_FLAG], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (client.status !== 0) throw new Error(`the DAP benchmark client failed: ${client.stderr}`);
  const dap = lastJsonLine(client.stdout) as unknown as DapRates;
  return { dap, raw };
}

const DAP_CLIENT_FLAG = '--dap-client';

if (process.argv.includes(DAP_CLIENT_FLAG)) {
  void dapBench(ROOT).then((r) => console.log(JSON.stringify(r)));
} else {
  void main();
}
