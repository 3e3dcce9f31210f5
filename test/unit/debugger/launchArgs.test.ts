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
      symbols: undefined, symbolOffset: 0n, extraSymbols: [], sourceMap: {}, svga: undefined, stopOnEntry: true, irqchip: true,
      vmware: { enabled: true, guestinfo: {}, uuid: undefined, hypercall: 'none', tclo: [] },
    });
    assert.deepEqual(warnings, []);
  });

  it('takes a symbol offset as a number or a hex string, and a source map of directories', () => {
    assert.equal(validate({ kernel: '/k', symbolOffset: 4096 }).launch.symbolOffset, 4096n);
    assert.equal(validate({ kernel: '/k', symbolOffset: '0xffffffff80000000' }).launch.symbolOffset, 0xffffffff80000000n);
    assert.equal(validate({ kernel: '/k', symbolOffset: '-0x1000' }).launch.symbolOffset, -0x1000n);
    assert.deepEqual(validate({ kernel: '/k', sourceMap: { '/build': '/src' } }).launch.sourceMap, { '/build': '/src' });
    assert.throws(() => validate({ kernel: '/k', symbolOffset: 1.5 }), /'symbolOffset' must be a whole number/);
    assert.throws(() => validate({ kernel: '/k', sourceMap: { '/build': 3 } }), /'sourceMap.\/build' must be a directory path string/);
  });

  it('takes a list of symbol files, each a path or a path with its load offset', () => {
    const { launch } = validate({ kernel: '/k.elf', symbols: ['/mod.elf', { path: '/stage2.elf', offset: '0x100000' }] });
    assert.equal(launch.symbols, undefined);
    assert.deepEqual(launch.extraSymbols, [
      { path: '/mod.elf', offset: 0n, label: 'symbols[0]' },
      { path: '/stage2.elf', offset: 0x100000n, label: 'symbols[1]' },
    ]);
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

  it('reads the VMware personality fields', () => {
    const { launch, warnings } = validate({
      kernel: '/k', backdoor: false, guestinfo: { answer: '42', empty: '' }, uuid: '564d0000-1111-2222-3333-444455556666',
      hypercall: 'vmmcall', tclo: ['reset', 'ping'],
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual(launch.vmware, {
      enabled: false, guestinfo: { answer: '42', empty: '' }, uuid: '564d0000-1111-2222-3333-444455556666', hypercall: 'vmmcall', tclo: ['reset', 'ping'],
    });
    assert.equal(validate({ kernel: '/k', backdoor: true, hypercall: 'none' }).launch.vmware.enabled, true);
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
    ['backdoor type', { kernel: '/k', backdoor: 'off' }, /'backdoor' must be true or false, not a string/],
    ['guestinfo not an object', { kernel: '/k', guestinfo: ['a=b'] }, /'guestinfo' must be an object of string values .* not an array/],
    ['guestinfo value not a string', { kernel: '/k', guestinfo: { answer: 42 } }, /'guestinfo\.answer' must be a string, not a number/],
    ['uuid not hex', { kernel: '/k', uuid: 'not-a-uuid' }, /'uuid' must be 32 hex digits .* not "not-a-uuid"/],
    ['uuid type', { kernel: '/k', uuid: 42 }, /'uuid' must be a string of 32 hex digits, not a number/],
    ['hypercall value', { kernel: '/k', hypercall: 'syscall' }, /'hypercall' must be one of none, vmcall, vmmcall, not "syscall"/],
    ['tclo not an array', { kernel: '/k', tclo: 'reset' }, /'tclo' must be an array of command strings/],
    ['a symbols entry that is neither a path nor an object', { kernel: '/k', symbols: ['/a.elf', 3] }, /'symbols\[1\]' must be an ELF file path or an object/],
    ['a symbols entry without a path', { kernel: '/k', symbols: [{ offset: 16 }] }, /'symbols\[0\].path' must be a file path/],
    ['a symbols entry with a bad offset', { kernel: '/k', symbols: [{ path: '/a.elf', offset: 'far' }] }, /'symbols\[0\].offset' must be a whole number/],
    ['a symbols entry with an unknown field', { kernel: '/k', symbols: [{ path: '/a.elf', base: 1 }] }, /'symbols\[0\]' has an unknown field 'base'/],
    ['a missing symbols file in a list', { kernel: '/k', symbols: ['/missing.elf'] }, /'symbols\[0\]': the file '\/missing.elf' does not exist/],
    ['tclo entry not a string', { kernel: '/k', tclo: ['reset', 7] }, /'tclo\[1\]' must be a non-empty string, not 7/],
  ];
  for (const [what, args, message] of cases) {
    it(`refuses ${what}`, () => {
      assert.throws(() => validate(args), (e: unknown) => e instanceof LaunchArgsError && message.test(e.message));
    });
  }
});
