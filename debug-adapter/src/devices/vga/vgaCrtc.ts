// The VGA CRT controller's index/data port pair (0x3D4/0x3D5): text cursor shape and position, display start address.
import type { AccessContext, BusDevice } from '../../vmm/bus/busDevice';

/** CRTC register indices used by text mode. */
export const CrtcReg = {
  MAX_SCAN_LINE: 0x09,
  CURSOR_START: 0x0a,
  CURSOR_END: 0x0b,
  START_ADDRESS_HIGH: 0x0c,
  START_ADDRESS_LOW: 0x0d,
  CURSOR_LOCATION_HIGH: 0x0e,
  CURSOR_LOCATION_LOW: 0x0f,
} as const;

/** Registers 0x00..0x18 exist; the index port keeps only the bits that address them. */
export const CRTC_REGISTER_COUNT = 0x19;
const INDEX_MASK = 0x1f;
/** Port offsets inside the pair. */
export const CRTC_INDEX_OFFSET = 0;
export const CRTC_DATA_OFFSET = 1;
/** CURSOR_START bit 5 turns the cursor off; bits 0-4 of CURSOR_START/END are scan lines. */
const CURSOR_DISABLE = 0x20;
const SCAN_LINE_MASK = 0x1f;
/** What the BIOS leaves for 80x25 colour text with 16-line characters: an underline cursor on lines 13-14. */
const BIOS_TEXT_DEFAULTS: Readonly<Record<number, number>> = {
  [CrtcReg.MAX_SCAN_LINE]: 0x4f,
  [CrtcReg.CURSOR_START]: 0x0d,
  [CrtcReg.CURSOR_END]: 0x0e,
};

export interface TextCursor {
  enabled: boolean;
  /** Character offset from the start of the text buffer (not from the display start). */
  location: number;
  startLine: number;
  endLine: number;
}

/** What the text renderer needs from the CRTC. */
export interface TextModeState {
  /** Character offset of the top-left cell in the text buffer. */
  startAddress: number;
  cursor: TextCursor;
}

export class VgaCrtc implements BusDevice {
  readonly regs = new Uint8Array(CRTC_REGISTER_COUNT);
  index = 0;
  /** Increments on every register write, so a display can tell when to redraw. */
  generation = 0;

  constructor(readonly label = 'vga-crtc@0x3d4') {
    this.reset();
  }

  reset(): void {
    this.regs.fill(0);
    for (const [reg, value] of Object.entries(BIOS_TEXT_DEFAULTS)) this.regs[Number(reg)] = value;
    this.index = 0;
    this.generation++;
  }

  read(offset: number, data: Uint8Array, _ctx: AccessContext): void {
    // A 16-bit read at the index port returns index and data together, like the hardware's byte lanes.
    for (let i = 0; i < data.length; i++) {
      const port = offset + i;
      if (port === CRTC_INDEX_OFFSET) data[i] = this.index;
      else if (port === CRTC_DATA_OFFSET) data[i] = this.index < CRTC_REGISTER_COUNT ? this.regs[this.index] : 0xff;
      else data[i] = 0xff;
    }
  }

  write(offset: number, data: Uint8Array, _ctx: AccessContext): void {
    // `out dx, ax` at the index port sets the index (AL) and writes the register (AH) in one go.
    for (let i = 0; i < data.length; i++) {
      const port = offset + i;
      if (port === CRTC_INDEX_OFFSET) this.index = data[i] & INDEX_MASK;
      else if (port === CRTC_DATA_OFFSET && this.index < CRTC_REGISTER_COUNT) {
        this.regs[this.index] = data[i];
        this.generation++;
      }
    }
  }

  get startAddress(): number {
    return (this.regs[CrtcReg.START_ADDRESS_HIGH] << 8) | this.regs[CrtcReg.START_ADDRESS_LOW];
  }

  get cursor(): TextCursor {
    const start = this.regs[CrtcReg.CURSOR_START];
    return {
      enabled: (start & CURSOR_DISABLE) === 0,
      location: (this.regs[CrtcReg.CURSOR_LOCATION_HIGH] << 8) | this.regs[CrtcReg.CURSOR_LOCATION_LOW],
      startLine: start & SCAN_LINE_MASK,
      endLine: this.regs[CrtcReg.CURSOR_END] & SCAN_LINE_MASK,
    };
  }

  state(): TextModeState {
    return { startAddress: this.startAddress, cursor: this.cursor };
  }
}
