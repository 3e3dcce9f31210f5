// Tests for the bzImage loader: setup header parsing, zero page fields, e820, initrd placement, entry states, errors.
import assert from 'node:assert/strict';
import { planImage } from '../../../debug-adapter/src/loaders/probe';
import { descriptorBytes, flatCode32, flatCode64, flatData } from '../../../debug-adapter/src/loaders/gdt';
import { buildBzImage, code } from './imageBuilders';
import {
  MiB, RAM, baseOptions, bytesAt, cStringAt, expectImageError, segmentAt, u16At, u32At, u64At, u8At,
} from './planReader';

const ZP = 0x7000;

describe('loaders/bzImage', () => {
  it('loads the protected-mode kernel (after (setup_sects+1)*512 bytes) at 1 MiB', () => {
    const image = buildBzImage({ setupSects: 3, kernelSize: 0x2000 });
    const plan = planImage(image, baseOptions());
    assert.equal(plan.format, 'bzimage');
    const kernel = segmentAt(plan, 0x100000);
    assert.equal(kernel.bytes.length, 0x2000);
    assert.deepEqual([...kernel.bytes.subarray(0, 16)], [...image.subarray(4 * 512, 4 * 512 + 16)]);
  });

  it('treats setup_sects = 0 as 4', () => {
    const image = buildBzImage({ setupSects: 0, kernelSize: 0x1000 });
    assert.equal(segmentAt(planImage(image, baseOptions()), 0x100000).bytes.length, 0x1000);
  });

  it('enters startup_64 in long mode with RSI -> zero page and __BOOT_CS/__BOOT_DS = 0x10/0x18', () => {
    const plan = planImage(buildBzImage(), baseOptions());
    const { mode, regs, sregs } = plan.entry;
    assert.equal(mode, 64);
    assert.equal(regs.rip, 0x100200n);
    assert.equal(regs.rsi, BigInt(ZP));
    assert.equal(regs.rflags, 2n, 'interrupts off');
    assert.equal(sregs.cr0, 0x80050033n);
    assert.equal(sregs.cr3, 0x9000n);
    assert.equal(sregs.efer, 0x500n);
    assert.equal(sregs.cs!.selector, 0x10);
    assert.equal(sregs.cs!.l, 1);
    for (const r of ['ds', 'es', 'ss'] as const) assert.equal(sregs[r]!.selector, 0x18);
    assert.deepEqual(sregs.gdt, { base: 0x500n, limit: 31 });
    assert.deepEqual([...bytesAt(plan, 0x500, 16)], new Array(16).fill(0));
    assert.deepEqual([...bytesAt(plan, 0x510, 8)], [...descriptorBytes(flatCode64(0x10))]);
    assert.deepEqual([...bytesAt(plan, 0x518, 8)], [...descriptorBytes(flatData(0x18))]);
    assert.equal(u64At(plan, 0x9000), 0xa003n);
  });

  it('uses the 32-bit entry at code32_start for kernels without XLF_KERNEL_64', () => {
    const plan = planImage(buildBzImage({ xloadflags: 0 }), baseOptions());
    const { mode, regs, sregs } = plan.entry;
    assert.equal(mode, 32);
    assert.equal(regs.rip, 0x100000n);
    assert.equal(regs.rsi, BigInt(ZP));
    assert.deepEqual([regs.rbp, regs.rdi, regs.rbx], [0n, 0n, 0n]);
    assert.equal(sregs.cr0, 0x11n);
    assert.equal(sregs.cs!.selector, 0x10);
    assert.deepEqual([...bytesAt(plan, 0x510, 8)], [...descriptorBytes(flatCode32(0x10))]);
    assert.throws(() => segmentAt(plan, 0x9000), /no segment/, 'no page tables for a 32-bit entry');
  });

  it('fills the zero page: header copy, loader fields, command line, e820', () => {
    const image = buildBzImage({ kernelSize: 0x1000 });
    const plan = planImage(image, baseOptions({ cmdline: 'console=ttyS0 bz' }));
    const zp = segmentAt(plan, ZP).bytes;
    assert.equal(zp.length, 4096);
    // Untouched header fields are copied verbatim from the file.
    for (const off of [0x1f1, 0x1f4, 0x1fe, 0x202, 0x206, 0x22c, 0x230, 0x236, 0x238, 0x258, 0x260]) {
      assert.equal(zp[off], image[off], `byte 0x${off.toString(16)}`);
    }
    assert.equal(u32At(plan, ZP + 0x202), 0x53726448);
    assert.equal(u8At(plan, ZP + 0x210), 0xff, 'type_of_loader');
    assert.equal(u8At(plan, ZP + 0x211), 0x81, 'LOADED_HIGH | CAN_USE_HEAP');
    assert.equal(u16At(plan, ZP + 0x224), 0xde00, 'heap_end_ptr');
    assert.equal(u32At(plan, ZP + 0x214), 0x100000, 'code32_start');
    assert.equal(u32At(plan, ZP + 0x228), 0x20000, 'cmd_line_ptr');
    assert.equal(cStringAt(plan, 0x20000), 'console=ttyS0 bz');
    assert.equal(u32At(plan, ZP + 0x218), 0);
    assert.equal(u32At(plan, ZP + 0x21c), 0);
    assert.equal(u8At(plan, ZP + 0x1e8), 3);
    const expected: [number, number, number][] = [[0, 0x9fc00, 1], [0x9fc00, 0x60400, 2], [0x100000, RAM - MiB, 1]];
    expected.forEach(([addr, size, type], i) => {
      const e = ZP + 0x2d0 + i * 20;
      assert.equal(u64At(plan, e), BigInt(addr));
      assert.equal(u64At(plan, e + 8), BigInt(size));
      assert.equal(u32At(plan, e + 16), type);
    });
    assert.equal(u64At(plan, ZP + 0x2d0 + 60), 0n, 'no fourth entry');
    assert.deepEqual([...zp.subarray(0, 0x1e8)], new Array(0x1e8).fill(0), 'screen_info and the rest stay zero');
    assert.deepEqual([...zp.subarray(0x290, 0x2d0)], new Array(0x40).fill(0), 'nothing past the setup header');
  });

  it('copies only the setup header length the jump byte announces', () => {
    const image = buildBzImage({ jumpOffset: 0x30 });
    image[0x240] = 0xab;
    const zp = segmentAt(planImage(image, baseOptions()), ZP).bytes;
    assert.equal(zp[0x231], image[0x231]);
    assert.equal(zp[0x240], 0);
  });

  it('places the initrd page-aligned as high as allowed and records it', () => {
    const initrd = { name: 'initrd.img', bytes: code(10000, 7) };
    const plan = planImage(buildBzImage(), baseOptions({ initrd }));
    const top = RAM - 12288;
    assert.equal(u32At(plan, ZP + 0x218), top);
    assert.equal(u32At(plan, ZP + 0x21c), 10000);
    assert.deepEqual([...bytesAt(plan, top, 10000)], [...initrd.bytes]);
  });

  it('keeps the initrd below initrd_addr_max', () => {
    const initrd = { name: 'i', bytes: code(100) };
    const plan = planImage(buildBzImage({ initrdAddrMax: 0x37ffffff }), baseOptions({ ramSize: 1024 * MiB, initrd }));
    assert.equal(u32At(plan, ZP + 0x218), 0x37fff000);
  });

  describe('errors', () => {
    it('a boot protocol older than 2.06', () => {
      expectImageError(() => planImage(buildBzImage({ version: 0x204 }), baseOptions()),
        /^Linux boot protocol 2\.04 is too old: expected 2\.06 or newer/);
    });
    it('a zImage', () => {
      expectImageError(() => planImage(buildBzImage({ loadflags: 0 }), baseOptions()), /zImage \(loaded low\)/);
    });
    it('a file cut inside the setup code', () => {
      expectImageError(() => planImage(buildBzImage().subarray(0, 0x300), baseOptions()),
        /setup code takes 2560 bytes but the file has 768/);
    });
    it('a kernel shorter than syssize', () => {
      expectImageError(() => planImage(buildBzImage({ kernelSize: 0x1000 }).subarray(0, 2560 + 0x800), baseOptions()),
        /kernel is 4096 bytes \(syssize\) but only 2048 follow/);
    });
    it('a command line longer than cmdline_size', () => {
      expectImageError(() => planImage(buildBzImage({ cmdlineSize: 4 }), baseOptions({ cmdline: 'console=ttyS0' })),
        /command line is 13 bytes but this kernel accepts at most 4/);
    });
    it('init_size that does not fit in guest memory', () => {
      expectImageError(() => planImage(buildBzImage({ initSize: 200 * MiB }), baseOptions()),
        /needs memory up to 0xd800000 to decompress .* more than the 128 MiB of guest memory; use --memory/);
    });
    it('a pref_address beyond guest memory', () => {
      expectImageError(() => planImage(buildBzImage({ prefAddress: 0x1_0000_0000n }), baseOptions()),
        /pref_address 0x100000000, beyond the 128 MiB/);
    });
    it('a relocatable kernel with a broken kernel_alignment', () => {
      expectImageError(() => planImage(buildBzImage({ kernelAlignment: 0x3000 }), baseOptions()),
        /kernel_alignment 0x3000 is not a power of two/);
    });
    it('an initrd that does not fit above the decompression window', () => {
      expectImageError(() => planImage(buildBzImage(), baseOptions({ ramSize: 24 * MiB, initrd: { name: 'big', bytes: new Uint8Array(8 * MiB) } })),
        /initrd big \(8388608 bytes\) does not fit between 0x1400000 and 0x1800000; use --memory/);
    });
    it('modules', () => {
      expectImageError(() => planImage(buildBzImage(), baseOptions({ modules: [{ name: 'm', bytes: code(1) }] })),
        /a bzImage takes an initrd but no modules/);
    });
    it('an explicit bzImage request for another file', () => {
      expectImageError(() => planImage(new Uint8Array(4096), baseOptions(), 'bzimage'),
        /not a Linux bzImage: expected the signature "HdrS" at offset 0x202/);
    });
  });
});
