// Firmware-style BAR placement: naturally aligned addresses handed out upwards from the I/O and memory windows.
import { PCI_IO_BAR_END, PCI_MMIO_BAR_END } from '../../vmm/layout';
import type { BarSpec } from './pciFunction';
import { hex } from '../../common/hex';

/** Memory BARs start on a page boundary so a RAM-backed BAR can become a memslot and trapped ones never share a page. */
export const MEM_BAR_MIN_ALIGN = 0x1000;

export interface BarOwner {
  label: string;
  bars: readonly BarSpec[];
}


function alignUp(value: number, align: number): number {
  return Math.ceil(value / align) * align;
}

function sizeText(size: number): string {
  return size >= 0x100000 ? `${size / 0x100000} MiB` : size >= 0x400 ? `${size / 0x400} KiB` : `${size} bytes`;
}

/**
 * Returns, per owner, a map from BAR index to its address. BARs are placed in owner order, then index order; the
 * windows end at PCI_IO_BAR_END and PCI_MMIO_BAR_END.
 */
export function planBarAddresses(owners: readonly BarOwner[], ioBase: number, mmioBase: number): Map<number, number>[] {
  let nextIo = ioBase;
  let nextMem = mmioBase;
  return owners.map((owner) => {
    const addresses = new Map<number, number>();
    for (const bar of [...owner.bars].sort((a, b) => a.index - b.index)) {
      const isIo = bar.kind === 'io';
      const start = alignUp(isIo ? nextIo : nextMem, isIo ? bar.size : Math.max(bar.size, MEM_BAR_MIN_ALIGN));
      const end = isIo ? PCI_IO_BAR_END : PCI_MMIO_BAR_END;
      if (start + bar.size > end) {
        const window = isIo ? `I/O window ${hex(ioBase)}..${hex(end - 1)}` : `memory window ${hex(mmioBase)}..${hex(end - 1)}`;
        throw new RangeError(`PCI: no room for BAR${bar.index} of ${owner.label} (${sizeText(bar.size)}) in the ${window}`);
      }
      addresses.set(bar.index, start);
      if (isIo) nextIo = start + bar.size;
      else nextMem = start + bar.size;
    }
    return addresses;
  });
}
