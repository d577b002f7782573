/*
 * ini.c - a linear-time INI reader with line numbers (see ini.h).
 */
#include "ini.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h" /* json_show: a value made safe for a message */

void ini_doc_free(struct ini_doc *d)
{
	free(d->buf);
	free(d->v);
	free(d->sections);
	free(d->sorted);
	memset(d, 0, sizeof(*d));
}

/* Append e to *v (count *n, capacity *cap); false when out of memory. */
static bool push(struct ini_entry **v, size_t *n, size_t *cap, struct ini_entry e)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct ini_entry *nv = realloc(*v, c * sizeof(*nv));
		if (!nv)
			return false;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = e;
	return true;
}

/* Trim spaces on both sides of [*s, *e). */
static void trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

/* Copy [s, e) into the string area at *o, lowercased when asked; returns
 * the copy. */
static const char *put(char **o, const char *s, const char *e, bool lower)
{
	char *r = *o;
	for (const char *p = s; p < e; p++)
		*(*o)++ = lower ? (char)tolower((unsigned char)*p) : *p;
	*(*o)++ = '\0';
	return r;
}

/* Order by section, key, then line. */
static int by_place(const void *a, const void *b)
{
	const struct ini_entry *x = *(const struct ini_entry *const *)a;
	const struct ini_entry *y = *(const struct ini_entry *const *)b;
	int c = strcmp(x->section, y->section);
	if (!c && x->key && y->key)
		c = strcmp(x->key, y->key);
	if (!c)
		c = (x->line > y->line) - (x->line < y->line);
	return c;
}

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		snprintf(err, errlen, __VA_ARGS__);                                                \
		goto fail;                                                                         \
	} while (0)

bool ini_parse(const char *text, size_t len, const char *name, struct ini_doc *out, char *err,
               size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (memchr(text, '\0', len))
		FAIL("%s: holds a NUL byte: not a text file", name);
	size_t vcap = 0, scap = 0;
	/* Logical lines are gathered in line_buf; strings go to out->buf.
	 * Each physical line of k bytes (newline included) adds at most k + 1
	 * bytes of strings, so 2 len + 2 bytes always suffice. */
	char *line_buf = malloc(len + 1);
	out->buf = malloc(2 * len + 2);
	if (!line_buf || !out->buf) {
		free(line_buf);
		FAIL("%s: out of memory", name);
	}
	char *o = out->buf;
	const char *section = put(&o, "", "", false);
	uint32_t line = 1;
	size_t pos = 0;
	while (pos < len) {
		uint32_t first = line;
		size_t ll = 0;
		for (;;) {
			const char *nl = memchr(text + pos, '\n', len - pos);
			size_t end = nl ? (size_t)(nl - text) : len;
			const char *s = text + pos, *e = text + end;
			pos = nl ? end + 1 : len;
			line++;
			while (e > s && isspace((unsigned char)e[-1]))
				e--;
			bool more = e > s && e[-1] == '\\' && pos < len;
			if (more)
				e--;
			memcpy(line_buf + ll, s, (size_t)(e - s));
			ll += (size_t)(e - s);
			if (!more)
				break;
		}
		line_buf[ll] = '\0';
		const char *s = line_buf, *e = line_buf + ll;
		trim(&s, &e);
		if (s == e || *s == ';' || *s == '#')
			continue;
		char shown[48];
		if (*s == '[') {
			if (e[-1] != ']' || e - s < 2) {
				json_show(shown, sizeof(shown), line_buf);
				free(line_buf);
				FAIL("%s:%u: a section header needs a closing ']': '%s'", name,
				     first, shown);
			}
			const char *ns = s + 1, *ne = e - 1;
			trim(&ns, &ne);
			section = put(&o, ns, ne, true);
			struct ini_entry h = {section, NULL, NULL, first};
			if (!push(&out->sections, &out->n_sections, &scap, h)) {
				free(line_buf);
				FAIL("%s: out of memory", name);
			}
			continue;
		}
		const char *eq = memchr(s, '=', (size_t)(e - s));
		const char *ks = s, *ke = eq ? eq : e;
		trim(&ks, &ke);
		if (!eq || ks == ke) {
			line_buf[ll] = '\0';
			json_show(shown, sizeof(shown), s);
			free(line_buf);
			FAIL("%s:%u: not a [section] or a key = value line: '%s'", name, first,
			     shown);
		}
		const char *vs = eq + 1, *ve = e;
		trim(&vs, &ve);
		const char *close = NULL;
		if (ve > vs && (*vs == '"' || *vs == '\''))
			close = memchr(vs + 1, *vs, (size_t)(ve - vs - 1));
		if (close) {
			vs++;
			ve = close;
		} else {
			for (const char *p = vs; p < ve; p++)
				if (*p == ';' || *p == '#') {
					ve = p;
					break;
				}
			trim(&vs, &ve);
		}
		if (out->n == INI_MAX_ENTRIES) {
			free(line_buf);
			FAIL("%s:%u: more than %d keys: not a vramcalc file", name, first,
			     INI_MAX_ENTRIES);
		}
		struct ini_entry en = {section, NULL, NULL, first};
		en.key = put(&o, ks, ke, true);
		en.value = put(&o, vs, ve, false);
		if (!push(&out->v, &out->n, &vcap, en)) {
			free(line_buf);
			FAIL("%s: out of memory", name);
		}
	}
	free(line_buf);
	out->sorted = malloc((out->n ? out->n : 1) * sizeof(*out->sorted));
	if (!out->sorted)
		FAIL("%s: out of memory", name);
	for (size_t i = 0; i < out->n; i++)
		out->sorted[i] = &out->v[i];
	qsort(out->sorted, out->n, sizeof(*out->sorted), by_place);
	return true;
fail:
	ini_doc_free(out);
	return false;
}

