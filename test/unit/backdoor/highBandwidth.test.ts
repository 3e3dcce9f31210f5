// Unit tests of HB GuestRPC payloads (REP OUTSB/INSB on 0x5659 and the hypercall form) through fake and paged memory.
import * as assert from 'node:assert/strict';
import { zeroRegs, type Regs } from '../../../debug-adapter/src/vmm/cpu/registers';
import { GuestMemory } from '../../../debug-adapter/src/vmm/memory/guestMemory';
import { pagedMemoryAccess, type VirtualMemoryAccess } from '../../../debug-adapter/src/devices/vmwareBackdoor/highBandwidth';
import { CMD } from '../../../debug-adapter/src/devices/vmwareBackdoor/commands';
import { PageTableBuilder } from '../pageWalker/tableBuilder';
import { makeBackdoor, MAGIC } from './helpers';
import { call, open, receive, RPCI, send, status, SUCCESS, type Chan } from './rpcClient';

const HB_PORT = 0x5659;
const BUF = 0x7000_1000n;

/** A flat buffer of guest-virtual memory at `base`; anything outside it fails like an unmapped page. */
class FakeVirtualMemory implements VirtualMemoryAccess {
  readonly bytes = new Uint8Array(0x20000);
  reads = 0;
  constructor(readonly base: bigint, readonly addressBits: 16 | 32 | 64 = 64) {}
  private inside(gva: bigint, n: number): boolean { return gva >= this.base && gva + BigInt(n) <= this.base + BigInt(this.bytes.length); }
  read(gva: bigint, length: number): { ok: true; bytes: Uint8Array } | { ok: false; reason: string } {
    this.reads++;
    if (!this.inside(gva, length)) return { ok: false, reason: `page fault at 0x${gva.toString(16)}` };
    const o = Number(gva - this.base);
    return { ok: true, bytes: this.bytes.slice(o, o + length) };
  }
  write(gva: bigint, data: Uint8Array): { ok: true } | { ok: false; reason: string } {
    if (!this.inside(gva, data.length)) return { ok: false, reason: `page fault at 0x${gva.toString(16)}` };
    this.bytes.set(data, Number(gva - this.base));
    return { ok: true };
  }
  put(gva: bigint, text: string): number {
    const b = new TextEncoder().encode(text);
    this.bytes.set(b, Number(gva - this.base));
    return b.length;
  }
  text(gva: bigint, n: number): string { const o = Number(gva - this.base); return new TextDecoder().decode(this.bytes.subarray(o, o + n)); }
}

function hbRegs(ch: Chan, dir: 'in' | 'out', count: number, buffer: bigint, extra: Partial<Regs> = {}): Regs {
  const r = zeroRegs();
  r.rax = BigInt(MAGIC);
  r.rbx = 0x0001_0000n;
  r.rcx = BigInt(count);
  r.rdx = BigInt(((ch.id << 16) | HB_PORT) >>> 0);
  if (dir === 'out') { r.rsi = buffer; r.rdi = BigInt(ch.cookieLow); r.rbp = BigInt(ch.cookieHigh); }
  else { r.rsi = BigInt(ch.cookieHigh); r.rdi = buffer; r.rbp = BigInt(ch.cookieLow); }
  r.rip = 0xffff_ffff_8100_0000n;
  return { ...r, ...extra };
}

