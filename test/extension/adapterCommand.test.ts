// How the adapter process is started: Electron as Node on the desktop, plain Node elsewhere, a TCP adapter for development.
import assert from 'node:assert/strict';
import { join } from 'path';
import { adapterLaunch } from '../../extension/src/adapterCommand';

const EXT = '/opt/ext';
const SCRIPT = join(EXT, 'dist', 'debug-adapter.js');

describe('extension adapter command', () => {
  it('runs desktop VS Code\'s Electron as Node', () => {
    assert.deepEqual(adapterLaunch(EXT, { serverPort: 0, nodePath: '' }, { execPath: '/usr/share/code/code', electron: '30.1.2' }),
      { kind: 'executable', command: '/usr/share/code/code', args: [SCRIPT], env: { ELECTRON_RUN_AS_NODE: '1' } });
  });

  it('runs the extension host\'s own Node in code-server and remote hosts', () => {
    assert.deepEqual(adapterLaunch(EXT, { serverPort: 0, nodePath: '' }, { execPath: '/srv/node24/bin/node' }),
      { kind: 'executable', command: '/srv/node24/bin/node', args: [SCRIPT], env: {} });
  });

  it('prefers a configured Node binary', () => {
    assert.deepEqual(adapterLaunch(EXT, { serverPort: 0, nodePath: ' /usr/bin/node ' }, { execPath: '/x/code', electron: '30' }),
      { kind: 'executable', command: '/usr/bin/node', args: [SCRIPT], env: {} });
  });

  it('connects to an adapter in server mode, rejecting impossible ports', () => {
    assert.deepEqual(adapterLaunch(EXT, { serverPort: 4711, nodePath: '' }, { execPath: 'node' }), { kind: 'server', port: 4711 });
    assert.throws(() => adapterLaunch(EXT, { serverPort: 70000, nodePath: '' }, { execPath: 'node' }), /kvmlab.adapter.serverPort must be a TCP port from 1 to 65535/);
    assert.throws(() => adapterLaunch(EXT, { serverPort: 1.5, nodePath: '' }, { execPath: 'node' }), /TCP port/);
  });
});
