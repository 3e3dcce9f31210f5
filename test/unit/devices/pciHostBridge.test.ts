// Unit tests for the PCI host bridge: mechanism #1 decoding, the type-0 header, BAR sizing and mapping effects, reset control.
import assert from 'node:assert/strict';
import { I440FX_DEVICE_ID, I440FX_VENDOR_ID } from '../../../debug-adapter/src/devices/pci/hostBridgeFunction';
import { PciHostBridge } from '../../../debug-adapter/src/devices/pci/pciHostBridge';
import type { BarSpec, ConfigWriteEffect } from '../../../debug-adapter/src/devices/pci/pciFunction';
import * as P from '../../../debug-adapter/src/devices/pci/pciRegisters';
import { PCI_IO_BAR_BASE, PCI_MMIO_BAR_BASE } from '../../../debug-adapter/src/vmm/layout';
import { nullDevice, svgaLike, testFunction } from './pciTestFunctions';
import { readN, writeN } from './testKit';

const ADDR = P.PORT_OFFSET_CONFIG_ADDRESS;
const DATA = P.PORT_OFFSET_CONFIG_DATA;
function setup() {
  const effects: ConfigWriteEffect[] = [];
  let resets = 0;
  const bridge = new PciHostBridge({ onReset: () => resets++, onMappingChange: (e) => effects.push(e) });
  const select = (device: number, register: number, fn = 0, bus = 0) =>
    writeN(bridge, ADDR, 4, (P.CONFIG_ADDRESS_ENABLE | (bus << 16) | (device << 11) | (fn << 8) | register) >>> 0);
  const cfgRead = (device: number, offset: number, size: 1 | 2 | 4) => {
    select(device, offset & ~3);
    return readN(bridge, DATA + (offset & 3), size);
  };
  const cfgWrite = (device: number, offset: number, size: 1 | 2 | 4, value: number) => {
    select(device, offset & ~3);
    writeN(bridge, DATA + (offset & 3), size, value);
  };
  return { bridge, effects, resets: () => resets, select, cfgRead, cfgWrite };
}

