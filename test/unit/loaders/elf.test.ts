// Tests for the ELF reader: header and program header decoding, bounds and sanity errors, entry translation, notes.
import assert from 'node:assert/strict';
import {
  elfLoad, parseElf, physicalEntry, requireMachine, EM_X86_64,
} from '../../../debug-adapter/src/loaders/elf';
import { findPvhNote, pvhEntryOf, readNotes } from '../../../debug-adapter/src/loaders/elfNotes';
import { putU16, putU32, putU64 } from '../../../debug-adapter/src/loaders/bytes';
import { buildElf, code, elfNote, PT_NOTE, pvhNote, u32Bytes } from './imageBuilders';
import { expectImageError } from './planReader';

describe('loaders/elf', () => {
  const elf64 = () => buildElf({
    bits: 64, entry: 0x100000,
    segments: [{ paddr: 0x100000, data: code(0x80) }, { paddr: 0x200000, data: code(0x20), memsz: 0x1000 }],
  });

  it('decodes ELF64 headers and program headers', () => {
    const elf = parseElf(elf64());
    assert.equal(elf.bits, 64);
    assert.equal(elf.machine, EM_X86_64);
    assert.equal(elf.entry, 0x100000n);
    assert.equal(elf.segments.length, 2);
    assert.deepEqual(
      elf.segments.map((s) => [s.type, s.paddr, s.filesz, s.memsz]),
      [[1, 0x100000, 0x80, 0x80], [1, 0x200000, 0x20, 0x1000]]);
  });

  it('decodes ELF32 headers', () => {
    const elf = parseElf(buildElf({ bits: 32, entry: 0x100010, segments: [{ paddr: 0x100000, data: code(0x40) }] }));
    assert.equal(elf.bits, 32);
    assert.equal(elf.machine, 3);
    assert.equal(elf.entry, 0x100010n);
    assert.equal(elf.segments[0].offset % 16, 0);
  });

  it('loads PT_LOAD as views of the file and sends .bss to zeroFill', () => {
    const image = elf64();
    const load = elfLoad(parseElf(image), image);
    assert.equal(load.segments.length, 2);
    assert.equal(load.segments[0].gpa, 0x100000);
    assert.deepEqual([...load.segments[0].bytes], [...code(0x80)]);
    assert.equal(load.segments[0].bytes.buffer, image.buffer, 'segments are views, not copies');
    assert.deepEqual(load.zeroFill, [{ gpa: 0x200020, length: 0x1000 - 0x20 }]);
    assert.equal(load.end, 0x201000);
  });

  it('translates a higher-half entry point through the segment that holds it', () => {
    const elf = parseElf(buildElf({
      bits: 64, entry: 0xffffffff81000040n,
      segments: [{ paddr: 0x1000000, vaddr: 0xffffffff81000000n, data: code(0x100) }],
    }));
    assert.equal(physicalEntry(elf), 0x1000040);
  });

  it('rejects an entry point outside every loaded segment', () => {
    const elf = parseElf(buildElf({ bits: 64, entry: 0x500000, segments: [{ paddr: 0x100000, data: code(16) }] }));
    expectImageError(() => physicalEntry(elf), /entry point 0x500000 is not inside any loadable segment/);
  });

  it('names the machine of a foreign ELF', () => {
    const elf = parseElf(buildElf({ bits: 32, machine: 40, entry: 0, segments: [{ paddr: 0x100000, data: code(4) }] }));
    expectImageError(() => requireMachine(elf, [EM_X86_64], 'kernel'), /for ARM \(e_machine 40\): expected x86-64 \(62\)/);
  });

  describe('errors', () => {
    it('no magic', () => expectImageError(() => parseElf(new Uint8Array(100)), /not an ELF file/));
    it('truncated header', () => expectImageError(() => parseElf(elf64().subarray(0, 40)), /ELF header is truncated: the file has 40 bytes/));
    it('invalid class', () => {
      const image = elf64();
      image[4] = 7;
      expectImageError(() => parseElf(image), /ELF class 7 is invalid/);
    });
    it('big-endian', () => {
      const image = elf64();
      image[5] = 2;
      expectImageError(() => parseElf(image), /little-endian/);
    });
    it('relocatable object', () => {
      const image = elf64();
      putU16(image, 16, 1);
      expectImageError(() => parseElf(image), /relocatable object/);
    });
    it('no program headers', () => {
      const image = elf64();
      putU16(image, 56, 0);
      expectImageError(() => parseElf(image), /no program headers/);
    });
    it('program header entries too small', () => {
      const image = elf64();
      putU16(image, 54, 32);
      expectImageError(() => parseElf(image), /program header size 32 is too small: expected at least 56/);
    });
    it('program header table past the end of the file', () => {
      const image = elf64();
      putU64(image, 32, image.length - 10);
      expectImageError(() => parseElf(image), /program headers .* run past the end/);
    });
    it('segment beyond the file', () => {
      const image = elf64();
      putU64(image, 64 + 32, 0x10000);
      expectImageError(() => parseElf(image), /ELF segment 0 .* lies beyond the end of the \d+-byte file/);
    });
    it('p_filesz larger than p_memsz', () => {
      const image = elf64();
      putU64(image, 64 + 40, 0x10);
      expectImageError(() => parseElf(image), /p_filesz 128 larger than p_memsz 16/);
    });
    it('physical address overflow', () => {
      const image = elf64();
      putU64(image, 64 + 24, 0xfffffffffffff000n);
      expectImageError(() => parseElf(image), /p_paddr 0xfffffffffffff000 is out of range/);
      const near = elf64();
      putU64(near, 64 + 24, BigInt(Number.MAX_SAFE_INTEGER - 0x10));
      expectImageError(() => parseElf(near), /overflows the address space/);
    });
    it('32-bit segment offset past the file', () => {
      const image = buildElf({ bits: 32, entry: 0, segments: [{ paddr: 0x100000, data: code(8) }] });
      putU32(image, 52 + 4, 0xfffffff0);
      expectImageError(() => parseElf(image), /lies beyond the end/);
    });
  });

  describe('notes', () => {
    it('reads several notes and finds the PVH entry note', () => {
      const notes = new Uint8Array([...elfNote('GNU', 3, u32Bytes(7)), ...pvhNote(0x100123)]);
      const image = buildElf({
        bits: 64, entry: 0x100000,
        segments: [{ paddr: 0x100000, data: code(0x200) }, { type: PT_NOTE, paddr: 0, data: notes }],
      });
      const elf = parseElf(image);
      assert.deepEqual(readNotes(elf, image).map((n) => [n.name, n.type]), [['GNU', 3], ['Xen', 18]]);
      assert.equal(pvhEntryOf(findPvhNote(elf, image)!), 0x100123);
    });

    it('accepts 8-byte values and 8-byte note padding', () => {
      const image = buildElf({
        bits: 64, entry: 0,
        segments: [{ type: PT_NOTE, paddr: 0, align: 8, data: elfNote('Xen', 18, new Uint8Array([0x34, 0x12, 0x10, 0, 0, 0, 0, 0]), 8) }],
      });
      assert.equal(pvhEntryOf(findPvhNote(parseElf(image), image)!), 0x101234);
    });

    it('stops at a malformed note without throwing', () => {
      const bad = pvhNote(0x100000);
      putU32(bad, 4, 0x7fffffff);
      const image = buildElf({ bits: 64, entry: 0, segments: [{ type: PT_NOTE, paddr: 0, data: bad }] });
      assert.deepEqual(readNotes(parseElf(image), image), []);
    });

    it('rejects a PVH entry value of the wrong size or beyond 4 GiB', () => {
      expectImageError(() => pvhEntryOf({ name: 'Xen', type: 18, desc: new Uint8Array(2) }), /2-byte value: expected 4 or 8/);
      const desc = new Uint8Array(8);
      putU64(desc, 0, 0x100000000n);
      expectImageError(() => pvhEntryOf({ name: 'Xen', type: 18, desc }), /expected a 32-bit physical address/);
    });
  });
});
