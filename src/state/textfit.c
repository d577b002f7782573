/*
 * textfit.c - wrapping and shortening text at word boundaries.
 *
 * A line is the longest run of whole words that fits its width; a word
 * longer than a whole line is the only thing ever broken inside (a path or
 * a command has nowhere else to go).  When the lines run out, the last one
 * is shortened to a word boundary and flagged for an ellipsis.
 */
#include "textfit.h"

#include <assert.h>
#include <limits.h>
#include <string.h>

static bool is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

int textfit_cols(const char *s)
{
	int n = 0;
	for (; *s; s++)
		if (!is_cont((unsigned char)*s))
			n++;
	return n;
}

size_t textfit_bytes(const char *s, int max_cols)
{
	int c = 0;
	size_t i = 0;
	for (; s[i]; i++) {
		if (!is_cont((unsigned char)s[i])) {
			if (c == max_cols)
				break;
			c++;
		}
	}
	return i;
}

/* The longest prefix of p (up to '\n' or the end) that fits w columns and
 * ends at a word boundary; with hard, a single word too long for w is
 * broken at w.  Trailing spaces are not counted.  Sets *cols. */
static size_t fit_prefix(const char *p, int w, bool hard, int *cols)
{
	size_t i = 0, brk = 0;
	int c = 0, brk_cols = 0;
	bool have_brk = false;
	while (p[i] && p[i] != '\n') {
		if (p[i] == ' ' && i > 0 && p[i - 1] != ' ') {
			brk = i;
			brk_cols = c;
			have_brk = true;
		}
		if (c == w)
			break;
		i++;
		while (p[i] && is_cont((unsigned char)p[i]))
			i++;
		c++;
	}
	if (!p[i] || p[i] == '\n' || p[i] == ' ') {
		/* everything up to here fits, or the line ends at a space */
		while (i > 0 && p[i - 1] == ' ') {
			i--;
			c--;
		}
		*cols = c;
		return i;
	}
	if (have_brk) {
		*cols = brk_cols;
		return brk;
	}
	if (hard) {
		*cols = c;
		return i;
	}
	*cols = 0;
	return 0;
}

/* Is there anything but spaces and line ends left at p? */
static bool more_text(const char *p)
{
	for (; *p; p++)
		if (*p != ' ' && *p != '\n')
			return true;
	return false;
}

int textfit_wrap(const char *s, int width, int hang, int max_lines, int ellipsis_cols,
                 struct text_line *out)
{
	assert(s);
	int n = 0;
	const char *p = s;
	while (*p && n < max_lines) {
		int w = n == 0 ? width : width - hang;
		if (w <= 0)
			break;
		if (n > 0)
			while (*p == ' ')
				p++;
		if (!*p)
			break;
		int cols;
		size_t len = fit_prefix(p, w, true, &cols);
		const char *next = p + len;
		while (*next == ' ')
			next++;
		if (*next == '\n')
			next++;
		bool cut = false;
		if (n == max_lines - 1 && more_text(next)) {
			/* The last line: shorten it to a word boundary with
			 * room for the ellipsis. */
			cut = true;
			int room = w - ellipsis_cols;
			len = room > 0 ? fit_prefix(p, room, false, &cols) : 0;
			if (!len && room > 0)
				len = fit_prefix(p, room, true, &cols);
			if (!len)
				cols = 0;
			while (len > 0 && strchr(" ,;:", p[len - 1])) {
				len--;
				cols--;
			}
		}
		if (out)
			out[n] = (struct text_line){(size_t)(p - s), len, cols, cut};
		n++;
		if (cut)
			break;
		p = next;
	}
	return n;
}

int textfit_lines_needed(const char *s, int width, int hang)
{
	return textfit_wrap(s, width, hang, INT_MAX, 0, NULL);
}

int textfit_pick(const char *const *alts, int n, int width)
{
	assert(n > 0);
	for (int i = 0; i < n; i++)
		if (textfit_cols(alts[i]) <= width)
			return i;
	return n - 1;
}
