// Fuzz test for the i8042 behind a bus: random port traffic, commands and scan codes, checking invariants every step.
import assert from 'node:assert/strict';
import * as K from '../../../debug-adapter/src/devices/i8042';
import { I8042 } from '../../../debug-adapter/src/devices/i8042';
import { Bus } from '../../../debug-adapter/src/vmm/bus/bus';
import { PORT_I8042_CMD, PORT_I8042_DATA } from '../../../debug-adapter/src/vmm/layout';
import { ctx, fuzzSeed, RecordingIrq, withSeed } from './testKit';

const OPERATIONS = 100_000;
const COMMANDS = [
  K.CMD_READ_CONFIG, K.CMD_WRITE_CONFIG, K.CMD_DISABLE_AUX, K.CMD_ENABLE_AUX, K.CMD_SELF_TEST, K.CMD_TEST_KEYBOARD_PORT,
  K.CMD_DISABLE_KEYBOARD, K.CMD_ENABLE_KEYBOARD, K.CMD_READ_OUTPUT_PORT, K.CMD_WRITE_OUTPUT_PORT, K.CMD_WRITE_AUX, K.CMD_RESET,
];
const REPLY_CAPACITY = 16;

describe('I8042 fuzz', () => {
  it(`keeps its invariants over ${OPERATIONS} random accesses and scan codes`, () => {
    withSeed(fuzzSeed(0x8042), (rng, step) => {
      const irq = new RecordingIrq();
      let resets = 0;
      const kbc = new I8042({ irq, onReset: () => resets++ });
      const bus = new Bus('pio');
      bus.insert(kbc.dataPort, PORT_I8042_DATA, 1);
      bus.insert(kbc.commandPort, PORT_I8042_CMD, 1);
      for (let n = 0; n < OPERATIONS; n++) {
        step(n);
        const r = rng.int(100);
        if (r < 10) {
          kbc.pushScancodes(rng.bytes(rng.int(8)));
        } else if (r < 11) {
          kbc.reset();
        } else {
          const address = PORT_I8042_DATA - 2 + rng.int(10);
          const size = rng.pick([1, 1, 1, 2, 4]);
          const data = new Uint8Array(size);
          const isWrite = rng.chance(0.4);
          const valid = size === 1 && (address === PORT_I8042_DATA || address === PORT_I8042_CMD);
          if (isWrite) {
            data[0] = address === PORT_I8042_CMD && rng.chance(0.7) ? rng.pick(COMMANDS) : rng.int(256);
            assert.equal(bus.write(address, data, ctx), valid);
          } else {
            const statusBefore = kbc.status;
            assert.equal(bus.read(address, data, ctx), valid);
            assert.equal(data.length, size);
            if (!valid) assert.ok(data.every((b) => b === 0xff));
            if (valid && address === PORT_I8042_CMD) assert.equal(data[0], statusBefore);
          }
        }
        assert.ok(kbc.keyboard.queued <= kbc.keyboard.capacity, 'keyboard queue stays bounded');
        assert.ok(kbc.pendingReplies <= REPLY_CAPACITY, 'controller reply queue stays bounded');
        assert.equal(kbc.irqAsserted, kbc.interruptPending, 'IRQ1 follows output-buffer state');
        assert.equal(irq.level, kbc.irqAsserted);
        const obf = (kbc.status & K.STATUS_OUTPUT_FULL) !== 0;
        if (!obf) assert.equal(kbc.pendingReplies, 0, 'an empty output buffer means no reply is waiting');
      }
      assert.ok(resets > 0, 'reset commands were exercised');
      assert.ok(irq.raises > 100, `IRQ1 toggled (${irq.raises} raises)`);
    });
  });
});