bool ini_load(const char *path, size_t max_bytes, struct ini_doc *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	struct stat st;
	/* O_NONBLOCK: opening a FIFO named as a profile must not hang (it is
	 * then refused as not a regular file) */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		fclose(f);
		return false;
	}
	if ((uint64_t)st.st_size > max_bytes) {
		snprintf(err, errlen, "%s: %lld bytes, more than the %zu a vramcalc file may have",
		         path, (long long)st.st_size, max_bytes);
		fclose(f);
		return false;
	}
	size_t n = (size_t)st.st_size;
	char *text = malloc(n + 1);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		fclose(f);
		return false;
	}
	size_t got = fread(text, 1, n, f);
	fclose(f);
	bool ok = ini_parse(text, got, path, out, err, errlen);
	free(text);
	return ok;
}

/* The first index of sorted whose (section, key) is not below the given
 * one (key NULL: the section's first entry). */
static size_t lower_bound(const struct ini_doc *d, const char *section, const char *key)
{
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ini_entry *e = d->sorted[mid];
		int c = strcmp(e->section, section);
		if (!c && key)
			c = strcmp(e->key, key);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct ini_entry *ini_doc_find(const struct ini_doc *d, const char *section, const char *key)
{
	const struct ini_entry *found = NULL;
	for (size_t i = lower_bound(d, section, key); i < d->n; i++) {
		const struct ini_entry *e = d->sorted[i];
		if (strcmp(e->section, section) || strcmp(e->key, key))
			break;
		found = e; /* sorted by line: the last one wins */
	}
	return found;
}

const char *ini_doc_get(const struct ini_doc *d, const char *section, const char *key,
                        const struct ini_entry **at)
{
	const struct ini_entry *e = ini_doc_find(d, section, key);
	if (at)
		*at = e;
	return e && *e->value ? e->value : NULL;
}

const struct ini_entry *const *ini_doc_section(const struct ini_doc *d, const char *section,
                                               size_t *count)
{
	size_t first = lower_bound(d, section, NULL), last = first;
	while (last < d->n && !strcmp(d->sorted[last]->section, section))
		last++;
	*count = last - first;
	return last > first ? d->sorted + first : NULL;
}

/* Sort n entries by place and warn about each run of equal names. */
static size_t warn_runs(struct ini_entry *v, size_t n, const char *name, struct profile_warnings *w)
{
	if (n < 2)
		return 0;
	const struct ini_entry **idx = malloc(n * sizeof(*idx));
	if (!idx)
		return 0;
	for (size_t i = 0; i < n; i++)
		idx[i] = &v[i];
	qsort(idx, n, sizeof(*idx), by_place);
	size_t found = 0;
	const struct ini_entry *a = idx[0]; /* the first of the current run */
	for (size_t i = 1; i < n; i++) {
		const struct ini_entry *b = idx[i];
		if (strcmp(a->section, b->section) || (a->key && strcmp(a->key, b->key))) {
			a = b;
			continue;
		}
		found++;
		if (a->key)
			profile_warn(w,
			             "%s:%u: [%s] %s: given again (first at line %u); the last one "
			             "is used",
			             name, b->line, a->section, a->key, a->line);
		else
			profile_warn(
			    w,
			    "%s:%u: [%s]: section given again (first at line %u); its keys "
			    "are merged",
			    name, b->line, a->section, a->line);
	}
	free(idx);
	return found;
}

size_t ini_doc_warn_duplicates(const struct ini_doc *d, const char *name,
                               struct profile_warnings *w)
{
	return warn_runs(d->sections, d->n_sections, name, w) + warn_runs(d->v, d->n, name, w);
}
