// Unit tests for Bus: range insertion rules, dispatch with offsets, unhandled-access accounting and the tracer hook.
import assert from 'node:assert/strict';
import { Bus, BusError } from '../../../debug-adapter/src/vmm/bus/bus';
import type { BusAccessEvent, BusDevice } from '../../../debug-adapter/src/vmm/bus/busDevice';
import { ctx } from '../devices/testKit';

interface Access { op: 'r' | 'w'; offset: number; bytes: number[] }

/** A device that logs accesses and answers reads with `tag + offset + i` per byte. */
function recorder(label: string, tag = 0x10): BusDevice & { log: Access[] } {
  const log: Access[] = [];
  return {
    label,
    log,
    read(offset, data) {
      assert.ok(data.every((b) => b === 0), 'read buffers arrive zeroed');
      for (let i = 0; i < data.length; i++) data[i] = (tag + offset + i) & 0xff;
      log.push({ op: 'r', offset, bytes: [...data] });
    },
    write(offset, data) {
      log.push({ op: 'w', offset, bytes: [...data] });
    },
  };
}

describe('Bus', () => {
  describe('insert', () => {
    it('rejects a zero or non-integer length', () => {
      const bus = new Bus('pio');
      assert.throws(() => bus.insert(recorder('a'), 0x10, 0), (e: unknown) => e instanceof BusError && e.reason === 'zeroLength');
      assert.throws(() => bus.insert(recorder('a'), 0x10, 1.5), /length is 1.5/);
    });

    it('rejects ranges running past the end of the bus', () => {
      const pio = new Bus('pio');
      assert.throws(() => pio.insert(recorder('a'), 0xfffe, 4), (e: unknown) => e instanceof BusError && e.reason === 'overflow');
      pio.insert(recorder('last'), 0xfffc, 4);
      assert.throws(() => new Bus('mmio').insert(recorder('b'), 2 ** 52 - 1, 2), /runs past the end/);
    });

    it('rejects negative or out-of-space bases', () => {
      assert.throws(() => new Bus('pio').insert(recorder('a'), -1, 1), (e: unknown) => e instanceof BusError && e.reason === 'badBase');
      assert.throws(() => new Bus('pio').insert(recorder('a'), 0x10000, 1), /not an address/);
    });

    it('rejects overlaps on either side and names both devices', () => {
      const bus = new Bus('pio');
      bus.insert(recorder('uart'), 0x3f8, 8);
      for (const [base, len] of [[0x3f0, 9], [0x3ff, 1], [0x3f8, 8], [0x3fa, 2], [0x3f0, 0x20]]) {
        assert.throws(() => bus.insert(recorder('other'), base, len), (e: unknown) =>
          e instanceof BusError && e.reason === 'overlap' && /other \[.*\] overlaps uart \[0x3f8\.\.0x3ff\]/.test(e.message));
      }
      bus.insert(recorder('below'), 0x3f0, 8);
      bus.insert(recorder('above'), 0x400, 1);
      assert.deepEqual(bus.ranges().map((r) => r.device.label), ['below', 'uart', 'above']);
    });
  });

  describe('dispatch', () => {
    it('passes offsets relative to the base and returns true', () => {
      const bus = new Bus('pio');
      const dev = recorder('dev');
      bus.insert(dev, 0x100, 0x10);
      const data = new Uint8Array(2);
      assert.equal(bus.read(0x104, data, ctx), true);
      assert.deepEqual([...data], [0x14, 0x15]);
      assert.equal(bus.write(0x10f, Uint8Array.of(0xab), ctx), true);
      assert.deepEqual(dev.log, [{ op: 'r', offset: 4, bytes: [0x14, 0x15] }, { op: 'w', offset: 0xf, bytes: [0xab] }]);
    });

    it('zeroes the read buffer before the device sees it', () => {
      const bus = new Bus('mmio');
      bus.insert(recorder('dev'), 0x1000, 0x100);
      const data = Uint8Array.of(1, 2, 3, 4);
      assert.equal(bus.read(0x1000, data, ctx), true); // the recorder asserts zeroed input
    });

    it('picks the right device among many (binary search and hit cache)', () => {
      const bus = new Bus('mmio');
      const devs = Array.from({ length: 50 }, (_, i) => recorder(`d${i}`, i));
      // Insert out of order so the sorted insertion is exercised.
      for (const i of [...devs.keys()].reverse()) bus.insert(devs[i], 0x1000 * i + 0x10, 0x20);
      for (const i of [7, 7, 0, 49, 23, 7]) {
        const data = new Uint8Array(1);
        assert.equal(bus.read(0x1000 * i + 0x18, data, ctx), true);
        assert.equal(data[0], (i + 8) & 0xff);
      }
      assert.equal(bus.lookup(0x1000 * 3 + 0x2f)?.device.label, 'd3');
      assert.equal(bus.lookup(0x1000 * 3 + 0x30), undefined);
      assert.equal(bus.lookup(0x0f), undefined);
    });

    it('treats an access straddling the end of a range as unhandled', () => {
      const events: [BusAccessEvent, boolean][] = [];
      const bus = new Bus('pio', (e, first) => events.push([e, first]));
      const dev = recorder('dev');
      bus.insert(dev, 0x60, 1);
      bus.insert(recorder('next'), 0x61, 1);
      const data = new Uint8Array(2);
      assert.equal(bus.read(0x60, data, ctx), false);
      assert.deepEqual([...data], [0xff, 0xff]);
      assert.equal(dev.log.length, 0);
      assert.equal(events[0][0].device, 'dev');
      assert.equal(bus.write(0x5f, Uint8Array.of(1, 2), ctx), false); // starts in a gap, ends inside a device
      assert.equal(events[1][0].device, undefined);
    });
  });

  describe('unhandled accesses', () => {
    it('fills reads with 0xFF, counts per address and reports only the first as first', () => {
      const events: [BusAccessEvent, boolean][] = [];
      const bus = new Bus('pio', (e, first) => events.push([e, first]));
      const data = Uint8Array.of(0, 0, 0, 0);
      assert.equal(bus.read(0x80, data, ctx), false);
      assert.deepEqual([...data], [0xff, 0xff, 0xff, 0xff]);
      assert.equal(bus.write(0x80, Uint8Array.of(0x12), ctx), false);
      assert.equal(bus.write(0x70, Uint8Array.of(0x34), ctx), false);
      assert.deepEqual(events.map(([e, first]) => [e.address, e.isWrite, e.size, first]),
        [[0x80, false, 4, true], [0x80, true, 1, false], [0x70, true, 1, true]]);
      assert.deepEqual([...events[2][0].value], [0x34]);
      assert.equal(events[0][0].bus, 'pio');
      assert.equal(bus.unhandledCount(), 3);
      assert.equal(bus.unhandledCount(0x80), 2);
      assert.equal(bus.unhandledCount(0x90), 0);
      assert.deepEqual(bus.unhandledSummary(), [{ address: 0x70, count: 1 }, { address: 0x80, count: 2 }]);
    });

    it('counts even without a handler', () => {
      const bus = new Bus('mmio');
      bus.read(0xfee00000, new Uint8Array(4), ctx);
      assert.equal(bus.unhandledCount(0xfee00000), 1);
    });
  });

  describe('remove, lookup and ranges', () => {
    it('removes only a range starting exactly at the base', () => {
      const bus = new Bus('pio');
      const a = recorder('a');
      bus.insert(a, 0x10, 4);
      assert.equal(bus.remove(0x11), undefined);
      assert.equal(bus.read(0x12, new Uint8Array(1), ctx), true); // warms the hit cache
      assert.equal(bus.remove(0x10), a);
      assert.equal(bus.read(0x12, new Uint8Array(1), ctx), false, 'the hit cache must not outlive removal');
      assert.equal(bus.lookup(0x10), undefined);
      bus.insert(recorder('b'), 0x10, 4); // the space is free again
    });

    it('lists ranges in address order with lengths', () => {
      const bus = new Bus('pio');
      const b = recorder('b');
      const a = recorder('a');
      bus.insert(b, 0x3f8, 8);
      bus.insert(a, 0x60, 1);
      assert.deepEqual(bus.ranges(), [{ base: 0x60, length: 1, device: a }, { base: 0x3f8, length: 8, device: b }]);
      assert.deepEqual(bus.lookup(0x3fc), { base: 0x3f8, length: 8, device: b });
    });
  });

  describe('onAccess tracer', () => {
    it('sees handled reads (with the value read) and writes, with the device label', () => {
      const bus = new Bus('mmio');
      const seen: BusAccessEvent[] = [];
      bus.onAccess = (e) => seen.push(e);
      bus.insert(recorder('dev', 0x40), 0x2000, 0x10);
      bus.read(0x2002, new Uint8Array(2), ctx);
      bus.write(0x2003, Uint8Array.of(9), ctx);
      bus.read(0x3000, new Uint8Array(1), ctx); // unhandled: not traced here
      assert.deepEqual(seen.map((e) => [e.bus, e.address, e.size, e.isWrite, [...e.value], e.device]), [
        ['mmio', 0x2002, 2, false, [0x42, 0x43], 'dev'],
        ['mmio', 0x2003, 1, true, [9], 'dev'],
      ]);
    });

    it('gives the tracer a copy, not the caller buffer', () => {
      const bus = new Bus('pio');
      let captured: BusAccessEvent | undefined;
      bus.onAccess = (e) => { captured = e; };
      bus.insert(recorder('dev'), 0, 1);
      const data = Uint8Array.of(5);
      bus.write(0, data, ctx);
      data[0] = 6;
      assert.deepEqual([...captured!.value], [5]);
    });
  });
});
