/*
 * sort.h - sorting with a context pointer (C11's qsort has none), so that
 * comparators need no file-scope state.
 *
 * State layer.  A stable insertion sort: the lists it sorts (models,
 * devices, quantizations, the hardware list) are short.
 */
#ifndef VRAMCALC_SORT_H
#define VRAMCALC_SORT_H

#include <stddef.h>

/* Elements of at most this many bytes. */
#define SORT_ELEM_MAX 256

/* Compare a and b (pointers to elements) with ctx: < 0, 0 or > 0. */
typedef int (*sort_cmp_fn)(const void *a, const void *b, void *ctx);

/* Sort n elements of size bytes at base by cmp, stably.  size must be at
 * most SORT_ELEM_MAX.  Allocates nothing. */
void sort_with(void *base, size_t n, size_t size, sort_cmp_fn cmp, void *ctx);

#endif
