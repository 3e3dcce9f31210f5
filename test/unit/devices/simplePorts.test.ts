// Unit tests for the one-register ports: debug console (0xE9), isa-debug-exit (0xF4) and system control port A (0x92).
import assert from 'node:assert/strict';
import { Debugcon, DEBUGCON_READBACK } from '../../../debug-adapter/src/devices/debugcon';
import { DebugExit } from '../../../debug-adapter/src/devices/debugExit';
import { SYSCTL_A_A20, SYSCTL_A_RESET, SysctlPort } from '../../../debug-adapter/src/devices/sysctlPort';
import { Bus } from '../../../debug-adapter/src/vmm/bus/bus';
import { PORT_DEBUG_EXIT, PORT_DEBUG_EXIT_LEN, PORT_DEBUGCON } from '../../../debug-adapter/src/vmm/layout';
import { BufferSink, ctx, read8, readN, write8, writeN } from './testKit';

describe('Debugcon', () => {
  it('sends written bytes to the sink as copies', () => {
    const sink = new BufferSink();
    const con = new Debugcon(sink);
    const bus = new Bus('pio');
    bus.insert(con, PORT_DEBUGCON, 1);
    const data = Uint8Array.of(0x4f);
    bus.write(PORT_DEBUGCON, data, ctx);
    data[0] = 0x58;
    bus.write(PORT_DEBUGCON, Uint8Array.of(0x4b), ctx);
    assert.equal(sink.text, 'OK');
    assert.equal(con.writtenCount, 2);
  });

  it('reads back 0xE9 so guests can detect it', () => {
    const con = new Debugcon(new BufferSink());
    assert.equal(read8(con, 0), DEBUGCON_READBACK);
    assert.equal(readN(con, 0, 2), 0xe9e9);
  });
});

describe('DebugExit', () => {
  function setup() {
    const statuses: number[] = [];
    const dev = new DebugExit((s) => statuses.push(s));
    return { dev, statuses };
  }

  it('turns a write of v into status (v << 1) | 1 for any access size and offset', () => {
    const { dev, statuses } = setup();
    write8(dev, 0, 0x10);
    writeN(dev, 0, 2, 0x0021);
    writeN(dev, 0, 4, 0);
    write8(dev, 3, 1);
    assert.deepEqual(statuses, [0x21, 0x43, 1, 3]);
    assert.equal(dev.requestedStatus, 3);
  });

  it('does not wrap a 32-bit value', () => {
    const { dev, statuses } = setup();
    writeN(dev, 0, 4, 0xffffffff);
    assert.deepEqual(statuses, [0x1ffffffff]);
  });

  it('reads 0 at every offset, as QEMU does', () => {
    const { dev, statuses } = setup();
    for (let offset = 0; offset < PORT_DEBUG_EXIT_LEN; offset++) assert.equal(read8(dev, offset), 0);
    assert.equal(readN(dev, 0, 4), 0);
    assert.deepEqual(statuses, [], 'reads never exit');
  });

  it('is reachable over its whole 4-port window on the bus', () => {
    const { dev, statuses } = setup();
    const bus = new Bus('pio');
    bus.insert(dev, PORT_DEBUG_EXIT, PORT_DEBUG_EXIT_LEN);
    assert.equal(bus.write(PORT_DEBUG_EXIT + 2, Uint8Array.of(2, 0), ctx), true);
    assert.equal(bus.write(PORT_DEBUG_EXIT + 2, Uint8Array.of(2, 0, 0, 0), ctx), false);
    assert.deepEqual(statuses, [5]);
  });
});

describe('SysctlPort', () => {
  function setup(a20Enabled?: boolean) {
    const events: string[] = [];
    const port = new SysctlPort({ onReset: () => events.push('reset'), onA20: (on) => events.push(`a20:${on}`), a20Enabled });
    return { port, events };
  }

  it('starts with A20 enabled and reads it back in bit 1', () => {
    const { port } = setup();
    assert.equal(read8(port, 0), SYSCTL_A_A20);
    assert.equal(port.a20Enabled, true);
  });

  it('gates A20 with bit 1 and reports changes only', () => {
    const { port, events } = setup(false);
    assert.equal(read8(port, 0), 0);
    write8(port, 0, SYSCTL_A_A20);
    write8(port, 0, SYSCTL_A_A20);
    assert.equal(read8(port, 0), SYSCTL_A_A20);
    write8(port, 0, 0);
    assert.deepEqual(events, ['a20:true', 'a20:false']);
  });

  it('resets on every write with bit 0 set, and bit 0 reads back 0', () => {
    const { port, events } = setup();
    write8(port, 0, SYSCTL_A_A20 | SYSCTL_A_RESET);
    write8(port, 0, SYSCTL_A_A20 | SYSCTL_A_RESET);
    assert.deepEqual(events, ['reset', 'reset']);
    assert.equal(read8(port, 0) & SYSCTL_A_RESET, 0);
  });
});
