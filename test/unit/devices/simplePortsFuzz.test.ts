// Fuzz tests for debugcon, isa-debug-exit and port 0x92 behind a bus: random accesses in and around each range.
import assert from 'node:assert/strict';
import { Debugcon, DEBUGCON_READBACK } from '../../../debug-adapter/src/devices/debugcon';
import { DebugExit } from '../../../debug-adapter/src/devices/debugExit';
import { SYSCTL_A_A20, SYSCTL_A_RESET, SysctlPort } from '../../../debug-adapter/src/devices/sysctlPort';
import { Bus } from '../../../debug-adapter/src/vmm/bus/bus';
import type { BusDevice } from '../../../debug-adapter/src/vmm/bus/busDevice';
import { PORT_DEBUG_EXIT, PORT_DEBUG_EXIT_LEN, PORT_DEBUGCON, PORT_SYSCTL_A } from '../../../debug-adapter/src/vmm/layout';
import { ctx, fuzzSeed, type Rng, withSeed } from './testKit';

const OPERATIONS = 100_000;

/** Drives random accesses at [base - 4, base + length + 4) and calls `check` after each with what happened. */
function fuzzPort(rng: Rng, step: (n: number) => void, dev: BusDevice, base: number, length: number,
  check: (isWrite: boolean, inRange: boolean, data: Uint8Array) => void): void {
  const bus = new Bus('pio');
  bus.insert(dev, base, length);
  for (let n = 0; n < OPERATIONS; n++) {
    step(n);
    const address = base - 4 + rng.int(length + 8);
    const size = rng.pick([1, 2, 4]);
    const data = rng.bytes(size);
    const isWrite = rng.chance(0.5);
    const handled = isWrite ? bus.write(address, data, ctx) : bus.read(address, data, ctx);
    const inRange = address >= base && address + size <= base + length;
    assert.equal(handled, inRange);
    assert.equal(data.length, size);
    if (!isWrite && !inRange) assert.ok(data.every((b) => b === 0xff));
    check(isWrite, inRange, data);
  }
}

describe('simple port fuzz', () => {
  it(`debugcon: ${OPERATIONS} random accesses`, () => {
    withSeed(fuzzSeed(0xe9), (rng, step) => {
      let bytes = 0;
      let expected = 0;
      const con = new Debugcon({ write: (b) => { bytes += b.length; } });
      fuzzPort(rng, step, con, PORT_DEBUGCON, 1, (isWrite, inRange, data) => {
        if (isWrite && inRange) expected += data.length;
        if (!isWrite && inRange) assert.ok(data.every((b) => b === DEBUGCON_READBACK));
      });
      assert.equal(bytes, expected);
      assert.equal(con.writtenCount, expected);
    });
  });

  it(`debug-exit: ${OPERATIONS} random accesses`, () => {
    withSeed(fuzzSeed(0xf4), (rng, step) => {
      let last = -1;
      let exits = 0;
      const dev = new DebugExit((s) => { last = s; exits++; });
      let writes = 0;
      fuzzPort(rng, step, dev, PORT_DEBUG_EXIT, PORT_DEBUG_EXIT_LEN, (isWrite, inRange, data) => {
        if (isWrite && inRange) {
          writes++;
          const v = data.reduceRight((acc, b) => acc * 256 + b, 0);
          assert.equal(last, v * 2 + 1);
          assert.equal(last % 2, 1);
        }
        if (!isWrite && inRange) assert.ok(data.every((b) => b === 0));
      });
      assert.equal(exits, writes);
    });
  });

  it(`sysctl port A: ${OPERATIONS} random accesses`, () => {
    withSeed(fuzzSeed(0x92), (rng, step) => {
      let resets = 0;
      let a20 = true;
      const port = new SysctlPort({ onReset: () => resets++, onA20: (on) => { assert.notEqual(on, a20); a20 = on; } });
      let expectedResets = 0;
      fuzzPort(rng, step, port, PORT_SYSCTL_A, 1, (isWrite, inRange, data) => {
        if (isWrite && inRange && (data[0] & SYSCTL_A_RESET)) expectedResets++;
        if (isWrite && inRange) assert.equal(port.a20Enabled, (data[0] & SYSCTL_A_A20) !== 0);
        if (!isWrite && inRange) assert.equal(data[0], a20 ? SYSCTL_A_A20 : 0);
        assert.equal(port.a20Enabled, a20);
      });
      assert.equal(resets, expectedResets);
    });
  });
});
