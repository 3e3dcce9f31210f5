// Builds the SVGA II device for a VM: host memory for VRAM and FIFO, their memslots, the IRQ line and the dirty log.
import { KVM_MEM_LOG_DIRTY_PAGES } from '../../../../native/src/kvm/constants';
import { HostMemory, type Vm } from '../../../../native/src/kvm/kvm';
import { Svga2 } from '../../devices/svga2/svga2';
import { DIRTY_PAGE_SIZE } from '../../display/dirtyTracker';
import type { IrqLine } from '../bus/busDevice';
import type { GuestMemory } from '../memory/guestMemory';
import { RamBarSlots } from './ramBars';

/** Memslot numbers of the RAM-backed BARs (slot 0 is guest RAM). */
export const SLOT_SVGA_VRAM = 1;
export const SLOT_SVGA_FIFO = 2;
export const DEFAULT_SVGA_VRAM_MIB = 16;
/** Big enough for any 2D command stream a driver keeps in flight; VMware's server value. */
export const SVGA_FIFO_BYTES = 256 * 1024;
const MIB = 1024 * 1024;
const BITS_PER_LONG = 64;

export interface SvgaSettings {
  width: number;
  height: number;
  vramMiB?: number;
}

export interface SvgaWiring {
  svga: Svga2;
  slots: RamBarSlots;
  /** The VRAM slot's dirty pages since the last call, or undefined while BAR1 is not mapped. */
  readVramDirtyLog(): Uint8Array | undefined;
  free(): void;
}

export function createSvga(settings: SvgaSettings, deps: {
  vm: Vm; memory: GuestMemory; irq: IrqLine; interruptLine: number; warn: (text: string) => void;
}): SvgaWiring {
  const vramSize = (settings.vramMiB ?? DEFAULT_SVGA_VRAM_MIB) * MIB;
  const svga = new Svga2({
    vramSize, fifoSize: SVGA_FIFO_BYTES, initialWidth: settings.width, initialHeight: settings.height,
    interruptLine: deps.interruptLine, irq: deps.irq,
  });
  const vram = HostMemory.allocate(vramSize);
  let fifo: HostMemory;
  try {
    fifo = HostMemory.allocate(SVGA_FIFO_BYTES);
  } catch (e) {
    vram.free();
    throw e;
  }
  svga.attachMemory({ vram: vram.bytes, fifo: fifo.bytes });
  const slots = new RamBarSlots(deps.vm, deps.memory, deps.warn);
  slots.add({
    label: 'svga-vram', slot: SLOT_SVGA_VRAM, flags: KVM_MEM_LOG_DIRTY_PAGES, bytes: vram.bytes, hostAddress: vram.address,
    onMove: (gpa) => svga.setBarAddress(1, gpa ?? 0),
  });
  slots.add({
    label: 'svga-fifo', slot: SLOT_SVGA_FIFO, flags: 0, bytes: fifo.bytes, hostAddress: fifo.address,
    onMove: (gpa) => svga.setBarAddress(2, gpa ?? 0),
  });
  // KVM writes whole longs: the bitmap is rounded up to 64 pages.
  const pages = vramSize / DIRTY_PAGE_SIZE;
  const bitmap = Buffer.alloc(Math.ceil(pages / BITS_PER_LONG) * (BITS_PER_LONG / 8));
  const view = new Uint8Array(bitmap.buffer, bitmap.byteOffset, bitmap.byteLength);
  return {
    svga,
    slots,
    readVramDirtyLog: () => {
      if (slots.where('svga-vram') === undefined) return undefined;
      deps.vm.getDirtyLog(SLOT_SVGA_VRAM, bitmap);
      return view;
    },
    free: () => { vram.free(); fifo.free(); },
  };
}
