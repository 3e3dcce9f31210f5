// Fuzz test for the 16550A UART behind a bus: random register traffic and input, checking invariants after every step.
import assert from 'node:assert/strict';
import * as R from '../../../debug-adapter/src/devices/uart16550/registers';
import { Uart16550 } from '../../../debug-adapter/src/devices/uart16550/uart16550';
import { Bus } from '../../../debug-adapter/src/vmm/bus/bus';
import type { ByteSink } from '../../../debug-adapter/src/vmm/bus/busDevice';
import { PORT_COM1, PORT_COM1_LEN } from '../../../debug-adapter/src/vmm/layout';
import { ctx, fuzzSeed, RecordingIrq, withSeed } from './testKit';

const OPERATIONS = 100_000;
const CAPACITY = 64;

describe('Uart16550 fuzz', () => {
  it(`keeps its invariants over ${OPERATIONS} random accesses and inputs`, () => {
    withSeed(fuzzSeed(0x16550), (rng, step) => {
      let sent = 0;
      const sink: ByteSink = { write: (bytes) => { assert.equal(bytes.length, 1); sent++; } };
      const irq = new RecordingIrq();
      const uart = new Uart16550({ sink, irq, inputCapacity: CAPACITY });
      const bus = new Bus('pio');
      bus.insert(uart, PORT_COM1, PORT_COM1_LEN);
      for (let n = 0; n < OPERATIONS; n++) {
        step(n);
        if (rng.chance(0.1)) {
          const bytes = rng.bytes(rng.int(24));
          const before = uart.rxQueued;
          const accepted = uart.pushInput(bytes);
          assert.equal(accepted, Math.min(bytes.length, CAPACITY - before));
        } else if (rng.chance(0.001)) {
          uart.reset();
        } else {
          const address = PORT_COM1 - 4 + rng.int(PORT_COM1_LEN + 8); // within and around the range
          const size = rng.pick([1, 1, 1, 2, 4]);
          const data = new Uint8Array(size);
          const isWrite = rng.chance(0.5);
          if (isWrite) {
            for (let i = 0; i < size; i++) data[i] = rng.chance(0.5) ? rng.int(256) : rng.pick([0, 1, 3, 0x0f, 0x10, 0x80, 0x8b]);
            bus.write(address, data, ctx);
          } else {
            const handled = bus.read(address, data, ctx);
            assert.equal(data.length, size);
            if (!handled) assert.ok(data.every((b) => b === 0xff));
          }
          const inRange = address >= PORT_COM1 && address + size <= PORT_COM1 + PORT_COM1_LEN;
          assert.equal(bus.unhandledCount(address) > 0 || inRange, true);
        }
        assert.ok(uart.rxQueued >= 0 && uart.rxQueued <= CAPACITY, 'input queue stays bounded');
        const id = uart.interruptId;
        assert.ok([R.IIR_NONE, R.IIR_LINE_STATUS, R.IIR_RX_DATA, R.IIR_CHAR_TIMEOUT, R.IIR_THR_EMPTY, R.IIR_MODEM_STATUS].includes(id));
        assert.equal(uart.irqAsserted, uart.irqGateOpen && id !== R.IIR_NONE, 'IRQ level follows the interrupt state');
        assert.equal(irq.level, uart.irqAsserted, 'the line carries the device level');
      }
      assert.equal(uart.transmittedCount >= sent, true);
      assert.ok(irq.raises > 100 && irq.lowers > 100, `the IRQ line toggled (${irq.raises}/${irq.lowers})`);
    });
  });
});
