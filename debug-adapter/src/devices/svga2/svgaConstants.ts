// Numbers of the VMware SVGA II programming interface: ids, register indices, capability bits, FIFO words, commands.

export const PCI_VENDOR_VMWARE = 0x15ad;
export const PCI_DEVICE_SVGA2 = 0x0405;
export const PCI_CLASS_VGA = 0x030000;

/** BAR0 port offsets. The value port sits at byte 1, so drivers issue an unaligned 32-bit access there. */
export const PORT_INDEX = 0x0;
export const PORT_VALUE = 0x1;
export const PORT_BIOS = 0x2;
export const PORT_IRQSTATUS = 0x8;
export const IO_BAR_SIZE = 16;

/** Version ids: a magic number in the high 24 bits, the interface revision in the low 8. */
export const SVGA_MAGIC = 0x900000;
export const SVGA_ID_0 = ((SVGA_MAGIC << 8) | 0) >>> 0;
export const SVGA_ID_1 = ((SVGA_MAGIC << 8) | 1) >>> 0;
export const SVGA_ID_2 = ((SVGA_MAGIC << 8) | 2) >>> 0;
export const SVGA_ID_INVALID = 0xffffffff;

/** Register indices (written to the index port, then accessed through the value port). */
export const Reg = {
  ID: 0, ENABLE: 1, WIDTH: 2, HEIGHT: 3, MAX_WIDTH: 4, MAX_HEIGHT: 5, DEPTH: 6, BITS_PER_PIXEL: 7,
  PSEUDOCOLOR: 8, RED_MASK: 9, GREEN_MASK: 10, BLUE_MASK: 11, BYTES_PER_LINE: 12, FB_START: 13,
  FB_OFFSET: 14, VRAM_SIZE: 15, FB_SIZE: 16, CAPABILITIES: 17, MEM_START: 18, MEM_SIZE: 19,
  CONFIG_DONE: 20, SYNC: 21, BUSY: 22, GUEST_ID: 23, CURSOR_ID: 24, CURSOR_X: 25, CURSOR_Y: 26,
  CURSOR_ON: 27, HOST_BITS_PER_PIXEL: 28, SCRATCH_SIZE: 29, MEM_REGS: 30, NUM_DISPLAYS: 31,
  PITCHLOCK: 32, IRQMASK: 33, NUM_GUEST_DISPLAYS: 34, DISPLAY_ID: 35, DISPLAY_IS_PRIMARY: 36,
  DISPLAY_POSITION_X: 37, DISPLAY_POSITION_Y: 38, DISPLAY_WIDTH: 39, DISPLAY_HEIGHT: 40,
  GMR_ID: 41, GMR_DESCRIPTOR: 42, GMR_MAX_IDS: 43, GMR_MAX_DESCRIPTOR_LENGTH: 44, TRACES: 45,
  GMRS_MAX_PAGES: 46, MEMORY_SIZE: 47, CAP2: 59, GUEST_DRIVER_ID: 61, TOP: 85,
} as const;

/** Registers that exist only from SVGA_ID_1 on start at CAPABILITIES. */
export const FIRST_ID1_REGISTER = Reg.CAPABILITIES;
/** 256 palette entries of (red, green, blue) words. */
export const PALETTE_BASE = 1024;
export const PALETTE_WORDS = 256 * 3;
/** Scratch registers follow the palette. */
export const SCRATCH_BASE = PALETTE_BASE + PALETTE_WORDS;

/** ENABLE register bits: bit 1 keeps SVGA on but asks the host not to show it. */
export const ENABLE_ON = 0x1;
export const ENABLE_HIDE = 0x2;

/** SYNC reasons, for the record only. */
export const SYNC_GENERIC = 1;
export const SYNC_FIFOFULL = 2;

/** CURSOR_ON values. */
export const CURSOR_HIDE = 0;
export const CURSOR_SHOW = 1;

/** CAPABILITIES bits. */
export const Cap = {
  RECT_FILL: 0x00000001,
  RECT_COPY: 0x00000002,
  CURSOR: 0x00000020,
  CURSOR_BYPASS: 0x00000040,
  CURSOR_BYPASS_2: 0x00000080,
  EIGHTBIT_EMULATION: 0x00000100,
  ALPHA_CURSOR: 0x00000200,
  THREE_D: 0x00004000,
  EXTENDED_FIFO: 0x00008000,
  MULTIMON: 0x00010000,
  PITCHLOCK: 0x00020000,
  IRQMASK: 0x00040000,
  DISPLAY_TOPOLOGY: 0x00080000,
  GMR: 0x00100000,
  TRACES: 0x00200000,
  GMR2: 0x00400000,
  SCREEN_OBJECT_2: 0x00800000,
  CAP2_REGISTER: 0x80000000,
} as const;

