/*
 * json.c - untrusted JSON text to a cJSON tree, within limits.
 *
 * The checks run over the raw bytes before cJSON sees them, in one pass
 * each: NUL bytes, UTF-8, then nesting depth and an upper bound on the
 * number of values (every value but the first follows a ',', '[' or '{'
 * outside a string).  cJSON then parses text that is known to be small
 * enough, shallow enough and valid UTF-8.
 */
#include "json.h"

#include "profile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool json_read_file(const char *path, size_t max_bytes, char **text, size_t *len, char *err,
                    size_t errlen)
{
	*text = NULL;
	*len = 0;
	/* O_NONBLOCK: a FIFO must not block the open; it is refused below. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return false;
	}
	if ((uint64_t)st.st_size > max_bytes) {
		snprintf(err, errlen, "%s: %lld bytes, larger than the %zu bytes allowed", path,
		         (long long)st.st_size, max_bytes);
		close(fd);
		return false;
	}
	size_t size = (size_t)st.st_size, got = 0;
	char *buf = malloc(size + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return false;
	}
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return false;
		}
		if (n == 0)
			break; /* the file shrank: parse what is there */
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*text = buf;
	*len = got;
	return true;
}

size_t json_utf8_check(const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		unsigned lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
		if (c >= 0xc2 && c <= 0xdf)
			n = 2;
		else if (c >= 0xe0 && c <= 0xef) {
			n = 3;
			if (c == 0xe0)
				lo = 0xa0; /* overlong */
			else if (c == 0xed)
				hi = 0x9f; /* surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 4;
			if (c == 0xf0)
				lo = 0x90; /* overlong */
			else if (c == 0xf4)
				hi = 0x8f; /* past U+10FFFF */
		} else {
			return i;
		}
		if (len - i < n || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k < n; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return i;
		i += n;
	}
	return len;
}

/* 1-based line and column (in bytes) of offset off. */
static void line_col(const char *text, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	size_t start = 0;
	for (size_t i = 0; i < off; i++)
		if (text[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	*col = off - start + 1;
}

/* Depth and value-count limits over the raw text. */
static bool scan(const char *text, size_t len, const char *name, size_t max_values, char *err,
                 size_t errlen)
{
	size_t depth = 0, values = 1, line, col;
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
			continue;
		}
		switch (c) {
		case '"':
			in_string = true;
			break;
		case '[':
		case '{':
			if (++depth > JSON_MAX_DEPTH) {
				line_col(text, i, &line, &col);
				snprintf(
				    err, errlen,
				    "%s: JSON nested deeper than %d levels at line %zu, column "
				    "%zu",
				    name, JSON_MAX_DEPTH, line, col);
				return false;
			}
			values++;
			break;
		case ']':
		case '}':
			if (depth)
				depth--;
			break;
		case ',':
			values++;
			break;
		default:
			break;
		}
		if (values > max_values + 1) {
			snprintf(err, errlen,
			         "%s: more than %zu JSON values, too many to be what it claims",
			         name, max_values);
			return false;
		}
	}
	return true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

cJSON *json_parse(const char *text, size_t len, const char *name, size_t max_values, char *err,
                  size_t errlen)
{
	size_t line, col;
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		snprintf(err, errlen, "%s: a NUL byte at offset %zu, not JSON text", name,
		         (size_t)(nul - text));
		return NULL;
	}
	size_t bad = json_utf8_check(text, len);
	if (bad < len) {
		line_col(text, bad, &line, &col);
		snprintf(err, errlen, "%s: not valid UTF-8 at byte %zu (line %zu, column %zu)",
		         name, bad, line, col);
		return NULL;
	}
	size_t first = 0;
	while (first < len && is_space(text[first]))
		first++;
	if (first == len) {
		snprintf(err, errlen, "%s: empty, no JSON value", name);
		return NULL;
	}
	if (!scan(text, len, name, max_values, err, errlen))
		return NULL;
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!root) {
		size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
		line_col(text, off, &line, &col);
		snprintf(err, errlen, "%s: not valid JSON at line %zu, column %zu", name, line,
		         col);
		return NULL;
	}
	size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : len;
	while (off < len && is_space(text[off]))
		off++;
	if (off < len) {
		line_col(text, off, &line, &col);
		snprintf(err, errlen,
		         "%s: unexpected text after the JSON value at line %zu, column %zu", name,
		         line, col);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

const char *json_type_name(const cJSON *item)
{
	if (cJSON_IsString(item))
		return "a string";
	if (cJSON_IsNumber(item))
		return "a number";
	if (cJSON_IsTrue(item))
		return "true";
	if (cJSON_IsFalse(item))
		return "false";
	if (cJSON_IsNull(item))
		return "null";
	if (cJSON_IsArray(item))
		return "an array";
	if (cJSON_IsObject(item))
		return "an object";
	return "an invalid value";
}

void json_show(char *dst, size_t n, const char *s)
{
	if (!n)
		return;
	size_t len = s ? strlen(s) : 0, keep = len;
	bool cut = len + 1 > n;
	if (cut) {
		/* room for "..." and the NUL; never split a UTF-8 sequence */
		keep = n >= 4 ? n - 4 : 0;
		while (keep && ((unsigned char)s[keep] & 0xc0) == 0x80)
			keep--;
	}
	for (size_t i = 0; i < keep; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[i] = (c < 0x20 || c == 0x7f || c == '"' || c == '\'') ? '?' : (char)c;
	}
	if (cut && n >= 4) {
		memcpy(dst + keep, "...", 3);
		keep += 3;
	}
	dst[keep] = '\0';
}

/* One object key seen by json_warn_duplicate_keys: its raw bytes between
 * the quotes and its line. */
struct jkey {
	const char *s;
	size_t len, line;
};

static int by_key(const void *a, const void *b)
{
	const struct jkey *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);
	if (!c)
		c = (x->len > y->len) - (x->len < y->len);
	if (!c)
		c = (x->line > y->line) - (x->line < y->line);
	return c;
}

