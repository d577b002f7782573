/*
 * paint.c - drawing helpers every view uses: text clipped to columns and
 * the window, sizes in GiB, the role of a fit level or verdict, stacked
 * bars with their legend, wrapped text and scrolled lines.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "text.h"
#include "ui_internal.h"

/* ---- text helpers ---- */

/* Columns of a UTF-8 string (every code point is one column here: the
 * glyphs used are all narrow). */
int ui_cols(const char *s)
{
	int n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Bytes of s that fit in max columns. */
static size_t bytes_for_cols(const char *s, int max)
{
	int c = 0;
	size_t i = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (c == max)
				break;
			c++;
		}
	}
	return i;
}

/* Write s at (y, x) in role r, clipped to max columns (and the window).
 * Returns the columns written. */
int ui_put(const struct ui *u, WINDOW *w, int y, int x, int max, enum role r, const char *s)
{
	int h, wd;
	getmaxyx(w, h, wd);
	if (y < 0 || y >= h || x < 0 || x >= wd || max <= 0)
		return 0;
	if (max > wd - x)
		max = wd - x;
	/* every string reaches the screen through here: no control
	 * characters or broken UTF-8 (a profile name, a typed value) */
	char safe[1024];
	if (!text_is_clean(s))
		s = text_escape(safe, sizeof(safe), s, false);
	size_t b = bytes_for_cols(s, max);
	wattrset(w, ui_attr(u, r));
	mvwaddnstr(w, y, x, s, (int)b);
	wattrset(w, A_NORMAL);
	int c = ui_cols(s);
	return c < max ? c : max;
}

int ui_putf(const struct ui *u, WINDOW *w, int y, int x, int max, enum role r, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ui_put(u, w, y, x, max, r, buf);
}

void ui_fill_row(const struct ui *u, WINDOW *w, int y, enum role r)
{
	int h, wd;
	getmaxyx(w, h, wd);
	if (y < 0 || y >= h)
		return;
	wattrset(w, ui_attr(u, r));
	mvwhline(w, y, 0, ' ', wd);
	wattrset(w, A_NORMAL);
}

const char *ui_gib(char *b, size_t n, double bytes)
{
	snprintf(b, n, "%.2f GiB", bytes / GIB);
	return b;
}

const char *ui_signed_gib(char *b, size_t n, double bytes)
{
	snprintf(b, n, "%+.2f GiB", bytes / GIB);
	return b;
}

enum role ui_fit_role(enum fit_level f)
{
	return f == FIT_OK ? R_FITS : f == FIT_TIGHT ? R_TIGHT : R_NOFIT;
}

enum role ui_verdict_role(enum verdict v)
{
	return v == VERDICT_FITS ? R_FITS : v == VERDICT_TIGHT ? R_TIGHT : R_NOFIT;
}

/* ---- bars ---- */

/* A stacked bar of width cells: segments scaled to max(capacity, sum),
 * free cells up to the capacity, and the capacity marker. */
void ui_draw_bar(const struct ui *u, WINDOW *w, int y, int x, int width, const struct bar_seg *sg,
                 int n, uint64_t capacity)
{
	if (width < 4)
		return;
	uint64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += sg[i].bytes;
	double scale = (double)(capacity > sum ? capacity : sum);
	if (scale <= 0)
		scale = 1;
	int inner = width - 2;
	ui_put(u, w, y, x, 1, R_NORMAL, "[");
	double cum = 0;
	int col = 0;
	for (int i = 0; i < n; i++) {
		cum += (double)sg[i].bytes;
		int end = (int)(cum / scale * inner + 0.5);
		/* A non-empty segment gets at least one cell when room remains. */
		if (sg[i].bytes && end == col && col < inner)
			end = col + 1;
		for (; col < end && col < inner; col++)
			ui_put(u, w, y, x + 1 + col, 1, ui_segment_role(sg[i].kind),
			       ui_segment_glyph(u, sg[i].kind));
	}
	for (; col < inner; col++)
		ui_put(u, w, y, x + 1 + col, 1, R_FREE, u->g->free_cell);
	int cap_col = capacity ? (int)((double)capacity / scale * inner + 0.5) : inner;
	if (cap_col >= inner)
		ui_put(u, w, y, x + 1 + inner, 1, R_MARKER, u->g->marker);
	else {
		ui_put(u, w, y, x + 1 + cap_col, 1, R_NOFIT, u->g->marker);
		ui_put(u, w, y, x + 1 + inner, 1, R_NORMAL, "]");
	}
}

/* The legend: glyph and size of each segment, wrapped onto a second line
 * when the first is full and rows remain.  Returns the lines used. */
int ui_draw_legend(const struct ui *u, WINDOW *w, int y, int width, int lines,
                   const struct bar_seg *sg, int n)
{
	int x = 0, used = 1;
	char b[32], item[64];
	for (int i = 0; i < n; i++) {
		snprintf(item, sizeof(item), " %s %s  ", ui_segment_name(sg[i].kind),
		         ui_gib(b, sizeof(b), (double)sg[i].bytes));
		int need = 1 + ui_cols(item);
		if (x > 0 && x + need > width && used < lines) {
			y++;
			used++;
			x = 0;
		}
		x += ui_put(u, w, y, x, width - x, ui_segment_role(sg[i].kind),
		            ui_segment_glyph(u, sg[i].kind));
		x += ui_put(u, w, y, x, width - x, R_NORMAL, item);
	}
	return used;
}

/* Write text wrapped at spaces over at most max_lines lines of width
 * columns from (y, x), continuation lines indented by hang more.  Returns
 * the lines used. */
int ui_put_wrapped(const struct ui *u, WINDOW *w, int y, int x, int width, int max_lines,
                   enum role r, const char *text, int hang)
{
	int used = 0;
	const char *p = text;
	while (*p && used < max_lines && width > 0) {
		if (used == 1) {
			x += hang;
			width -= hang;
			if (width <= 0)
				break;
		}
		int len = (int)strlen(p);
		int take = len;
		if (len > width) {
			take = width;
			while (take > 0 && p[take] != ' ')
				take--;
			if (take == 0)
				take = width;
		}
		char line[512];
		snprintf(line, sizeof(line), "%.*s", take, p);
		ui_put(u, w, y + used, x, width, r, line);
		used++;
		p += take;
		while (*p == ' ')
			p++;
	}
	return used;
}

void ui_draw_lines(const struct ui *u, WINDOW *w, const char (*lines)[SESSION_LINE_MAX], int n,
                   int scroll)
{
	int h, wd;
	getmaxyx(w, h, wd);
	if (scroll > n - h)
		scroll = n - h > 0 ? n - h : 0;
	for (int r = 0; r < h && scroll + r < n; r++) {
		const char *l = lines[scroll + r];
		enum role role = (l[0] >= 'A' && l[0] <= 'Z' && l[1] >= 'A' && l[1] <= 'Z')
		                     ? R_HEADER
		                     : R_NORMAL;
		ui_put(u, w, r, 1, wd - 1, role, l);
	}
}
