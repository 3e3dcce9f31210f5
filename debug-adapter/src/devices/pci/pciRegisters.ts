// Offsets and bits of the PCI type-0 configuration header and of configuration mechanism #1 (PCI Local Bus spec 3.0).

/** Conventional configuration space per function; mechanism #1 reaches all of it and nothing beyond. */
export const CONFIG_SPACE_SIZE = 256;
/** The standard header; offsets above it belong to the function (capabilities, device registers). */
export const HEADER_SIZE = 0x40;

export const CFG_VENDOR_ID = 0x00;
export const CFG_DEVICE_ID = 0x02;
export const CFG_COMMAND = 0x04;
export const CFG_STATUS = 0x06;
export const CFG_REVISION = 0x08;
/** Programming interface, subclass and class: the three bytes after the revision. */
export const CFG_CLASS_CODE = 0x09;
export const CFG_CACHE_LINE_SIZE = 0x0c;
export const CFG_LATENCY_TIMER = 0x0d;
export const CFG_HEADER_TYPE = 0x0e;
export const CFG_BAR0 = 0x10;
export const BAR_COUNT = 6;
export const CFG_SUBSYSTEM_VENDOR_ID = 0x2c;
export const CFG_SUBSYSTEM_ID = 0x2e;
export const CFG_INTERRUPT_LINE = 0x3c;
export const CFG_INTERRUPT_PIN = 0x3d;

/** Command register bits the bridge lets software change: decoding of I/O and memory BARs, and DMA mastering. */
export const COMMAND_IO_SPACE = 0x0001;
export const COMMAND_MEMORY_SPACE = 0x0002;
export const COMMAND_BUS_MASTER = 0x0004;
export const COMMAND_WRITABLE = COMMAND_IO_SPACE | COMMAND_MEMORY_SPACE | COMMAND_BUS_MASTER;

export const HEADER_TYPE_NORMAL = 0x00;

/** BAR low bits: bit 0 selects I/O space; memory BARs carry their type and prefetchable flag in bits 3:1. */
export const BAR_IO_SPACE = 0x1;
export const BAR_MEM_PREFETCHABLE = 0x8;
export const BAR_IO_ADDRESS_MASK = 0xfffffffc;
export const BAR_MEM_ADDRESS_MASK = 0xfffffff0;
export const BAR_MIN_IO_SIZE = 4;
export const BAR_MIN_MEM_SIZE = 16;
/** Where a BAR's decoded range must end: the 64 KiB port space, or 4 GiB for 32-bit memory BARs. */
export const IO_SPACE_LIMIT = 0x10000;
export const MEM32_SPACE_LIMIT = 0x100000000;

/** Mechanism #1 CONFIG_ADDRESS (port 0xCF8, 32-bit accesses only). */
export const CONFIG_ADDRESS_ENABLE = 0x80000000;
export const CONFIG_ADDRESS_BUS_SHIFT = 16;
export const CONFIG_ADDRESS_DEVICE_SHIFT = 11;
export const CONFIG_ADDRESS_FUNCTION_SHIFT = 8;
export const CONFIG_ADDRESS_REGISTER_MASK = 0xfc;
/** Bits that hold state: enable, bus, device, function, dword register. Reserved bits 30:24 and 1:0 read as 0. */
export const CONFIG_ADDRESS_WRITABLE = 0x80fffffc;
export const DEVICES_PER_BUS = 32;
export const FUNCTIONS_PER_DEVICE = 8;

/** Offsets within the 8-port window at 0xCF8. */
export const PORT_OFFSET_CONFIG_ADDRESS = 0;
/** The reset control register sits at 0xCF9 and is reached by byte accesses only. */
export const PORT_OFFSET_RESET_CONTROL = 1;
export const PORT_OFFSET_CONFIG_DATA = 4;
export const CONFIG_DATA_WIDTH = 4;

/** Reset control register bits: reset type selection (hard/full) and the reset trigger. */
export const RESET_CONTROL_SYSTEM_RESET = 0x02;
export const RESET_CONTROL_RESET_CPU = 0x04;
export const RESET_CONTROL_FULL_RESET = 0x08;
export const RESET_CONTROL_STORED = RESET_CONTROL_SYSTEM_RESET | RESET_CONTROL_FULL_RESET;

/** What reads of an absent function, a disabled window or an undecoded port return (master abort). */
export const ABSENT_BYTE = 0xff;
