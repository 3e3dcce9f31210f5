// Fuzz test for the PCI host bridge behind a bus: random mechanism #1 traffic, replaying mapping effects into a model.
import assert from 'node:assert/strict';
import { PciHostBridge } from '../../../debug-adapter/src/devices/pci/pciHostBridge';
import type { BarMapping } from '../../../debug-adapter/src/devices/pci/pciFunction';
import * as P from '../../../debug-adapter/src/devices/pci/pciRegisters';
import { Bus } from '../../../debug-adapter/src/vmm/bus/bus';
import { PORT_PCI_CONFIG, PORT_PCI_CONFIG_LEN } from '../../../debug-adapter/src/vmm/layout';
import { nullDevice, svgaLike, testFunction } from './pciTestFunctions';
import { ctx, fuzzSeed, type Rng, withSeed } from './testKit';

const OPERATIONS = 100_000;
const DEVICES = 4; // host bridge + three registered functions; slots above answer all-ones

function randomConfigAddress(rng: Rng): number {
  if (rng.chance(0.1)) return rng.int(2 ** 32);
  const fn = rng.chance(0.05) ? 1 + rng.int(7) : 0;
  const bus = rng.chance(0.05) ? 1 : 0;
  const enable = rng.chance(0.95) ? P.CONFIG_ADDRESS_ENABLE : 0;
  const register = rng.chance(0.6) ? rng.pick([P.CFG_COMMAND, P.CFG_BAR0, 0x14, 0x18, 0x1c, 0x3c]) : rng.int(64) * 4;
  const device = rng.chance(0.8) ? 1 + rng.int(DEVICES - 1) : rng.int(DEVICES + 1);
  return (enable | (bus << 16) | (device << 11) | (fn << 8) | register) >>> 0;
}

function randomValue(rng: Rng): number {
  return rng.pick([
    () => 0xffffffff, () => 0, () => rng.int(2 ** 32),
    () => P.COMMAND_IO_SPACE | P.COMMAND_MEMORY_SPACE, () => rng.int(8),
    () => 0xc000 + rng.int(0x40) * 0x10, () => 0xe0000000 + rng.int(0x40) * 0x1000000,
  ])();
}

describe('PciHostBridge fuzz', () => {
  it(`keeps mappings consistent over ${OPERATIONS} random configuration accesses`, () => {
    withSeed(fuzzSeed(0xcf8), (rng, step) => {
      const model = new Map<string, BarMapping>();
      let owner = 0; // which device an effect belongs to is not in BarMapping: track it through the selected device
      let resets = 0;
      let expectedResets = 0;
      let maps = 0;
      const bridge = new PciHostBridge({
        onReset: () => resets++,
        onMappingChange: (effect) => {
          for (const m of effect.unmap) {
            const key = `${owner}:${m.bar}`;
            assert.deepEqual(model.get(key), m, 'an unmap names a live mapping');
            model.delete(key);
          }
          for (const m of effect.map) {
            const key = `${owner}:${m.bar}`;
            assert.equal(model.has(key), false, 'a map never duplicates a live mapping');
            model.set(key, m);
            maps++;
          }
        },
      });
      bridge.registerFunction(svgaLike());
      bridge.registerFunction(testFunction('extra', [
        { index: 4, kind: 'io', size: 0x100, backing: { kind: 'device', device: nullDevice } },
      ], { configReadExtra: (offset, size) => offset * 0x01010101 + size, configWriteExtra: () => undefined }));
      bridge.registerFunction(testFunction('plain', [
        { index: 5, kind: 'mem32', size: 0x10, backing: { kind: 'device', device: nullDevice } },
      ]));
      const bus = new Bus('pio');
      bus.insert(bridge, PORT_PCI_CONFIG, PORT_PCI_CONFIG_LEN);

      for (let n = 0; n < OPERATIONS; n++) {
        step(n);
        if (rng.chance(0.3)) {
          const data = new Uint8Array(4);
          new DataView(data.buffer).setUint32(0, randomConfigAddress(rng), true);
          bus.write(PORT_PCI_CONFIG, data, ctx);
          continue;
        }
        owner = (bridge.configAddressLatch >>> P.CONFIG_ADDRESS_DEVICE_SHIFT) & 31;
        let address: number;
        let size: number;
        if (rng.chance(0.6)) { // the data window, mostly with naturally aligned lanes
          size = rng.pick([1, 2, 4, 4]);
          const lane = rng.chance(0.9) ? rng.int(4 / size) * size : rng.int(4);
          address = PORT_PCI_CONFIG + P.PORT_OFFSET_CONFIG_DATA + lane;
        } else {
          address = PORT_PCI_CONFIG - 8 + rng.int(PORT_PCI_CONFIG_LEN + 16);
          size = rng.pick([1, 2, 4]);
        }
        const data = new Uint8Array(size);
        const isWrite = rng.chance(0.5);
        const inRange = address >= PORT_PCI_CONFIG && address + size <= PORT_PCI_CONFIG + PORT_PCI_CONFIG_LEN;
        if (isWrite) {
          const value = randomValue(rng);
          for (let i = 0; i < size; i++) data[i] = Math.floor(value / 256 ** i) & 0xff;
          if (inRange && size === 1 && address === PORT_PCI_CONFIG + P.PORT_OFFSET_RESET_CONTROL && (data[0] & P.RESET_CONTROL_RESET_CPU)) {
            expectedResets++;
          }
          assert.equal(bus.write(address, data, ctx), inRange);
        } else {
          assert.equal(bus.read(address, data, ctx), inRange);
          assert.equal(data.length, size);
          if (!inRange) assert.ok(data.every((b) => b === 0xff));
        }

        if (n % 16 !== 0) continue; // the full cross-check below is the expensive part
        const live = new Map<string, BarMapping>();
        for (const f of bridge.functions()) {
          const command = bridge.configRead(f.device, 0, P.CFG_COMMAND, 2);
          assert.equal(command & ~P.COMMAND_WRITABLE, 0);
          assert.equal(bridge.configRead(f.device, 0, P.CFG_VENDOR_ID, 2), f.identity.vendorId, 'read-only ids never change');
          for (const m of f.mappings) {
            live.set(`${f.device}:${m.bar}`, m);
            assert.equal(m.base % m.length, 0, 'mapped BARs are naturally aligned');
            assert.ok(m.base !== 0 && m.base + m.length <= (m.bus === 'pio' ? P.IO_SPACE_LIMIT : P.MEM32_SPACE_LIMIT));
            assert.ok(command & (m.bus === 'pio' ? P.COMMAND_IO_SPACE : P.COMMAND_MEMORY_SPACE), 'decode bit is on');
            const bar = bridge.configRead(f.device, 0, P.CFG_BAR0 + 4 * m.bar, 4);
            assert.equal((bar & (m.bus === 'pio' ? P.BAR_IO_ADDRESS_MASK : P.BAR_MEM_ADDRESS_MASK)) >>> 0, m.base);
          }
        }
        assert.deepEqual(live, model, 'replayed effects match the bridge mappings');
      }
      assert.equal(resets, expectedResets);
      assert.ok(expectedResets > 0, 'the reset control register was exercised');
      assert.ok(maps > 200, `BARs were mapped and moved (${maps} maps)`);
    });
  });
});
