// Bad input to `kvmlab run`: exit status 1 with one clear line on stderr naming the problem, and no stack trace.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GUESTS, runCli } from './runCli';

describe('kvmlab run rejects bad input cleanly', function () {
  this.timeout(60000);
  const dir = mkdtempSync(join(tmpdir(), 'kvmlab-bad-'));
  const file = (name: string, bytes: Uint8Array) => { const p = join(dir, name); writeFileSync(p, bytes); return p; };

  const elf = () => new Uint8Array(readFileSync(join(GUESTS, 'elf64.elf')));
  const cases: [string, () => string[], RegExp][] = [
    ['a missing file', () => ['run', join(dir, 'nope.elf')], /image '.*nope\.elf': no such file/],
    ['an empty file', () => ['run', file('empty.bin', new Uint8Array(0))], /is empty/],
    ['random bytes', () => ['run', file('random.bin', randomBytes(4096))], /not a recognised kernel image/],
    ['a truncated ELF', () => ['run', file('trunc.elf', elf().subarray(0, 100))], /image '.*trunc\.elf'/],
    ['an ELF for another machine', () => {
      const b = elf(); b[18] = 183; b[19] = 0; // EM_AARCH64
      return ['run', file('arm.elf', b)];
    }, /image '.*arm\.elf'.*(machine|architecture|AArch64|183)/i],
    ['an image larger than guest memory', () => ['run', join(GUESTS, 'multiboot-c.elf'), '--memory', '2', '--initrd', file('big.img', new Uint8Array(3 << 20))], /(does not fit|too large|memory)/i],
    ['--memory 0', () => ['run', join(GUESTS, 'halt.elf'), '--memory', '0'], /--memory: '0' is out of range/],
    ['an unknown flag', () => ['run', join(GUESTS, 'halt.elf'), '--frobnicate'], /unknown option --frobnicate/],
    ['an unknown command', () => ['frob'], /unknown command 'frob'/],
    ['a directory as image', () => ['run', dir], /is a directory/],
  ];

  for (const [what, args, pattern] of cases) {
    it(`${what}: status 1, one line, no stack trace`, async () => {
      const r = await runCli(args(), { timeoutMs: 5000 });
      assert.equal(r.status, 1, `stderr: ${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
      assert.match(lines[0], /^kvmlab: /);
      assert.match(lines[0], pattern);
      assert.doesNotMatch(r.stderr, /\n\s+at |Error:/);
    });
  }
});