/* Sort the keys of one object and warn about each repeated one. */
static size_t warn_object(struct jkey *k, size_t n, const char *name, struct profile_warnings *w)
{
	if (n < 2)
		return 0;
	qsort(k, n, sizeof(*k), by_key);
	size_t found = 0, first = 0;
	for (size_t i = 1; i < n; i++) {
		if (k[i].len != k[first].len || memcmp(k[i].s, k[first].s, k[i].len)) {
			first = i;
			continue;
		}
		char key[64], raw[64];
		snprintf(raw, sizeof(raw), "%.*s", (int)(k[i].len < 63 ? k[i].len : 63), k[i].s);
		json_show(key, sizeof(key), raw);
		profile_warn(
		    w, "%s:%zu: \"%s\" given again (first at line %zu); the first one is used",
		    name, k[i].line, key, k[first].line);
		found++;
	}
	return found;
}

size_t json_warn_duplicate_keys(const char *text, size_t len, const char *name,
                                struct profile_warnings *w)
{
	/* Per open container: is it an object, is a key expected next, and
	 * where its keys start in `keys`. */
	struct {
		bool object, want_key;
		size_t first;
	} stack[JSON_MAX_DEPTH + 2];
	size_t depth = 0, line = 1, found = 0, n = 0, cap = 0;
	struct jkey *keys = NULL;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == '\n') {
			line++;
		} else if (c == '"') {
			size_t start = i + 1, at = line;
			for (i++; i < len && text[i] != '"'; i++)
				if (text[i] == '\\')
					i++;
			if (depth && stack[depth - 1].object && stack[depth - 1].want_key) {
				stack[depth - 1].want_key = false;
				if (n == cap) {
					size_t nc = cap ? cap * 2 : 64;
					struct jkey *nk = realloc(keys, nc * sizeof(*nk));
					if (!nk)
						break;
					keys = nk;
					cap = nc;
				}
				keys[n++] = (struct jkey){text + start, i - start, at};
			}
		} else if ((c == '{' || c == '[') && depth < JSON_MAX_DEPTH + 2) {
			stack[depth].object = c == '{';
			stack[depth].want_key = c == '{';
			stack[depth].first = n;
			depth++;
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
			if (stack[depth].object && n > stack[depth].first) {
				found += warn_object(keys + stack[depth].first,
				                     n - stack[depth].first, name, w);
				n = stack[depth].first;
			}
		} else if (c == ',' && depth && stack[depth - 1].object) {
			stack[depth - 1].want_key = true;
		}
	}
	free(keys);
	return found;
}
