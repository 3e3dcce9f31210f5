// A driver's whole bring-up against the device, in the order Linux vmwgfx uses, ending in an encoded frame and a PNG.
import { strict as assert } from 'node:assert';
import { Cap, Cmd, Fifo, FifoCap, Irq, PORT_IRQSTATUS, Reg, SVGA_ID_2 } from '../../../debug-adapter/src/devices/svga2/svgaConstants';
import { decodeFrameUpdate } from '../../../debug-adapter/src/display/frameDecoder';
import { encodeFrameUpdate } from '../../../debug-adapter/src/display/frameEncoder';
import { encodePng } from '../../../debug-adapter/src/display/png';
import { FifoWriter, RecordingIrq, inl, makeRig, outl, pixelAt, readReg, writeReg } from './svgaTestKit';

describe('svga2 driver bring-up', () => {
  it('binds, sets 1280x800, draws, fences and produces a frame update', () => {
    const irq = new RecordingIrq();
    const rig = makeRig({ irq });
    const { svga } = rig;
    const fifo = new FifoWriter(rig);

    // Probe: id, capabilities, sizes.
    writeReg(svga, Reg.ID, SVGA_ID_2);
    assert.equal(readReg(svga, Reg.ID), SVGA_ID_2);
    const caps = readReg(svga, Reg.CAPABILITIES);
    assert.equal(caps & Cap.CAP2_REGISTER, 0);
    assert.ok(readReg(svga, Reg.VRAM_SIZE) >= 16 * 1024 * 1024);
    assert.ok(readReg(svga, Reg.MAX_WIDTH) >= 1280 && readReg(svga, Reg.MAX_HEIGHT) >= 800);
    // The pitch-lock gate reads FIFO capabilities before the FIFO is set up.
    const fifoCaps = fifo.word(Fifo.CAPABILITIES);
    assert.ok((caps & Cap.PITCHLOCK) || ((caps & Cap.EXTENDED_FIFO) && (fifoCaps & FifoCap.PITCHLOCK)));
    assert.ok(caps & Cap.IRQMASK);

    // Device init: ENABLE|HIDE, FIFO set-up at MEM_REGS*4 rounded up to a page.
    writeReg(svga, Reg.ENABLE, 3);
    const min = Math.ceil((readReg(svga, Reg.MEM_REGS) * 4) / 4096) * 4096;
    assert.equal(min, fifo.min);
    fifo.init();
    assert.ok(fifo.word(Fifo.MIN) < fifo.word(Fifo.MAX));
    assert.equal(fifo.word(Fifo.CAPABILITIES) & FifoCap.FENCE, FifoCap.FENCE);
    writeReg(svga, Reg.IRQMASK, Irq.ANY_FENCE | Irq.FIFO_PROGRESS);

    // Mode set through the FIFO pitch lock, then scan-out on.
    fifo.setWord(Fifo.PITCHLOCK, 1280 * 4);
    writeReg(svga, Reg.WIDTH, 1280);
    writeReg(svga, Reg.HEIGHT, 800);
    assert.equal(readReg(svga, Reg.DEPTH), 24);
    writeReg(svga, Reg.ENABLE, 1);
    assert.equal(readReg(svga, Reg.BYTES_PER_LINE), 5120);

    // Draw a red square directly into VRAM, report it, fence, ring the doorbell.
    for (let y = 100; y < 110; y++) for (let x = 200; x < 210; x++) rig.vram.set([0, 0, 0xff, 0], y * 5120 + x * 4);
    svga.collectUpdate();
    fifo.push(Cmd.UPDATE, 200, 100, 10, 10, Cmd.FENCE, 1);
    if (fifo.word(Fifo.BUSY) === 0) fifo.sync();
    assert.equal(fifo.word(Fifo.FENCE), 1);
    assert.equal(fifo.word(Fifo.BUSY), 0, 'idle again, so the next commit rings SYNC');
    assert.equal(irq.level, true);
    outl(svga, PORT_IRQSTATUS, inl(svga, PORT_IRQSTATUS));
    assert.equal(irq.level, false);

    // The display side: one update rectangle, encoded, decoded, and a screenshot.
    const update = svga.collectUpdate();
    assert.ok(update);
    assert.deepEqual(update.rects, [{ x: 200, y: 100, width: 10, height: 10 }]);
    const frame = decodeFrameUpdate(encodeFrameUpdate({ sequence: 1, ...update }));
    assert.deepEqual([frame.width, frame.height, frame.rects.length], [1280, 800, 1]);
    assert.deepEqual([...frame.rects[0].pixels.subarray(0, 4)], [0, 0, 0xff, 0]);
    const shot = svga.snapshot()!;
    assert.equal(pixelAt(shot.bytes, shot.stride, 205, 105), 0xff0000);
    assert.deepEqual([...encodePng(shot).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.deepEqual(svga.errors(), []);
  });
});
