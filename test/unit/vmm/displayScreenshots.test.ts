// Screenshot files from frame events: the final PNG, numbered periodic PNGs only when the screen changed, and warnings.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFrameUpdate } from '../../../debug-adapter/src/display/frameEncoder';
import { createFramebuffer } from '../../../debug-adapter/src/display/framebuffer';
import { ScreenshotRecorder } from '../../../debug-adapter/src/vmm/display/screenshots';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };

function frame(sequence: number, rgb: number, width = 8, height = 4): Uint8Array {
  const fb = createFramebuffer(width, height);
  new Uint32Array(fb.bytes.buffer).fill(rgb);
  return encodeFrameUpdate({ sequence, framebuffer: fb, rects: [{ x: 0, y: 0, width, height }], modeChanged: sequence === 0 });
}

function pixel(path: string, x: number, y: number): number {
  const png = PNG.sync.read(readFileSync(path));
  const i = (y * png.width + x) * 4;
  return (png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2];
}

describe('screenshot recorder', () => {
  it('writes the last screen as the final PNG', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kvmlab-shots-'));
    const vm = new EventEmitter();
    const warnings: string[] = [];
    const rec = new ScreenshotRecorder(vm, { finalPath: join(dir, 'final.png'), warn: (t) => warnings.push(t) });
    vm.emit('frame', frame(0, 0x102030));
    vm.emit('frame', frame(1, 0x405060));
    assert.equal(rec.finish(), join(dir, 'final.png'));
    assert.equal(pixel(join(dir, 'final.png'), 7, 3), 0x405060);
    assert.deepEqual(warnings, []);
  });

  it('warns instead of writing when no frame ever came, and when a frame is malformed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kvmlab-shots-'));
    const vm = new EventEmitter();
    const warnings: string[] = [];
    const rec = new ScreenshotRecorder(vm, { finalPath: join(dir, 'none.png'), warn: (t) => warnings.push(t) });
    vm.emit('frame', new Uint8Array(4));
    assert.equal(rec.finish(), undefined);
    assert.deepEqual(readdirSync(dir), []);
    assert.match(warnings[0], /a frame update was dropped/);
    assert.match(warnings[1], /--screenshot .*none\.png: the guest produced no screen/);
  });

  it('periodic files are numbered and written only after the screen changed', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kvmlab-shots-')), 'every');
    const vm = new EventEmitter();
    const rec = new ScreenshotRecorder(vm, { every: { ms: 10, dir }, warn: () => undefined });
    vm.emit('frame', frame(0, 0xff0000));
    // Wait for the timer by events, not by measuring time: poll until the first file exists.
    while (readdirSync(dir).length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(readdirSync(dir), ['screen-0001.png'], 'no new file without a new frame');
    vm.emit('frame', frame(1, 0x00ff00));
    rec.finish();
    assert.deepEqual(readdirSync(dir).sort(), ['screen-0001.png', 'screen-0002.png']);
    assert.equal(pixel(join(dir, 'screen-0001.png'), 0, 0), 0xff0000);
    assert.equal(pixel(join(dir, 'screen-0002.png'), 0, 0), 0x00ff00);
  });
});
