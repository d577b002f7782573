/*
 * satmath.h - byte arithmetic that never wraps.
 *
 * Engine layer, header only.  Sizes read from files and settings multiply
 * into byte counts: 256 layers x 4096 KV heads x 4096 dims x 4 bytes x
 * 2^32 cells is 2^76 bytes, and plain uint64_t arithmetic would wrap it to
 * 0 and print "KV cache 0 bytes".  Every product and sum of sizes in the
 * engine goes through sat_mul() and sat_add(): they saturate at UINT64_MAX,
 * so a result is never smaller than the true value.  estimate_check()
 * refuses any estimate with a part or a total above BYTES_LIMIT, so the
 * numbers the program shows stay far below 2^63: device sums (64 devices x
 * 2^56 = 2^62) and int64_t headroom cannot overflow either.  Loaders that
 * want a failure instead of a saturated value use mul_checked().
 */
#ifndef VRAMCALC_SATMATH_H
#define VRAMCALC_SATMATH_H

#include <stdbool.h>
#include <stdint.h>

/* The largest byte count the program reports: 2^56 bytes (64 PiB), about
 * a hundred thousand times the largest model of 2026 at full precision. */
#define BYTES_LIMIT      (1ull << 56)
#define BYTES_LIMIT_TEXT "72057594037927936 bytes (64 PiB)"

/* a x b, or UINT64_MAX when the product does not fit. */
static inline uint64_t sat_mul(uint64_t a, uint64_t b)
{
	uint64_t r;
	return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

/* a + b, or UINT64_MAX when the sum does not fit. */
static inline uint64_t sat_add(uint64_t a, uint64_t b)
{
	uint64_t r;
	return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

/* a x b x c, saturating. */
static inline uint64_t sat_mul3(uint64_t a, uint64_t b, uint64_t c)
{
	return sat_mul(sat_mul(a, b), c);
}

/* *out = a x b; false (and *out untouched) when it does not fit. */
static inline bool mul_checked(uint64_t a, uint64_t b, uint64_t *out)
{
	uint64_t r;
	if (__builtin_mul_overflow(a, b, &r))
		return false;
	*out = r;
	return true;
}

/* A byte count as a signed headroom term: values past INT64_MAX clamp. */
static inline int64_t bytes_to_i64(uint64_t v)
{
	return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

#endif
