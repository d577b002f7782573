/*
 * paint.c - drawing helpers every view uses: text clipped to columns and
 * the window, sizes in GiB, the role of a fit level or verdict, stacked
 * bars with their legend, wrapped text and scrolled lines.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "format.h"
#include "text.h"
#include "textfit.h"
#include "ui_internal.h"

/* ---- text helpers ---- */

/* Columns of a UTF-8 string (every code point is one column here: the
 * glyphs used are all narrow). */
int ui_cols(const char *s)
{
	return textfit_cols(s);
}

/* The code points of the first b bytes of s (valid UTF-8: ui_put has
 * cleaned it) into out (room for cap); returns how many. */
static int utf8_to_wide(const char *s, size_t b, wchar_t *out, int cap)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + b;
	int n = 0;
	while (p < end && n < cap) {
		uint32_t cp = *p++;
		int more = cp >= 0xf0 ? 3 : cp >= 0xe0 ? 2 : cp >= 0xc0 ? 1 : 0;
		cp &= more == 3 ? 0x07 : more == 2 ? 0x0f : more == 1 ? 0x1f : 0x7f;
		for (; more > 0 && p < end; more--)
			cp = (cp << 6) | (*p++ & 0x3f);
		out[n++] = (wchar_t)cp;
	}
	return n;
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
	/* Printable ASCII (most of what is drawn) is clean and each byte is
	 * a column: one pass instead of three. */
	char safe[1024];
	size_t n = 0;
	while (s[n] >= 0x20 && s[n] < 0x7f)
		n++;
	size_t b;
	int c;
	if (!s[n]) {
		b = n < (size_t)max ? n : (size_t)max;
		c = (int)b;
	} else {
		/* every string reaches the screen through here: no control
		 * characters or broken UTF-8 (a profile name, a typed value) */
		if (!text_is_clean(s))
			s = text_escape(safe, sizeof(safe), s, false);
		b = textfit_bytes(s, max);
		c = ui_cols(s);
		c = c < max ? c : max;
	}
	/* Handed over as wide characters: ncurses would otherwise decode
	 * the UTF-8 itself, byte by byte through the C library. */
	wchar_t wide[1024];
	int nw = utf8_to_wide(s, b, wide, sizeof(wide) / sizeof(wide[0]));
	wattrset(w, ui_attr(u, r));
	mvwaddnwstr(w, y, x, wide, nw);
	wattrset(w, A_NORMAL);
	return c;
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

/* n cells of one glyph (one column, up to 4 bytes) at (y, x) in role r,
 * written a run at a time; returns n. */
static int put_run(const struct ui *u, WINDOW *w, int y, int x, int n, enum role r,
                   const char *glyph)
{
	enum { RUN_CELLS = 128 };
	char run[RUN_CELLS * 4 + 1];
	size_t g = strlen(glyph);
	if (g > 4)
		g = 4;
	for (int done = 0; done < n;) {
		int k = n - done < RUN_CELLS ? n - done : RUN_CELLS;
		for (int i = 0; i < k; i++)
			memcpy(run + (size_t)i * g, glyph, g);
		run[(size_t)k * g] = '\0';
		ui_put(u, w, y, x + done, k, r, run);
		done += k;
	}
	return n;
}

/* A stacked bar of width cells: segments scaled to max(capacity, sum),
 * free cells up to the capacity, and the capacity marker. */
void ui_draw_bar(const struct ui *u, WINDOW *w, int y, int x, int width, const struct bar_seg *sg,
                 int n, uint64_t capacity)
{
	uint64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += sg[i].bytes;
	ui_draw_bar_scaled(u, w, y, x, width, sg, n, capacity, capacity > sum ? capacity : sum);
}

void ui_draw_bar_scaled(const struct ui *u, WINDOW *w, int y, int x, int width,
                        const struct bar_seg *sg, int n, uint64_t capacity, uint64_t full_bytes)
{
	if (width < 4)
		return;
	double scale = (double)full_bytes;
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
		if (end > inner)
			end = inner;
		if (end > col)
			col += put_run(u, w, y, x + 1 + col, end - col, ui_segment_role(sg[i].kind),
			               ui_segment_glyph(u, sg[i].kind));
	}
	if (col < inner)
		put_run(u, w, y, x + 1 + col, inner - col, R_FREE, u->g->free_cell);
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
		/* an item is drawn whole or not at all (its value is in the
		 * explain view), never cut */
		if (x + need - 2 > width)
			continue;
		x += ui_put(u, w, y, x, width - x, ui_segment_role(sg[i].kind),
		            ui_segment_glyph(u, sg[i].kind));
		x += ui_put(u, w, y, x, width - x, R_NORMAL, item);
	}
	return used;
}

