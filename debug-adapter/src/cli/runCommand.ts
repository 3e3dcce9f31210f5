// `kvmlab run`: plans the image, boots it in a VmHost, wires the serial console to stdio, maps the ending to a status.
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'fs';
import { dirname, resolve } from 'path';
import { ImageFormatError } from '../loaders/loadPlan';
import { planImage } from '../loaders/probe';
import type { RunStats, VmEnd } from '../vmm/vcpu/protocol';
import { ScreenshotRecorder } from '../vmm/display/screenshots';
import { VmHost } from '../vmm/vmHost';
import { fileLabel, readInputFile } from './imageFiles';
import type { RunOptions } from './runArgs';
import { UsageError } from './usageError';

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_GUEST_CRASH = 2;
export const EXIT_TIMEOUT = 124;
export const EXIT_INTERRUPTED = 130;

export interface RunOutcome { status: number; end: VmEnd; stats: RunStats }

function buildPlan(o: RunOptions) {
  const image = readInputFile('image', o.image);
  const initrd = o.initrd ? { name: fileLabel(o.initrd), bytes: readInputFile('--initrd', o.initrd) } : undefined;
  const modules = o.modules.map((m) => ({ name: fileLabel(m), bytes: readInputFile('--module', m) }));
  try {
    return planImage(image, {
      ramSize: o.memoryMiB * 1024 * 1024, cmdline: o.cmdline, initrd, modules,
      // Multiboot kernels get "<image> <cmdline>", as GRUB and QEMU pass it.
      kernelName: o.image,
      flat: o.format === 'flat' ? { loadAddress: o.flat!.loadAddress!, entry: o.flat!.entry!, mode: o.flat!.mode! } : undefined,
    }, o.format);
  } catch (e) {
    if (e instanceof ImageFormatError) throw new UsageError(`image '${o.image}': ${e.message}`);
    throw e;
  }
}

/** Maps how the VM ended to the process exit status (QEMU's conventions where QEMU has one). */
export function exitStatusFor(end: VmEnd): number {
  switch (end.reason) {
    case 'debugExit': return end.status & 0xff;
    case 'halted': case 'reset': case 'stopped': return EXIT_OK;
    case 'tripleFault': case 'internalError': case 'failEntry': return EXIT_GUEST_CRASH;
    case 'setupFailed': return EXIT_BAD_INPUT;
  }
}

export async function runCommand(o: RunOptions, workerDir: string): Promise<RunOutcome> {
  const plan = buildPlan(o);
  checkScreenshotTargets(o);
  let serialFd: number | undefined;
  if (o.serial.kind === 'file') {
    try { serialFd = openSync(o.serial.path, 'w'); } catch (e) {
      throw new UsageError(`--serial file:${o.serial.path}: cannot be written (${(e as NodeJS.ErrnoException).code})`);
    }
  }
  if (o.verbose) {
    process.stderr.write(`kvmlab: ${o.image}: ${plan.format} image, ${o.memoryMiB} MiB of RAM\n`);
    for (const n of plan.notes) process.stderr.write(`kvmlab:   ${n}\n`);
  }
  const backdoorLog = openBackdoorLog(o.backdoorLog);
  const vm = new VmHost({
    memoryBytes: o.memoryMiB * 1024 * 1024, irqchip: o.irqchip, plan, startPaused: false,
    serialEnabled: o.serial.kind !== 'none', reportUnhandled: true,
    vmware: { enabled: o.vmware, vmName: fileLabel(o.image), guestinfo: o.guestinfo, tclo: o.tclo, hypercall: o.hypercall },
    recordBackdoor: o.backdoorLog !== undefined,
    svga: o.svga, display: o.screenshot !== undefined || o.screenshotEvery !== undefined,
  }, workerDir);
  const screenshots = startScreenshots(o, vm);
  vm.on('backdoor', (record) => backdoorLog?.write(record));
  vm.on('guestLog', (text) => process.stderr.write(`guest: ${text}\n`));

  vm.on('serial', (bytes) => {
    if (o.serial.kind === 'stdio') process.stdout.write(bytes);
    else if (serialFd !== undefined) writeSync(serialFd, bytes);
  });
  vm.on('debugcon', (bytes) => process.stderr.write(bytes));
  // Process start to the vCPU ready to run its first instruction (the worker reports ready just before KVM_RUN).
  let startupSeconds = 0;
  vm.once('ready', () => { startupSeconds = process.uptime(); });
  vm.on('log', (level, text) => process.stderr.write(`kvmlab: ${level === 'warn' ? 'warning: ' : ''}${text}\n`));

  let forced: { status: number; message: string } | undefined;
  const stopWith = (status: number, message: string) => { forced ??= { status, message }; void vm.stop(); };
  const timer = o.timeoutSeconds !== undefined
    ? setTimeout(() => stopWith(EXIT_TIMEOUT, `timeout: the guest was stopped after ${o.timeoutSeconds} s`), o.timeoutSeconds * 1000)
    : undefined;
  const onSigint = () => stopWith(EXIT_INTERRUPTED, 'interrupted: the guest was stopped');
  const onSigterm = () => stopWith(EXIT_INTERRUPTED + 13, 'terminated: the guest was stopped');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  const stdinFeed = o.serial.kind === 'stdio' ? feedStdin(vm) : undefined;

  const [end, stats] = await new Promise<[VmEnd, RunStats]>((resolve) => vm.once('ended', (e, s) => resolve([e, s])));
  await vm.whenExited();
  if (timer) clearTimeout(timer);
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigterm);
  stdinFeed?.();
  if (serialFd !== undefined) closeSync(serialFd);
  backdoorLog?.close();
  screenshots?.finish();

  let status = exitStatusFor(end);
  if (forced) {
    status = forced.status;
    process.stderr.write(`kvmlab: ${forced.message}\n`);
  } else {
    reportEnd(end);
  }
  if (o.stats) {
    process.stderr.write(`${JSON.stringify({ end: end.reason, format: plan.format, startupSeconds, ...stats })}\n`);
  }
  return { status, end, stats };
}

