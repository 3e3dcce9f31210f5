// Decides how the debug adapter is started: a Node process running dist/debug-adapter.js, or a TCP adapter under development.
import { join } from 'path';

export type AdapterLaunch =
  | { kind: 'executable'; command: string; args: string[]; env: Record<string, string> }
  | { kind: 'server'; port: number };

export interface AdapterSettings {
  /** Connect to an adapter started with --server=PORT (for working on the adapter); 0 = start one per session. */
  serverPort: number;
  /** A Node binary to run the adapter with; empty = the extension host's own runtime. */
  nodePath: string;
}

export interface HostRuntime {
  execPath: string;
  /** process.versions.electron: set when the extension host is desktop VS Code's Electron. */
  electron?: string;
}

export const ADAPTER_SCRIPT = join('dist', 'debug-adapter.js');

/**
 * In desktop VS Code the extension host's executable is Electron, which runs a script as plain Node only with
 * ELECTRON_RUN_AS_NODE=1; in code-server and remote hosts it already is Node.
 */
export function adapterLaunch(extensionPath: string, settings: AdapterSettings, host: HostRuntime): AdapterLaunch {
  if (settings.serverPort > 0) {
    if (!Number.isInteger(settings.serverPort) || settings.serverPort > 65535) {
      throw new Error(`kvmlab.adapter.serverPort must be a TCP port from 1 to 65535 (or 0 to start the adapter per session), not ${settings.serverPort}`);
    }
    return { kind: 'server', port: settings.serverPort };
  }
  const script = join(extensionPath, ADAPTER_SCRIPT);
  if (settings.nodePath.trim() !== '') return { kind: 'executable', command: settings.nodePath.trim(), args: [script], env: {} };
  return {
    kind: 'executable',
    command: host.execPath,
    args: [script],
    env: host.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {},
  };
}
