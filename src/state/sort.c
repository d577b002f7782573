/*
 * sort.c - a stable insertion sort with a context pointer (sort.h).
 */
#include "sort.h"

#include <assert.h>
#include <string.h>

void sort_with(void *base, size_t n, size_t size, sort_cmp_fn cmp, void *ctx)
{
	assert(size > 0 && size <= SORT_ELEM_MAX);
	unsigned char *v = base, tmp[SORT_ELEM_MAX];
	for (size_t i = 1; i < n; i++) {
		size_t j = i;
		memcpy(tmp, v + i * size, size);
		while (j > 0 && cmp(v + (j - 1) * size, tmp, ctx) > 0) {
			memcpy(v + j * size, v + (j - 1) * size, size);
			j--;
		}
		if (j != i)
			memcpy(v + j * size, tmp, size);
	}
}
