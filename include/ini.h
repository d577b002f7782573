/*
 * ini.h - a linear-time INI reader with line numbers.
 *
 * Data layer.  iniparser 4.1 (which read profiles before) looks every key
 * up by a linear scan while loading, so a file of n keys costs n^2 (a 3 MB
 * session file took 11 s), and it keeps neither line numbers nor duplicate
 * keys.  This reader splits a text into (section, key, value, line)
 * entries in one pass with the grammar iniparser reads: "[section]",
 * "key = value", "key = \"quoted value\"" or 'single quoted', unquoted
 * values end at ';' or '#', lines starting with ';' or '#' are comments,
 * sections and keys are lowercased, a trailing backslash continues a
 * line.  Session files, model profiles and hardware.ini are all loaded
 * with it, so every message about a value can name its file and line.  A
 * sorted index makes each lookup O(log n).
 */
#ifndef VRAMCALC_INI_H
#define VRAMCALC_INI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

/* Keys one INI file may hold (hardware.ini ships ~1200): past this the
 * file is refused. */
#define INI_MAX_ENTRIES 16384

/* One "key = value" of a file.  The strings point into the owning
 * ini_doc's buffer. */
struct ini_entry {
	const char *section; /* lowercased; "" before the first [section] */
	const char *key;     /* lowercased */
	const char *value;   /* quotes removed, trimmed */
	uint32_t line;       /* 1-based line of the key */
};

/* A parsed file: entries in file order, and the [section] headers (their
 * key and value NULL).  Owns its memory; free with ini_doc_free. */
struct ini_doc {
	char *buf;
	struct ini_entry *v;
	size_t n;
	struct ini_entry *sections;
	size_t n_sections;
	const struct ini_entry **sorted; /* v by section, key, then line */
};

/* Parse len bytes of text (need not be NUL-terminated); name labels
 * messages.  On failure writes "<name>:<line>: <problem>" into err and
 * returns false with *out empty. */
bool ini_parse(const char *text, size_t len, const char *name, struct ini_doc *out, char *err,
               size_t errlen);

/* Read the file at path (a regular file of at most max_bytes) and parse it. */
bool ini_load(const char *path, size_t max_bytes, struct ini_doc *out, char *err, size_t errlen);

void ini_doc_free(struct ini_doc *d);

/* The entry for section/key (lowercase), or NULL.  With duplicates, the
 * last one (iniparser's rule). */
const struct ini_entry *ini_doc_find(const struct ini_doc *d, const char *section, const char *key);

/* The value of section/key, or NULL when it is absent or empty; its entry
 * (for the line) into *at when at is not NULL. */
const char *ini_doc_get(const struct ini_doc *d, const char *section, const char *key,
                        const struct ini_entry **at);

/* The entries of one section (merged over repeated headers), sorted by
 * key then line: *count of them from the returned array (NULL if none). */
const struct ini_entry *const *ini_doc_section(const struct ini_doc *d, const char *section,
                                               size_t *count);

/* Warn, naming the file and both lines, about every key given twice in
 * one section ("the last one is used") and every section header given
 * twice.  Sorting makes it O(n log n).  Returns the number found. */
size_t ini_doc_warn_duplicates(const struct ini_doc *d, const char *name,
                               struct profile_warnings *w);

#endif
