// Unit tests of the backdoor's single-call commands against a fake register file.
import * as assert from 'node:assert/strict';
import { fakeRegisterAccess } from '../../../debug-adapter/src/vmm/bus/busDevice';
import { CMD, commandName, BACKDOOR_COMMANDS } from '../../../debug-adapter/src/devices/vmwareBackdoor/commands';
import { cmd, lb, makeBackdoor, MAGIC, FIXED_REALTIME_NS } from './helpers';

describe('backdoor LB: machine facts', () => {
  it('GETVERSION answers version 6, the magic and the product type', () => {
    const { dev } = makeBackdoor();
    const r = cmd(dev, CMD.GETVERSION, { ebx: ~MAGIC >>> 0 }, 0xffff);
    assert.equal(r.eax, 6);
    assert.equal(r.ebx, MAGIC);
    assert.equal(r.ecx, 2);
    assert.deepEqual([...r.data], [6, 0, 0, 0], 'the IN data carries EAX');
    assert.equal(cmd(makeBackdoor({ productType: 4 }).dev, CMD.GETVERSION).ecx, 4);
  });

  it('GETHZ splits the TSC frequency in Hz over EAX:EBX and gives the bus in ECX', () => {
    const { dev } = makeBackdoor({ tscKhz: 5_000_000 });
    const r = cmd(dev, CMD.GETHZ, { ebx: 0xffffffff });
    const hz = 5_000_000_000;
    assert.equal(r.eax, hz % 2 ** 32);
    assert.equal(r.ebx, Math.floor(hz / 2 ** 32));
    assert.equal(r.ecx, 1_000_000_000);
    assert.equal(cmd(makeBackdoor({ busKhz: 100_000 }).dev, CMD.GETHZ).ecx, 100_000_000);
  });

  it('GETHZ with an unknown TSC frequency leaves EBX as the guest set it', () => {
    const { dev } = makeBackdoor({ tscKhz: 0 });
    const r = cmd(dev, CMD.GETHZ, { ebx: 0xffffffff, ecx: 0 });
    assert.equal(r.eax, 0xffffffff);
    assert.equal(r.ebx, 0xffffffff);
  });

  it('GETMHZ rounds the TSC frequency', () => {
    assert.equal(cmd(makeBackdoor({ tscKhz: 2_596_142 }).dev, CMD.GETMHZ).eax, 2596);
  });

  it('GET_VCPU_INFO sets LEGACY_X2APIC only with x2APIC and never the reserved bit', () => {
    assert.equal(cmd(makeBackdoor({ x2apic: true }).dev, CMD.GET_VCPU_INFO).eax, 1 << 3);
    assert.equal(cmd(makeBackdoor().dev, CMD.GET_VCPU_INFO).eax, 0);
  });

  it('GETMEMSIZE reports bytes truncated to 32 bits with EBX 0x1177', () => {
    const r = cmd(makeBackdoor({ memSizeMiB: 512 }).dev, CMD.GETMEMSIZE);
    assert.equal(r.eax, 512 * 1024 * 1024);
    assert.equal(r.ebx, 0x1177);
    assert.equal(cmd(makeBackdoor({ memSizeMiB: 4096 + 1 }).dev, CMD.GETMEMSIZE).eax, 1024 * 1024);
  });

  it('GETUUID spreads the 16 bytes over EAX..EDX little-endian', () => {
    const r = cmd(makeBackdoor().dev, CMD.GETUUID);
    assert.equal(r.eax, 0x34124d56);
    assert.equal(r.ebx, 0xbc9a7856);
    assert.equal(r.ecx, 0x0201f0de);
    assert.equal(r.edx, 0x06050403);
  });

  it('GETSCREENSIZE packs width:height from the provider', () => {
    let size = { width: 1280, height: 800 };
    const { dev } = makeBackdoor({ screen: () => size });
    assert.equal(cmd(dev, CMD.GETSCREENSIZE).eax, (1280 << 16) | 800);
    size = { width: 640, height: 480 };
    assert.equal(cmd(dev, CMD.GETSCREENSIZE).eax, (640 << 16) | 480);
  });

  it('GETGUIOPTIONS returns what SETGUIOPTIONS stored', () => {
    const { dev } = makeBackdoor({ guiOptions: 0x400 });
    assert.equal(cmd(dev, CMD.GETGUIOPTIONS).eax, 0x400);
    const set = cmd(dev, CMD.SETGUIOPTIONS, { ebx: 0x13 });
    assert.equal(set.eax, MAGIC, 'SETGUIOPTIONS leaves EAX alone');
    assert.equal(cmd(dev, CMD.GETGUIOPTIONS).eax, 0x13);
    dev.reset();
    assert.equal(cmd(dev, CMD.GETGUIOPTIONS).eax, 0x400);
  });

  it('GETHWVERSION answers the hardware version and the magic', () => {
    const r = cmd(makeBackdoor({ hwVersion: 19 }).dev, 17);
    assert.deepEqual([r.eax, r.ebx], [19, MAGIC]);
  });

  it('STEALCLOCK says "not available"', () => {
    assert.equal(cmd(makeBackdoor().dev, CMD.STEALCLOCK, { esi: 0, edi: 1 }).eax, 0xffffffff);
  });
});

