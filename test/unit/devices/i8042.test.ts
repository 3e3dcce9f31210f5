// Unit tests for the i8042 controller and its keyboard: status, controller commands, output port, IRQ1 edges.
import assert from 'node:assert/strict';
import * as K from '../../../debug-adapter/src/devices/i8042';
import { I8042 } from '../../../debug-adapter/src/devices/i8042';
import * as KB from '../../../debug-adapter/src/devices/i8042Keyboard';
import { read8, RecordingIrq, write8 } from './testKit';

function setup() {
  const irq = new RecordingIrq();
  const events: string[] = [];
  const kbc = new I8042({ irq, onReset: () => events.push('reset'), onA20: (on) => events.push(`a20:${on}`) });
  const status = () => read8(kbc.commandPort, 0);
  const command = (c: number) => write8(kbc.commandPort, 0, c);
  const data = (v: number) => write8(kbc.dataPort, 0, v);
  /** Reads every byte waiting in the output buffer. */
  const drain = (): number[] => {
    const out: number[] = [];
    while (status() & K.STATUS_OUTPUT_FULL) out.push(read8(kbc.dataPort, 0));
    return out;
  };
  return { kbc, irq, events, status, command, data, drain };
}

describe('I8042', () => {
  it('starts with an empty output buffer, the system flag and the keyboard not inhibited', () => {
    const { status, kbc, irq } = setup();
    assert.equal(status(), K.STATUS_SYSTEM_FLAG | K.STATUS_NOT_INHIBITED);
    assert.equal(kbc.configByte, K.CONFIG_DEFAULT);
    assert.equal(irq.level, false);
    assert.deepEqual([kbc.dataPort.label, kbc.commandPort.label], ['i8042.data', 'i8042.cmd']);
  });

  it('tracks whether the last write went to the command or the data port', () => {
    const { status, command, data } = setup();
    command(K.CMD_ENABLE_KEYBOARD);
    assert.ok(status() & K.STATUS_LAST_WAS_COMMAND);
    data(KB.KBD_CMD_ECHO);
    assert.equal(status() & K.STATUS_LAST_WAS_COMMAND, 0);
  });

  describe('controller commands', () => {
    it('reads and writes the configuration byte (0x20 / 0x60); the system flag follows bit 2', () => {
      const { command, data, drain, status, kbc } = setup();
      command(K.CMD_READ_CONFIG);
      assert.deepEqual(drain(), [K.CONFIG_DEFAULT]);
      command(K.CMD_WRITE_CONFIG);
      data(K.CONFIG_TRANSLATE);
      assert.equal(kbc.configByte, K.CONFIG_TRANSLATE);
      assert.equal(status() & K.STATUS_SYSTEM_FLAG, 0);
      assert.deepEqual(drain(), [], 'the configuration byte is not sent to the keyboard');
      command(K.CMD_READ_CONFIG);
      assert.deepEqual(drain(), [K.CONFIG_TRANSLATE]);
    });

    it('answers the self-test with 0x55 (setting the system flag) and the port test with 0x00', () => {
      const { command, data, drain, status } = setup();
      command(K.CMD_WRITE_CONFIG);
      data(0);
      command(K.CMD_SELF_TEST);
      assert.deepEqual(drain(), [K.SELF_TEST_PASSED]);
      assert.ok(status() & K.STATUS_SYSTEM_FLAG);
      command(K.CMD_TEST_KEYBOARD_PORT);
      assert.deepEqual(drain(), [K.PORT_TEST_PASSED]);
    });

    it('holds keyboard bytes back while the keyboard interface is disabled (0xAD / 0xAE)', () => {
      const { command, drain, kbc } = setup();
      command(K.CMD_DISABLE_KEYBOARD);
      assert.ok(kbc.configByte & K.CONFIG_KEYBOARD_DISABLED);
      assert.equal(kbc.pushScancodes([0x1e, 0x9e]), 2);
      assert.deepEqual(drain(), []);
      command(K.CMD_ENABLE_KEYBOARD);
      assert.deepEqual(drain(), [0x1e, 0x9e]);
    });

    it('sets the aux-disabled bit with 0xA7 / 0xA8 and drops bytes written to the absent mouse (0xD4)', () => {
      const { command, data, drain, kbc } = setup();
      command(K.CMD_DISABLE_AUX);
      assert.ok(kbc.configByte & K.CONFIG_AUX_DISABLED);
      command(K.CMD_ENABLE_AUX);
      assert.equal(kbc.configByte & K.CONFIG_AUX_DISABLED, 0);
      command(K.CMD_WRITE_AUX);
      data(0xf4);
      assert.deepEqual(drain(), []);
      assert.equal(kbc.auxDroppedCount, 1);
      data(KB.KBD_CMD_ECHO); // the next data byte goes to the keyboard again
      assert.deepEqual(drain(), [KB.KBD_CMD_ECHO]);
    });

    it('puts controller replies ahead of queued keyboard bytes', () => {
      const { command, drain, kbc } = setup();
      kbc.pushScancodes([0x10, 0x90]); // 0x10 is already in the output buffer
      command(K.CMD_SELF_TEST);
      assert.deepEqual(drain(), [0x10, K.SELF_TEST_PASSED, 0x90]);
    });
  });

  describe('output port, A20 and reset', () => {
    it('writes A20 through the output port (0xD1) and reads the port back (0xD0)', () => {
      const { command, data, drain, kbc, events } = setup();
      command(K.CMD_WRITE_OUTPUT_PORT);
      data(0xdd); // A20 off, reset line high
      assert.equal(kbc.a20Enabled, false);
      command(K.CMD_READ_OUTPUT_PORT);
      assert.deepEqual(drain(), [0xdd]);
      command(K.CMD_WRITE_OUTPUT_PORT);
      data(0xdf);
      assert.equal(kbc.a20Enabled, true);
      assert.deepEqual(events, ['a20:false', 'a20:true']);
    });

    it('resets when the output port reset line is written low', () => {
      const { command, data, events } = setup();
      command(K.CMD_WRITE_OUTPUT_PORT);
      data(0xde);
      assert.deepEqual(events, ['reset']);
    });

    it('resets on 0xFE and on any pulse command with bit 0 clear, not on 0xFF', () => {
      const { command, events } = setup();
      command(K.CMD_RESET);
      command(0xff);
      command(0xf0);
      command(0xf1);
      assert.deepEqual(events, ['reset', 'reset']);
    });
  });

  describe('IRQ1', () => {
    it('raises a fresh edge for every byte taken from the output buffer', () => {
      const { kbc, irq, drain } = setup();
      kbc.pushScancodes([0x1e, 0x9e, 0x30]);
      assert.equal(irq.level, true);
      assert.deepEqual(drain(), [0x1e, 0x9e, 0x30]);
      assert.equal(irq.raises, 3);
      assert.equal(irq.lowers, 3);
      assert.equal(irq.level, false);
    });

    it('stays low when the keyboard interrupt is disabled and rises when it is enabled with data waiting', () => {
      const { kbc, irq, command, data, status } = setup();
      command(K.CMD_WRITE_CONFIG);
      data(K.CONFIG_TRANSLATE | K.CONFIG_SYSTEM_FLAG);
      kbc.pushScancodes([0x1c]);
      assert.ok(status() & K.STATUS_OUTPUT_FULL);
      assert.equal(irq.level, false);
      command(K.CMD_WRITE_CONFIG);
      data(K.CONFIG_DEFAULT);
      assert.equal(irq.level, true);
    });
  });

  it('reads the last byte again from an empty output buffer', () => {
    const { kbc, drain } = setup();
    kbc.pushScancodes([0x39]);
    drain();
    assert.equal(read8(kbc.dataPort, 0), 0x39);
  });

  describe('keyboard', () => {
    it('identifies as an MF2 keyboard, translated or not', () => {
      const { data, drain, command } = setup();
      data(KB.KBD_CMD_GET_ID);
      assert.deepEqual(drain(), [KB.KBD_REPLY_ACK, KB.KBD_ID_FIRST, KB.KBD_ID_SECOND_TRANSLATED]);
      command(K.CMD_WRITE_CONFIG);
      data(K.CONFIG_KEYBOARD_IRQ);
      data(KB.KBD_CMD_GET_ID);
      assert.deepEqual(drain(), [KB.KBD_REPLY_ACK, KB.KBD_ID_FIRST, KB.KBD_ID_SECOND]);
    });

    it('acknowledges commands and their argument bytes, echoes, resets and rejects unknown bytes', () => {
      const { data, drain } = setup();
      data(KB.KBD_CMD_SET_LEDS);
      data(0x07);
      data(KB.KBD_CMD_SET_TYPEMATIC);
      data(0x00);
      assert.deepEqual(drain(), [KB.KBD_REPLY_ACK, KB.KBD_REPLY_ACK, KB.KBD_REPLY_ACK, KB.KBD_REPLY_ACK]);
      data(KB.KBD_CMD_ECHO);
      data(KB.KBD_CMD_RESET);
      data(0x01);
      assert.deepEqual(drain(), [KB.KBD_CMD_ECHO, KB.KBD_REPLY_ACK, KB.KBD_REPLY_SELF_TEST_OK, KB.KBD_REPLY_RESEND]);
      data(KB.KBD_CMD_RESEND);
      assert.deepEqual(drain(), [KB.KBD_REPLY_RESEND], 'resend repeats the last byte sent');
    });

    it('drops scan codes while scanning is disabled (0xF5) and accepts them again after 0xF4', () => {
      const { data, drain, kbc } = setup();
      kbc.pushScancodes([0x02]);
      data(KB.KBD_CMD_DISABLE);
      assert.deepEqual(drain(), [0x02, KB.KBD_REPLY_ACK]);
      assert.equal(kbc.pushScancodes([0x03]), 0);
      assert.deepEqual(drain(), []);
      data(KB.KBD_CMD_ENABLE);
      kbc.pushScancodes([0x04]);
      assert.deepEqual(drain(), [KB.KBD_REPLY_ACK, 0x04]);
      assert.equal(kbc.keyboard.droppedCount, 1);
    });

    it('bounds its queue and counts what it drops', () => {
      const { kbc } = setup();
      const capacity = kbc.keyboard.capacity;
      assert.equal(kbc.pushScancodes(new Uint8Array(capacity + 10)), capacity);
      assert.equal(kbc.keyboard.droppedCount, 10);
      // The first byte has moved on into the controller's output buffer.
      assert.equal(kbc.keyboard.queued, capacity - 1);
    });
  });

  it('returns to its power-on state on reset', () => {
    const { kbc, irq, command, data, status } = setup();
    command(K.CMD_WRITE_CONFIG);
    data(0);
    kbc.pushScancodes([1, 2]);
    kbc.reset();
    assert.equal(kbc.configByte, K.CONFIG_DEFAULT);
    assert.equal(status() & K.STATUS_OUTPUT_FULL, 0);
    assert.equal(irq.level, false);
  });
});
