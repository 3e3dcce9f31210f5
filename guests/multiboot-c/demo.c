/* Debugger demonstrations: a recursive function, nested struct locals and globals, a many-parameter call, a spin loop. */
#include "demo.h"
#include "text.h"

static const struct point g_anchor = { -7, 9 };

struct shape g_triangle = {
	.name = "triangle",
	.origin = { 1, 2 },
	.corners = { { 0, 0 }, { 4, 0 }, { 0, 3 } },
	.flags = 0x5,
	.color = 0x1234,
	.anchor = &g_anchor,
};

uint32_t g_counter;
uint32_t g_sum;
volatile uint32_t spin_release;

uint32_t fact(uint32_t n)
{
	if (n <= 1)
		return 1;
	return n * fact(n - 1);
}

/* Twice the triangle's area (cross product of two edges), so the result stays an integer. */
int32_t shape_area2(const struct shape *s)
{
	const struct point *c = s->corners;
	int32_t cross = (c[1].x - c[0].x) * (c[2].y - c[0].y) - (c[2].x - c[0].x) * (c[1].y - c[0].y);
	return cross < 0 ? -cross : cross;
}

/* A struct local that starts as a copy of the global and then diverges from it. */
int32_t local_shape_area2(void)
{
	struct shape local = g_triangle;
	local.origin.x += 10;
	local.corners[1].x = 8;
	memcpy(local.name, "wide", 5);
	return shape_area2(&local);
}

void count_up(uint32_t rounds)
{
	for (uint32_t i = 0; i < rounds; i++) {
		g_counter++;
		g_sum += i;
		g_triangle.origin.x = (int32_t)i;
	}
}

int32_t mix(int32_t a, uint8_t b, uint16_t c, uint32_t d, const char *tag, struct point p)
{
	int32_t total = a;
	total += (int32_t)b * 2;
	total += (int32_t)c * 3;
	total += (int32_t)(d * 4);
	total += (int32_t)strlen(tag);
	total += p.x * p.y;
	return total;
}

void spin(void)
{
	while (spin_release == 0) {
	}
}