describe('backdoor HB: REP OUTSB / REP INSB on port 0x5659', () => {
  it('takes a whole RPCI command in one REP OUTSB and completes the instruction', () => {
    const { dev, logs, records } = makeBackdoor();
    const mem = new FakeVirtualMemory(0x7000_0000n);
    const ch = open(dev, RPCI);
    const n = mem.put(BUF, 'log hello from hb\0');
    assert.equal(status(call(dev, ch, 1, n).ecx), SUCCESS | 0x80);
    const res = dev.handleHighBandwidth('out', hbRegs(ch, 'out', n, BUF), mem, 1);
    assert.deepEqual(res.regs, { rbx: 0x0001_0000n, rsi: BUF + BigInt(n), rcx: 0n });
    assert.deepEqual(logs, ['hello from hb']);
    assert.equal(res.record.transport, 'hb');
    assert.equal(res.record.name, 'HB_MESSAGE');
    assert.equal(res.record.vcpu, 1);
    assert.equal(res.record.rip, 0xffff_ffff_8100_0000n);
    assert.equal(res.record.decoded?.text, 'log hello from hb');
    assert.equal(res.record.decoded?.bytes, n);
    assert.ok(records.includes(res.record), 'the record also goes to the sink');
    assert.equal(receive(dev, ch), '1 ');
  });

  it('hands a reply to the guest in one REP INSB', () => {
    const { dev } = makeBackdoor({ guestinfo: { motd: 'x'.repeat(300) } });
    const mem = new FakeVirtualMemory(0x7000_0000n);
    const ch = open(dev, RPCI);
    send(dev, ch, 'info-get guestinfo.motd');
    const sz = call(dev, ch, 3);
    assert.equal(sz.ebx, 302);
    const res = dev.handleHighBandwidth('in', hbRegs(ch, 'in', sz.ebx, BUF), mem);
    assert.deepEqual(res.regs, { rbx: 0x0001_0000n, rdi: BUF + 302n, rcx: 0n });
    assert.equal(mem.text(BUF, 302), `1 ${'x'.repeat(300)}`);
    assert.equal(status(call(dev, ch, 5, 1).ecx), SUCCESS);
    assert.equal(status(call(dev, ch, 3).ecx) & 2, 0, 'acknowledged reply is gone');
  });

  it('fails the payload but still completes the instruction on a page fault, and drops the partial message', () => {
    const { dev, logs } = makeBackdoor();
    const mem = new FakeVirtualMemory(0x7000_0000n);
    const ch = open(dev, RPCI);
    call(dev, ch, 1, 16);
    const res = dev.handleHighBandwidth('out', hbRegs(ch, 'out', 16, 0x1000n), mem);
    assert.equal(res.regs.rbx, 0n);
    assert.equal(res.regs.rcx, 0n);
    assert.equal(res.regs.rsi, 0x1010n);
    assert.match(res.record.decoded?.note ?? '', /page fault/);
    const n = mem.put(BUF, 'log again');
    assert.equal(dev.handleHighBandwidth('out', hbRegs(ch, 'out', n, BUF), mem).regs.rbx, 0n, 'no message is being sent any more');
    call(dev, ch, 1, n);
    assert.equal(dev.handleHighBandwidth('out', hbRegs(ch, 'out', n, BUF), mem).regs.rbx, 0x0001_0000n);
    assert.deepEqual(logs, ['again']);
  });

  it('refuses wrong cookies, oversize counts, DF=1 and other HB commands without touching memory', () => {
    const { dev } = makeBackdoor();
    const mem = new FakeVirtualMemory(0x7000_0000n);
    const ch = open(dev, RPCI);
    call(dev, ch, 1, 8);
    const cases: Regs[] = [
      hbRegs({ ...ch, cookieLow: ch.cookieLow ^ 1 }, 'out', 8, BUF),
      hbRegs(ch, 'out', 9, BUF),
      hbRegs(ch, 'out', 0x1_0000_0000, BUF),
      hbRegs(ch, 'out', 8, BUF, { rflags: 0x402n }),
      hbRegs(ch, 'out', 8, BUF, { rbx: 0x0001_0001n }),
    ];
    for (const regs of cases) {
      const res = dev.handleHighBandwidth('out', regs, mem);
      assert.equal((res.regs.rbx ?? 0n) >> 16n, 0n, `status for ${res.record.decoded?.note}`);
      assert.equal(res.regs.rcx, 0n);
    }
    assert.equal(mem.reads, 0);
    const df = dev.handleHighBandwidth('out', hbRegs(ch, 'out', 8, BUF, { rflags: 0x402n }), mem);
    assert.equal(df.regs.rsi, BUF - 8n, 'DF=1 moves the pointer down as the CPU would');
    assert.equal(dev.handleHighBandwidth('out', hbRegs(ch, 'out', 8, BUF, { rbx: 0x0001_0001n }), mem).record.name, 'HB_VASSERT');
  });

  it('leaves EBX alone on a wrong magic but still completes the string instruction', () => {
    const { dev } = makeBackdoor();
    const mem = new FakeVirtualMemory(0x7000_0000n);
    const ch = open(dev, RPCI);
    const res = dev.handleHighBandwidth('in', hbRegs(ch, 'in', 4, BUF, { rax: 0n }), mem);
    assert.deepEqual(res.regs, { rdi: BUF + 4n, rcx: 0n });
    assert.equal(res.record.decoded?.note, 'wrong magic');
  });

  it('honours 32- and 16-bit address sizes', () => {
    const { dev, logs } = makeBackdoor();
    const mem32 = new FakeVirtualMemory(0x1000n, 32);
    const ch = open(dev, RPCI);
    const n = mem32.put(0x1100n, 'log a32');
    call(dev, ch, 1, n);
    const r32 = dev.handleHighBandwidth('out', hbRegs(ch, 'out', n, 0xdead_0000_0000_1100n, { rcx: 0xffff_0000_0000_0000n | BigInt(n) }), mem32);
    assert.equal(r32.regs.rsi, 0x1100n + BigInt(n), 'upper halves are ignored and the pointer is zero-extended');
    assert.equal(r32.regs.rcx, 0n);
    const mem16 = new FakeVirtualMemory(0x0n, 16);
    const m = mem16.put(0xfffcn, 'log');
    call(dev, ch, 1, m);
    const r16 = dev.handleHighBandwidth('out', hbRegs(ch, 'out', m, 0x5555_fffcn, { rcx: 0x7777_0000n | BigInt(m) }), mem16);
    assert.equal(r16.regs.rsi, 0x5555_ffffn, 'only SI moves');
    assert.equal(r16.regs.rcx, 0x7777_0000n, 'only CX is cleared');
    assert.deepEqual(logs, ['a32', '']);
  });

  it('reads the buffer through the page walker across a page boundary', () => {
    const { dev, logs } = makeBackdoor();
    const gm = GuestMemory.ofSize(4 * 1024 * 1024);
    const b = new PageTableBuilder(gm, 'long4', 0x100000);
    b.map(0xffff_8000_0010_0000n, 0x30_0000n);
    b.map(0xffff_8000_0010_1000n, 0x20_0000n);
    const text = 'log spanning two pages';
    const bytes = new TextEncoder().encode(text);
    gm.write(0x30_0ff8, bytes.subarray(0, 8));
    gm.write(0x20_0000, bytes.subarray(8));
    const ch = open(dev, RPCI);
    call(dev, ch, 1, bytes.length);
    const mem = pagedMemoryAccess(b.cpu(), gm);
    const res = dev.handleHighBandwidth('out', hbRegs(ch, 'out', bytes.length, 0xffff_8000_0010_0ff8n), mem);
    assert.equal(res.regs.rbx, 0x0001_0000n);
    assert.deepEqual(logs, ['spanning two pages']);
    send(dev, ch, 'info-get guestinfo.none');
    const len = call(dev, ch, 3).ebx;
    assert.equal(dev.handleHighBandwidth('in', hbRegs(ch, 'in', len, 0xffff_8000_0010_0ffcn), mem).regs.rbx, 0x0001_0000n);
    assert.deepEqual(gm.read(0x30_0ffc, 4), new TextEncoder().encode('0 No'));
    assert.deepEqual(gm.read(0x20_0000, len - 4), new TextEncoder().encode(' value found'));
  });
});