const char *ui_ellipsis(const struct ui *u)
{
	return u->utf8 ? "\u2026" : "...";
}

/* Wrap text (textfit_wrap) from (y, x); *last_cols: columns of the last
 * line drawn, its ellipsis included.  Returns the lines used. */
static int put_lines(const struct ui *u, WINDOW *w, int y, int x, int width, int max_lines,
                     enum role r, const char *text, int hang, int *last_cols)
{
	int wd = getmaxx(w);
	*last_cols = 0;
	if (width > wd - x)
		width = wd - x;
	if (width <= 0 || max_lines <= 0)
		return 0;
	char safe[1024];
	if (!text_is_clean(text))
		text = text_escape(safe, sizeof(safe), text, true);
	struct text_line l[64];
	const char *el = ui_ellipsis(u);
	int n = textfit_wrap(text, width, hang, max_lines < 64 ? max_lines : 64, ui_cols(el), l);
	for (int i = 0; i < n; i++) {
		char line[1024];
		int lx = x + (i ? hang : 0);
		snprintf(line, sizeof(line), "%.*s", (int)l[i].len, text + l[i].off);
		int c = ui_put(u, w, y + i, lx, width - (i ? hang : 0), r, line);
		if (l[i].cut)
			c += ui_put(u, w, y + i, lx + c, ui_cols(el), r, el);
		*last_cols = c;
	}
	return n;
}

int ui_put_wrapped(const struct ui *u, WINDOW *w, int y, int x, int width, int max_lines,
                   enum role r, const char *text, int hang)
{
	int last;
	return put_lines(u, w, y, x, width, max_lines, r, text, hang, &last);
}

int ui_put_fit(const struct ui *u, WINDOW *w, int y, int x, int width, enum role r,
               const char *text)
{
	int last;
	put_lines(u, w, y, x, width, 1, r, text, 0, &last);
	return last;
}

int ui_put_fitf(const struct ui *u, WINDOW *w, int y, int x, int width, enum role r,
                const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ui_put_fit(u, w, y, x, width, r, buf);
}

/* Where a line's continuation lines start: under its description when
 * it has a name column ("  PgUp, PgDn     a page ..."), else two columns
 * in from its indent. */
static int hang_of(const char *l)
{
	int i = 0;
	while (l[i] == ' ')
		i++;
	const char *p = strstr(l + i, "  ");
	if (!p)
		return i + 2;
	int j = (int)(p - l);
	while (l[j] == ' ')
		j++;
	return j < 40 && l[j] ? j : i + 2;
}

void ui_draw_lines(struct ui *u, WINDOW *w, const char (*lines)[SESSION_LINE_MAX], int n,
                   int scroll)
{
	int h, wd;
	getmaxyx(w, h, wd);
	int width = wd - 1, total = 0;
	for (int i = 0; i < n; i++) {
		int k = textfit_lines_needed(lines[i], width, hang_of(lines[i]));
		total += k > 0 ? k : 1;
	}
	u->scroll_max = total > h ? total - h : 0;
	u->page_rows = h;
	if (scroll > u->scroll_max)
		scroll = u->scroll_max;
	/* Each line wraps at words under its own description; the view
	 * scrolls by screen rows. */
	int row = -scroll;
	for (int i = 0; i < n && row < h; i++) {
		const char *l = lines[i];
		int hang = hang_of(l);
		int k = textfit_lines_needed(l, width, hang);
		k = k > 0 ? k : 1;
		if (row + k > 0) {
			enum role role = (l[0] >= 'A' && l[0] <= 'Z' && l[1] >= 'A' && l[1] <= 'Z')
			                     ? R_HEADER
			                     : R_NORMAL;
			ui_put_wrapped(u, w, row, 1, width, k, role, l, hang);
		}
		row += k;
	}
}
