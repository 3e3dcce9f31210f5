// Recognising REP INS/OUTS at CS:RIP (with prefixes, per mode) before a device takes over the whole instruction.
import assert from 'node:assert/strict';
import { registersAtInstructionStart, stringIoLength } from '../../../debug-adapter/src/vmm/vcpu/stringIo';

describe('string I/O instruction length', () => {
  it('measures rep outsb / rep insb with their prefixes', () => {
    assert.equal(stringIoLength(Uint8Array.from([0xf3, 0x6e, 0x90]), 32), 2);
    assert.equal(stringIoLength(Uint8Array.from([0xf3, 0x6c]), 16), 2);
    assert.equal(stringIoLength(Uint8Array.from([0x67, 0xf3, 0x6e]), 16), 3);
    assert.equal(stringIoLength(Uint8Array.from([0x66, 0xf3, 0x6f]), 32), 3);
  });

  it('accepts REX prefixes only in 64-bit mode', () => {
    assert.equal(stringIoLength(Uint8Array.from([0xf3, 0x48, 0x6e]), 64), 3);
    // 0x48 is `dec eax` outside 64-bit mode: not a string instruction.
    assert.equal(stringIoLength(Uint8Array.from([0x48, 0x6e]), 32), 0);
  });

  it('returns 0 for plain IN/OUT and for runs of prefixes with no opcode', () => {
    assert.equal(stringIoLength(Uint8Array.from([0xee]), 32), 0);
    assert.equal(stringIoLength(Uint8Array.from([0xed]), 64), 0);
    assert.equal(stringIoLength(new Uint8Array(15).fill(0xf3), 32), 0);
    assert.equal(stringIoLength(new Uint8Array(0), 32), 0);
  });
});

describe('string I/O starting registers', () => {
  const base = { rax: 0n, rbx: 0n, rcx: 7n, rdx: 0x5659n, rsi: 0x2001n, rdi: 0x3000n, rsp: 0n, rbp: 0n, r8: 0n, r9: 0n, r10: 0n,
    r11: 0n, r12: 0n, r13: 0n, r14: 0n, r15: 0n, rip: 0x100000n, rflags: 2n };

  it('rewinds RSI and RCX over the chunk KVM already read for OUTS', () => {
    const r = registersAtInstructionStart({ dir: 'out', count: 1, size: 1, regs: base });
    assert.equal(r.rsi, 0x2000n);
    assert.equal(r.rcx, 8n);
  });

  it('rewinds upwards when the direction flag is set, and by whole items for wider OUTS', () => {
    const r = registersAtInstructionStart({ dir: 'out', count: 2, size: 4, regs: { ...base, rflags: 2n | (1n << 10n) } });
    assert.equal(r.rsi, 0x2009n);
    assert.equal(r.rcx, 9n);
  });

  it('leaves INS registers alone: nothing has moved when KVM exits', () => {
    const r = registersAtInstructionStart({ dir: 'in', count: 4, size: 1, regs: base });
    assert.equal(r.rdi, 0x3000n);
    assert.equal(r.rcx, 7n);
  });
});
