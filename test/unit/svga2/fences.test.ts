// SVGA II fences and interrupts: the FIFO FENCE word, IRQ status latching under IRQMASK, the interrupt line.
import { strict as assert } from 'node:assert';
import { Cmd, Fifo, Irq, PORT_IRQSTATUS, Reg } from '../../../debug-adapter/src/devices/svga2/svgaConstants';
import { FifoWriter, RecordingIrq, inl, makeRig, outl, readReg, writeReg } from './svgaTestKit';

function ready() {
  const irq = new RecordingIrq();
  const rig = makeRig({ vramSize: 1024 * 1024, fifoSize: 64 * 1024, irq });
  const fifo = new FifoWriter(rig).init();
  return { rig, fifo, irq, svga: rig.svga };
}

describe('svga2 fences and IRQs', () => {
  it('stores each fence value in the FIFO FENCE word', () => {
    const { fifo } = ready();
    fifo.push(Cmd.FENCE, 1, Cmd.FENCE, 2).sync();
    assert.equal(fifo.word(Fifo.FENCE), 2);
    fifo.push(Cmd.FENCE, 0xfffffffe).sync();
    assert.equal(fifo.word(Fifo.FENCE), 0xfffffffe);
  });

  it('latches ANY_FENCE and raises the line only when IRQMASK allows it', () => {
    const { fifo, irq, svga } = ready();
    fifo.push(Cmd.FENCE, 1).sync();
    assert.equal(inl(svga, PORT_IRQSTATUS), 0);
    assert.deepEqual(irq.levels, []);

    writeReg(svga, Reg.IRQMASK, Irq.ANY_FENCE);
    assert.equal(readReg(svga, Reg.IRQMASK), Irq.ANY_FENCE);
    fifo.push(Cmd.FENCE, 2).sync();
    assert.equal(inl(svga, PORT_IRQSTATUS), Irq.ANY_FENCE);
    assert.equal(irq.level, true);

    // The driver acknowledges by writing back what it read.
    outl(svga, PORT_IRQSTATUS, inl(svga, PORT_IRQSTATUS));
    assert.equal(inl(svga, PORT_IRQSTATUS), 0);
    assert.deepEqual(irq.levels, [true, false]);
  });

  it('drops the line when the mask is cleared and raises it again when re-enabled', () => {
    const { fifo, irq, svga } = ready();
    writeReg(svga, Reg.IRQMASK, Irq.ANY_FENCE);
    fifo.push(Cmd.FENCE, 5).sync();
    writeReg(svga, Reg.IRQMASK, 0);
    assert.equal(irq.level, false);
    writeReg(svga, Reg.IRQMASK, Irq.ANY_FENCE);
    assert.equal(irq.level, true);
    assert.deepEqual(irq.levels, [true, false, true]);
  });

  it('raises FENCE_GOAL when the fence reaches the goal word', () => {
    const { fifo, svga } = ready();
    writeReg(svga, Reg.IRQMASK, Irq.FENCE_GOAL);
    fifo.setWord(Fifo.FENCE_GOAL, 7);
    fifo.push(Cmd.FENCE, 6).sync();
    assert.equal(svga.irqStatus(), 0);
    fifo.push(Cmd.FENCE, 7).sync();
    assert.equal(svga.irqStatus(), Irq.FENCE_GOAL);
  });

  it('raises FIFO_PROGRESS when a pass consumed commands', () => {
    const { fifo, svga } = ready();
    writeReg(svga, Reg.IRQMASK, Irq.FIFO_PROGRESS);
    svga.processFifo();
    assert.equal(svga.irqStatus(), 0);
    fifo.push(Cmd.NOP).sync();
    assert.equal(svga.irqStatus(), Irq.FIFO_PROGRESS);
  });

  it('raises ERROR when the FIFO turns out malformed', () => {
    const { fifo, irq, svga } = ready();
    writeReg(svga, Reg.IRQMASK, Irq.ERROR);
    fifo.push(999).sync();
    assert.equal(svga.irqStatus(), Irq.ERROR);
    assert.equal(irq.level, true);
  });

  it('does not write FIFO registers when MIN leaves no room for them', () => {
    const irq = new RecordingIrq();
    const rig = makeRig({ vramSize: 1024 * 1024, fifoSize: 64 * 1024, irq });
    const fifo = new FifoWriter(rig, 16).init();
    writeReg(rig.svga, Reg.IRQMASK, Irq.ANY_FENCE);
    fifo.push(Cmd.FENCE, 0x1234).sync();
    // Word 6 is ring data here (the fence command itself sits at 16..23), not the FENCE register.
    assert.equal(fifo.word(Fifo.FENCE), 0);
    assert.equal(rig.svga.irqStatus(), Irq.ANY_FENCE);
  });
});
