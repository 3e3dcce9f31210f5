// Fuzz test for Bus: random inserts, removes and accesses checked against a linear-scan reference model.
import assert from 'node:assert/strict';
import { Bus, BusError } from '../../../debug-adapter/src/vmm/bus/bus';
import type { BusDevice } from '../../../debug-adapter/src/vmm/bus/busDevice';
import { ctx, fuzzSeed, withSeed } from '../devices/testKit';

const OPERATIONS = 100_000;
const SPACE = 0x400; // a small port space keeps collisions, gaps and edges frequent

interface ModelRange { base: number; end: number; device: BusDevice & { hits: number } }

function device(id: number): BusDevice & { hits: number } {
  return {
    label: `dev${id}`,
    hits: 0,
    read(offset, data) {
      this.hits++;
      for (let i = 0; i < data.length; i++) data[i] = (id * 7 + offset + i) & 0xff;
    },
    write() {
      this.hits++;
    },
  };
}

describe('Bus fuzz', () => {
  it(`agrees with a linear-scan model over ${OPERATIONS} random operations`, () => {
    withSeed(fuzzSeed(0x5eed_b05), (rng, step) => {
      const unhandled = new Map<number, number>();
      let firsts = 0;
      const bus = new Bus('pio', (e, first) => {
        if (first) firsts++;
        assert.equal(first, !unhandled.has(e.address));
        unhandled.set(e.address, (unhandled.get(e.address) ?? 0) + 1);
      });
      let model: ModelRange[] = [];
      let nextId = 0;
      for (let n = 0; n < OPERATIONS; n++) {
        step(n);
        const op = rng.int(10);
        if (op === 0) {
          const base = rng.int(SPACE);
          const length = 1 + rng.int(rng.chance(0.5) ? 4 : 64);
          const dev = device(nextId++);
          const clash = model.some((r) => r.base < base + length && base < r.end);
          if (clash) {
            assert.throws(() => bus.insert(dev, base, length), (e: unknown) => e instanceof BusError && e.reason === 'overlap');
          } else {
            bus.insert(dev, base, length);
            model.push({ base, end: base + length, device: dev });
          }
        } else if (op === 1 && model.length > 0) {
          const victim = rng.chance(0.8) ? rng.pick(model).base : rng.int(SPACE);
          const expected = model.find((r) => r.base === victim)?.device;
          assert.equal(bus.remove(victim), expected);
          model = model.filter((r) => r.base !== victim);
        } else {
          const address = rng.int(SPACE + 8);
          const size = rng.pick([1, 2, 4]);
          const owner = model.find((r) => r.base <= address && address + size <= r.end);
          const data = rng.bytes(size);
          const isWrite = rng.chance(0.5);
          const before = owner?.device.hits ?? 0;
          const handled = isWrite ? bus.write(address, data, ctx) : bus.read(address, data, ctx);
          assert.equal(handled, owner !== undefined);
          assert.equal(data.length, size);
          if (owner) {
            assert.equal(owner.device.hits, before + 1);
            if (!isWrite) {
              const id = Number(owner.device.label.slice(3));
              assert.deepEqual([...data], [...data.keys()].map((i) => (id * 7 + address - owner.base + i) & 0xff));
            }
          } else if (!isWrite) {
            assert.ok(data.every((b) => b === 0xff));
          }
          assert.equal(bus.lookup(address)?.device, model.find((r) => r.base <= address && address < r.end)?.device);
        }
      }
      const total = [...unhandled.values()].reduce((a, b) => a + b, 0);
      assert.equal(bus.unhandledCount(), total);
      assert.equal(firsts, unhandled.size);
      assert.deepEqual(bus.ranges().map((r) => r.base), model.map((r) => r.base).sort((a, b) => a - b));
    });
  });
});
