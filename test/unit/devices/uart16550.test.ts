// Unit tests for the 16550A UART: registers, FIFOs, interrupt identification and priorities, loopback, IRQ gating.
import assert from 'node:assert/strict';
import * as R from '../../../debug-adapter/src/devices/uart16550/registers';
import { Uart16550 } from '../../../debug-adapter/src/devices/uart16550/uart16550';
import { BufferSink, ctx, read8, RecordingIrq, write8 } from './testKit';

function setup(inputCapacity?: number) {
  const sink = new BufferSink();
  const irq = new RecordingIrq();
  const uart = new Uart16550({ sink, irq, inputCapacity });
  return { uart, sink, irq };
}

/** IIR with the FIFO-enabled bits stripped. */
function iirId(uart: Uart16550): number {
  return read8(uart, R.REG_IIR) & 0x0f;
}

describe('Uart16550', () => {
  it('comes up in the documented power-on state', () => {
    const { uart, irq } = setup();
    assert.equal(read8(uart, R.REG_IER), 0);
    assert.equal(read8(uart, R.REG_IIR), R.IIR_NONE);
    assert.equal(read8(uart, R.REG_LCR), 0);
    assert.equal(read8(uart, R.REG_MCR), 0);
    assert.equal(read8(uart, R.REG_LSR), R.LSR_THR_EMPTY | R.LSR_TX_EMPTY);
    assert.equal(read8(uart, R.REG_MSR), R.MSR_DCD | R.MSR_DSR | R.MSR_CTS);
    assert.equal(irq.level, false);
    assert.equal(uart.label, 'uart16550');
  });

  it('keeps the scratch register and masks IER and MCR to their implemented bits', () => {
    const { uart } = setup();
    write8(uart, R.REG_SCR, 0x5a);
    assert.equal(read8(uart, R.REG_SCR), 0x5a);
    write8(uart, R.REG_IER, 0xff);
    assert.equal(read8(uart, R.REG_IER), R.IER_WRITABLE);
    write8(uart, R.REG_MCR, 0xef);
    assert.equal(read8(uart, R.REG_MCR), 0x0f);
    write8(uart, R.REG_LCR, 0x1b);
    assert.equal(read8(uart, R.REG_LCR), 0x1b);
  });

  it('maps the divisor latch over offsets 0 and 1 while DLAB is set', () => {
    const { uart, sink } = setup();
    write8(uart, R.REG_IER, R.IER_RX_DATA);
    write8(uart, R.REG_LCR, R.LCR_DLAB | 0x03);
    write8(uart, R.REG_DLL, 0x01);
    write8(uart, R.REG_DLM, 0x02);
    assert.equal(read8(uart, R.REG_DLL), 0x01);
    assert.equal(read8(uart, R.REG_DLM), 0x02);
    assert.equal(uart.baudDivisor, 0x0201);
    assert.equal(sink.chunks.length, 0, 'a DLL write is not a transmission');
    write8(uart, R.REG_LCR, 0x03);
    assert.equal(read8(uart, R.REG_IER), R.IER_RX_DATA, 'IER survives the divisor access');
  });

  it('transmits THR writes to the sink, one fresh buffer per byte', () => {
    const { uart, sink } = setup();
    for (const c of 'Hi\n') write8(uart, R.REG_THR, c.charCodeAt(0));
    assert.equal(sink.text, 'Hi\n');
    assert.notEqual(sink.chunks[0], sink.chunks[1]);
    assert.equal(uart.transmittedCount, 3);
    assert.equal(read8(uart, R.REG_LSR) & (R.LSR_THR_EMPTY | R.LSR_TX_EMPTY), R.LSR_THR_EMPTY | R.LSR_TX_EMPTY);
  });

  describe('THR empty interrupt', () => {
    it('is raised when enabled, cleared by the IIR read that reports it, and raised again by a THR write', () => {
      const { uart, irq } = setup();
      write8(uart, R.REG_MCR, R.MCR_OUT2);
      write8(uart, R.REG_IER, R.IER_THR_EMPTY);
      assert.equal(irq.level, true);
      assert.equal(iirId(uart), R.IIR_THR_EMPTY);
      assert.equal(irq.level, false);
      assert.equal(iirId(uart), R.IIR_NONE);
      write8(uart, R.REG_THR, 0x41);
      assert.equal(irq.level, true);
      assert.equal(uart.interruptId, R.IIR_THR_EMPTY);
      write8(uart, R.REG_IER, 0);
      assert.equal(irq.level, false);
      assert.equal(iirId(uart), R.IIR_NONE);
    });

    it('is not re-raised by rewriting IER with the bit already set', () => {
      const { uart } = setup();
      write8(uart, R.REG_IER, R.IER_THR_EMPTY);
      assert.equal(iirId(uart), R.IIR_THR_EMPTY);
      write8(uart, R.REG_IER, R.IER_THR_EMPTY | R.IER_RX_DATA);
      assert.equal(iirId(uart), R.IIR_NONE);
    });
  });

  it('gates the IRQ line with OUT2 while IIR still reports the interrupt', () => {
    const { uart, irq } = setup();
    uart.pushInput([0x31]);
    write8(uart, R.REG_IER, R.IER_RX_DATA);
    assert.equal(uart.interruptId, R.IIR_RX_DATA);
    assert.equal(irq.level, false);
    write8(uart, R.REG_MCR, R.MCR_OUT2);
    assert.equal(irq.level, true);
    write8(uart, R.REG_MCR, 0);
    assert.equal(irq.level, false);
    assert.equal(irq.raises, 1);
  });

  describe('receiver', () => {
    it('delivers input in order through RBR with LSR.DR and the RX data interrupt', () => {
      const { uart, irq } = setup();
      write8(uart, R.REG_MCR, R.MCR_OUT2);
      write8(uart, R.REG_IER, R.IER_RX_DATA);
      assert.equal(uart.pushInput(Uint8Array.of(1, 2, 3)), 3);
      assert.equal(irq.level, true);
      assert.equal(iirId(uart), R.IIR_RX_DATA);
      const got: number[] = [];
      while (read8(uart, R.REG_LSR) & R.LSR_DATA_READY) got.push(read8(uart, R.REG_RBR));
      assert.deepEqual(got, [1, 2, 3]);
      assert.equal(irq.level, false);
      assert.equal(read8(uart, R.REG_RBR), 3, 'an empty holding register reads its last byte');
    });

    it('reports FIFO mode in IIR bits 7:6 and applies the FCR trigger level', () => {
      const { uart } = setup();
      write8(uart, R.REG_IER, R.IER_RX_DATA);
      write8(uart, R.REG_FCR, R.FCR_ENABLE | (3 << R.FCR_TRIGGER_SHIFT)); // 14 bytes
      assert.equal(read8(uart, R.REG_IIR) & R.IIR_FIFOS_ENABLED, R.IIR_FIFOS_ENABLED);
      uart.pushInput(new Uint8Array(13));
      assert.equal(iirId(uart), R.IIR_CHAR_TIMEOUT, 'below the trigger level the pending data shows as a timeout');
      uart.pushInput([0]);
      assert.equal(iirId(uart), R.IIR_RX_DATA);
      for (const [bits, level] of [[0, 1], [1, 4], [2, 8]]) {
        write8(uart, R.REG_FCR, R.FCR_ENABLE | R.FCR_CLEAR_RX | (bits << R.FCR_TRIGGER_SHIFT));
        assert.equal(uart.rxQueued, 0);
        uart.pushInput(new Uint8Array(level - 1));
        assert.equal(uart.interruptId, level === 1 ? R.IIR_NONE : R.IIR_CHAR_TIMEOUT);
        uart.pushInput([0]);
        assert.equal(uart.interruptId, R.IIR_RX_DATA, `trigger level ${level}`);
      }
      write8(uart, R.REG_FCR, 0);
      assert.equal(read8(uart, R.REG_IIR) & R.IIR_FIFOS_ENABLED, 0);
    });

    it('clears only the 16 bytes in the FIFO on FCR clear, keeping input still waiting behind it', () => {
      const { uart } = setup();
      write8(uart, R.REG_FCR, R.FCR_ENABLE);
      uart.pushInput(Array.from({ length: 20 }, (_, i) => i));
      write8(uart, R.REG_FCR, R.FCR_ENABLE | R.FCR_CLEAR_RX | R.FCR_CLEAR_TX);
      assert.equal(uart.rxQueued, 4);
      assert.equal(read8(uart, R.REG_RBR), 16);
    });

    it('ignores FCR bits other than enable when the enable bit is written as 0', () => {
      const { uart } = setup();
      uart.pushInput([7, 8]);
      write8(uart, R.REG_FCR, R.FCR_CLEAR_RX);
      assert.equal(uart.rxQueued, 2);
    });

    it('drops input beyond the queue capacity, counts it and reports OE once until LSR is read', () => {
      const { uart, irq } = setup(4);
      write8(uart, R.REG_MCR, R.MCR_OUT2);
      write8(uart, R.REG_IER, R.IER_LINE_STATUS);
      assert.equal(uart.pushInput([1, 2, 3, 4, 5, 6]), 4);
      assert.equal(uart.overrunCount, 2);
      assert.equal(uart.rxQueued, 4);
      assert.equal(irq.level, true);
      assert.equal(iirId(uart), R.IIR_LINE_STATUS);
      const lsr = read8(uart, R.REG_LSR);
      assert.equal(lsr & (R.LSR_OVERRUN | R.LSR_DATA_READY), R.LSR_OVERRUN | R.LSR_DATA_READY);
      assert.equal(read8(uart, R.REG_LSR) & R.LSR_OVERRUN, 0);
      assert.equal(irq.level, false);
      assert.equal(read8(uart, R.REG_RBR), 1);
    });
  });

  it('identifies interrupts in priority order: line status, RX data, THR empty, modem status', () => {
    const { uart, irq } = setup(2);
    write8(uart, R.REG_MCR, R.MCR_OUT2 | R.MCR_LOOP);
    write8(uart, R.REG_MCR, R.MCR_OUT2 | R.MCR_LOOP | R.MCR_RTS); // CTS rises: a modem status change
    write8(uart, R.REG_MCR, R.MCR_OUT2); // leave loopback, keeping the deltas
    uart.pushInput([1, 2, 3]); // the third byte overruns
    write8(uart, R.REG_IER, R.IER_WRITABLE);
    assert.equal(irq.level, true);
    assert.equal(iirId(uart), R.IIR_LINE_STATUS);
    assert.equal(iirId(uart), R.IIR_LINE_STATUS, 'reading IIR does not clear a line status interrupt');
    read8(uart, R.REG_LSR);
    assert.equal(iirId(uart), R.IIR_RX_DATA);
    read8(uart, R.REG_RBR);
    read8(uart, R.REG_RBR);
    assert.equal(iirId(uart), R.IIR_THR_EMPTY);
    assert.equal(iirId(uart), R.IIR_MODEM_STATUS);
    assert.ok(read8(uart, R.REG_MSR) & R.MSR_DELTA_MASK);
    assert.equal(iirId(uart), R.IIR_NONE);
    assert.equal(irq.level, false);
  });

  describe('loopback', () => {
    it('loops transmitted bytes back to the receiver instead of the sink', () => {
      const { uart, sink } = setup();
      write8(uart, R.REG_MCR, R.MCR_LOOP);
      write8(uart, R.REG_THR, 0xa5);
      assert.equal(sink.chunks.length, 0);
      assert.ok(read8(uart, R.REG_LSR) & R.LSR_DATA_READY);
      assert.equal(read8(uart, R.REG_RBR), 0xa5);
    });

    it('maps DTR, RTS, OUT1, OUT2 to DSR, CTS, RI, DCD with change bits', () => {
      const { uart } = setup();
      write8(uart, R.REG_MCR, R.MCR_LOOP);
      read8(uart, R.REG_MSR); // clear the deltas from leaving the external lines
      write8(uart, R.REG_MCR, R.MCR_LOOP | R.MCR_OUT2 | R.MCR_RTS);
      assert.equal(read8(uart, R.REG_MSR), R.MSR_DCD | R.MSR_CTS | R.MSR_DELTA_DCD | R.MSR_DELTA_CTS);
      assert.equal(read8(uart, R.REG_MSR), R.MSR_DCD | R.MSR_CTS, 'reading MSR clears the change bits');
      write8(uart, R.REG_MCR, R.MCR_LOOP | R.MCR_DTR | R.MCR_OUT1);
      assert.equal(read8(uart, R.REG_MSR), R.MSR_DSR | R.MSR_RI | R.MSR_DELTA_DCD | R.MSR_DELTA_CTS | R.MSR_DELTA_DSR);
      write8(uart, R.REG_MCR, R.MCR_LOOP | R.MCR_DTR);
      assert.equal(read8(uart, R.REG_MSR), R.MSR_DSR | R.MSR_TRAILING_RI, 'RI falling sets TERI');
      write8(uart, R.REG_MCR, R.MCR_LOOP | R.MCR_DTR | R.MCR_OUT1);
      assert.equal(read8(uart, R.REG_MSR) & R.MSR_TRAILING_RI, 0, 'RI rising does not');
    });

    it('keeps the IRQ line low because the OUT pins are forced inactive', () => {
      const { uart, irq } = setup();
      write8(uart, R.REG_MCR, R.MCR_LOOP | R.MCR_OUT2);
      write8(uart, R.REG_IER, R.IER_RX_DATA);
      write8(uart, R.REG_THR, 1);
      assert.equal(uart.interruptId, R.IIR_RX_DATA);
      assert.equal(irq.level, false);
      write8(uart, R.REG_MCR, R.MCR_OUT2);
      assert.equal(irq.level, true);
    });
  });

  it('serves a wider access as consecutive byte registers', () => {
    const { uart } = setup();
    write8(uart, R.REG_SCR, 0x77);
    const data = new Uint8Array(2);
    uart.read(R.REG_MSR, data, ctx);
    assert.deepEqual([...data], [R.MSR_DCD | R.MSR_DSR | R.MSR_CTS, 0x77]);
    uart.write(R.REG_LCR, Uint8Array.of(0x03, R.MCR_DTR), ctx);
    assert.equal(read8(uart, R.REG_LCR), 0x03);
    assert.equal(read8(uart, R.REG_MCR), R.MCR_DTR);
  });

  it('returns to the power-on state on reset and drops the IRQ line', () => {
    const { uart, irq } = setup();
    write8(uart, R.REG_MCR, R.MCR_OUT2);
    write8(uart, R.REG_IER, R.IER_RX_DATA);
    write8(uart, R.REG_FCR, R.FCR_ENABLE);
    uart.pushInput([1]);
    assert.equal(irq.level, true);
    uart.reset();
    assert.equal(irq.level, false);
    assert.equal(uart.rxQueued, 0);
    assert.equal(read8(uart, R.REG_IIR), R.IIR_NONE);
    assert.equal(read8(uart, R.REG_MCR), 0);
  });
});
