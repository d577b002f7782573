/*
 * format.h - sizes and counts as people read and type them.
 *
 * State layer helpers shared by the CLI and the TUI: pure functions on
 * caller-provided buffers.  GiB = 2^30 bytes, GB = 10^9 bytes; every printed
 * size says which.
 */
#ifndef VRAMCALC_FORMAT_H
#define VRAMCALC_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GIB 1073741824.0
#define GB  1000000000.0

/* "577.93 GiB" (or MiB below 1 GiB). */
const char *fmt_gib(char *buf, size_t n, double bytes);

/* "620.55 GB" (or MB below 1 GB). */
const char *fmt_gb(char *buf, size_t n, double bytes);

/* "620,550,916,096" */
const char *fmt_thousands(char *buf, size_t n, uint64_t v);

/* Parameter count: "1.03T", "32.9B", "596M". */
const char *fmt_params(char *buf, size_t n, uint64_t params);

/* Token count: "262,144" -> "256K" when a multiple of 1024, else the digits. */
const char *fmt_tokens(char *buf, size_t n, uint64_t tokens);

/* Parse a count with an optional k/K/m/M suffix (binary: 32k = 32768):
 * "32k", "256K", "262144", "1M".  Rejects signs, junk and overflow past
 * max.  Returns false on any problem. */
bool parse_count(const char *s, uint64_t max, uint64_t *out);

/* Parse a size in bytes: a number (decimals allowed) with an optional
 * binary suffix K, M, G or T, optionally followed by "iB" or "B" (256G,
 * 256GiB, 1.5T and 268435456 all read as bytes; a vendor's GB of memory is
 * binary, as in the hardware profiles).  Rejects signs, junk, and sizes
 * past 2^60 bytes.  Returns false on any problem. */
bool parse_byte_size(const char *s, uint64_t *bytes);

/* A size as parse_byte_size reads it back exactly: "256G" when a whole number
 * of GiB, "512M", "64K", else the bytes. */
const char *fmt_byte_size(char *buf, size_t n, uint64_t bytes);

/* A device name without the vendor and brand words narrow rows have no
 * room for: "NVIDIA GeForce RTX 4090" -> "RTX 4090".  Points into d. */
struct device;
const char *fmt_device_short_name(const struct device *d);

#endif
