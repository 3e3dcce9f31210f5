// Adapter test: the --server=PORT mode used to debug the adapter itself serves a session over TCP.
import assert from 'node:assert/strict';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { spawn, type ChildProcess } from 'child_process';
import { connect, createServer } from 'net';
import { requireKvm } from '../kvm/kvmAvailable';
import { ADAPTER, guest, launchToStop, TIMEOUT_MS } from './dapHarness';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

describe('debug adapter: server mode', function () {
  requireKvm(this);
  let server: ChildProcess | undefined;
  afterEach(() => { server?.kill(); });

  it('serves a session on a TCP port and reports a bad port clearly', async () => {
    const port = await freePort();
    server = spawn(process.execPath, [ADAPTER, `--server=${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Wait until the port accepts connections.
    await new Promise<void>((resolve) => {
      const attempt = () => {
        const s = connect(port, '127.0.0.1');
        s.once('connect', () => { s.end(); resolve(); });
        s.once('error', () => setTimeout(attempt, 50));
      };
      attempt();
    });
    const dc = new DebugClient('node', ADAPTER, 'kvmlab');
    dc.defaultTimeout = TIMEOUT_MS;
    await dc.start(port);
    const stop = await launchToStop(dc, { kernel: guest('spin.elf') });
    assert.equal(stop.body.reason, 'entry');
    // Disconnect ends the VM; the server itself keeps listening for the next session.
    await dc.stop();
    assert.equal(server.exitCode, null);

    const bad = spawn(process.execPath, [ADAPTER, '--server=http'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    bad.stderr!.on('data', (d) => { stderr += d; });
    const code = await new Promise<number | null>((resolve) => bad.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /--server needs a TCP port number, not 'http'/);
  });
});
