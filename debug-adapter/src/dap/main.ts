// Debug adapter process entry: DAP over stdio, or over TCP with --server=PORT (to debug the adapter itself).
import { createServer } from 'net';
import { DebugEngine } from '../debugger/engine';
import { VmTarget } from '../debugger/target';
import { BatchedWriter } from './batchedWriter';
import { KvmDebugSession } from './session';

/** The vCPU worker is bundled next to this file (dist/vcpuWorker.js). */
const WORKER_DIR = __dirname;

function newSession(): { session: KvmDebugSession; engine: DebugEngine } {
  const engine = new DebugEngine((config) => VmTarget.start(config, WORKER_DIR));
  return { session: new KvmDebugSession(engine), engine };
}

const portArg = process.argv.slice(2).find((a) => a.startsWith('--server='));
if (portArg) {
  const port = Number(portArg.slice('--server='.length));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    process.stderr.write(`kvmlab debug adapter: --server needs a TCP port number, not '${portArg.slice(9)}'\n`);
    process.exit(1);
  }
  createServer((socket) => {
    const { session, engine } = newSession();
    session.setRunAsServer(true);
    socket.on('close', () => void engine.terminate());
    session.start(socket, new BatchedWriter(socket));
  }).listen(port, '127.0.0.1');
} else {
  const { session, engine } = newSession();
  // The client went away without a disconnect: end the VM first, since a thread inside KVM_RUN blocks process exit.
  const bail = () => void engine.terminate().finally(() => process.exit(0));
  process.stdin.on('end', bail);
  process.on('SIGTERM', bail);
  session.start(process.stdin, new BatchedWriter(process.stdout));
}
