/* SVGA II register, FIFO and command numbers the drawing guest uses (the device's public programming interface). */
#ifndef GUESTS_SVGA_H
#define GUESTS_SVGA_H

/* PCI identity and configuration mechanism #1. */
#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_CONFIG_ENABLE 0x80000000u
#define PCI_DEVICES_PER_BUS 32
#define PCI_REG_ID 0x00
#define PCI_REG_COMMAND 0x04
#define PCI_REG_BAR0 0x10
#define PCI_REG_BAR1 0x14
#define PCI_REG_BAR2 0x18
#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MEMORY 0x2
#define PCI_BAR_IO_MASK 0xfffffffcu
#define PCI_BAR_MEM_MASK 0xfffffff0u
#define SVGA_PCI_ID 0x040515adu /* device 0x0405 << 16 | vendor 0x15ad */

/* Port offsets inside BAR0. */
#define SVGA_INDEX_PORT 0
#define SVGA_VALUE_PORT 1
#define SVGA_IRQSTATUS_PORT 8

/* Version negotiation. */
#define SVGA_ID_2 0x90000002u

/* Register indices. */
#define SVGA_REG_ID 0
#define SVGA_REG_ENABLE 1
#define SVGA_REG_WIDTH 2
#define SVGA_REG_HEIGHT 3
#define SVGA_REG_BYTES_PER_LINE 12
#define SVGA_REG_FB_START 13
#define SVGA_REG_FB_OFFSET 14
#define SVGA_REG_VRAM_SIZE 15
#define SVGA_REG_CAPABILITIES 17
#define SVGA_REG_MEM_SIZE 19
#define SVGA_REG_CONFIG_DONE 20
#define SVGA_REG_SYNC 21
#define SVGA_REG_BUSY 22
#define SVGA_REG_MEM_REGS 30
#define SVGA_REG_IRQMASK 33

#define SVGA_ENABLE_ON 1
#define SVGA_SYNC_GENERIC 1
#define SVGA_CAP_RECT_FILL 0x1
#define SVGA_CAP_RECT_COPY 0x2
#define SVGA_CAP_EXTENDED_FIFO 0x8000
#define SVGA_CAP_IRQMASK 0x40000
#define SVGA_IRQFLAG_ANY_FENCE 0x1

/* FIFO register words (BAR2). */
#define SVGA_FIFO_MIN 0
#define SVGA_FIFO_MAX 1
#define SVGA_FIFO_NEXT_CMD 2
#define SVGA_FIFO_STOP 3
#define SVGA_FIFO_BUSY 290
/* Drivers round the register area up to a page, so the ring starts page-aligned. */
#define SVGA_FIFO_ALIGN 4096

/* FIFO commands and their argument counts. */
#define SVGA_CMD_UPDATE 1
#define SVGA_CMD_RECT_FILL 2
#define SVGA_CMD_RECT_COPY 3
#define SVGA_CMD_FENCE 30

/* 8259 pieces for watching a PCI line without taking the interrupt: the slave's IRR and its trigger mode. */
#define PIC2_ELCR 0x4d1
#define PIC_OCW3_READ_IRR 0x0a

#endif
