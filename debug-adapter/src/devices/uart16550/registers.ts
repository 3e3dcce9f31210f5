// Register offsets and bit names of the 16550A UART (National Semiconductor PC16550D data sheet naming).

/** Register offsets from the UART's base port. Offsets 0 and 1 change meaning when LCR.DLAB is set. */
export const REG_RBR = 0; // receiver buffer (read, DLAB=0)
export const REG_THR = 0; // transmitter holding (write, DLAB=0)
export const REG_DLL = 0; // divisor latch low (DLAB=1)
export const REG_IER = 1; // interrupt enable (DLAB=0)
export const REG_DLM = 1; // divisor latch high (DLAB=1)
export const REG_IIR = 2; // interrupt identification (read)
export const REG_FCR = 2; // FIFO control (write)
export const REG_LCR = 3; // line control
export const REG_MCR = 4; // modem control
export const REG_LSR = 5; // line status
export const REG_MSR = 6; // modem status
export const REG_SCR = 7; // scratch
export const UART_REGISTER_COUNT = 8;

/** IER: which conditions may interrupt. */
export const IER_RX_DATA = 0x01;
export const IER_THR_EMPTY = 0x02;
export const IER_LINE_STATUS = 0x04;
export const IER_MODEM_STATUS = 0x08;
export const IER_WRITABLE = 0x0f;

/** IIR: bit 0 clear means an interrupt is pending; bits 1..3 identify the highest-priority one. */
export const IIR_NONE = 0x01;
export const IIR_LINE_STATUS = 0x06;
export const IIR_RX_DATA = 0x04;
export const IIR_CHAR_TIMEOUT = 0x0c;
export const IIR_THR_EMPTY = 0x02;
export const IIR_MODEM_STATUS = 0x00;
/** Both bits set when the FIFOs are enabled: how drivers tell a 16550A from an 8250/16450. */
export const IIR_FIFOS_ENABLED = 0xc0;

/** FCR (write-only). The other bits only take effect when FCR_ENABLE is written as 1 in the same write. */
export const FCR_ENABLE = 0x01;
export const FCR_CLEAR_RX = 0x02;
export const FCR_CLEAR_TX = 0x04;
export const FCR_DMA_MODE = 0x08;
export const FCR_TRIGGER_SHIFT = 6;
/** Receive FIFO interrupt trigger levels selected by FCR bits 7:6. */
export const RX_TRIGGER_LEVELS: readonly number[] = [1, 4, 8, 14];
export const RX_FIFO_SIZE = 16;

/** LCR: bit 7 maps the divisor latch over offsets 0 and 1. Word length, parity and stop bits are stored only. */
export const LCR_DLAB = 0x80;

/** MCR outputs. On PC boards OUT2 enables the UART's interrupt onto the ISA IRQ line. */
export const MCR_DTR = 0x01;
export const MCR_RTS = 0x02;
export const MCR_OUT1 = 0x04;
export const MCR_OUT2 = 0x08;
export const MCR_LOOP = 0x10;
export const MCR_WRITABLE = 0x1f;

/** LSR bits. */
export const LSR_DATA_READY = 0x01;
export const LSR_OVERRUN = 0x02;
export const LSR_PARITY_ERROR = 0x04;
export const LSR_FRAMING_ERROR = 0x08;
export const LSR_BREAK = 0x10;
export const LSR_THR_EMPTY = 0x20;
export const LSR_TX_EMPTY = 0x40;
export const LSR_RX_FIFO_ERROR = 0x80;
/** Conditions that raise the receiver line status interrupt and are cleared by reading LSR. */
export const LSR_ERROR_BITS = LSR_OVERRUN | LSR_PARITY_ERROR | LSR_FRAMING_ERROR | LSR_BREAK;

/** MSR: low nibble = changes since the last MSR read, high nibble = current input lines. */
export const MSR_DELTA_CTS = 0x01;
export const MSR_DELTA_DSR = 0x02;
export const MSR_TRAILING_RI = 0x04;
export const MSR_DELTA_DCD = 0x08;
export const MSR_CTS = 0x10;
export const MSR_DSR = 0x20;
export const MSR_RI = 0x40;
export const MSR_DCD = 0x80;
export const MSR_DELTA_MASK = 0x0f;

/** Divisor for 9600 baud from the PC's 1.8432 MHz UART clock; the latch value after power-on is otherwise undefined. */
export const DEFAULT_DIVISOR = 12;
