/*
 * text.c - escaping control characters and invalid UTF-8 (see text.h).
 */
#include "text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when s[0] does not
 * start one (overlong forms, surrogates and code points past U+10FFFF are
 * invalid).  *cp receives the code point. */
static size_t utf8_len(const unsigned char *s, uint32_t *cp)
{
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t n;
	uint32_t v, min;
	if ((c & 0xe0) == 0xc0) {
		n = 2, v = c & 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3, v = c & 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Is code point cp a control character to escape? */
static bool is_control(uint32_t cp, bool keep_newlines)
{
	if (cp == '\n' && keep_newlines)
		return false;
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

char *text_escape(char *dst, size_t n, const char *src, bool keep_newlines)
{
	static const char hex[] = "0123456789abcdef";
	if (!n)
		return dst;
	size_t o = 0;
	const unsigned char *s = (const unsigned char *)(src ? src : "");
	while (*s) {
		uint32_t cp;
		size_t len = utf8_len(s, &cp);
		if (len && !is_control(cp, keep_newlines)) {
			if (o + len >= n)
				break;
			memcpy(dst + o, s, len);
			o += len;
			s += len;
			continue;
		}
		/* an invalid byte, or every byte of a control character */
		size_t bytes = len ? len : 1;
		if (o + 4 * bytes >= n)
			break;
		for (size_t i = 0; i < bytes; i++) {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[s[i] >> 4];
			dst[o++] = hex[s[i] & 15];
		}
		s += bytes;
	}
	dst[o] = '\0';
	return dst;
}

bool text_is_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp;
		size_t len = utf8_len(p, &cp);
		if (!len || is_control(cp, false))
			return false;
		p += len;
	}
	return true;
}

void text_escape_inplace(char *s, size_t n)
{
	if (text_is_clean(s))
		return;
	char *copy = strdup(s);
	if (!copy) {
		/* no memory: drop the text rather than show it raw */
		if (n)
			s[0] = '\0';
		return;
	}
	text_escape(s, n, copy, false);
	free(copy);
}

int text_fprintf(FILE *f, const char *fmt, ...)
{
	char raw[4096], safe[4 * 4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	return fputs(text_escape(safe, sizeof(safe), raw, true), f);
}
