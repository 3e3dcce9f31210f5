// SVGA II and VGA text on real KVM: the svga guest's picture pixel for pixel, the boot sector's text screen, frame events.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from '../../debug-adapter/src/devices/vga/font8x16';
import { CGA_PALETTE } from '../../debug-adapter/src/devices/vga/textRenderer';
import { decodeFrameUpdate } from '../../debug-adapter/src/display/frameDecoder';
import { readPixelRgb, type Framebuffer } from '../../debug-adapter/src/display/framebuffer';
import { planImage } from '../../debug-adapter/src/loaders/probe';
import { ZERO_PAGE_ADDR } from '../../debug-adapter/src/vmm/layout';
import { ScreenModel } from '../../debug-adapter/src/vmm/display/screenModel';
import type { MachineConfig } from '../../debug-adapter/src/vmm/vcpu/protocol';
import { VmHost } from '../../debug-adapter/src/vmm/vmHost';
import { loadManifest } from '../unit/guests/guestManifest';
import { requireKvm } from './kvmAvailable';
import { GUESTS, ROOT, runCli } from './runCli';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };

const WORKER_DIR = join(ROOT, 'out', 'debug-adapter', 'src', 'vmm', 'vcpu');
const WIDTH = 640;
const HEIGHT = 480;

interface Image { width: number; height: number; rgb(x: number, y: number): number }

function readPng(path: string): Image {
  const png = PNG.sync.read(readFileSync(path));
  return {
    width: png.width,
    height: png.height,
    rgb: (x, y) => {
      const i = (y * png.width + x) * 4;
      return (png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2];
    },
  };
}

const fromFramebuffer = (fb: Framebuffer): Image => ({ width: fb.width, height: fb.height, rgb: (x, y) => readPixelRgb(fb, x, y) });

/** The picture guests/svga/svga.c draws, built independently of the device: fills, the copy, then direct pixels. */
function expectedSvgaPicture(): Uint32Array {
  const px = new Uint32Array(WIDTH * HEIGHT);
  const fill = (c: number, x: number, y: number, w: number, h: number) => {
    for (let j = y; j < y + h; j++) px.fill(c, j * WIDTH + x, j * WIDTH + x + w);
  };
  fill(0x202020, 0, 0, WIDTH, HEIGHT);
  fill(0xff0000, 40, 40, 160, 120);
  fill(0x00ff00, 240, 40, 160, 120);
  fill(0x0000ff, 440, 40, 160, 120);
  fill(0xffff00, 40, 220, 100, 80);
  fill(0xff00ff, 60, 240, 20, 20);
  for (let j = 0; j < 80; j++) px.copyWithin((220 + j) * WIDTH + 200, (220 + j) * WIDTH + 40, (220 + j) * WIDTH + 140);
  px[400 * WIDTH + 10] = 0x123456;
  px[400 * WIDTH + 11] = 0xabcdef;
  fill(0x00ffff, 300, 400, 8, 1);
  px[470 * WIDTH + 630] = 0xffffff;
  return px;
}

/** Every pixel compared; the message lists the first few differences so a failure shows where. */
function assertPicture(img: Image, expected: Uint32Array, what: string): void {
  assert.equal(img.width, WIDTH, `${what} width`);
  assert.equal(img.height, HEIGHT, `${what} height`);
  const wrong: string[] = [];
  let count = 0;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const got = img.rgb(x, y);
      const want = expected[y * WIDTH + x];
      if (got !== want && count++ < 8) wrong.push(`(${x},${y}) is ${got.toString(16).padStart(6, '0')}, expected ${want.toString(16).padStart(6, '0')}`);
    }
  }
  assert.equal(count, 0, `${what}: ${count} pixels differ: ${wrong.join('; ')}`);
}

const RAM_SIZE = 32 << 20;

function planFor(file: string, cmdline = '') {
  return planImage(new Uint8Array(readFileSync(join(GUESTS, file))), { ramSize: RAM_SIZE, cmdline, modules: [] }, 'auto');
}

function svgaConfig(file: string, extra: Partial<MachineConfig>): MachineConfig {
  return { memoryBytes: RAM_SIZE, irqchip: true, plan: planFor(file), startPaused: false, serialEnabled: true, reportUnhandled: false,
    vmware: { enabled: true, vmName: file, guestinfo: {}, tclo: [] }, recordBackdoor: false, ...extra };
}

