// Launch configuration defaults and the one-line problems reported before the adapter starts.
import assert from 'node:assert/strict';
import {
  applyDefaults, checkLaunchConfig, kvmAccessProblem, MAX_MEMORY_MIB, MIN_MEMORY_MIB, type FileKind, type KvmAccess, type LaunchEnvironment,
} from '../../extension/src/launchValidation';

function env(files: Record<string, FileKind> = {}, kvm: KvmAccess = 'ok'): LaunchEnvironment {
  return { fileKind: (p) => files[p] ?? 'missing', kvmAccess: () => kvm };
}
const KERNEL = '/ws/build/kernel.elf';
const ok = env({ [KERNEL]: 'file' });
const messages = (config: Record<string, unknown>, e = ok) => checkLaunchConfig(config, e).errors.map((p) => p.message);

describe('extension launch validation', () => {
  it('fills in defaults from the settings without overriding explicit fields', () => {
    const d = { memory: 256, stopOnEntry: false, serial: 'none' as const };
    assert.deepEqual(applyDefaults({ kernel: KERNEL }, d), { kernel: KERNEL, memory: 256, stopOnEntry: false, serial: 'none' });
    assert.deepEqual(applyDefaults({ kernel: KERNEL, memory: 64, stopOnEntry: true }, d), { kernel: KERNEL, memory: 64, stopOnEntry: true, serial: 'none' });
  });

  it('accepts a complete configuration with VS Code\'s own fields', () => {
    const r = checkLaunchConfig({ type: 'kvmlab', request: 'launch', name: 'x', kernel: KERNEL, memory: 64, format: 'multiboot', serial: 'none', stopOnEntry: true, irqchip: false, cmdline: '', __sessionId: 'abc' }, ok);
    assert.deepEqual(r, { errors: [], warnings: [] });
  });

  it('names a missing kernel field and a missing kernel file', () => {
    assert.deepEqual(messages({}), ["the configuration has no 'kernel': set it to the path of the kernel image to boot"]);
    assert.deepEqual(messages({ kernel: '/ws/nope.elf' }), ["the kernel image '/ws/nope.elf' does not exist: build it first, or correct 'kernel' in launch.json"]);
    assert.deepEqual(messages({ kernel: '/ws', }, env({ '/ws': 'directory' })), ["'kernel' is the folder '/ws': expected the path of the kernel image"]);
    assert.deepEqual(messages({ kernel: 42 }), ["'kernel' must be the path of the kernel image, not 42"]);
  });

  it('checks initrd, modules and symbols files', () => {
    assert.deepEqual(messages({ kernel: KERNEL, initrd: '/ws/initrd', modules: [KERNEL, '/ws/m2'], symbols: '/ws/sym.elf' }), [
      "the initial ramdisk '/ws/initrd' does not exist: build it first, or correct 'initrd' in launch.json",
      "the symbol file '/ws/sym.elf' does not exist: build it first, or correct 'symbols' in launch.json",
      "the module '/ws/m2' does not exist: build it first, or correct 'modules[1]' in launch.json",
    ]);
    assert.deepEqual(messages({ kernel: KERNEL, modules: 'x' }), ["'modules' must be a list of file paths, not \"x\""]);
    assert.deepEqual(messages({ kernel: KERNEL, symbols: [KERNEL, { path: '/ws/mod.elf', offset: 4096 }, 7] }), [
      "the symbol file '/ws/mod.elf' does not exist: build it first, or correct 'symbols[1].path' in launch.json",
      "'symbols[2]' must be the path of the symbol file, not 7",
    ]);
  });

  it('bounds memory to what the machine layout allows', () => {
    assert.deepEqual(messages({ kernel: KERNEL, memory: MIN_MEMORY_MIB }), []);
    assert.deepEqual(messages({ kernel: KERNEL, memory: MAX_MEMORY_MIB }), []);
    for (const bad of [MIN_MEMORY_MIB - 1, MAX_MEMORY_MIB + 1, 1.5, '128']) {
      assert.deepEqual(messages({ kernel: KERNEL, memory: bad }), [`'memory' must be a whole number of MiB from ${MIN_MEMORY_MIB} to ${MAX_MEMORY_MIB}, not ${JSON.stringify(bad)}`]);
    }
  });

  it('rejects unknown formats, serial targets and non-boolean switches', () => {
    assert.deepEqual(messages({ kernel: KERNEL, format: 'flat', serial: 'file', stopOnEntry: 'yes', irqchip: 1, cmdline: 3 }), [
      "'format' must be one of auto, bootsector, multiboot, pvh, elf64, bzimage, not \"flat\"",
      "'serial' must be \"debugConsole\" or \"none\", not \"file\"",
      "'cmdline' must be a string, not 3",
      "'stopOnEntry' must be true or false, not \"yes\"",
      "'irqchip' must be true or false, not 1",
    ]);
  });

  it('accepts an SVGA adapter as a switch or an initial mode', () => {
    for (const svga of [true, false, '800x600', '1024x768']) assert.deepEqual(messages({ kernel: KERNEL, svga }), [], String(svga));
    for (const svga of ['big', '800*600', 1, '0x600']) {
      assert.deepEqual(messages({ kernel: KERNEL, svga }), [`'svga' must be true, false or a mode such as "800x600", not ${JSON.stringify(svga)}`]);
    }
  });

  it('warns about unknown fields without failing', () => {
    const r = checkLaunchConfig({ kernel: KERNEL, memroy: 64 }, ok);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, ["unknown field 'memroy' in the launch configuration is ignored"]);
  });

  it('spells out the fix when /dev/kvm is missing or not accessible', () => {
    const missing = checkLaunchConfig({ kernel: KERNEL }, env({ [KERNEL]: 'file' }, 'missing')).errors;
    assert.equal(missing.length, 1);
    assert.equal(missing[0].fix, 'checkHost');
    assert.match(missing[0].message, /^\/dev\/kvm does not exist: load the KVM module \(sudo modprobe kvm_intel, or kvm_amd\)/);
    const denied = kvmAccessProblem('denied');
    assert.equal(denied, 'no permission to read and write /dev/kvm: add yourself to the kvm group (sudo usermod -aG kvm $USER), then log out and in again');
    assert.equal(kvmAccessProblem('ok'), undefined);
  });

  it('reports every problem at once, file problems pointing at launch.json', () => {
    const r = checkLaunchConfig({ memory: 0 }, env({}, 'denied'));
    assert.deepEqual(r.errors.map((e) => e.fix), ['openLaunchJson', 'openLaunchJson', 'checkHost']);
  });
});
