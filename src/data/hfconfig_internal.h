/*
 * hfconfig_internal.h - the one reader of config keys that the mapping's
 * files share (hfconfig.c, hfconfig_attn.c, hfconfig_hybrid.c): values
 * over a config_source, whole numbers, booleans and number lists, and the
 * one message a bad key gets: "<where> <key>: <problem>: '<value>'", where
 * <where> is hfconfig_where's file and line.
 *
 * Only src/data/hfconfig*.c include this.
 */
#ifndef VRAMCALC_HFCONFIG_INTERNAL_H
#define VRAMCALC_HFCONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hfconfig.h"

/* Large enough for layer_types of ARCH_MAX_LAYERS entries of up to 31
 * bytes each, commas included. */
#define HFCONFIG_VALUE_BYTES 12288

/* A pass over one config_source: the first failure's message goes to err
 * and clears ok; later failures are ignored, so a reader runs on and
 * returns defaults after one.  buf holds the value last read (every read
 * reuses it: copy a value before reading the next). */
struct hfconfig_reader {
	const struct config_source *src;
	char *err; /* caller's, errlen bytes */
	size_t errlen;
	bool ok;
	char buf[HFCONFIG_VALUE_BYTES];
};

/* Start a pass over src writing any message into err. */
void hfconfig_reader_start(struct hfconfig_reader *r, const struct config_source *src, char *err,
                           size_t errlen);

/* key's value as text in r->buf, or NULL when absent, empty, null or
 * none. */
const char *hfconfig_read_value(struct hfconfig_reader *r, const char *key);

/* Record the failure "<where> <key>: <what>: '<value>'" (without the value
 * part when value is NULL or empty), unless one is recorded already. */
void hfconfig_fail(struct hfconfig_reader *r, const char *key, const char *what, const char *value);

/* A whole number in 0..max: def when absent (a failure when required),
 * "not a whole number" or "larger than <max>" otherwise. */
uint32_t hfconfig_read_u32(struct hfconfig_reader *r, const char *key, bool required, uint32_t def,
                           uint32_t max);

/* true/yes/1 or false/no/0; def when absent. */
bool hfconfig_read_bool(struct hfconfig_reader *r, const char *key, bool def);

/* A required comma-separated list of whole numbers in 0..max: at most cap
 * of them into out; returns the count, or 0 after a failure. */
uint32_t hfconfig_read_u32_list(struct hfconfig_reader *r, const char *key, uint32_t max,
                                uint32_t *out, uint32_t cap);

#endif
