// The display flags of `kvmlab run`: --svga with an optional mode, --screenshot, --screenshot-every, each error naming its flag.
import assert from 'node:assert/strict';
import { DEFAULT_SVGA_HEIGHT, DEFAULT_SVGA_WIDTH, parseRunArgs } from '../../../debug-adapter/src/cli/runArgs';

describe('kvmlab run display flags', () => {
  it('--svga alone is 1024x768; a following WxH word is its mode, anything else is left alone', () => {
    assert.deepEqual(parseRunArgs(['k.elf', '--svga']).svga, { width: DEFAULT_SVGA_WIDTH, height: DEFAULT_SVGA_HEIGHT });
    assert.deepEqual([DEFAULT_SVGA_WIDTH, DEFAULT_SVGA_HEIGHT], [1024, 768]);
    assert.deepEqual(parseRunArgs(['--svga', '640x480', 'k.elf']).svga, { width: 640, height: 480 });
    assert.deepEqual(parseRunArgs(['--svga=800x600', 'k.elf']).svga, { width: 800, height: 600 });
    const o = parseRunArgs(['--svga', 'k.elf']);
    assert.equal(o.image, 'k.elf');
    assert.equal(parseRunArgs(['k.elf']).svga, undefined);
  });

  it('rejects modes outside the device limits, naming --svga', () => {
    for (const bad of ['--svga=0x0', '--svga=4000x300', '--svga=640x2000', '--svga=640', '--svga=abc']) {
      assert.throws(() => parseRunArgs([bad, 'k.elf']), /^UsageError: --svga: '.*' is not a mode WxH/, bad);
    }
  });

  it('--screenshot takes a .png file name', () => {
    assert.equal(parseRunArgs(['k.elf', '--screenshot', 'out.png']).screenshot, 'out.png');
    assert.throws(() => parseRunArgs(['k.elf', '--screenshot', 'out.jpg']), /--screenshot: 'out.jpg' is not a .png file name/);
    assert.throws(() => parseRunArgs(['k.elf', '--screenshot']), /--screenshot needs a value/);
  });

  it('--screenshot-every takes a period of at least 33 ms and a folder', () => {
    assert.deepEqual(parseRunArgs(['k.elf', '--screenshot-every', '100', 'shots']).screenshotEvery, { ms: 100, dir: 'shots' });
    assert.throws(() => parseRunArgs(['k.elf', '--screenshot-every', '5', 'shots']), /--screenshot-every: '5' is not a whole number of milliseconds of at least 33/);
    assert.throws(() => parseRunArgs(['k.elf', '--screenshot-every', 'x', 'shots']), /--screenshot-every: 'x' is not a number/);
    assert.throws(() => parseRunArgs(['k.elf', '--screenshot-every', '100']), /--screenshot-every needs a directory/);
    assert.throws(() => parseRunArgs(['k.elf', '--screenshot-every', '100', '--stats']), /--screenshot-every needs a directory/);
  });
});
