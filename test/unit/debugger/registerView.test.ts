// Unit tests for register formatting: widths by mode, named bits, flag editing, register-name slices.
import assert from 'node:assert/strict';
import { registerPatch, registerValue } from '../../../debug-adapter/src/debugger/registerNames';
import {
  bitNames, controlRegisters, describeSegment, flagRegisters, generalRegisters, msrRegisters, withFlag,
} from '../../../debug-adapter/src/debugger/registerView';
import { segment, zeroRegs, type Sregs } from '../../../debug-adapter/src/vmm/cpu/registers';
import type { ExtraState } from '../../../debug-adapter/src/vmm/debugStub/stubTypes';

function sregs(partial: Partial<Sregs> = {}): Sregs {
  const s = segment();
  return {
    cs: s, ds: s, es: s, fs: s, gs: s, ss: s, tr: s, ldt: s, gdt: { base: 0n, limit: 0 }, idt: { base: 0n, limit: 0 },
    cr0: 0n, cr2: 0n, cr3: 0n, cr4: 0n, cr8: 0n, efer: 0n, apicBase: 0n, ...partial,
  };
}

describe('register view', () => {
  const regs = { ...zeroRegs(), rax: 0x1122334455667788n, rsp: 0x7000n, r9: 9n, rip: 0x100000n, rflags: 0x246n };

  it('shows general registers at the width of the mode', () => {
    const g64 = generalRegisters(regs, 'long64');
    assert.equal(g64.find((r) => r.name === 'rax')!.value, '0x1122334455667788');
    assert.equal(g64.find((r) => r.name === 'r9')!.value, '0x0000000000000009');
    assert.equal(g64.find((r) => r.name === 'rsp')!.pointer, true);
    const g32 = generalRegisters(regs, 'protected32');
    assert.deepEqual(g32.map((r) => r.name), ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'esp', 'ebp', 'eip', 'eflags']);
    assert.equal(g32[0].value, '0x55667788');
    const g16 = generalRegisters(regs, 'real');
    assert.equal(g16[0].name, 'ax');
    assert.equal(g16[0].value, '0x7788');
    assert.equal(g16.find((r) => r.name === 'ip')!.value, '0x0000');
  });

  it('names control-register and EFER bits', () => {
    const c = controlRegisters(sregs({ cr0: 0x80000011n, cr4: 0x20n, efer: 0x500n }));
    assert.equal(c.find((r) => r.name === 'cr0')!.value, '0x80000011 (PE ET PG)');
    assert.equal(c.find((r) => r.name === 'cr4')!.value, '0x20 (PAE)');
    assert.equal(c.find((r) => r.name === 'efer')!.value, '0x500 (LME LMA)');
    assert.equal(bitNames(0n, [[0, 'X']]), '');
  });

  it('describes segments with their hidden parts', () => {
    assert.equal(describeSegment(segment({ selector: 0x10, base: 0n, limit: 0xffffffff, type: 0xb, db: 1, g: 1 })),
      '0x0010 base=0x0 limit=0xffffffff type=b dpl=0 P S D/B G');
    assert.equal(describeSegment(segment({ selector: 0, unusable: 1 })), '0x0000 (unusable)');
  });

  it('splits RFLAGS into named flags and edits one at a time', () => {
    const f = new Map(flagRegisters(0x3246n).map((r) => [r.name, r.value]));
    assert.equal(f.get('ZF'), '1');
    assert.equal(f.get('IF'), '1');
    assert.equal(f.get('CF'), '0');
    assert.equal(f.get('IOPL'), '3');
    assert.equal(withFlag(0x246n, 'CF', 1n), 0x247n);
    assert.equal(withFlag(0x246n, 'zf', 0n), 0x206n);
    assert.equal(withFlag(0x246n, 'IOPL', 2n), 0x2246n);
    assert.equal(withFlag(0x246n, 'CF', 2n), undefined);
    assert.equal(withFlag(0x246n, 'XX', 1n), undefined);
  });

  it('names MSRs', () => {
    const x: ExtraState = { debugRegs: [], dr6: 0n, dr7: 0n, xmm: [], mxcsr: 0, fcw: 0, fsw: 0, msrs: [{ index: 0xc0000080, value: 0xd01n }, { index: 0x1b, value: 0xfee00900n }] };
    assert.deepEqual(msrRegisters(x).map((r) => [r.name, r.value]), [['EFER', '0xd01 (SCE LME LMA NXE)'], ['APIC_BASE', '0xfee00900']]);
  });

  it('reads and writes register slices by name', () => {
    assert.equal(registerValue('eax', regs), 0x55667788n);
    assert.equal(registerValue('ah', regs), 0x77n);
    assert.equal(registerValue('r9d', regs), 9n);
    assert.equal(registerValue('cr0', regs, sregs({ cr0: 0x11n })), 0x11n);
    assert.equal(registerValue('cs', regs, sregs({ cs: segment({ selector: 0x08 }) })), 8n);
    assert.equal(registerValue('nope', regs), undefined);
    assert.deepEqual(registerPatch('ax', 0xbeefn, regs), { rax: 0x112233445566beefn });
    assert.deepEqual(registerPatch('ah', 0x12n, regs), { rax: 0x1122334455661288n });
    assert.deepEqual(registerPatch('eip', 0x2000n, regs), { rip: 0x2000n });
    assert.equal(registerPatch('cr3', 1n, regs), undefined);
  });
});

describe('machine-level lvalues', () => {
  it('recognises registers and memory references, and leaves C names alone', async () => {
    const { isMachineLvalue } = await import('../../../debug-adapter/src/debugger/registerNames');
    for (const t of ['$eax', 'eax', ' r9d ', 'cr3', '[esp]', 'dword [ebp-4]', 'byte[0x1000]']) assert.equal(isMachineLvalue(t), true, t);
    for (const t of ['counter', 'g_triangle.a', '*(u32*)0x1000', 'p->next']) assert.equal(isMachineLvalue(t), false, t);
  });
});
