/* The few string helpers the C guests need, and the mem* functions the compiler may call on its own. */
#ifndef GUESTS_TEXT_H
#define GUESTS_TEXT_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int value, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
/* True when text contains word as a whole space-separated word. */
int has_word(const char *text, const char *word);

#endif