/** Fails before the VM starts when a screenshot can never be written. */
function checkScreenshotTargets(o: RunOptions): void {
  if (o.screenshot !== undefined && !existsSync(dirname(resolve(o.screenshot)))) {
    throw new UsageError(`--screenshot ${o.screenshot}: the folder ${dirname(o.screenshot)} does not exist`);
  }
  const dir = o.screenshotEvery?.dir;
  if (dir !== undefined) {
    try { mkdirSync(dir, { recursive: true }); } catch (e) {
      throw new UsageError(`--screenshot-every: the folder ${dir} cannot be created (${(e as NodeJS.ErrnoException).code})`);
    }
  }
}

function startScreenshots(o: RunOptions, vm: VmHost): ScreenshotRecorder | undefined {
  if (o.screenshot === undefined && o.screenshotEvery === undefined) return undefined;
  const warn = (text: string) => process.stderr.write(`kvmlab: warning: ${text}\n`);
  return new ScreenshotRecorder(vm, { finalPath: o.screenshot, every: o.screenshotEvery, warn });
}

/** JSON Lines writer for backdoor records; 64-bit register values are written as hex strings. */
function openBackdoorLog(target: string | undefined): { write(r: unknown): void; close(): void } | undefined {
  if (target === undefined) return undefined;
  let fd = 1;
  if (target !== '-') {
    try { fd = openSync(target, 'w'); } catch (e) {
      throw new UsageError(`--backdoor-log ${target}: cannot be written (${(e as NodeJS.ErrnoException).code})`);
    }
  }
  const json = (r: unknown) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v instanceof Uint8Array ? Array.from(v) : v));
  return {
    write: (r) => writeSync(fd, `${json(r)}\n`),
    close: () => { if (fd !== 1) closeSync(fd); },
  };
}

function reportEnd(end: VmEnd): void {
  switch (end.reason) {
    case 'tripleFault': case 'internalError': case 'failEntry':
      process.stderr.write(`kvmlab: the guest stopped: ${end.report}\n`);
      break;
    case 'setupFailed':
      process.stderr.write(`kvmlab: cannot start the VM: ${end.message}\n${end.advice ? `kvmlab: ${end.advice}\n` : ''}`);
      break;
    case 'reset':
      process.stderr.write(`kvmlab: the guest reset the machine (${end.source}); stopping\n`);
      break;
    default:
      break;
  }
}

/** Forwards stdin (a TTY in line mode, or a pipe) to the UART; returns a function that stops reading. */
function feedStdin(vm: VmHost): () => void {
  const stdin = process.stdin;
  if (stdin.isTTY === undefined && !isReadablePipe()) return () => undefined;
  const onData = (chunk: Buffer) => vm.sendSerialInput(new Uint8Array(chunk));
  stdin.on('data', onData);
  stdin.on('error', () => undefined);
  return () => { stdin.off('data', onData); stdin.pause(); stdin.destroy(); };
}

function isReadablePipe(): boolean {
  try {
    const { fstatSync } = require('fs') as typeof import('fs');
    const st = fstatSync(0);
    return st.isFIFO() || st.isSocket() || st.isFile();
  } catch {
    return false;
  }
}
