/* Data and functions that exist to be inspected in the debugger: recursion, nested structs, parameters, a spin. */
#ifndef MULTIBOOT_C_DEMO_H
#define MULTIBOOT_C_DEMO_H

#include <stdint.h>

struct point {
	int32_t x;
	int32_t y;
};

struct shape {
	char name[12];
	struct point origin;
	struct point corners[3];
	uint8_t flags;
	uint16_t color;
	const struct point *anchor;
};

extern struct shape g_triangle;
extern uint32_t g_counter;
extern uint32_t g_sum;
/* The debugger writes a nonzero value here to let spin() return. */
extern volatile uint32_t spin_release;

uint32_t fact(uint32_t n);
int32_t shape_area2(const struct shape *s);
int32_t local_shape_area2(void);
void count_up(uint32_t rounds);
int32_t mix(int32_t a, uint8_t b, uint16_t c, uint32_t d, const char *tag, struct point p);
void spin(void);

#endif
