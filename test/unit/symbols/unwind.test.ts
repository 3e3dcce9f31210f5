// Unwinding details: frame-pointer fallback against gdb, end-of-stack rules, signal frames, register mapping.
import assert from 'node:assert/strict';
import { zeroRegs } from '../../../debug-adapter/src/vmm/cpu/registers';
import { DebugInfo } from '../../../debug-adapter/src/debugger/symbols/debugInfo';
import { dwarfToRegs, regsToDwarf } from '../../../debug-adapter/src/debugger/symbols/dwarfRegisters';
import { ProblemLog } from '../../../debug-adapter/src/debugger/symbols/errors';
import { parseCfi } from '../../../debug-adapter/src/debugger/symbols/unwind/cfiParser';
import { CfiUnwinder, framePointerStep } from '../../../debug-adapter/src/debugger/symbols/unwind/unwinder';
import { gdbCapture } from './helpers/gdbCapture';
import { Bytes } from './helpers/dwarfBuilder';
import { build, readBytes, run } from './helpers/toolchain';

/** Memory made of little-endian words at given addresses. */
function wordMemory(words: Map<bigint, bigint>, size: 4 | 8) {
  return (addr: bigint, n: number): Uint8Array | undefined => {
    if (n !== size || !words.has(addr)) return undefined;
    const out = new Uint8Array(n);
    let v = words.get(addr)!;
    for (let i = 0; i < n; i++) { out[i] = Number(v & 0xffn); v >>= 8n; }
    return out;
  };
}

