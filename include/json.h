/*
 * json.h - read untrusted JSON files (config.json, safetensors headers and
 * index files) into cJSON trees within fixed limits.
 *
 * Data layer.  cJSON parses whatever it is given; this wrapper checks the
 * text first so that a hostile file is refused with one readable line
 * before cJSON allocates anything: the size is capped by the caller, the
 * bytes must be valid UTF-8 without NUL, nesting is limited to
 * JSON_MAX_DEPTH (far below cJSON's own CJSON_NESTING_LIMIT, so its
 * recursion stays shallow) and the number of values (and so of cJSON
 * nodes, 64 bytes each) is capped by the caller.  Parse errors name the
 * line and column.
 */
#ifndef VRAMCALC_JSON_H
#define VRAMCALC_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define JSON_MAX_DEPTH 64 /* arrays and objects inside each other */

/* Read the whole file at path into a NUL-terminated malloc'd buffer
 * (*text, length *len; caller frees).  Refuses anything that is not a
 * regular file or is larger than max_bytes.  On failure writes
 * "<path>: <problem>" into err and returns false (*text is NULL). */
bool json_read_file(const char *path, size_t max_bytes, char **text, size_t *len, char *err,
                    size_t errlen);

/* Check and parse len bytes of JSON at text (need not be NUL-terminated).
 * name labels messages.  At most max_values values (objects, arrays,
 * strings, numbers, literals) are allowed.  Trailing whitespace is
 * accepted, anything else after the value is not.  Returns the tree (free
 * with cJSON_Delete) or NULL with "<name>: <problem>" in err. */
cJSON *json_parse(const char *text, size_t len, const char *name, size_t max_values, char *err,
                  size_t errlen);

struct profile_warnings;

/* Warn (profile_warn) about every key given twice in one object of the
 * JSON text, naming both lines: "<name>:9: \"num_hidden_layers\" given
 * again (first at line 4); the first one is used" (cJSON and so the
 * importers read the first).  The text must have passed json_parse().
 * O(n log n); returns the number found. */
size_t json_warn_duplicate_keys(const char *text, size_t len, const char *name,
                                struct profile_warnings *w);

/* Offset of the first byte that breaks UTF-8 in buf (overlong forms,
 * surrogates and code points past U+10FFFF included), or len when the
 * whole buffer is valid. */
size_t json_utf8_check(const char *buf, size_t len);

/* Name of a cJSON item's type for messages: "a string", "a number",
 * "true", "an object", ... */
const char *json_type_name(const cJSON *item);

/* Copy a string for display: control characters and quotes become '?',
 * cut (with "...") to fit n bytes without splitting a UTF-8 sequence. */
void json_show(char *dst, size_t n, const char *s);

#endif
