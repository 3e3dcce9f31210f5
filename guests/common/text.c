/* Freestanding string helpers; gcc emits calls to memcpy/memset for struct copies even with -ffreestanding. */
#include "text.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d < s) {
		while (n-- > 0)
			*d++ = *s++;
	} else {
		while (n-- > 0)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int value, size_t n)
{
	unsigned char *d = dst;
	while (n-- > 0)
		*d++ = (unsigned char)value;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a;
	const unsigned char *y = b;
	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n] != '\0')
		n++;
	return n;
}

int has_word(const char *text, const char *word)
{
	size_t len = strlen(word);
	const char *p = text;
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		const char *start = p;
		while (*p != '\0' && *p != ' ')
			p++;
		if ((size_t)(p - start) == len && memcmp(start, word, len) == 0)
			return 1;
	}
	return 0;
}
