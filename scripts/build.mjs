// Build: type-check and emit to out/ (what the tests import), then bundle the shipped entry points into dist/.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const onlyBundle = process.argv.includes('--bundle-only');

if (!onlyBundle) {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });
  } catch {
    console.error('build: TypeScript reported errors (see above)');
    process.exit(1);
  }
}

/** Node entry points, each bundled into one file next to the others (the vCPU worker is found beside its host). */
const nodeEntries = [
  ['debug-adapter/src/cli/main.ts', 'cli'],
  ['debug-adapter/src/vmm/vcpu/vcpuWorker.ts', 'vcpuWorker'],
  ['debug-adapter/src/dap/main.ts', 'debug-adapter'],
  ['extension/src/extension.ts', 'extension'],
  ['bench/main.ts', 'bench'],
];
/** Webview scripts run in the browser sandbox of a VS Code webview. */
const webEntries = [
  ['webview-ui/framebuffer/main.ts', 'webview/framebuffer'],
  ['webview-ui/backdoorInspector/main.ts', 'webview/backdoorInspector'],
];

const present = (list) => list.filter(([src]) => existsSync(join(root, src)));

await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(present(nodeEntries).map(([src, out]) => [out, src])),
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['vscode', 'koffi'],
  logLevel: 'warning',
});

const web = present(webEntries);
if (web.length) {
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(web.map(([src, out]) => [out, src])),
    outdir: 'dist',
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: true,
    logLevel: 'warning',
  });
}
