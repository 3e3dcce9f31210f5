// SVGA II registers: id negotiation, mode setting and derived values, capability honesty, ports and PCI identity.
import { strict as assert } from 'node:assert';
import { Svga2, SVGA2_CAPABILITIES, SVGA2_FIFO_CAPABILITIES } from '../../../debug-adapter/src/devices/svga2/svga2';
import {
  Cap, Fifo, FifoCap, PORT_BIOS, PORT_INDEX, PORT_IRQSTATUS, PALETTE_BASE, Reg, SCRATCH_BASE, SVGA_ID_0, SVGA_ID_1,
  SVGA_ID_2, SVGA_ID_INVALID, registerName,
} from '../../../debug-adapter/src/devices/svga2/svgaConstants';
import { FifoWriter, RecordingIrq, ctx, inl, makeRig, outl, readReg, setMode, writeReg } from './svgaTestKit';

const SVGA_ID_3 = 0x90000003;

describe('svga2 registers', () => {
  describe('id negotiation', () => {
    it('starts at SVGA_ID_2 and keeps ID_2, ID_1 and ID_0 when written', () => {
      const { svga } = makeRig();
      assert.equal(readReg(svga, Reg.ID), SVGA_ID_2);
      for (const id of [SVGA_ID_2, SVGA_ID_1, SVGA_ID_0]) {
        writeReg(svga, Reg.ID, id);
        assert.equal(readReg(svga, Reg.ID), id);
      }
    });

    it('answers an unsupported id with the highest supported one, so a driver steps down', () => {
      const { svga } = makeRig();
      writeReg(svga, Reg.ID, SVGA_ID_3);
      assert.equal(readReg(svga, Reg.ID), SVGA_ID_2);
      writeReg(svga, Reg.ID, 0x12345678);
      assert.equal(readReg(svga, Reg.ID), SVGA_ID_2);
      // The classic driver loop: start high, decrement until the device agrees.
      let id = SVGA_ID_3;
      for (; id >= SVGA_ID_0; id--) {
        writeReg(svga, Reg.ID, id);
        if (readReg(svga, Reg.ID) === id) break;
      }
      assert.equal(id, SVGA_ID_2);
    });

    it('hides the registers from CAPABILITIES on while the guest speaks SVGA_ID_0', () => {
      const { svga } = makeRig();
      writeReg(svga, Reg.ID, SVGA_ID_0);
      assert.equal(readReg(svga, Reg.CAPABILITIES), 0);
      assert.equal(readReg(svga, Reg.MEM_SIZE), 0);
      assert.equal(readReg(svga, Reg.WIDTH), 1024);
      writeReg(svga, Reg.ID, SVGA_ID_1);
      assert.notEqual(readReg(svga, Reg.CAPABILITIES), 0);
    });
  });

  describe('mode setting', () => {
    it('reports the 32 bpp X8R8G8B8 format and the size limits', () => {
      const { svga } = makeRig();
      assert.equal(readReg(svga, Reg.BITS_PER_PIXEL), 32);
      assert.equal(readReg(svga, Reg.HOST_BITS_PER_PIXEL), 32);
      assert.equal(readReg(svga, Reg.DEPTH), 24);
      assert.equal(readReg(svga, Reg.PSEUDOCOLOR), 0);
      assert.equal(readReg(svga, Reg.RED_MASK), 0xff0000);
      assert.equal(readReg(svga, Reg.GREEN_MASK), 0x00ff00);
      assert.equal(readReg(svga, Reg.BLUE_MASK), 0x0000ff);
      assert.equal(readReg(svga, Reg.MAX_WIDTH), 2560);
      assert.equal(readReg(svga, Reg.MAX_HEIGHT), 1600);
      assert.equal(readReg(svga, Reg.FB_OFFSET), 0);
    });

    it('derives BYTES_PER_LINE and FB_SIZE from WIDTH and HEIGHT', () => {
      const { svga } = makeRig();
      writeReg(svga, Reg.WIDTH, 800);
      writeReg(svga, Reg.HEIGHT, 600);
      assert.equal(readReg(svga, Reg.WIDTH), 800);
      assert.equal(readReg(svga, Reg.HEIGHT), 600);
      assert.equal(readReg(svga, Reg.BYTES_PER_LINE), 3200);
      assert.equal(readReg(svga, Reg.FB_SIZE), 3200 * 600);
    });

    it('rejects sizes beyond the maxima or zero, keeping the previous mode', () => {
      const { svga } = makeRig();
      writeReg(svga, Reg.WIDTH, 640);
      writeReg(svga, Reg.WIDTH, 2561);
      writeReg(svga, Reg.HEIGHT, 0);
      assert.equal(readReg(svga, Reg.WIDTH), 640);
      assert.equal(readReg(svga, Reg.HEIGHT), 768);
      assert.match(svga.registers.lastRejection ?? '', /HEIGHT 0 is out of range; expected 1\.\.1600/);
    });

    it('accepts only 32 for BITS_PER_PIXEL (no 8-bit emulation is advertised)', () => {
      const { svga } = makeRig();
      writeReg(svga, Reg.BITS_PER_PIXEL, 8);
      assert.equal(readReg(svga, Reg.BITS_PER_PIXEL), 32);
      assert.match(svga.registers.lastRejection ?? '', /BITS_PER_PIXEL 8/);
    });

    it('uses the PITCHLOCK register, then the FIFO pitch lock, for BYTES_PER_LINE', () => {
      const rig = makeRig();
      const { svga } = rig;
      const fifo = new FifoWriter(rig).init();
      writeReg(svga, Reg.WIDTH, 640);
      writeReg(svga, Reg.HEIGHT, 480);
      fifo.setWord(Fifo.PITCHLOCK, 4096);
      assert.equal(readReg(svga, Reg.BYTES_PER_LINE), 4096);
      writeReg(svga, Reg.PITCHLOCK, 3072);
      assert.equal(readReg(svga, Reg.BYTES_PER_LINE), 3072);
      assert.equal(readReg(svga, Reg.FB_SIZE), 3072 * 480);
      writeReg(svga, Reg.PITCHLOCK, 0);
      fifo.setWord(Fifo.PITCHLOCK, 0);
      assert.equal(readReg(svga, Reg.BYTES_PER_LINE), 2560);
    });

    it('flags a pitch lock shorter than a line and a mode larger than VRAM as unusable', () => {
      const { svga } = makeRig({ vramSize: 1024 * 1024 });
      setMode(svga, 640, 480);
      assert.equal(svga.scanout().source, 'invalid');
      assert.match(svga.scanout().problem ?? '', /needs 1228800 bytes; VRAM holds 1048576/);
      writeReg(svga, Reg.HEIGHT, 400);
      assert.equal(svga.scanout().source, 'svga');
      writeReg(svga, Reg.PITCHLOCK, 1000);
      assert.match(svga.scanout().problem ?? '', /pitch lock 1000 does not fit a 640-pixel line/);
    });

    it('shows VGA while disabled, nothing while hidden, and the framebuffer when enabled', () => {
      const { svga } = makeRig();
      assert.equal(svga.scanout().source, 'vga');
      writeReg(svga, Reg.ENABLE, 3);
      assert.equal(svga.scanout().source, 'hidden');
      writeReg(svga, Reg.ENABLE, 1);
      assert.equal(svga.scanout().source, 'svga');
      assert.equal(svga.framebufferView()?.width, 1024);
    });
  });

  describe('capabilities', () => {
    it('advertises exactly the implemented set, adding IRQMASK only with an interrupt line', () => {
      const { svga } = makeRig();
      const expected = Cap.RECT_FILL | Cap.RECT_COPY | Cap.CURSOR | Cap.CURSOR_BYPASS_2 | Cap.ALPHA_CURSOR | Cap.EXTENDED_FIFO | Cap.PITCHLOCK;
      assert.equal(readReg(svga, Reg.CAPABILITIES), expected);
      assert.equal(SVGA2_CAPABILITIES, expected);
      svga.setIrqLine(new RecordingIrq());
      assert.equal(readReg(svga, Reg.CAPABILITIES), expected | Cap.IRQMASK);
      const never = Cap.THREE_D | Cap.GMR | Cap.GMR2 | Cap.SCREEN_OBJECT_2 | Cap.EIGHTBIT_EMULATION | Cap.MULTIMON | Cap.CAP2_REGISTER;
      assert.equal(readReg(svga, Reg.CAPABILITIES) & never, 0);
    });

    it('meets the vmwgfx pitch-lock gate (PITCHLOCK, or EXTENDED_FIFO with FIFO PITCHLOCK)', () => {
      const rig = makeRig();
      const caps = readReg(rig.svga, Reg.CAPABILITIES);
      assert.ok(caps & Cap.PITCHLOCK);
      assert.ok(caps & Cap.EXTENDED_FIFO);
      assert.ok(rig.fifoWords.getUint32(Fifo.CAPABILITIES * 4, true) & FifoCap.PITCHLOCK);
    });

    it('pre-populates FIFO capability words at attach and restores them when the FIFO is configured', () => {
      const rig = makeRig();
      const w = (i: number) => rig.fifoWords.getUint32(i * 4, true);
      assert.equal(w(Fifo.CAPABILITIES), SVGA2_FIFO_CAPABILITIES);
      assert.equal(w(Fifo.HWVERSION_3D), 0);
      rig.fifoWords.setUint32(Fifo.CAPABILITIES * 4, 0, true);
      new FifoWriter(rig).init();
      assert.equal(w(Fifo.CAPABILITIES), SVGA2_FIFO_CAPABILITIES);
    });
  });

  describe('other registers', () => {
    it('reports memory sizes, BAR addresses and the FIFO register count', () => {
      const { svga } = makeRig({ vramSize: 4 * 1024 * 1024, fifoSize: 64 * 1024 });
      svga.setBarAddress(1, 0xe0000000);
      svga.setBarAddress(2, 0xe1000000);
      assert.equal(readReg(svga, Reg.VRAM_SIZE), 4 * 1024 * 1024);
      assert.equal(readReg(svga, Reg.MEM_SIZE), 64 * 1024);
      assert.equal(readReg(svga, Reg.FB_START), 0xe0000000);
      assert.equal(readReg(svga, Reg.MEM_START), 0xe1000000);
      assert.equal(readReg(svga, Reg.MEM_REGS), 291);
      assert.equal(readReg(svga, Reg.NUM_DISPLAYS), 1);
    });

    it('stores guest id, scratch and palette registers, and counts unknown ones', () => {
      const { svga } = makeRig();
      writeReg(svga, Reg.GUEST_ID, 0x5010);
      assert.equal(readReg(svga, Reg.GUEST_ID), 0x5010);
      const n = readReg(svga, Reg.SCRATCH_SIZE);
      assert.equal(n, 64);
      writeReg(svga, SCRATCH_BASE + n - 1, 0xdeadbeef);
      assert.equal(readReg(svga, SCRATCH_BASE + n - 1), 0xdeadbeef);
      assert.equal(registerName(SCRATCH_BASE + 2), 'SCRATCH[2]');
      writeReg(svga, PALETTE_BASE + 5, 0x1ab);
      assert.equal(readReg(svga, PALETTE_BASE + 5), 0xab);
      assert.equal(readReg(svga, 60), 0);
      writeReg(svga, SCRATCH_BASE + n, 1);
      assert.equal(svga.registers.unknownAccesses, 2);
    });

    it('records the display topology for the selected display only', () => {
      const { svga } = makeRig();
      writeReg(svga, Reg.NUM_GUEST_DISPLAYS, 1);
      writeReg(svga, Reg.DISPLAY_ID, 0);
      writeReg(svga, Reg.DISPLAY_IS_PRIMARY, 1);
      writeReg(svga, Reg.DISPLAY_POSITION_X, -10 >>> 0);
      writeReg(svga, Reg.DISPLAY_POSITION_Y, 0);
      writeReg(svga, Reg.DISPLAY_WIDTH, 1280);
      writeReg(svga, Reg.DISPLAY_HEIGHT, 800);
      writeReg(svga, Reg.DISPLAY_ID, SVGA_ID_INVALID);
      writeReg(svga, Reg.DISPLAY_WIDTH, 7);
      assert.deepEqual(svga.registers.displays[0], { isPrimary: true, x: -10, y: 0, width: 1280, height: 800 });
      assert.equal(readReg(svga, Reg.NUM_GUEST_DISPLAYS), 1);
    });

    it('tracks cursor bypass registers as the cursor position', () => {
      const { svga } = makeRig();
      writeReg(svga, Reg.CURSOR_ID, 0);
      writeReg(svga, Reg.CURSOR_X, 100);
      writeReg(svga, Reg.CURSOR_Y, 50);
      writeReg(svga, Reg.CURSOR_ON, 1);
      assert.deepEqual([svga.cursor().x, svga.cursor().y, svga.cursor().visible], [100, 50, true]);
      writeReg(svga, Reg.CURSOR_ON, 0);
      assert.equal(svga.cursor().visible, false);
    });

    it('asks for VRAM dirty logging until the FIFO is configured, and with TRACES on', () => {
      const rig = makeRig();
      assert.equal(rig.svga.wantsDirtyLog(), true);
      new FifoWriter(rig).init();
      assert.equal(rig.svga.wantsDirtyLog(), false);
      writeReg(rig.svga, Reg.TRACES, 1);
      assert.equal(rig.svga.wantsDirtyLog(), true);
    });
  });

  describe('BAR0 ports and PCI identity', () => {
    it('decodes index at +0, value at +1 (unaligned), BIOS at +2 and IRQ status at +8', () => {
      const { svga } = makeRig();
      outl(svga, PORT_INDEX, Reg.WIDTH);
      assert.equal(inl(svga, PORT_INDEX), Reg.WIDTH);
      assert.equal(inl(svga, 1), 1024);
      assert.equal(inl(svga, PORT_BIOS), 0);
      assert.equal(inl(svga, PORT_IRQSTATUS), 0);
      assert.equal(inl(svga, 4), 0xffffffff);
      const byte = new Uint8Array(1);
      svga.io.read(PORT_INDEX, byte, ctx);
      assert.equal(byte[0], Reg.WIDTH);
    });

    it('declares VMware identity, interrupt pin A and the three BARs', () => {
      const svga = new Svga2({ vramSize: 8 * 1024 * 1024 });
      assert.deepEqual(
        [svga.identity.vendorId, svga.identity.deviceId, svga.identity.subsystemVendorId, svga.identity.subsystemId, svga.identity.classCode, svga.identity.interruptPin],
        [0x15ad, 0x0405, 0x15ad, 0x0405, 0x030000, 1],
      );
      assert.deepEqual(svga.bars.map((b) => [b.index, b.kind, b.size]), [[0, 'io', 16], [1, 'mem32', 8 * 1024 * 1024], [2, 'mem32', 256 * 1024]]);
      assert.deepEqual(svga.bars[1].backing, { kind: 'ram', label: 'svga-vram' });
      assert.deepEqual(svga.bars[2].backing, { kind: 'ram', label: 'svga-fifo' });
      assert.equal(svga.bars[0].backing.kind === 'device' && svga.bars[0].backing.device, svga.io);
    });

    it('refuses memory sizes that are not powers of two, and memory smaller than the BARs', () => {
      assert.throws(() => new Svga2({ vramSize: 3 * 1024 * 1024 }), /VRAM size 3145728 is invalid; expected a power of two/);
      const svga = new Svga2({ fifoSize: 64 * 1024 });
      assert.throws(() => svga.attachMemory({ vram: new Uint8Array(16), fifo: new Uint8Array(64 * 1024) }), /SVGA memory too small/);
    });

    it('returns to power-on state on reset', () => {
      const rig = makeRig();
      new FifoWriter(rig).init();
      setMode(rig.svga, 640, 480);
      rig.svga.reset();
      assert.equal(readReg(rig.svga, Reg.WIDTH), 1024);
      assert.equal(readReg(rig.svga, Reg.CONFIG_DONE), 0);
      assert.equal(rig.svga.scanout().source, 'vga');
    });
  });
});
