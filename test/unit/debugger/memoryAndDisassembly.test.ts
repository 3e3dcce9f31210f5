// Unit tests for memory references, the x/xp console command and the disassembly window (decoding before an address).
import assert from 'node:assert/strict';
import { decodeInstructions } from '../../../debug-adapter/src/debugger/disassembler';
import { disassemblyWindow, type ByteSource } from '../../../debug-adapter/src/debugger/disassemblyWindow';
import { examineMemory, parseExamine } from '../../../debug-adapter/src/debugger/examine';
import { formatMemoryReference, parseMemoryReference } from '../../../debug-adapter/src/debugger/memoryReference';

/** 32-bit code at 0x1000: push ebp; mov ebp, esp; call +0; rep movsb; int 0x80; nop; ret. */
const CODE = Uint8Array.from([0x55, 0x89, 0xe5, 0xe8, 0, 0, 0, 0, 0xf3, 0xa4, 0xcd, 0x80, 0x90, 0xc3]);
const BASE = 0x1000n;

/** Bytes of CODE at BASE, zeros (`add [eax], al`) around it; nothing below 0xff0 is readable. */
const source: ByteSource = async (address, length) => {
  const bytes = new Uint8Array(length);
  const readable: boolean[] = [];
  for (let i = 0; i < length; i++) {
    const a = address + BigInt(i);
    readable.push(a >= 0xff0n);
    const off = Number(a - BASE);
    if (off >= 0 && off < CODE.length) bytes[i] = CODE[off];
  }
  return { bytes, readable };
};

describe('memory references', () => {
  it('parses virtual and physical references with an offset', () => {
    assert.deepEqual(parseMemoryReference('0x1000', 16), { address: 0x1010n, physical: false });
    assert.deepEqual(parseMemoryReference('phys:0x2000', -1), { address: 0x1fffn, physical: true });
    assert.deepEqual(parseMemoryReference('4096'), { address: 4096n, physical: false });
    assert.throws(() => parseMemoryReference('eax'), /'eax' is not an address/);
    assert.equal(formatMemoryReference(0xffffffff80000000n), '0xffffffff80000000');
    assert.equal(formatMemoryReference(0x10n, true), 'phys:0x10');
  });
});

describe('x/xp console command', () => {
  it('parses counts, formats and units', () => {
    assert.deepEqual(parseExamine('x/16xb rsp'), { physical: false, count: 16, format: 'x', unit: 1, address: 'rsp' });
    assert.deepEqual(parseExamine('xp/2dg 0x1000'), { physical: true, count: 2, format: 'd', unit: 8, address: '0x1000' });
    assert.deepEqual(parseExamine('x 0x10'), { physical: false, count: 1, format: 'x', unit: 4, address: '0x10' });
    assert.equal(parseExamine('info gdt'), undefined);
    assert.throws(() => parseExamine('x/99999xg 0'), /outside 1\.\.4096 bytes/);
  });

  it('formats units per line with addresses', async () => {
    const mem = Uint8Array.from({ length: 32 }, (_, i) => i);
    const out = await examineMemory(parseExamine('x/5xw 0x100')!, async (_ref, n) => ({ address: '0x100', bytes: mem.slice(0, n) }), async () => 0x100n);
    assert.equal(out, '0x00000100: 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c\n0x00000110: 0x13121110');
    const signed = await examineMemory(parseExamine('xp/1db 7')!, async () => ({ address: '', bytes: Uint8Array.of(0xff) }), async () => 7n);
    assert.equal(signed, 'phys 0x00000007: -1');
  });
});

describe('disassembler', () => {
  it('decodes Intel syntax and marks what `next` steps over', () => {
    const list = decodeInstructions(CODE, BASE, 32, 10);
    assert.deepEqual(list.map((i) => i.text), ['push ebp', 'mov ebp, esp', 'call 0x1008', 'rep movsb [edi], [esi]', 'int 0x80', 'nop', 'ret']);
    assert.deepEqual(list.map((i) => i.stepsOver), [false, false, true, true, true, false, false]);
    assert.deepEqual(list.map((i) => i.length), [1, 2, 5, 2, 2, 1, 1]);
    assert.equal(list[2].branchTarget, 0x1008n);
  });

  it('decodes in the bitness asked for', () => {
    const bytes = Uint8Array.of(0x48, 0x89, 0xe5);
    assert.equal(decodeInstructions(bytes, 0n, 64, 1)[0].text, 'mov rbp, rsp');
    assert.equal(decodeInstructions(bytes, 0n, 32, 1)[0].text, 'dec eax');
    assert.equal(decodeInstructions(Uint8Array.of(0x89, 0xe5), 0n, 16, 1)[0].text, 'mov bp, sp');
  });

  it('reports undecodable bytes as (bad), one byte each', () => {
    const list = decodeInstructions(Uint8Array.of(0x0f, 0x0b, 0x0f), 0n, 64, 5);
    // ud2, then a lone 0x0f that the buffer cuts short.
    assert.equal(list[0].text, 'ud2');
    assert.ok(list[1].invalid);
    assert.equal(list[1].text, '(bad)');
    assert.equal(list[1].length, 1);
  });
});

describe('disassembly window', () => {
  it('returns instructions from an address forwards, skipping an instruction offset', async () => {
    const w = await disassemblyWindow(source, BASE, 1, 3, 32);
    assert.deepEqual(w.map((i) => i.address), [0x1001n, 0x1003n, 0x1008n]);
  });

  it('finds instructions before an address that end exactly on it', async () => {
    const at = 0x100an;
    const w = await disassemblyWindow(source, at, -3, 5, 32);
    assert.equal(w.length, 5);
    assert.deepEqual(w.slice(0, 3).map((i) => i.text), ['mov ebp, esp', 'call 0x1008', 'rep movsb [edi], [esi]']);
    assert.equal(w[3].address, at);
    assert.equal(w[3].text, 'int 0x80');
  });

  it('marks unreadable memory as unknown instead of decoding zeros', async () => {
    const w = await disassemblyWindow(source, 0xfe0n, 0, 3, 32);
    assert.deepEqual(w.map((i) => [i.address, i.readable, i.text]), [[0xfe0n, false, '??'], [0xfe1n, false, '??'], [0xfe2n, false, '??']]);
  });
});
