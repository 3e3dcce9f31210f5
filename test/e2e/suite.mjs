// The end-to-end checks, in order, against a real VS Code workbench: host check, F5, stops, panels, serial terminal, clean end.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pngjs from 'pngjs';
import { focusWorkbench, runCommand, webviewFrame } from './workbench.mjs';

const { PNG } = pngjs;
const SESSION = 'Boot multiboot-c';

/** Adapter processes started from this run's extension folder that are still alive. */
function adapterProcesses(extDir) {
  const found = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(extDir) && cmd.includes('debug-adapter.js')) found.push(`${pid}: ${cmd.trim()}`);
    } catch { /* exited while we looked */ }
  }
  return found;
}

async function waitFor(fn, what, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}


/** Closes the editors (and panels) of earlier steps, then starts a launch configuration by name and waits for its entry stop. */
async function startConfiguration(page, name) {
  await runCommand(page, 'View: Close All Editors');
  await runCommand(page, 'Debug: Select and Start Debugging');
  // This picker is the "debug " quick-access provider: filling the input would replace its prefix, so click the row.
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().click();
  await page.locator('.debug-toolbar').waitFor({ timeout: 60_000 });
  await page.locator('.call-stack-state-message', { hasText: /entry/i }).waitFor({ timeout: 60_000 });
}