describe('PciHostBridge', () => {
  describe('configuration mechanism #1', () => {
    it('finds the 440FX host bridge at 00:00.0', () => {
      const { cfgRead } = setup();
      assert.equal(cfgRead(0, P.CFG_VENDOR_ID, 4), (I440FX_DEVICE_ID << 16 | I440FX_VENDOR_ID) >>> 0);
      assert.equal(cfgRead(0, P.CFG_REVISION, 4) >>> 8, 0x060000);
      assert.equal(cfgRead(0, P.CFG_HEADER_TYPE, 1), P.HEADER_TYPE_NORMAL);
    });

    it('latches CONFIG_ADDRESS with reserved bits reading 0, for 32-bit accesses only', () => {
      const { bridge } = setup();
      writeN(bridge, ADDR, 4, 0xffffffff);
      assert.equal(readN(bridge, ADDR, 4), 0x80fffffc);
      writeN(bridge, ADDR, 2, 0x1234); // not a CONFIG_ADDRESS access
      assert.equal(bridge.configAddressLatch, 0x80fffffc);
      assert.equal(readN(bridge, ADDR, 2), 0xffff);
      assert.equal(readN(bridge, 2, 1), 0xff);
    });

    it('routes 8/16/32-bit data accesses to the matching byte lanes', () => {
      const { cfgRead, bridge, select } = setup();
      assert.equal(cfgRead(0, P.CFG_DEVICE_ID, 2), I440FX_DEVICE_ID);
      assert.equal(cfgRead(0, P.CFG_VENDOR_ID + 1, 1), I440FX_VENDOR_ID >> 8);
      assert.equal(cfgRead(0, P.CFG_CLASS_CODE + 2, 1), 0x06);
      select(0, 0);
      assert.equal(readN(bridge, DATA + 1, 2), (I440FX_DEVICE_ID & 0xff) << 8 | I440FX_VENDOR_ID >> 8);
    });

    it('reads all-ones with the enable bit clear, and for absent devices, functions and buses', () => {
      const { bridge, cfgRead, select } = setup();
      writeN(bridge, ADDR, 4, 0); // 00:00.0 but disabled
      assert.equal(readN(bridge, DATA, 4), 0xffffffff);
      assert.equal(cfgRead(5, 0, 4), 0xffffffff);
      assert.equal(cfgRead(31, 0, 2), 0xffff);
      select(0, 0, 1);
      assert.equal(readN(bridge, DATA, 4), 0xffffffff);
      select(0, 0, 0, 1);
      assert.equal(readN(bridge, DATA, 1), 0xff);
    });

    it('ignores writes to absent functions', () => {
      const { cfgWrite, effects } = setup();
      cfgWrite(7, P.CFG_COMMAND, 2, 0xffff);
      assert.equal(effects.length, 0);
    });
  });

  describe('registration', () => {
    it('places functions in the next free slots and lists them', () => {
      const { bridge, cfgRead } = setup();
      assert.deepEqual(bridge.registerFunction(svgaLike()), { device: 1 });
      assert.deepEqual(bridge.registerFunction(testFunction('other', [])), { device: 2 });
      assert.equal(cfgRead(1, P.CFG_VENDOR_ID, 4), 0x040515ad);
      assert.deepEqual(bridge.functions().map((f) => [f.device, f.function, f.label]), [[0, 0, 'host-bridge'], [1, 0, 'svga'], [2, 0, 'other']]);
    });

    it('refuses a 33rd device with a message naming it', () => {
      const { bridge } = setup();
      for (let i = 1; i < P.DEVICES_PER_BUS; i++) bridge.registerFunction(testFunction(`f${i}`, []));
      assert.throws(() => bridge.registerFunction(testFunction('late', [])), /no free slot for late/);
    });

    it('rejects malformed BAR declarations', () => {
      const { bridge } = setup();
      const bar = (index: number, kind: 'io' | 'mem32', size: number): BarSpec => ({ index, kind, size, backing: { kind: 'ram', label: 'x' } });
      assert.throws(() => bridge.registerFunction(testFunction('a', [bar(6, 'io', 16)])), /BAR index 6 is invalid/);
      assert.throws(() => bridge.registerFunction(testFunction('b', [bar(0, 'io', 24)])), /BAR0 size is 24, expected a power of two/);
      assert.throws(() => bridge.registerFunction(testFunction('c', [bar(0, 'mem32', 8)])), /expected a power of two from 16/);
      assert.throws(() => bridge.registerFunction(testFunction('d', [bar(1, 'io', 4), bar(1, 'io', 4)])), /declared twice/);
    });
  });

  describe('type-0 header', () => {
    it('exposes identity, subsystem ids and interrupt pin/line', () => {
      const { bridge, cfgRead } = setup();
      bridge.registerFunction(svgaLike());
      assert.equal(cfgRead(1, P.CFG_REVISION, 1), 0x01);
      assert.equal(cfgRead(1, P.CFG_REVISION, 4), 0x03000001, 'class, subclass, prog-if and revision');
      assert.equal(cfgRead(1, P.CFG_SUBSYSTEM_VENDOR_ID, 4), 0x040615ad);
      assert.equal(cfgRead(1, P.CFG_INTERRUPT_LINE, 2), 0x010b);
    });

    it('lets software change only the writable registers and bits', () => {
      const { bridge, cfgRead, cfgWrite } = setup();
      bridge.registerFunction(svgaLike());
      cfgWrite(1, P.CFG_VENDOR_ID, 4, 0);
      assert.equal(cfgRead(1, P.CFG_VENDOR_ID, 4), 0x040515ad);
      cfgWrite(1, P.CFG_COMMAND, 4, 0xffffffff);
      assert.equal(cfgRead(1, P.CFG_COMMAND, 2), P.COMMAND_WRITABLE);
      assert.equal(cfgRead(1, P.CFG_STATUS, 2), 0);
      cfgWrite(1, P.CFG_CACHE_LINE_SIZE, 2, 0x4010);
      assert.equal(cfgRead(1, P.CFG_CACHE_LINE_SIZE, 2), 0x4010);
      cfgWrite(1, P.CFG_INTERRUPT_LINE, 2, 0x0405);
      assert.equal(cfgRead(1, P.CFG_INTERRUPT_LINE, 2), 0x0105, 'the line is writable, the pin is not');
      cfgWrite(1, P.CFG_HEADER_TYPE, 1, 0x80);
      assert.equal(cfgRead(1, P.CFG_HEADER_TYPE, 1), 0);
    });

    it('passes registers from 0x40 up to the function, and reads 0 there without handlers', () => {
      const { bridge, cfgRead, cfgWrite } = setup();
      const log: string[] = [];
      bridge.registerFunction(testFunction('extra', [], {
        configReadExtra: (offset, size) => { log.push(`r${offset.toString(16)}/${size}`); return 0xa1b2c3d4; },
        configWriteExtra: (offset, size, value) => { log.push(`w${offset.toString(16)}/${size}=${value.toString(16)}`); },
      }));
      bridge.registerFunction(testFunction('plain', []));
      assert.equal(cfgRead(1, 0x42, 2), 0xc3d4, 'values are cut to the access size');
      cfgWrite(1, 0x41, 1, 0x7f);
      assert.deepEqual(log, ['r42/2', 'w41/1=7f']);
      assert.equal(cfgRead(2, 0x40, 4), 0);
      cfgWrite(2, 0xfc, 4, 1);
    });
  });

  describe('BARs', () => {
    it('answers the all-ones sizing probe with the size mask and type bits', () => {
      const { bridge, cfgRead, cfgWrite } = setup();
      bridge.registerFunction(svgaLike());
      for (const [index, expected] of [[0, 0xfffffff1], [1, 0xff000008], [2, 0xffffe000], [3, 0]]) {
        const at = P.CFG_BAR0 + 4 * index;
        cfgWrite(1, at, 4, 0xffffffff);
        assert.equal(cfgRead(1, at, 4), expected, `BAR${index}`);
      }
    });

    it('maps a BAR only while its decode bit is on and its address is set', () => {
      const { bridge, cfgWrite, effects } = setup();
      bridge.registerFunction(svgaLike());
      cfgWrite(1, P.CFG_BAR0, 4, 0xc100);
      cfgWrite(1, P.CFG_BAR0 + 8, 4, 0xe1000000);
      assert.equal(effects.length, 0, 'no mapping while decoding is off');
      cfgWrite(1, P.CFG_COMMAND, 2, P.COMMAND_IO_SPACE);
      assert.deepEqual(effects.pop(), {
        unmap: [],
        map: [{ bar: 0, bus: 'pio', base: 0xc100, length: 0x10, backing: svgaLike().bars[0].backing }],
      });
      cfgWrite(1, P.CFG_COMMAND, 2, P.COMMAND_IO_SPACE | P.COMMAND_MEMORY_SPACE);
      const memMap = effects.pop()!;
      assert.deepEqual(memMap.map.map((m) => [m.bar, m.bus, m.base, m.length]), [[2, 'mmio', 0xe1000000, 0x2000]]);
      assert.deepEqual(memMap.map[0].backing, { kind: 'ram', label: 'fifo' });
      assert.equal(effects.length, 0, 'BAR1 is still at address 0');
      cfgWrite(1, P.CFG_COMMAND, 2, P.COMMAND_MEMORY_SPACE);
      assert.deepEqual(effects.pop(), { unmap: [{ bar: 0, bus: 'pio', base: 0xc100, length: 0x10, backing: svgaLike().bars[0].backing }], map: [] });
    });

    it('moves a decoded BAR with an unmap and a map, and unmaps it during sizing', () => {
      const { bridge, cfgWrite, cfgRead, effects } = setup();
      bridge.registerFunction(svgaLike());
      cfgWrite(1, P.CFG_BAR0 + 4, 4, 0xe0000000);
      cfgWrite(1, P.CFG_COMMAND, 2, P.COMMAND_MEMORY_SPACE);
      effects.length = 0;
      cfgWrite(1, P.CFG_BAR0 + 4, 4, 0xe2000000);
      const move = effects.pop()!;
      assert.deepEqual([move.unmap.map((m) => m.base), move.map.map((m) => m.base)], [[0xe0000000], [0xe2000000]]);
      cfgWrite(1, P.CFG_BAR0 + 4, 4, 0xffffffff);
      assert.deepEqual(effects.pop()!.unmap.map((m) => m.base), [0xe2000000]);
      cfgWrite(1, P.CFG_BAR0 + 4, 4, 0xe2000000);
      assert.deepEqual(effects.pop()!.map.map((m) => m.base), [0xe2000000]);
      cfgWrite(1, P.CFG_BAR0 + 4, 4, 0xe2000000);
      assert.equal(effects.length, 0, 'rewriting the same address changes nothing');
      assert.equal(cfgRead(1, P.CFG_BAR0 + 4, 4), 0xe2000008);
    });

    it('merges partial BAR writes and never maps past the end of I/O space', () => {
      const { bridge, cfgWrite, cfgRead, effects } = setup();
      bridge.registerFunction(svgaLike());
      cfgWrite(1, P.CFG_COMMAND, 2, P.COMMAND_IO_SPACE);
      cfgWrite(1, P.CFG_BAR0 + 1, 1, 0xd2);
      assert.equal(cfgRead(1, P.CFG_BAR0, 4), 0xd201);
      assert.deepEqual(effects.pop()!.map.map((m) => m.base), [0xd200]);
      cfgWrite(1, P.CFG_BAR0 + 2, 2, 0x0001); // 0x1d200 is beyond port space
      assert.deepEqual(effects.pop(), {
        unmap: [{ bar: 0, bus: 'pio', base: 0xd200, length: 0x10, backing: svgaLike().bars[0].backing }],
        map: [],
      });
      assert.deepEqual(bridge.functions()[1].mappings, []);
    });
  });

  describe('assignDefaultBars', () => {
    it('places BARs naturally aligned from the layout windows and enables decoding', () => {
      const { bridge, cfgRead, effects } = setup();
      bridge.registerFunction(svgaLike());
      bridge.registerFunction(testFunction('nic', [
        { index: 0, kind: 'mem32', size: 0x100, backing: { kind: 'device', device: nullDevice } },
        { index: 2, kind: 'io', size: 0x40, backing: { kind: 'device', device: nullDevice } },
      ]));
      const all = bridge.assignDefaultBars();
      const placed = all.map.map((m) => [m.bar, m.bus, m.base, m.length]);
      assert.deepEqual(placed, [
        [0, 'pio', PCI_IO_BAR_BASE, 0x10],
        [1, 'mmio', PCI_MMIO_BAR_BASE, 0x1000000],
        [2, 'mmio', PCI_MMIO_BAR_BASE + 0x1000000, 0x2000],
        [0, 'mmio', PCI_MMIO_BAR_BASE + 0x1002000, 0x100], // memory BARs start on a page boundary
        [2, 'pio', PCI_IO_BAR_BASE + 0x40, 0x40], // naturally aligned after the 16-byte BAR
      ]);
      assert.deepEqual(all.unmap, []);
      for (const m of all.map) assert.equal(m.base % m.length, 0, `${m.bus} BAR${m.bar} is naturally aligned`);
      assert.equal(cfgRead(1, P.CFG_COMMAND, 2), P.COMMAND_IO_SPACE | P.COMMAND_MEMORY_SPACE);
      assert.equal(cfgRead(1, P.CFG_BAR0 + 4, 4), PCI_MMIO_BAR_BASE + P.BAR_MEM_PREFETCHABLE);
      assert.equal(cfgRead(0, P.CFG_COMMAND, 2), 0, 'the host bridge has no BARs to enable');
      assert.deepEqual(effects.flatMap((e) => e.map), all.map, 'the same changes reached onMappingChange');
      assert.deepEqual(bridge.functions()[2].mappings.map((m) => m.bar), [0, 2]);
    });

    it('moves mappings when run again with other bases, unmapping everything before mapping anything', () => {
      const { bridge, effects } = setup();
      bridge.registerFunction(svgaLike());
      bridge.assignDefaultBars();
      effects.length = 0;
      const again = bridge.assignDefaultBars(0xd000, 0xf0000000);
      assert.deepEqual(again.unmap.map((m) => m.base), [PCI_IO_BAR_BASE, PCI_MMIO_BAR_BASE, PCI_MMIO_BAR_BASE + 0x1000000]);
      assert.deepEqual(again.map.map((m) => m.base), [0xd000, 0xf0000000, 0xf1000000]);
      const order = effects.flatMap((e) => [...e.unmap.map(() => 'unmap'), ...e.map.map(() => 'map')]);
      assert.deepEqual(order, ['unmap', 'unmap', 'unmap', 'map', 'map', 'map']);
    });

    it('reports a BAR that does not fit in its window', () => {
      const { bridge } = setup();
      bridge.registerFunction(svgaLike());
      assert.throws(() => bridge.assignDefaultBars(PCI_IO_BAR_BASE, 0xfe000000),
        /no room for BAR1 of svga \(16 MiB\) in the memory window 0xfe000000\.\.0xfebfffff/);
    });
  });

  describe('reset control register (0xCF9)', () => {
    it('resets on a byte write with bit 2 set and keeps bits 1 and 3', () => {
      const { bridge, resets } = setup();
      writeN(bridge, P.PORT_OFFSET_RESET_CONTROL, 1, P.RESET_CONTROL_SYSTEM_RESET);
      assert.equal(resets(), 0);
      assert.equal(readN(bridge, P.PORT_OFFSET_RESET_CONTROL, 1), P.RESET_CONTROL_SYSTEM_RESET);
      writeN(bridge, P.PORT_OFFSET_RESET_CONTROL, 1, P.RESET_CONTROL_SYSTEM_RESET | P.RESET_CONTROL_RESET_CPU);
      assert.equal(resets(), 1);
    });

    it('is not reached by wider accesses, which belong to CONFIG_ADDRESS or nothing', () => {
      const { bridge, resets } = setup();
      writeN(bridge, ADDR, 4, 0x80000600);
      assert.equal(resets(), 0);
      assert.equal(bridge.configAddressLatch, 0x80000600);
    });
  });
});
