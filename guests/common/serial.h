/* Polled COM1 driver used by the C guests. */
#ifndef GUESTS_SERIAL_H
#define GUESTS_SERIAL_H

#include <stdint.h>

void serial_init(void);
void serial_putc(char c);
void serial_puts(const char *s);
void serial_put_uint(uint32_t value);
void serial_put_int(int32_t value);
void serial_put_hex(uint32_t value);

#endif