/** FIFO register words (byte offset = word * 4). The command ring starts at MIN, after them. */
export const Fifo = {
  MIN: 0, MAX: 1, NEXT_CMD: 2, STOP: 3, CAPABILITIES: 4, FLAGS: 5, FENCE: 6, HWVERSION_3D: 7,
  PITCHLOCK: 8, CURSOR_ON: 9, CURSOR_X: 10, CURSOR_Y: 11, CURSOR_COUNT: 12, CURSOR_LAST_UPDATED: 13,
  RESERVED: 14, CURSOR_SCREEN_ID: 15, FENCE_GOAL: 289, BUSY: 290,
  /** Number of register words; drivers that know the extended FIFO put MIN at or past this. */
  NUM_REGS: 291,
} as const;

/** FIFO CAPABILITIES bits (word 4). */
export const FifoCap = {
  FENCE: 0x001,
  ACCELFRONT: 0x002,
  PITCHLOCK: 0x004,
  VIDEO: 0x008,
  CURSOR_BYPASS_3: 0x010,
  ESCAPE: 0x020,
  RESERVE: 0x040,
  SCREEN_OBJECT: 0x080,
  GMR2: 0x100,
  SCREEN_OBJECT_2: 0x200,
} as const;

/** IRQ status / IRQMASK bits. */
export const Irq = {
  ANY_FENCE: 0x01,
  FIFO_PROGRESS: 0x02,
  FENCE_GOAL: 0x04,
  COMMAND_BUFFER: 0x08,
  ERROR: 0x10,
} as const;

/** FIFO command ids. */
export const Cmd = {
  INVALID_CMD: 0,
  UPDATE: 1,
  RECT_FILL: 2,
  RECT_COPY: 3,
  DEFINE_CURSOR: 19,
  DEFINE_ALPHA_CURSOR: 22,
  UPDATE_VERBOSE: 25,
  FENCE: 30,
  ESCAPE: 33,
  DEFINE_SCREEN: 34,
  DESTROY_SCREEN: 35,
  DEFINE_GMRFB: 36,
  BLIT_GMRFB_TO_SCREEN: 37,
  BLIT_SCREEN_TO_GMRFB: 38,
  ANNOTATION_FILL: 39,
  ANNOTATION_COPY: 40,
  NOP: 45,
} as const;

/** Guest pointer GMR ids with a fixed meaning. */
export const GMR_FRAMEBUFFER = 0xfffffffe;
export const GMR_NULL = 0xffffffff;
/** BLIT_GMRFB_TO_SCREEN destination id meaning "virtual desktop coordinates". */
export const SCREEN_ID_VIRTUAL = 0xffffffff;

/** Screen object flags. */
export const ScreenFlag = {
  MUST_BE_SET: 0x01,
  IS_PRIMARY: 0x02,
  FULLSCREEN_HINT: 0x04,
  DEACTIVATE: 0x08,
  BLANKING: 0x10,
} as const;

/** 32 bpp X8R8G8B8: colour depth 24, masks for red, green, blue. */
export const HOST_BPP = 32;
export const HOST_DEPTH = 24;
export const RED_MASK_32 = 0x00ff0000;
export const GREEN_MASK_32 = 0x0000ff00;
export const BLUE_MASK_32 = 0x000000ff;

const REGISTER_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Reg).map(([k, v]) => [v, k]));
const COMMAND_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Cmd).map(([k, v]) => [v, k]));

/** A readable register name for traces ("WIDTH", "PALETTE[3]", "SCRATCH[0]", "REG_60"). */
export function registerName(index: number): string {
  if (REGISTER_NAMES[index] !== undefined) return REGISTER_NAMES[index];
  if (index >= PALETTE_BASE && index < PALETTE_BASE + PALETTE_WORDS) return `PALETTE[${index - PALETTE_BASE}]`;
  if (index >= SCRATCH_BASE) return `SCRATCH[${index - SCRATCH_BASE}]`;
  return `REG_${index}`;
}

export function commandName(id: number): string {
  return COMMAND_NAMES[id] ?? `CMD_${id}`;
}
