// Runs the bundled `kvmlab` CLI as a child process and captures its output and exit status.
import { spawn } from 'child_process';
import { join } from 'path';

export const ROOT = join(__dirname, '..', '..', '..');
export const GUESTS = join(ROOT, 'build', 'guests');

export interface CliResult { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }

export function runCli(args: string[], opts: { input?: string; timeoutMs?: number; onStdout?: (s: string) => void } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'kvmlab.js'), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; opts.onStdout?.(stdout); });
    child.stderr.on('data', (d) => { stderr += d; });
    if (opts.input !== undefined) child.stdin.end(opts.input); else child.stdin.end();
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60000);
    child.on('close', (status, signal) => {
      clearTimeout(killer);
      resolve({ status, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}