export function defineChecks({ page, dirs, shot, log }) {
  const callStackRows = () => page.locator('.debug-call-stack .monaco-list-row');
  return [
    ['workbench loads the fixture workspace', async () => {
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'README.md' }).waitFor({ timeout: 60_000 });
      await page.locator('.part.statusbar').waitFor();
      await shot('01-workbench');
    }],
    ['"KVM Lab: Check KVM Host" reports a usable KVM', async () => {
      await runCommand(page, 'KVM Lab: Check KVM Host');
      const file = join(dirs.results, 'host-check.txt');
      const text = await waitFor(() => existsSync(file) && readFileSync(file, 'utf8'), 'the host report');
      if (!text.includes('KVM is usable.')) throw new Error(`host report says:\n${text}`);
      await page.locator('.notifications-toasts', { hasText: 'KVM is usable on this host' }).waitFor({ timeout: 10_000 });
      await shot('02-host-check');
    }],
    ['F5 boots the kernel and stops on entry with _start in the Call Stack', async () => {
      await focusWorkbench(page);
      await page.keyboard.press('F5');
      await page.locator('.debug-toolbar').waitFor({ timeout: 60_000 });
      // The adapter words the entry stop itself ("Entry point at _start in 32-bit protected mode").
      await page.locator('.call-stack-state-message', { hasText: /entry/i }).waitFor({ timeout: 60_000 });
      await callStackRows().filter({ hasText: '_start' }).first().waitFor({ timeout: 20_000 });
      await shot('03-stopped-on-entry');
    }],
    ['the status bar shows the paused VM', async () => {
      await page.locator('.part.statusbar', { hasText: `${SESSION}: paused` }).waitFor({ timeout: 10_000 });
    }],
    ['the framebuffer panel loads its script under the CSP and shows the guest screen state', async () => {
      await runCommand(page, 'KVM Lab: Show Framebuffer');
      const frame = webviewFrame(page);
      await frame.locator('canvas#screen').waitFor({ state: 'attached', timeout: 30_000 });
      // Either the adapter already sent the (VGA text) screen, or the panel says nothing was drawn yet.
      await frame.locator('#status', { hasText: /^(no frames yet|\d+×\d+ · update #\d+)/ }).waitFor({ timeout: 10_000 });
      await frame.locator('#session', { hasText: `${SESSION}: paused` }).waitFor({ timeout: 10_000 });
      await shot('04-framebuffer-panel');
    }],
    ['the backdoor inspector loads with its filters and TCLO box', async () => {
      await runCommand(page, 'KVM Lab: Show Backdoor Inspector');
      const frame = webviewFrame(page);
      await frame.locator('#filter-text').waitFor({ timeout: 30_000 });
      await frame.locator('#tclo').waitFor();
      await frame.locator('.counts', { hasText: 'entries' }).waitFor({ timeout: 10_000 });
      await shot('05-backdoor-inspector');
    }],
    ['a function breakpoint on fact stops there, with kmain below it', async () => {
      await runCommand(page, 'Add Function Breakpoint');
      const input = page.locator('.debug-breakpoints input, .debug-breakpoints textarea').first();
      await input.waitFor({ timeout: 10_000 });
      await page.keyboard.type('fact');
      await page.keyboard.press('Enter');
      await page.locator('.debug-breakpoints .monaco-list-row', { hasText: 'fact' }).waitFor({ timeout: 10_000 });
      await focusWorkbench(page);
      await page.keyboard.press('F5');
      await callStackRows().filter({ hasText: 'fact' }).first().waitFor({ timeout: 60_000 });
      await callStackRows().filter({ hasText: 'kmain' }).first().waitFor({ timeout: 20_000 });
      await shot('06-breakpoint-fact');
    }],
    ['"KVM Lab: Reset VM" restarts the guest from its entry point in the same session', async () => {
      await runCommand(page, 'KVM Lab: Reset VM');
      await callStackRows().filter({ hasText: '_start' }).first().waitFor({ timeout: 60_000 });
      await page.locator('.part.statusbar', { hasText: `${SESSION}: paused (Entry point` }).waitFor({ timeout: 30_000 });
      await shot('06b-after-reset');
    }],
    ['continuing runs the guest to its end; the serial terminal shows its output', async () => {
      // Remove the breakpoint so the recursion does not stop again, then continue to the guest's own exit.
      await runCommand(page, 'Remove All Breakpoints');
      await focusWorkbench(page);
      await page.keyboard.press('F5');
      await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 60_000 });
      const rows = page.locator('.terminal-wrapper .xterm-rows');
      await waitFor(async () => (await rows.allInnerTexts()).join('\n').includes('multiboot-c: hello'), 'guest output in the terminal');
      await waitFor(async () => /\bdone\b/.test((await rows.allInnerTexts()).join('\n')), '"done" in the terminal');
      await waitFor(async () => (await rows.allInnerTexts()).join('\n').includes(`[${SESSION}: VM ended, exit status 1]`), 'the end notice in the terminal');
      await shot('07-serial-terminal');
    }],
    ['"Copy Console Screen" copies the guest output as plain text', async () => {
      await runCommand(page, 'KVM Lab: Copy Console Screen');
      const file = join(dirs.results, 'console-screen.txt');
      const text = await waitFor(() => existsSync(file) && readFileSync(file, 'utf8'), 'the copied screen');
      for (const line of ['multiboot-c: hello', 'fact(5)=120', 'console=ttyS0 demo', 'done']) {
        if (!text.includes(line)) throw new Error(`copied screen lacks "${line}":\n${text}`);
      }
      if (!text.includes('VM ended, exit status 1')) throw new Error(`copied screen lacks the end notice:\n${text}`);
    }],
    ['nothing is left running after the session ends', async () => {
      // After an earlier failure the VM may still be up: stop it the way a user would.
      if (await page.locator('.debug-toolbar').isVisible()) await page.keyboard.press('Shift+F5');
      await waitFor(() => adapterProcesses(dirs.ext).length === 0, 'the adapter process to exit', 15_000)
        .catch(() => { throw new Error(`still running:\n${adapterProcesses(dirs.ext).join('\n')}`); });
      await page.locator('.part.statusbar', { hasText: `${SESSION}: ended` }).waitFor({ timeout: 10_000 });
      await shot('08-final');
    }],
    ['a guest drawing through SVGA II shows its picture in the framebuffer panel', async () => {
      await startConfiguration(page, 'Boot svga');
      await runCommand(page, 'KVM Lab: Show Framebuffer');
      const frame = webviewFrame(page);
      await frame.locator('#session', { hasText: 'Boot svga: paused' }).waitFor({ timeout: 30_000 });
      await focusWorkbench(page);
      await page.keyboard.press('F5');
      await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 60_000 });
      await frame.locator('#status', { hasText: /^640×480/ }).waitFor({ timeout: 20_000 });
      const coloured = await frame.locator('canvas#screen').evaluate((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] || d[i + 1] || d[i + 2]) n++;
        return n;
      });
      if (coloured < 1000) throw new Error(`only ${coloured} non-black pixels on the 640x480 screen`);
      await shot('09-svga-framebuffer');
      // The panel's Screenshot button: the webview encodes the canvas, the host saves it into the workspace.
      await frame.locator('#screenshot').click();
      await frame.locator('#status', { hasText: /saved .*\.png/ }).waitFor({ timeout: 15_000 });
      const dir = join(dirs.ws, '.kvmlab', 'screenshots');
      const files = await waitFor(() => existsSync(dir) && readdirSync(dir).filter((f) => f.endsWith('.png')), 'the saved screenshot');
      const png = PNG.sync.read(readFileSync(join(dir, files[0])));
      if (png.width !== 640 || png.height !== 480) throw new Error(`screenshot is ${png.width}x${png.height}, expected 640x480`);
    }],
    ['the backdoor inspector sends a TCLO command and lists the GuestRPC traffic of a guest', async () => {
      await startConfiguration(page, 'Boot rpctool');
      await runCommand(page, 'KVM Lab: Show Backdoor Inspector');
      const frame = webviewFrame(page);
      await frame.locator('.session', { hasText: 'Boot rpctool: paused' }).waitFor({ timeout: 30_000 });
      // Queue a host command before the guest opens its TCLO channel; the guest prints what it received.
      await frame.locator('#tclo').fill('ping');
      await frame.locator('#tclo-send').click();
      await frame.locator('.tclo-result', { hasText: 'queued "ping"' }).waitFor({ timeout: 10_000 });
      await focusWorkbench(page);
      await page.keyboard.press('F5');
      await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 60_000 });
      const rows = page.locator('.terminal-wrapper .xterm-rows');
      await waitFor(async () => (await rows.allInnerTexts()).join('\n').includes('tclo lb: "ping" -> "OK "'), 'the guest answering the TCLO ping');
      const total = await waitFor(async () => Number(/^(\d+) entries/.exec(await frame.locator('.counts').innerText())?.[1]) > 20
        && frame.locator('.counts').innerText(), 'the trace to fill the table', 20_000);
      // Only rows in view exist (the table is virtualised), so filter down to the message first.
      await frame.locator('#filter-text').fill('info-set guestinfo.answer');
      await frame.locator('.counts', { hasText: / of \d+/ }).waitFor({ timeout: 5000 });
      await frame.locator('.rows .row', { hasText: 'info-set guestinfo.answer 42' }).first().waitFor({ timeout: 5000 });
      await frame.locator('.rows .row').first().click();
      await frame.locator('.detail h3').waitFor({ timeout: 5000 });
      await shot('10-backdoor-rpctool');
      log?.(`backdoor inspector: ${total}`);
      await frame.locator('#view').selectOption('conversations');
      await frame.locator('.bubble', { hasText: 'info-set guestinfo.answer 42' }).first().waitFor({ timeout: 5000 });
      await shot('11-backdoor-conversations');
    }],
    ['"New VM from Template" scaffolds a Multiboot C project into a chosen folder', async () => {
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'KVM Lab: New VM from Template...');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Multiboot C kernel' }).first().click();
      // code-server shows VS Code's own folder picker (a quick input holding a path).
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ timeout: 10_000 });
      await page.waitForTimeout(500);
      await input.fill(`${join(dirs.ws, 'newvm')}/`);
      await page.waitForTimeout(500);
      await page.keyboard.press('Enter');
      const target = join(dirs.ws, 'newvm');
      await waitFor(() => existsSync(join(target, 'kernel.c')) && existsSync(join(target, '.vscode', 'launch.json')), 'the scaffolded project');
      await page.locator('.tab', { hasText: 'kernel.c' }).first().waitFor({ timeout: 10_000 });
      await shot('12-new-from-template');
    }],
    ['the walkthrough "Get started with KVM Lab" opens with its steps', async () => {
      await runCommand(page, 'Welcome: Open Walkthrough...');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Get started with KVM Lab' }).first().click();
      await page.locator('.gettingStartedContainer', { hasText: 'Check that KVM works here' }).first().waitFor({ timeout: 20_000 });
      await page.locator('.gettingStartedContainer', { hasText: 'Create a VM project from a template' }).first().waitFor({ timeout: 5000 });
      await shot('13-walkthrough');
    }],
  ];
}
