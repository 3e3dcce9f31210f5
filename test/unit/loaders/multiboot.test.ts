// Tests for the Multiboot v1 loader: ELF32 and a.out-kludge kernels, multiboot_info byte by byte, entry state, errors.
import assert from 'node:assert/strict';
import { planImage } from '../../../debug-adapter/src/loaders/probe';
import { putU32 } from '../../../debug-adapter/src/loaders/bytes';
import { descriptorBytes, flatCode32, flatData } from '../../../debug-adapter/src/loaders/gdt';
import { segment } from '../../../debug-adapter/src/vmm/cpu/registers';
import { aoutKernel, buildElf, code, multibootElf, multibootHeader } from './imageBuilders';
import {
  MiB, RAM, baseOptions, bytesAt, cStringAt, expectImageError, u16At, u32At, u64At,
} from './planReader';

describe('loaders/multiboot', () => {
  const initrd = { name: 'initrd.img', bytes: code(5000, 1) };
  const module = { name: 'mod.bin', bytes: code(100, 2), cmdline: 'arg=1' };

  it('loads an ELF32 kernel at its physical address and zero-fills .bss', () => {
    const plan = planImage(multibootElf({ codeSize: 64, bss: 0x2000 }), baseOptions());
    assert.equal(plan.format, 'multiboot');
    const kernel = plan.segments[0];
    assert.equal(kernel.gpa, 0x100000);
    assert.equal(kernel.bytes.length, 12 + 64);
    assert.equal(u32At(plan, 0x100000), 0x1badb002);
    assert.deepEqual([...bytesAt(plan, 0x10000c, 64)], [...code(64)]);
    assert.deepEqual(plan.zeroFill, [{ gpa: 0x100000 + 76, length: 0x2000 }]);
  });

  it('enters in flat 32-bit protected mode with EAX = 0x2BADB002 and EBX -> multiboot_info', () => {
    const plan = planImage(multibootElf(), baseOptions());
    const { mode, regs, sregs } = plan.entry;
    assert.equal(mode, 32);
    assert.equal(regs.rip, 0x10000cn);
    assert.equal(regs.rax, 0x2badb002n);
    assert.equal(regs.rbx, 0x6000n);
    assert.equal(regs.rsp, 0x8ff0n);
    assert.equal(regs.rflags, 2n);
    assert.equal(sregs.cr0, 0x11n);
    assert.equal(sregs.cr4, 0n);
    assert.equal(sregs.efer, 0n);
    assert.deepEqual(sregs.cs, segment({ selector: 8, base: 0n, limit: 0xffffffff, type: 0xb, db: 1, g: 1, s: 1, present: 1 }));
    for (const r of ['ds', 'es', 'fs', 'gs', 'ss'] as const) {
      assert.deepEqual(sregs[r], segment({ selector: 0x10, limit: 0xffffffff, type: 3, db: 1, g: 1 }));
    }
    assert.deepEqual(sregs.gdt, { base: 0x500n, limit: 23 });
    assert.deepEqual([...bytesAt(plan, 0x500, 8)], [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual([...bytesAt(plan, 0x508, 8)], [...descriptorBytes(flatCode32(8))]);
    assert.deepEqual([...bytesAt(plan, 0x510, 8)], [...descriptorBytes(flatData(0x10))]);
  });

  it('writes a complete multiboot_info with memory map, modules and strings', () => {
    const plan = planImage(multibootElf({ flags: 0x3 }), baseOptions({
      cmdline: 'console=ttyS0', kernelName: 'kernel.elf', initrd, modules: [module],
    }));
    const mbi = 0x6000;
    assert.equal(u32At(plan, mbi + 0), 0x24d, 'flags: mem, cmdline, mods, mmap, boot loader name');
    assert.equal(u32At(plan, mbi + 4), 639);
    assert.equal(u32At(plan, mbi + 8), (RAM - MiB) / 1024);
    assert.equal(u32At(plan, mbi + 12), 0, 'no boot device');
    assert.equal(cStringAt(plan, u32At(plan, mbi + 16)), 'kernel.elf console=ttyS0');
    assert.equal(u32At(plan, mbi + 16), 0x20000, 'the command line sits at CMDLINE_ADDR');
    assert.equal(u32At(plan, mbi + 20), 2);
    const mods = u32At(plan, mbi + 24);
    assert.equal(u32At(plan, mods), 0x1000000);
    assert.equal(u32At(plan, mods + 4), 0x1000000 + 5000);
    assert.equal(cStringAt(plan, u32At(plan, mods + 8)), 'initrd.img');
    assert.equal(u32At(plan, mods + 12), 0);
    assert.equal(u32At(plan, mods + 16), 0x1002000, 'second module on the next page');
    assert.equal(u32At(plan, mods + 20), 0x1002000 + 100);
    assert.equal(cStringAt(plan, u32At(plan, mods + 24)), 'mod.bin arg=1');
    assert.equal(u32At(plan, mbi + 44), 3 * 24);
    const mmap = u32At(plan, mbi + 48);
    const expected: [number, number, number][] = [[0, 0x9fc00, 1], [0x9fc00, 0x60400, 2], [0x100000, RAM - MiB, 1]];
    expected.forEach(([base, length, type], i) => {
      const e = mmap + i * 24;
      assert.equal(u32At(plan, e), 20);
      assert.equal(u64At(plan, e + 4), BigInt(base));
      assert.equal(u64At(plan, e + 12), BigInt(length));
      assert.equal(u32At(plan, e + 20), type);
    });
    assert.equal(cStringAt(plan, u32At(plan, mbi + 64)), 'KVM Lab');
    assert.equal(u16At(plan, mbi + 80), 0, 'no VBE information');
    assert.deepEqual([...bytesAt(plan, 0x1000000, 5000)], [...initrd.bytes]);
    assert.deepEqual([...bytesAt(plan, 0x1002000, 100)], [...module.bytes]);
  });

  it('passes the command line alone when no kernel name is given', () => {
    const plan = planImage(multibootElf(), baseOptions({ cmdline: 'a b' }));
    assert.equal(cStringAt(plan, u32At(plan, 0x6000 + 16)), 'a b');
    assert.equal(u32At(plan, 0x6000 + 20), 0);
  });

  it('loads an a.out-kludge kernel from its address fields', () => {
    const image = aoutKernel({ loadAddr: 0x200000, headerOffset: 0x40, size: 0x300, bss: 0x1000, entryOffset: 0x80 });
    const plan = planImage(image, baseOptions());
    assert.equal(plan.segments[0].gpa, 0x200000);
    assert.deepEqual([...plan.segments[0].bytes], [...image]);
    assert.deepEqual(plan.zeroFill, [{ gpa: 0x200300, length: 0x1000 }]);
    assert.equal(plan.entry.regs.rip, 0x200080n);
    assert.match(plan.notes[0], /a\.out address fields/);
  });

  it('loads to the end of the file when load_end_addr is 0, skipping bytes before load_addr', () => {
    const image = aoutKernel({ loadEndZero: true, size: 0x400, headerOffset: 0x100 });
    // Claim the header is only 0x20 bytes into the loaded image: loading starts at file offset 0xe0.
    putU32(image, 0x100 + 12, 0x100000 + 0x20);
    putU32(image, 0x100 + 28, 0x100000);
    const plan = planImage(image, baseOptions());
    assert.equal(plan.segments[0].bytes.length, 0x400 - 0xe0);
    assert.equal(plan.segments[0].bytes[0], image[0xe0]);
  });

  it('notes an ignored video mode request and unaligned-module requests', () => {
    const header = multibootHeader({ flags: 0x4, video: { modeType: 0, width: 1024, height: 768, depth: 32 } });
    const body = new Uint8Array(header.length + 16);
    body.set(header);
    const image = buildElf({ bits: 32, entry: 0x100000 + header.length, segments: [{ paddr: 0x100000, data: body }] });
    const plan = planImage(image, baseOptions({ modules: [module] }));
    assert.ok(plan.notes.some((n) => /video mode request .*1024x768x32\) ignored/.test(n)));
    assert.ok(plan.notes.some((n) => /page-aligned even though/.test(n)));
  });

  it('prefers the Multiboot loader over plain ELF and finds headers anywhere 4-aligned in 8 KiB', () => {
    const body = new Uint8Array(0x1800);
    body.set(multibootHeader({ flags: 0 }), 0x1000);
    const image = buildElf({ bits: 32, entry: 0x100000, segments: [{ paddr: 0x100000, data: body }] });
    assert.equal(planImage(image, baseOptions()).format, 'multiboot');
  });

  describe('errors', () => {
    it('unsupported required flags', () => {
      expectImageError(() => planImage(multibootElf({ flags: 0x8 }), baseOptions()),
        /requires unsupported features \(flags 0x8\)/);
    });
    it('a 64-bit Multiboot ELF', () => {
      expectImageError(() => planImage(multibootElf({ bits: 64, machine: 62 }), baseOptions()),
        /Multiboot kernel is a 64-bit ELF: expected ELF32/);
    });
    it('an ELF32 for another machine', () => {
      expectImageError(() => planImage(multibootElf({ machine: 40 }), baseOptions()),
        /Multiboot kernel is for ARM \(e_machine 40\): expected i386 \(3\)/);
    });
    it('not ELF and no address fields', () => {
      const image = new Uint8Array(64);
      image.set(multibootHeader({ flags: 0 }), 8);
      expectImageError(() => planImage(image, baseOptions()), /neither ELF nor described by address fields/);
    });
    it('header_addr below load_addr', () => {
      const image = aoutKernel();
      putU32(image, 0x40 + 12, 0x10);
      expectImageError(() => planImage(image, baseOptions()), /header_addr 0x10 is below load_addr 0x100000/);
    });
    it('load range past the end of the file', () => {
      const image = aoutKernel({ size: 0x200 });
      putU32(image, 0x40 + 20, 0x100000 + 0x10000);
      putU32(image, 0x40 + 24, 0);
      expectImageError(() => planImage(image, baseOptions()), /Multiboot image is truncated/);
    });
    it('entry outside the loaded image', () => {
      const image = aoutKernel();
      putU32(image, 0x40 + 28, 0x900000);
      expectImageError(() => planImage(image, baseOptions()), /entry_addr 0x900000 is outside the loaded image/);
    });
    it('address fields cut off by the end of the file', () => {
      const image = new Uint8Array(0x20);
      image.set(multibootHeader({ flags: 0x10000 }).subarray(0, 12), 0x10);
      expectImageError(() => planImage(image, baseOptions(), 'multiboot'), /header at offset 0x10 is truncated/);
    });
    it('an explicit multiboot request for a file without a header', () => {
      expectImageError(() => planImage(new Uint8Array(4096), baseOptions(), 'multiboot'),
        /no Multiboot header: expected the magic 0x1badb002 with a valid checksum/);
    });
    it('a bad checksum is not a header', () => {
      const image = new Uint8Array(64);
      image.set(multibootHeader({ flags: 0, badChecksum: true }));
      expectImageError(() => planImage(image, baseOptions(), 'multiboot'), /no Multiboot header/);
    });
    it('a kernel larger than guest memory', () => {
      expectImageError(() => planImage(multibootElf({ bss: 4 * MiB }), baseOptions({ ramSize: 4 * MiB })),
        /kernel segment at 0x100000 \(\+4194380 bytes\) does not fit in 4 MiB of guest memory; use --memory/);
    });
    it('modules that do not fit', () => {
      expectImageError(() => planImage(multibootElf(), baseOptions({ ramSize: 2 * MiB, initrd: { name: 'big', bytes: new Uint8Array(MiB) } })),
        /module big \(1048576 bytes\) does not fit in 2 MiB/);
    });
    it('a command line longer than the command line area', () => {
      expectImageError(() => planImage(multibootElf(), baseOptions({ cmdline: 'x'.repeat(70000) })),
        /the command line area needs more than its 64 KiB at 0x20000/);
    });
    it('more modules than the boot information area can list', () => {
      const modules = Array.from({ length: 300 }, (_, i) => ({ name: `m${i}`, bytes: code(1) }));
      expectImageError(() => planImage(multibootElf(), baseOptions({ modules })),
        /the boot information area needs more than its 4 KiB at 0x6000/);
    });
    it('a kernel linked over the boot structures', () => {
      expectImageError(() => planImage(multibootElf({ paddr: 0x6000 }), baseOptions()),
        /kernel segment at 0x6000 .* overlaps the boot information area at 0x6000-0x6fff/);
    });
  });
});
