/*
 * hfconfig_read.c - the config-key reader the mapping's files share
 * (hfconfig_internal.h): one way to read a value, a number, a boolean or a
 * number list from a config_source, and one wording for a bad key.
 */
#include "hfconfig_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void hfconfig_reader_start(struct hfconfig_reader *r, const struct config_source *src, char *err,
                           size_t errlen)
{
	r->src = src;
	r->err = err;
	r->errlen = errlen;
	r->ok = true;
	r->buf[0] = '\0';
}

const char *hfconfig_where(const struct config_source *src, const char *key, char *buf,
                           size_t buflen)
{
	return src->locate ? src->locate(src->ctx, key, buf, buflen) : src->where;
}

const char *hfconfig_read_value(struct hfconfig_reader *r, const char *key)
{
	const char *v = r->src->get(r->src->ctx, key, r->buf, sizeof(r->buf));
	if (v && (*v == '\0' || !strcasecmp(v, "null") || !strcasecmp(v, "none")))
		return NULL;
	return v;
}

void hfconfig_fail(struct hfconfig_reader *r, const char *key, const char *what, const char *value)
{
	if (!r->ok)
		return;
	r->ok = false;
	char at[640];
	const char *where = hfconfig_where(r->src, key, at, sizeof(at));
	if (value && *value)
		snprintf(r->err, r->errlen, "%s %s: %s: '%s'", where, key, what, value);
	else
		snprintf(r->err, r->errlen, "%s %s: %s", where, key, what);
}

/* How a number at the start of a text reads. */
enum num_read { NUM_OK, NUM_NOT_WHOLE, NUM_TOO_LARGE };

/* One whole number at *p, spaces around it allowed: into *out and *p past
 * it when it is in 0..max. */
static enum num_read parse_u32(const char **p, uint32_t max, uint32_t *out)
{
	const char *v = *p;
	while (isspace((unsigned char)*v))
		v++;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (*v == '-' || end == v)
		return NUM_NOT_WHOLE;
	if (errno == ERANGE || n > max)
		return NUM_TOO_LARGE;
	while (isspace((unsigned char)*end))
		end++;
	*p = end;
	*out = (uint32_t)n;
	return NUM_OK;
}

/* The failure for a number that did not read. */
static void fail_number(struct hfconfig_reader *r, const char *key, enum num_read how, uint32_t max,
                        const char *value)
{
	char what[64] = "not a whole number";
	if (how == NUM_TOO_LARGE)
		snprintf(what, sizeof(what), "larger than %u", max);
	hfconfig_fail(r, key, what, value);
}

uint32_t hfconfig_read_u32(struct hfconfig_reader *r, const char *key, bool required, uint32_t def,
                           uint32_t max)
{
	const char *v = hfconfig_read_value(r, key);
	if (!v) {
		if (required)
			hfconfig_fail(r, key, "missing (required)", NULL);
		return def;
	}
	const char *p = v;
	uint32_t n = 0;
	enum num_read how = parse_u32(&p, max, &n);
	if (how == NUM_OK && *p)
		how = NUM_NOT_WHOLE; /* "12x", "2048.5" */
	if (how != NUM_OK) {
		while (isspace((unsigned char)*v))
			v++;
		fail_number(r, key, how, max, v);
		return def;
	}
	return n;
}

bool hfconfig_read_bool(struct hfconfig_reader *r, const char *key, bool def)
{
	const char *v = hfconfig_read_value(r, key);
	if (!v)
		return def;
	if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1"))
		return true;
	if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0"))
		return false;
	hfconfig_fail(r, key, "not a boolean (true/false)", v);
	return def;
}

uint32_t hfconfig_read_u32_list(struct hfconfig_reader *r, const char *key, uint32_t max,
                                uint32_t *out, uint32_t cap)
{
	const char *v = hfconfig_read_value(r, key);
	if (!v) {
		hfconfig_fail(r, key, "missing (required)", NULL);
		return 0;
	}
	char shown[80];
	snprintf(shown, sizeof(shown), "%.60s%s", v, strlen(v) > 60 ? "..." : "");
	uint32_t n = 0;
	for (const char *p = v;;) {
		if (n == cap) {
			hfconfig_fail(r, key, "more entries than layers", shown);
			return 0;
		}
		enum num_read how = parse_u32(&p, max, &out[n]);
		if (how == NUM_TOO_LARGE) {
			fail_number(r, key, how, max, shown);
			return 0;
		}
		if (how != NUM_OK || (*p && *p != ',')) {
			hfconfig_fail(r, key, "expected a list of whole numbers", shown);
			return 0;
		}
		n++;
		if (!*p++)
			break;
	}
	return r->ok ? n : 0;
}
