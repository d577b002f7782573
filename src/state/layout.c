/*
 * layout.c - terminal size and view in, rectangles out.
 *
 * Main view, wide terminal (at least 110 columns):
 *
 *   title ........................................
 *   sliders                    | hardware list
 *   bars                       |
 *   status .......................................
 *   keys .........................................
 *
 * From 160 columns (and enough rows) the left column also holds the speed
 * and launch commands under the bars (BOX_EXTRA).
 *
 * Narrower: sliders, bars and (when rows remain) the hardware list stacked.
 * When no rows remain for it (80x24), the hardware list takes the sliders'
 * place while it has the focus (Tab toggles it) and the bars stay.
 */
#include "layout.h"

#include <assert.h>
#include <string.h>

#define WIDE_COLS      110 /* from here the hardware list goes beside */
#define BARS_MIN_ROWS  6
#define HW_MIN_ROWS    7  /* header, column heads, 5 devices */
#define BARS_WIDE_ROWS 12 /* header, 4 device bars, need, vLLM, legend, host, pin */
#define EXTRA_MIN_ROWS 10 /* speed: header and 4 lines; launch: header and 3 */

static struct rect mk(int y, int x, int h, int w)
{
	struct rect r = {y, x, h > 0 ? h : 0, w > 0 ? w : 0};
	if (!r.h || !r.w)
		r.h = r.w = 0;
	return r;
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Columns of a slider row: label, value, track, hints, widest first to go. */
static void slider_columns(int w, struct slider_cols *c)
{
	memset(c, 0, sizeof(*c));
	c->label_x = 2; /* room for the focus marker */
	c->label_w = 9;
	c->value_x = c->label_x + c->label_w + 1;
	c->value_w = clamp(w - c->value_x - 1, 0, 30);
	int rest = w - (c->value_x + c->value_w + 1);
	if (rest >= 10) {
		c->track_x = c->value_x + c->value_w + 1;
		c->track_w = rest >= 36 ? clamp(rest - 24, 10, 40) : rest;
		int hint = w - (c->track_x + c->track_w + 2);
		if (hint >= 16) {
			c->hint_x = c->track_x + c->track_w + 2;
			c->hint_w = hint;
		}
	}
}

void layout_compute(int rows, int cols, enum layout_kind kind, int n_sliders, struct layout *out)
{
	layout_compute_flags(rows, cols, kind, n_sliders, 0, 0, out);
}

void layout_compute_flags(int rows, int cols, enum layout_kind kind, int n_sliders, unsigned flags,
                          int bars_rows, struct layout *out)
{
	assert(n_sliders >= 0);
	memset(out, 0, sizeof(*out));
	out->rows = rows;
	out->cols = cols;
	int min_rows = 3 + n_sliders + (kind == LAYOUT_FULL ? 0 : 1 + BARS_MIN_ROWS);
	if (min_rows < LAYOUT_MIN_ROWS)
		min_rows = LAYOUT_MIN_ROWS;
	out->min_rows = min_rows;
	out->min_cols = LAYOUT_MIN_COLS;
	if (rows < min_rows || cols < LAYOUT_MIN_COLS) {
		out->too_small = true;
		if (rows > 0 && cols > 0)
			out->notice = mk(0, 0, rows, cols);
		return;
	}

	out->box[BOX_TITLE] = mk(0, 0, 1, cols);
	out->box[BOX_STATUS] = mk(rows - 2, 0, 1, cols);
	out->box[BOX_KEYS] = mk(rows - 1, 0, 1, cols);
	int top = 1, height = rows - 3;

	switch (kind) {
	case LAYOUT_FULL:
		out->box[BOX_BODY] = mk(top, 0, height, cols);
		break;
	case LAYOUT_SPLIT:
		if (cols >= WIDE_COLS) {
			int left = clamp(cols * 2 / 5, 44, 64);
			out->box[BOX_SLIDERS] = mk(top, 0, n_sliders, left);
			out->box[BOX_BODY] = mk(top, left + 1, height, cols - left - 1);
		} else {
			out->box[BOX_SLIDERS] = mk(top, 0, n_sliders, cols);
			out->box[BOX_BODY] =
			    mk(top + n_sliders + 1, 0, height - n_sliders - 1, cols);
		}
		break;
	case LAYOUT_MAIN:
		if (cols >= WIDE_COLS) {
			int right = clamp(cols * 2 / 5, 44, 72);
			int left = cols - right - 1;
			int below = height - n_sliders - 1, bars = below;
			out->box[BOX_SLIDERS] = mk(top, 0, n_sliders, left);
			if (cols >= LAYOUT_EXTRA_COLS &&
			    below >= BARS_MIN_ROWS + 1 + EXTRA_MIN_ROWS) {
				bars = clamp(bars_rows > 0 ? bars_rows : BARS_WIDE_ROWS,
				             BARS_MIN_ROWS, below - 1 - EXTRA_MIN_ROWS);
				out->box[BOX_EXTRA] =
				    mk(top + n_sliders + 1 + bars + 1, 0, below - bars - 1, left);
			}
			out->box[BOX_BARS] = mk(top + n_sliders + 1, 0, bars, left);
			out->box[BOX_HARDWARE] = mk(top, left + 1, height, right);
		} else {
			out->box[BOX_SLIDERS] = mk(top, 0, n_sliders, cols);
			int below = height - n_sliders - 1;
			int bars = below;
			if (below >= BARS_MIN_ROWS + 1 + HW_MIN_ROWS) {
				bars = clamp(below / 2, BARS_MIN_ROWS, 12);
				if (below - bars - 1 < HW_MIN_ROWS)
					bars = below - 1 - HW_MIN_ROWS;
				out->box[BOX_HARDWARE] =
				    mk(top + n_sliders + 1 + bars + 1, 0, below - bars - 1, cols);
			} else {
				out->hw_toggle = true;
				if (flags & LAYOUT_HW_FOCUS) {
					out->box[BOX_HARDWARE] = out->box[BOX_SLIDERS];
					out->box[BOX_SLIDERS] = mk(0, 0, 0, 0);
				}
			}
			out->box[BOX_BARS] = mk(top + n_sliders + 1, 0, bars, cols);
		}
		break;
	}
	/* The minimum row count guarantees every slider its row. */
	slider_columns(out->box[BOX_SLIDERS].w || !out->hw_toggle ? out->box[BOX_SLIDERS].w : cols,
	               &out->sl);

	int pw = clamp(cols - 4, 20, 78);
	int ph = clamp(rows - 4, 5, 22);
	out->popup = mk((rows - ph) / 2, (cols - pw) / 2, ph, pw);
}

bool rect_inside(const struct rect *r, int rows, int cols)
{
	if (!r->h || !r->w)
		return true;
	return r->y >= 0 && r->x >= 0 && r->h > 0 && r->w > 0 && r->y + r->h <= rows &&
	       r->x + r->w <= cols;
}

bool rect_overlap(const struct rect *a, const struct rect *b)
{
	if (!a->h || !a->w || !b->h || !b->w)
		return false;
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

bool rect_contains(const struct rect *r, int y, int x)
{
	return r->h && r->w && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

int layout_table(struct table_col *c, int n, int width, int gap)
{
	assert(n >= 0 && gap >= 0);
	int used = 0, shown = 0;
	for (int i = 0; i < n; i++) {
		c[i].w = c[i].min_w;
		used += c[i].w;
		shown++;
	}
	used += shown > 1 ? (shown - 1) * gap : 0;
	/* Drop the lowest drop rank first, until the row fits. */
	while (used > width) {
		int k = -1;
		for (int i = 0; i < n; i++)
			if (c[i].w && c[i].drop && (k < 0 || c[i].drop < c[k].drop))
				k = i;
		if (k < 0)
			break;
		used -= c[k].w + (shown > 1 ? gap : 0);
		c[k].w = 0;
		shown--;
	}
	for (int i = 0; i < n && used < width; i++)
		if (c[i].w && c[i].max_w > c[i].w) {
			int grow = width - used;
			if (grow > c[i].max_w - c[i].w)
				grow = c[i].max_w - c[i].w;
			c[i].w += grow;
			used += grow;
			break;
		}
	int x = 0;
	for (int i = 0; i < n; i++) {
		c[i].x = c[i].w ? x : -1;
		if (c[i].w)
			x += c[i].w + gap;
	}
	return used;
}

void layout_compare_columns(int cols, struct table_col c[CC_COUNT])
{
	/* min, max, drop rank (0 stays) */
	static const struct table_col spec[CC_COUNT] = {
	    [CC_QUANT] = {10, 0, 0, 0, 0}, [CC_ENGINE] = {9, 0, 1, 0, 0},
	    [CC_BPW] = {6, 0, 4, 0, 0},    [CC_WEIGHTS] = {10, 0, 2, 0, 0},
	    [CC_KV] = {10, 0, 3, 0, 0},    [CC_TOTAL] = {10, 0, 0, 0, 0},
	    [CC_GPU] = {10, 0, 0, 0, 0},   [CC_BAR] = {10, 40, 5, 0, 0},
	    [CC_FIT] = {20, 0, 0, 0, 0},
	};
	memcpy(c, spec, sizeof(spec));
	/* two columns for the "current" marker before the quant */
	layout_table(c, CC_COUNT, cols - 2, 1);
	for (int i = 0; i < CC_COUNT; i++)
		if (c[i].w)
			c[i].x += 2;
}