describe('backdoor LB: host time', () => {
  const seconds = Number(FIXED_REALTIME_NS / 1_000_000_000n);

  it('GETTIME gives seconds, microseconds, lag and the UTC offset', () => {
    const { dev } = makeBackdoor({ maxTimeLagUs: 2000, utcOffsetMinutes: -300 });
    const r = cmd(dev, CMD.GETTIME);
    assert.equal(r.eax, seconds);
    assert.equal(r.ebx, 678901);
    assert.equal(r.ecx, 2000);
    assert.equal(r.edx, (-300) >>> 0);
  });

  it('GETTIMEFULL keeps the magic in EAX and splits 64-bit seconds over EDX:ESI', () => {
    const r = cmd(makeBackdoor().dev, CMD.GETTIMEFULL, { edi: 0x55 });
    assert.equal(r.eax, MAGIC);
    assert.equal(r.edx, seconds);
    assert.equal(r.esi, 0);
    assert.equal(r.ebx, 678901);
    assert.equal(r.edi, 0x55, 'EDI untouched without the lag variant');
    assert.equal(cmd(makeBackdoor().dev, CMD.GETTIMEFULL_WITH_LAG, { edi: 0x55 }).edi, 0);
  });

  it('PRECISIONCLOCK GETTIME returns nanoseconds in EBX:ECX; other subcommands are unsupported', () => {
    const { dev } = makeBackdoor();
    const r = cmd(dev, CMD.PRECISIONCLOCK, {}, 0);
    assert.equal(r.eax, 0);
    assert.equal((BigInt(r.ebx) << 32n) | BigInt(r.ecx), FIXED_REALTIME_NS);
    assert.equal(cmd(dev, CMD.PRECISIONCLOCK, {}, 1).eax, 0xffffffff);
  });
});

describe('backdoor LB: errors, widths and register discipline', () => {
  it('answers a wrong magic with EAX all ones and leaves every other register alone', () => {
    const { dev, records } = makeBackdoor();
    const r = lb(dev, { eax: 0x12345678, ebx: 1, ecx: CMD.GETVERSION, edx: 0x5658, esi: 2, edi: 3, ebp: 4 });
    assert.deepEqual([r.eax, r.ebx, r.ecx, r.edx, r.esi, r.edi, r.ebp], [0xffffffff, 1, CMD.GETVERSION, 0x5658, 2, 3, 4]);
    assert.deepEqual([...r.data], [0xff, 0xff, 0xff, 0xff]);
    const rec = records[0];
    assert.ok(rec.type === 'call' && rec.decoded?.note === 'wrong magic');
  });

  it('answers unknown and unimplemented commands as unsupported', () => {
    const { dev, records } = makeBackdoor();
    for (const c of [3, 75, 200, 0xffff]) {
      const r = cmd(dev, c, { ebx: 7, esi: 8 });
      assert.equal(r.eax, 0xffffffff);
      assert.equal(r.ebx, 7);
      assert.equal(r.esi, 8);
    }
    const names = records.map((r) => (r.type === 'call' ? r.name : ''));
    assert.deepEqual(names, ['GETDISKGEO', 'GET_SVGA_CAPABILITIES', 'CMD_200', 'CMD_65535']);
    assert.ok(records.every((r) => r.type === 'call' && r.decoded?.unsupported));
  });

  it('reads 8- and 16-bit probes as an empty port and records them', () => {
    const { dev, records } = makeBackdoor();
    const b = lb(dev, { ecx: CMD.GETVERSION }, { width: 1 });
    assert.deepEqual([...b.data], [0xff]);
    assert.equal(b.eax, MAGIC, 'registers untouched');
    const w = lb(dev, { ecx: CMD.GETVERSION }, { width: 2 });
    assert.deepEqual([...w.data], [0xff, 0xff]);
    lb(dev, { ecx: CMD.GETVERSION }, { width: 1, out: true });
    assert.deepEqual(records.map((r) => r.type === 'call' && [r.name, r.command]), [['NARROW_IN', -1], ['NARROW_IN', -1], ['NARROW_OUT', -1]]);
  });

  it('treats OUT like IN and writes the result through the registers', () => {
    const { dev } = makeBackdoor();
    const r = lb(dev, { ecx: CMD.GETVERSION }, { out: true });
    assert.deepEqual([r.eax, r.ebx], [6, MAGIC]);
  });

  it('uses only the low 32 bits and zero-extends what it writes', () => {
    const { dev } = makeBackdoor();
    const acc = fakeRegisterAccess({
      rax: 0xdead_0000_0000_0000n | BigInt(MAGIC), rcx: 0xffff_ffff_0000_0000n | BigInt(CMD.GETVERSION),
      rbx: 0xffff_ffff_0000_0000n, rdx: 0x5658n, rsi: 0x1234_5678_9abc_def0n,
    });
    dev.read(0, new Uint8Array(4), { vcpuId: 0, address: 0x5658, regs: acc });
    assert.equal(acc.current.rax, 6n);
    assert.equal(acc.current.rbx, BigInt(MAGIC));
    assert.equal(acc.current.rcx, 2n);
    assert.equal(acc.current.rsi, 0x1234_5678_9abc_def0n, 'registers a command does not write keep their full value');
  });

  it('names every table entry once and uses CMD_<n> outside it', () => {
    const ids = BACKDOOR_COMMANDS.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids, Array.from({ length: 100 }, (_, i) => i + 1));
    assert.equal(commandName(30), 'MESSAGE');
    assert.equal(commandName(0), 'CMD_0');
    for (const [name, id] of Object.entries(CMD)) assert.equal(commandName(id), name);
  });
});
