/*
 * json_out.h - adding exact integers and safe strings to cJSON output.
 *
 * CLI layer.  cJSON keeps numbers as doubles, which hold integers exactly
 * only up to 2^53: a byte count of 75576033398489088 came out as
 * 75576033398489100, and large ones in exponent notation.  Every byte
 * count, parameter count and token count goes into JSON through
 * json_add_u64() / json_add_i64(), which write the decimal integer as a
 * raw cJSON item.  Every string that comes from a file, a path or the
 * command line goes through json_add_text(), which escapes control
 * characters and invalid UTF-8 (text.h) so that the document stays valid
 * UTF-8 JSON.
 */
#ifndef VRAMCALC_JSON_OUT_H
#define VRAMCALC_JSON_OUT_H

#include <cjson/cJSON.h>
#include <stdint.h>

/* Add name: v as an exact decimal integer; returns the item (NULL when out
 * of memory). */
cJSON *json_add_u64(cJSON *o, const char *name, uint64_t v);
cJSON *json_add_i64(cJSON *o, const char *name, int64_t v);

/* Add name: s (NULL: "") escaped for display. */
cJSON *json_add_text(cJSON *o, const char *name, const char *s);

#endif