describe('backdoor hypercalls (VMCALL / VMMCALL)', () => {
  it('runs LB commands with DX = 0 and returns RAX as the result', () => {
    const { dev } = makeBackdoor();
    const r = zeroRegs();
    r.rax = BigInt(MAGIC);
    r.rcx = BigInt(CMD.GETVERSION);
    const res = dev.handleHypercall('vmcall', r);
    assert.deepEqual([res.regs.rax, res.regs.rbx, res.regs.rcx], [6n, BigInt(MAGIC), 2n]);
    assert.equal(res.record.transport, 'vmcall');
    assert.equal(res.record.name, 'GETVERSION');
    r.rcx = 0x0000_001en;
    r.rbx = 0xc943_5052n;
    const o = dev.handleHypercall('vmmcall', r);
    assert.equal(o.regs.rdx, 0n, 'OPEN keeps the flags half of EDX, giving channel 0');
    assert.equal(o.regs.rcx, 0x0001_0000n);
  });

  it('moves HB payloads with the HB and WRITE flags and changes only EBX and RAX', () => {
    const { dev, logs } = makeBackdoor();
    const mem = new FakeVirtualMemory(0x7000_0000n);
    const ch = open(dev, RPCI);
    const n = mem.put(BUF, 'log via vmcall');
    call(dev, ch, 1, n);
    const out = dev.handleHypercall('vmcall', hbRegs(ch, 'out', n, BUF, { rdx: BigInt((ch.id << 16) | 3) }), mem);
    assert.deepEqual(out.regs, { rbx: 0x0001_0000n, rax: BigInt(MAGIC) });
    assert.deepEqual(logs, ['via vmcall']);
    const len = call(dev, ch, 3).ebx;
    const inn = dev.handleHypercall('vmmcall', hbRegs(ch, 'in', len, BUF + 0x100n, { rdx: BigInt((ch.id << 16) | 1) }), mem);
    assert.equal(inn.regs.rbx, 0x0001_0000n);
    assert.equal(mem.text(BUF + 0x100n, len), '1 ');
    assert.equal(inn.record.transport, 'vmmcall');
    const none = dev.handleHypercall('vmcall', hbRegs(ch, 'in', len, BUF, { rdx: BigInt((ch.id << 16) | 1) }));
    assert.equal(none.regs.rbx, 0n, 'no memory access means failure');
  });
});