describe('SVGA II and VGA text screens (real KVM)', function () {
  this.timeout(120000);
  requireKvm(this);
  const dir = mkdtempSync(join(tmpdir(), 'kvmlab-svga-'));
  const svgaEntry = loadManifest().guests.find((g) => g.name === 'svga') as unknown as { svga: { args: string[]; serialPattern: string } };

  it('the svga guest draws through the FIFO and into VRAM; --screenshot holds exactly that picture', async () => {
    const shot = join(dir, 'svga.png');
    const r = await runCli(['run', join(GUESTS, 'svga.elf'), ...svgaEntry.svga.args, '--screenshot', shot, '--timeout', '60'], { timeoutMs: 90000 });
    assert.match(r.stdout, new RegExp(svgaEntry.svga.serialPattern), `stderr: ${r.stderr}`);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, '', 'no warnings (unhandled ports, dropped frames)');
    assertPicture(readPng(shot), expectedSvgaPicture(), 'svga screenshot');
  });

  it('a guest that moves BAR1 draws the same picture at the new address (the VRAM memslot follows the BAR)', async () => {
    const shot = join(dir, 'moved.png');
    const r = await runCli(['run', join(GUESTS, 'svga.elf'), ...svgaEntry.svga.args, '--append', 'movefb', '--screenshot', shot], { timeoutMs: 90000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /svga: mode 640x480 pitch=2560\r\nsvga: fb moved to 0xd0000000\r\n[\s\S]*svga: vram check ok\r\nsvga: done\r\n$/);
    assert.equal(r.stderr, '');
    assertPicture(readPng(shot), expectedSvgaPicture(), 'screenshot after the move');
  });

  it('the device interrupt reaches the in-kernel irqchip on IRQ 11 and IRQSTATUS acknowledges it', async () => {
    const r = await runCli(['run', join(GUESTS, 'svga.elf'), ...svgaEntry.svga.args, '--append', 'irq'], { timeoutMs: 90000 });
    assert.equal(r.status, 1, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /svga: wrote 11 pixels\r\nsvga: a fence raised irq 11 and IRQSTATUS lowered it\r\nsvga: vram check ok\r\n/);
  });

  it('--svga takes its mode as optional; --screenshot-every writes numbered PNGs ending with the final screen', async () => {
    const every = join(dir, 'every');
    const r = await runCli(['run', join(GUESTS, 'svga.elf'), '--svga', '--screenshot-every', '40', every], { timeoutMs: 90000 });
    assert.equal(r.status, 1, r.stderr);
    const files = readdirSync(every).sort();
    assert.ok(files.length >= 1 && files.every((f) => /^screen-\d{4}\.png$/.test(f)), files.join(', '));
    // The last file is the final screen: the guest ended after drawing.
    assertPicture(readPng(join(every, files[files.length - 1])), expectedSvgaPicture(), 'last periodic screenshot');
  });

  it('the boot sector banner on the VGA text screen: blue background, white glyph pixels, from the built-in font', async () => {
    const shot = join(dir, 'boot.png');
    const r = await runCli(['run', join(GUESTS, 'bootsector.bin'), '--screenshot', shot], { timeoutMs: 60000 });
    assert.equal(r.status, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /unhandled port/, 'the CRTC ports 0x3d4/0x3d5 answer');
    const img = readPng(shot);
    assert.equal(img.width, 80 * GLYPH_WIDTH);
    assert.equal(img.height, 25 * GLYPH_HEIGHT);
    const text = 'KVM Lab boot sector';
    const fg = CGA_PALETTE[0x1f & 0x0f];
    const bg = CGA_PALETTE[0x1f >> 4];
    assert.equal(fg, 0xffffff);
    assert.equal(bg, 0x0000aa);
    for (let col = 0; col < text.length; col++) {
      const glyph = glyphRows(text.charCodeAt(col));
      for (let y = 0; y < GLYPH_HEIGHT; y++) {
        for (let x = 0; x < GLYPH_WIDTH; x++) {
          const want: number = (glyph[y] & (0x80 >> x)) !== 0 ? fg : bg;
          assert.equal(img.rgb(col * GLYPH_WIDTH + x, y), want, `'${text[col]}' pixel (${x},${y})`);
        }
      }
    }
    // 'K' has ink, the space after "KVM" has none, and the rest of the row and the next row are black.
    assert.ok(glyphRows(text.charCodeAt(0)).some((b) => b !== 0));
    assert.equal(img.rgb(3 * GLYPH_WIDTH + 4, 8), bg);
    assert.equal(img.rgb(text.length * GLYPH_WIDTH + 1, 4), 0x000000);
    assert.equal(img.rgb(5, GLYPH_HEIGHT + 5), 0x000000);
  });

  it('VmHost emits frame events of the mode the guest set, and they add up to the final picture', async () => {
    const vm = new VmHost(svgaConfig('svga.elf', { svga: { width: 800, height: 600 } }), WORKER_DIR);
    const model = new ScreenModel();
    const sizes = new Set<string>();
    vm.on('frame', (bytes) => {
      const u = decodeFrameUpdate(bytes);
      sizes.add(`${u.width}x${u.height}`);
      model.apply(bytes);
    });
    const [end] = await new Promise<[{ reason: string }]>((resolve) => vm.once('ended', (e) => resolve([e])));
    await vm.whenExited();
    assert.equal(end.reason, 'debugExit');
    assert.ok(sizes.has('640x480'), [...sizes].join(', '));
    assert.equal(model.sequenceGaps, 0);
    assertPicture(fromFramebuffer(model.snapshot()!), expectedSvgaPicture(), 'frames applied in order');
  });

  it('without the FIFO, pixels the guest writes reach the owner through the VRAM dirty log (also after BAR1 moved)', async () => {
    const vm = new VmHost(svgaConfig('svga.elf', { svga: { width: 640, height: 480 }, plan: planFor('svga.elf', 'movefb nofifo') }), WORKER_DIR);
    const model = new ScreenModel();
    vm.on('frame', (bytes) => model.apply(bytes));
    let serial = '';
    vm.on('serial', (b) => { serial += Buffer.from(b).toString(); });
    const until = async (ok: () => boolean, what: string) => {
      for (let i = 0; !ok(); i++) {
        if (vm.hasEnded || i > 1500) assert.fail(`${what}; serial so far: ${serial}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until(() => serial.includes('waiting for the host') && model.snapshot()?.width === WIDTH, 'no 640x480 frame while the guest waits');
    const before = model.snapshot()!;
    assert.equal(readPixelRgb(before, 100, 100), 0x000000);
    const fb = Number.parseInt(/fb moved to 0x([0-9a-f]{8})/.exec(serial)![1], 16);
    assert.equal(fb, 0xd0000000);
    await vm.request('writePhys', { gpa: fb + 0x200000, bytes: new Uint8Array([1, 0, 0, 0]) });
    await until(() => serial.includes('without the FIFO'), 'the guest did not draw');
    const frames = model.frameCount;
    await until(() => model.frameCount > frames || readPixelRgb(model.snapshot()!, 131, 100) === 0xff8800, 'no frame after the drawing');
    await until(() => readPixelRgb(model.snapshot()!, 5, 300) === 0x00ff00, 'the dirty rows never arrived');
    const shot = model.snapshot()!;
    for (let x = 100; x < 132; x++) assert.equal(readPixelRgb(shot, x, 100), 0xff8800, `pixel ${x},100`);
    assert.equal(readPixelRgb(shot, 99, 100), 0x000000);
    assert.equal(readPixelRgb(shot, 132, 100), 0x000000);
    await vm.stop();
  });

  it('a bzImage with --svga finds the framebuffer in screen_info, already on screen in the mode given', async () => {
    const vm = new VmHost(svgaConfig('bzimage.bin', { svga: { width: 1024, height: 768 }, startPaused: true }), WORKER_DIR);
    const sizes = new Set<string>();
    vm.on('frame', (bytes) => { const u = decodeFrameUpdate(bytes); sizes.add(`${u.width}x${u.height}`); });
    const [info] = await new Promise<[{ notes: string[] }]>((resolve) => vm.once('ready', (i) => resolve([i])));
    assert.ok(info.notes.some((n) => /framebuffer 1024x768x32 at 0xe0000000 in screen_info/.test(n)), info.notes.join('; '));
    await new Promise((resolve) => vm.once('paused', resolve));
    const si = Buffer.from(await vm.request<Uint8Array>('readPhys', { gpa: ZERO_PAGE_ADDR, length: 0x40 }));
    assert.equal(si[0x0f], 0x23, 'orig_video_isVGA = VIDEO_TYPE_VLFB');
    assert.deepEqual([si.readUInt16LE(0x12), si.readUInt16LE(0x14), si.readUInt16LE(0x16)], [1024, 768, 32]);
    assert.equal(si.readUInt32LE(0x18), 0xe0000000);
    assert.equal(si.readUInt16LE(0x24), 4096);
    const shot = await vm.screenshot();
    assert.deepEqual([shot?.width, shot?.height], [1024, 768]);
    const ended = new Promise((resolve) => vm.once('ended', resolve));
    vm.resume();
    await ended;
    assert.ok(sizes.has('1024x768'), [...sizes].join(', '));
  });

  it('a guest that makes no exits still gets display ticks; a paused VM answers screenshot requests with the text screen', async () => {
    const vm = new VmHost(svgaConfig('spin.elf', { display: true }), WORKER_DIR);
    const frames: Uint8Array[] = [];
    vm.on('frame', (b) => frames.push(b));
    let serial = '';
    vm.on('serial', (b) => { serial += Buffer.from(b).toString(); });
    await new Promise((resolve) => vm.once('ready', resolve));
    while (!serial.includes('spin') || frames.length === 0) await new Promise((r) => setTimeout(r, 20));
    const first = decodeFrameUpdate(frames[0]);
    assert.deepEqual([first.width, first.height, first.modeChanged], [640, 400, true]);
    const paused = new Promise((resolve) => vm.once('paused', resolve));
    vm.pause();
    await paused;
    const fb = await vm.screenshot();
    assert.ok(fb);
    assert.deepEqual([fb.width, fb.height, fb.format], [640, 400, 'bgrx8888']);
    await vm.stop();
  });
});
