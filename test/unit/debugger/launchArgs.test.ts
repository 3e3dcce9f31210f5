// Unit tests for launch-argument validation: defaults, warnings for unknown fields, errors naming the field.
import assert from 'node:assert/strict';
import { LaunchArgsError, validateLaunchArgs, type FileCheck } from '../../../debug-adapter/src/dap/launchArgs';

const files: FileCheck = (p) => (p.startsWith('/missing') ? 'missing' : p.startsWith('/dir') ? 'directory' : 'file');
const validate = (a: unknown) => validateLaunchArgs(a, files);

describe('launch arguments', () => {
  it('fills defaults', () => {
    const { launch, warnings } = validate({ kernel: '/k.elf', type: 'kvmlab', request: 'launch', name: 'Boot' });
    assert.deepEqual(launch, {
      kernel: '/k.elf', format: 'auto', memoryMiB: 128, cmdline: '', initrd: undefined, modules: [], serial: 'debugConsole',
      symbols: undefined, svga: undefined, stopOnEntry: true, irqchip: true,
    });
    assert.deepEqual(warnings, []);
  });

  it('keeps given values', () => {
    const { launch } = validate({
      kernel: '/k', format: 'multiboot', memory: 64, cmdline: 'n=3', initrd: '/i', modules: ['/m1', '/m2'],
      stopOnEntry: false, serial: 'none', irqchip: false, symbols: '/k.sym',
    });
    assert.equal(launch.format, 'multiboot');
    assert.equal(launch.memoryMiB, 64);
    assert.deepEqual(launch.modules, ['/m1', '/m2']);
    assert.equal(launch.stopOnEntry, false);
    assert.equal(launch.serial, 'none');
    assert.equal(launch.irqchip, false);
    assert.equal(launch.symbols, '/k.sym');
  });

  it('reads the SVGA mode', () => {
    assert.deepEqual(validate({ kernel: '/k', svga: true }).launch.svga, { width: 1024, height: 768 });
    assert.deepEqual(validate({ kernel: '/k', svga: '800x600' }).launch.svga, { width: 800, height: 600 });
    assert.equal(validate({ kernel: '/k', svga: false }).launch.svga, undefined);
  });

  it('warns about unknown fields without failing', () => {
    const { warnings } = validate({ kernel: '/k', colour: 'blue' });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /unknown field 'colour'/);
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['missing kernel', {}, /'kernel' is required/],
    ['kernel of the wrong type', { kernel: 7 }, /'kernel' must be a file path .* not a number/],
    ['kernel missing on disk', { kernel: '/missing/k' }, /'kernel': the file '\/missing\/k' does not exist/],
    ['kernel is a directory', { kernel: '/dir' }, /'kernel': '\/dir' is a directory/],
    ['unknown format', { kernel: '/k', format: 'exe' }, /'format' must be one of/],
    ['memory not a number', { kernel: '/k', memory: '64' }, /'memory' must be a whole number of MiB/],
    ['memory too small', { kernel: '/k', memory: 1 }, /'memory' must be a whole number of MiB from 2/],
    ['cmdline not a string', { kernel: '/k', cmdline: ['a'] }, /'cmdline' must be a string, not an array/],
    ['modules not an array', { kernel: '/k', modules: '/m' }, /'modules' must be an array/],
    ['missing module', { kernel: '/k', modules: ['/m', '/missing/x'] }, /'modules\[1\]'/],
    ['serial value', { kernel: '/k', serial: 'stdio' }, /'serial' must be "debugConsole" or "none"/],
    ['stopOnEntry type', { kernel: '/k', stopOnEntry: 'yes' }, /'stopOnEntry' must be true or false, not a string/],
    ['missing initrd', { kernel: '/k', initrd: '/missing/i' }, /'initrd'/],
    ['svga mode text', { kernel: '/k', svga: 'big' }, /'svga' must be true or a mode "WxH"/],
    ['svga mode too large', { kernel: '/k', svga: '4000x3000' }, /width 64\.\.2560/],
  ];
  for (const [what, args, message] of cases) {
    it(`refuses ${what}`, () => {
      assert.throws(() => validate(args), (e: unknown) => e instanceof LaunchArgsError && message.test(e.message));
    });
  }
});
