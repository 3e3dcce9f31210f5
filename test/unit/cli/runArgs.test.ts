// `kvmlab run` argument parsing: defaults, every flag, and an error naming the flag for each kind of mistake.
import assert from 'node:assert/strict';
import { parseRunArgs } from '../../../debug-adapter/src/cli/runArgs';
import { UsageError } from '../../../debug-adapter/src/cli/usageError';

function fails(argv: string[], pattern: RegExp): void {
  assert.throws(() => parseRunArgs(argv), (e: unknown) => e instanceof UsageError && pattern.test(e.message));
}

describe('kvmlab run arguments', () => {
  it('applies the defaults', () => {
    const o = parseRunArgs(['kernel.elf']);
    assert.equal(o.image, 'kernel.elf');
    assert.equal(o.format, 'auto');
    assert.equal(o.memoryMiB, 128);
    assert.deepEqual(o.serial, { kind: 'stdio' });
    assert.equal(o.irqchip, true);
    assert.equal(o.stats, false);
    assert.deepEqual(o.modules, []);
  });

  it('parses every option, in both --flag value and --flag=value forms', () => {
    const o = parseRunArgs(['k', '--format', 'multiboot', '--memory=64', '--append', 'a b', '--initrd', 'i',
      '--module', 'm1', '--module=m2', '--serial', 'file:/tmp/x', '--timeout', '2.5', '--stats', '--no-irqchip']);
    assert.equal(o.format, 'multiboot');
    assert.equal(o.memoryMiB, 64);
    assert.equal(o.cmdline, 'a b');
    assert.equal(o.initrd, 'i');
    assert.deepEqual(o.modules, ['m1', 'm2']);
    assert.deepEqual(o.serial, { kind: 'file', path: '/tmp/x' });
    assert.equal(o.timeoutSeconds, 2.5);
    assert.equal(o.stats, true);
    assert.equal(o.irqchip, false);
    assert.equal(parseRunArgs(['k', '--cmdline', 'c']).cmdline, 'c');
    assert.equal(parseRunArgs(['k', '-v']).verbose, true);
    const v = parseRunArgs(['k', '--no-vmware', '--backdoor-log', '-', '--guestinfo', 'a=b=c', '--tclo', 'ping', '--tclo', 'reset']);
    assert.equal(v.vmware, false);
    assert.equal(v.backdoorLog, '-');
    assert.deepEqual(v.guestinfo, { a: 'b=c' });
    assert.deepEqual(v.tclo, ['ping', 'reset']);
    assert.equal(parseRunArgs(['k']).hypercall, 'none');
    assert.equal(parseRunArgs(['k', '--hypercall', 'vmmcall']).hypercall, 'vmmcall');
  });

  it('takes flat-image parameters in hex or decimal', () => {
    const o = parseRunArgs(['k', '--format', 'flat', '--load-address', '0x100000', '--entry', '1048576', '--mode', '32']);
    assert.deepEqual(o.flat, { loadAddress: 0x100000, entry: 0x100000, mode: 32 });
  });

  it('rejects each kind of mistake with a message naming the flag', () => {
    fails([], /missing image/);
    fails(['a', 'b'], /unexpected argument 'b'/);
    fails(['k', '--bogus'], /unknown option --bogus/);
    fails(['k', '--memory', '0'], /--memory: '0' is out of range/);
    fails(['k', '--memory', 'lots'], /--memory: 'lots' is not a number/);
    fails(['k', '--memory', '1.5'], /--memory/);
    fails(['k', '--memory', '99999'], /--memory/);
    fails(['k', '--memory'], /--memory needs a value/);
    fails(['k', '--format', 'iso'], /--format: 'iso'/);
    fails(['k', '--serial', 'tcp:1'], /--serial/);
    fails(['k', '--timeout', '0'], /--timeout/);
    fails(['k', '--mode', '8', '--format', 'flat'], /--mode: '8'/);
    fails(['k', '--format', 'flat'], /--format flat needs --load-address, --entry and --mode/);
    fails(['k', '--entry', '0x1000'], /apply only to --format flat/);
    fails(['k', '--guestinfo', 'novalue'], /--guestinfo: 'novalue' is not KEY=VALUE/);
    fails(['k', '--hypercall', 'int80'], /--hypercall: 'int80'/);
  });

  it('reports help without requiring an image', () => {
    assert.equal(parseRunArgs(['--help']).help, true);
  });
});