describe('symbols: unwinding', () => {
  for (const bits of [32, 64] as const) {
    it(`follows the frame-pointer chain where no CFI exists, matching gdb (${bits}-bit, -O0)`, () => {
      const b = build({ bits, opt: 0, dwarf: 5 });
      const cap = gdbCapture(b.elf, ['break fib', 'run', 'continue 3']);
      const noCfi = `${b.dir}/no-cfi.elf`;
      run('objcopy', ['--remove-section=.eh_frame', b.elf, noCfi]);
      const di = DebugInfo.fromElf(readBytes(noCfi));
      assert.equal(di.unwindRowAt(cap.frames[0].pc), undefined, 'no CFI left');
      const regs = new Map<number, bigint>();
      const names = bits === 64 ? ['rax', 'rdx', 'rcx', 'rbx', 'rsi', 'rdi', 'rbp', 'rsp'] : ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
      names.forEach((n, i) => regs.set(i, cap.regs.get(n)!));
      regs.set(bits === 64 ? 16 : 8, cap.regs.get(bits === 64 ? 'rip' : 'eip')!);
      const frames = di.backtrace(regs, cap.readMemory);
      assert.deepEqual(frames.map((f) => f.pc), cap.frames.map((f) => f.pc));
      assert.ok(frames.slice(1).every((f) => f.method === 'frame-pointer'));
      // The CFA the chain implies is the one gdb computed from CFI.
      frames.slice(0, -1).forEach((f, i) => assert.equal(f.cfa, cap.frames[i].cfa, `frame ${i}`));
    });
  }

  it('stops at an undefined return address and reports signal frames as exact pcs', () => {
    // CIE: code 1, data -8, RA 16; def_cfa rsp+8; offset r16 at cfa-8.
    const cie = new Bytes().u32(0xffffffff).u8(4).str('').u8(8, 0).uleb(1).sleb(-8).uleb(16).u8(0x0c, 7, 8, 0x90, 1);
    const cieS = new Bytes().u32(0xffffffff).u8(4).str('S').u8(8, 0).uleb(1).sleb(-8).uleb(16).u8(0x0c, 7, 8, 0x90, 1);
    const fde = (cieOffset: number, pc: bigint, len: bigint, instr: number[]) => new Bytes().u32(cieOffset).u64(pc).u64(len).u8(...instr);
    const recs = [cie, cieS];
    const sec = new Bytes();
    const offsets: number[] = [];
    for (const r of recs) { offsets.push(sec.length); sec.u32(r.length).bytes(r.out); }
    for (const f of [
      fde(offsets[0], 0x1000n, 0x10n, []), // ordinary leaf
      fde(offsets[0], 0x2000n, 0x10n, [0x07, 16]), // outermost: RA undefined
      fde(offsets[1], 0x3000n, 0x10n, []), // signal frame
    ]) sec.u32(f.length).bytes(f.out);
    const table = parseCfi({ kind: 'debug_frame', bytes: sec.build(), bases: { addressSize: 8, sectionAddr: 0n } }, new ProblemLog());
    const unwinder = new CfiUnwinder([table], 'x86-64', 0n);
    const mem = wordMemory(new Map([[0x8000n, 0x3004n], [0x8008n, 0x2008n], [0x8010n, 0n]]), 8);
    const leaf = unwinder.unwindStep(new Map([[16, 0x1004n], [7, 0x8000n], [3, 0x33n], [0, 0x99n]]), mem)!;
    assert.equal(leaf.pc, 0x3004n);
    assert.equal(leaf.cfa, 0x8008n);
    assert.equal(leaf.regs.get(7), 0x8008n, 'caller sp is the CFA');
    assert.equal(leaf.regs.get(3), 0x33n, 'callee-saved rbx carries over');
    assert.equal(leaf.regs.has(0), false, 'call-clobbered rax is unknown in the caller');
    assert.equal(leaf.returnAddress, true);
    const sig = unwinder.unwindStep(leaf.regs, mem, { returnAddress: true })!;
    assert.equal(sig.pc, 0x2008n);
    assert.equal(sig.returnAddress, false, 'the frame below a signal frame resumes at an exact pc');
    assert.equal(unwinder.unwindStep(sig.regs, mem, { returnAddress: false }), undefined, 'RA undefined ends the stack');
    assert.equal(unwinder.unwindStep(new Map([[16, 0x5000n], [7, 0x8000n]]), mem), undefined, 'no CFI for the pc');
    // A return address one past the end of a function is looked up at pc - 1.
    assert.ok(unwinder.unwindStep(new Map([[16, 0x1010n], [7, 0x8000n]]), mem, { returnAddress: true }));
    assert.equal(unwinder.unwindStep(new Map([[16, 0x1010n], [7, 0x8000n]]), mem), undefined);
  });

  it('framePointerStep rejects null, misaligned and unreadable frame pointers', () => {
    const mem = wordMemory(new Map([[0x7000n, 0x7100n], [0x7004n, 0x8049000n]]), 4);
    const ok = framePointerStep(new Map([[5, 0x7000n], [4, 0x6ff0n], [8, 0x8049100n]]), mem, 'i386')!;
    assert.deepEqual([ok.pc, ok.cfa, ok.regs.get(5), ok.regs.get(4)], [0x8049000n, 0x7008n, 0x7100n, 0x7008n]);
    assert.equal(framePointerStep(new Map([[5, 0n]]), mem, 'i386'), undefined);
    assert.equal(framePointerStep(new Map([[5, 0x7001n]]), mem, 'i386'), undefined);
    assert.equal(framePointerStep(new Map([[5, 0x9000n]]), mem, 'i386'), undefined);
  });

  it('converts vCPU registers to DWARF numbering and back', () => {
    const regs = { ...zeroRegs(), rax: 1n, rdx: 2n, rcx: 3n, rbx: 4n, rsp: 0x7000n, rbp: 0x7100n, rsi: 5n, rdi: 6n, r12: 12n, rip: 0x401000n, rflags: 0x246n };
    const x64 = regsToDwarf(regs, 'x86-64');
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 12, 16, 49].map((n) => x64.get(n)), [1n, 2n, 3n, 4n, 5n, 6n, 0x7100n, 0x7000n, 12n, 0x401000n, 0x246n]);
    const i386 = regsToDwarf({ ...regs, rax: 0x1_0000_0001n }, 'i386');
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => i386.get(n)), [1n, 3n, 2n, 4n, 0x7000n, 0x7100n, 5n, 6n, 0x401000n, 0x246n]);
    const back = dwarfToRegs(new Map([[7, 0x7008n], [16, 0x401234n]]), 'x86-64', regs);
    assert.equal(back.rsp, 0x7008n);
    assert.equal(back.rip, 0x401234n);
    assert.equal(back.rbx, 4n);
  });
});
