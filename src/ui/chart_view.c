/*
 * chart_view.c - the chart view (g): GPU memory of the live configuration
 * against context (or batch, b), weights, KV cache, compute buffer and
 * overhead stacked in each column, the devices' capacity as a horizontal
 * line and the largest value that fits (the solver's answer, as
 * `--solve context` prints it) marked on the axis.
 *
 * Cells are whole blocks per segment; the top of each column gets an
 * eighth block in UTF-8 colour mode.  In monochrome each segment keeps its
 * own glyph (ui_segment_glyph), and the capacity line and the marker are
 * glyphs too, so nothing depends on colour.
 */
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "ui_internal.h"

#define Y_LABEL_W 11 /* "123.45 GiB " */

static const char *const eighths[] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                      "\u2585", "\u2586", "\u2587"};

static const enum segment chart_seg[4] = {SEG_WEIGHTS, SEG_KV, SEG_COMPUTE, SEG_OVERHEAD};

/* The sample drawn in column cx of plot_w columns. */
static int column_sample(const struct chart_view *c, int cx, int plot_w)
{
	if (plot_w <= 1 || c->n <= 1)
		return 0;
	return (int)((long)cx * (c->n - 1) / (plot_w - 1));
}

/* The column of plot_w whose sample is the last one at or below x (-1:
 * none). */
static int column_of(const struct chart_view *c, uint64_t x, int plot_w)
{
	int col = -1;
	for (int cx = 0; cx < plot_w; cx++)
		if (c->valid[column_sample(c, cx, plot_w)] &&
		    c->x[column_sample(c, cx, plot_w)] <= x)
			col = cx;
	return col;
}

static const char *axis_word(const struct chart_view *c)
{
	return c->axis == CHART_BATCH ? "batch" : "context";
}

/* "40,960 tokens" or "12 sequences". */
static const char *axis_value(const struct chart_view *c, uint64_t x, char *buf, size_t n)
{
	char t[32];
	fmt_thousands(t, sizeof(t), x);
	snprintf(buf, n, "%s %s", t,
	         c->axis == CHART_BATCH ? (x == 1 ? "sequence" : "sequences") : "tokens");
	return buf;
}

/* The answer line: the largest value that fits, in the solver's words. */
static void draw_answer(const struct ui *u, const struct session *s, WINDOW *w, int y, int wd)
{
	const struct chart_view *c = &s->screen.chart;
	char a[48], b[48];
	const char *what = axis_word(c);
	if (!c->solved) {
		ui_put_fitf(u, w, y, 0, wd, R_DIM, "largest %s: n/a for these settings", what);
		return;
	}
	switch (c->ans.status) {
	case SOLVE_FOUND:
		ui_put_fitf(u, w, y, 0, wd, R_FITS, "largest %s that fits: %s (as --solve %s)",
		            what, axis_value(c, c->ans_x, a, sizeof(a)), what);
		break;
	case SOLVE_AT_MAX:
		ui_put_fitf(u, w, y, 0, wd, R_FITS, "the whole range fits: %s (as --solve %s)",
		            axis_value(c, c->ans_x, a, sizeof(a)), what);
		break;
	case SOLVE_NOTHING:
		ui_put_fitf(u, w, y, 0, wd, R_NOFIT, "nothing fits, not even %s (as --solve %s)",
		            axis_value(c, c->n ? c->x[0] : 1, b, sizeof(b)), what);
		break;
	}
}

/* The legend: a glyph per segment, the capacity line and the marker. */
static void draw_legend(const struct ui *u, WINDOW *w, int y, int wd)
{
	int x = 0;
	for (int k = 0; k < 4 && x < wd; k++) {
		enum segment sg = chart_seg[k];
		if (x + 2 + ui_cols(ui_segment_name(sg)) > wd)
			return; /* whole items only */
		x += ui_put(u, w, y, x, wd - x, ui_segment_role(sg), ui_segment_glyph(u, sg));
		x += ui_putf(u, w, y, x, wd - x, R_NORMAL, " %s  ", ui_segment_name(sg));
	}
	if (x + 11 > wd)
		return;
	x += ui_put(u, w, y, x, wd - x, R_MARKER, u->utf8 ? "\u2500\u2500" : "~~");
	x += ui_put(u, w, y, x, wd - x, R_NORMAL, " capacity  ");
	if (x + 19 > wd)
		return;
	x += ui_put(u, w, y, x, wd - x, R_FITS, u->g->vline);
	ui_put(u, w, y, x, wd - x, R_NORMAL, " largest that fits");
}

void ui_draw_chart(struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	const struct chart_view *c = &s->screen.chart;
	char a[48], b[48];
	const char *dev = fmt_device_short_name(&s->devs->v[s->config.cur.gpu]);
	ui_put_fitf(u, w, 0, 0, wd, R_HEADER, "CHART GPU memory against %s: %s, %ux %s",
	            axis_word(c), s->cat->v[s->config.cur.model].meta.name, c->gpu_count, dev);
	if (!s->results.ev.valid || c->n <= 0) {
		ui_put(u, w, 2, 0, wd, R_DIM, "(no estimate for these settings)");
		return;
	}
	draw_answer(u, s, w, 1, wd);
	int plot_top = 2, plot_h = h - 6 - (c->n_over ? 1 : 0), plot_x = Y_LABEL_W,
	    plot_w = wd - Y_LABEL_W - 1;
	if (plot_h < 3 || plot_w < 10) {
		ui_put(u, w, 3, 0, wd, R_DIM, "(too small for the chart)");
		return;
	}
	/* The scale: the capacity and the live curve, and the overlays up to
	 * half as much again (a far larger quant would flatten the rest). */
	uint64_t ymax = c->capacity_bytes, over_max = 0;
	for (int i = 0; i < c->n; i++) {
		if (c->valid[i] && c->gpu_bytes[i] > ymax)
			ymax = c->gpu_bytes[i];
		for (int k = 0; k < c->n_over; k++)
			if (c->over[k].valid[i] && c->over[k].gpu_bytes[i] > over_max)
				over_max = c->over[k].gpu_bytes[i];
	}
	if (over_max > ymax)
		ymax = over_max < ymax + ymax / 2 ? over_max : ymax + ymax / 2;
	ymax += ymax / 20 + 1;
	double unit = (double)ymax / plot_h;                   /* bytes per row */
	int cap_row = (int)((double)c->capacity_bytes / unit); /* from the bottom */
	if (cap_row >= plot_h)
		cap_row = plot_h - 1;
	int mark =
	    c->solved && c->ans.status != SOLVE_NOTHING ? column_of(c, c->ans_x, plot_w) : -1;
	bool partial = u->utf8 && !u->mono;

	/* Y labels: the top, the capacity, zero. */
	ui_putf(u, w, plot_top, 0, Y_LABEL_W - 1, R_DIM, "%*s", Y_LABEL_W - 1,
	        fmt_gib(a, sizeof(a), (double)ymax));
	ui_putf(u, w, plot_top + plot_h - 1 - cap_row, 0, Y_LABEL_W - 1, R_MARKER, "%*s",
	        Y_LABEL_W - 1, fmt_gib(a, sizeof(a), (double)c->capacity_bytes));
	ui_putf(u, w, plot_top + plot_h - 1, 0, Y_LABEL_W - 1, R_DIM, "%*s", Y_LABEL_W - 1, "0");

	for (int cx = 0; cx < plot_w; cx++) {
		int i = column_sample(c, cx, plot_w);
		const uint64_t *seg = c->seg_bytes[i];
		double total = c->valid[i] ? (double)c->gpu_bytes[i] : 0;
		for (int r = 0; r < plot_h; r++) {
			int y = plot_top + plot_h - 1 - r;
			double lo = r * unit, mid = (r + 0.5) * unit;
			const char *glyph = NULL;
			enum role role = R_NORMAL;
			if (total > lo) {
				/* the segment under the cell's middle, or the top one */
				double at = mid < total ? mid : total - 1;
				double cum = 0;
				int k = 0;
				for (; k < 3; k++) {
					cum += (double)seg[k];
					if (at < cum)
						break;
				}
				enum segment sg = chart_seg[k];
				role = r > cap_row ? R_NOFIT : ui_segment_role(sg);
				if (mid < total) {
					glyph = u->mono || !u->utf8 ? ui_segment_glyph(u, sg)
					                            : u->g->solid;
				} else if (partial) {
					int e = (int)((total - lo) / unit * 8);
					glyph = e >= 1 && e <= 7 ? eighths[e - 1] : NULL;
				}
			}
			if (r == cap_row && (!glyph || r > 0)) {
				/* the capacity line crosses the bars too */
				glyph = u->utf8 ? "\u2500" : "~";
				role = R_MARKER;
			} else if (!glyph && cx == mark) {
				glyph = u->g->vline;
				role = R_FITS;
			}
			if (glyph)
				ui_put(u, w, y, plot_x + cx, 1, role, glyph);
		}
	}
	/* The overlays: each a line of its own letter (A, 1, 2) where its
	 * total is, over the stack, with a dot between the letters. */
	for (int k = 0; k < c->n_over; k++) {
		const struct chart_overlay *o = &c->over[k];
		char letter[2] = {o->mark, '\0'};
		for (int cx = 0; cx < plot_w; cx++) {
			int i = column_sample(c, cx, plot_w);
			if (!o->valid[i])
				continue;
			int r = (int)((double)o->gpu_bytes[i] / unit);
			if (r >= plot_h)
				continue;
			bool label = cx % 6 == k * 2 || cx == plot_w - 1;
			ui_put(u, w, plot_top + plot_h - 1 - r, plot_x + cx, 1,
			       o->pinned ? R_VALUE : R_INFO,
			       label ? letter : (u->utf8 ? "\u00b7" : "."));
		}
	}

	/* The x axis, its ends and the marker's value under it. */
	int axis_y = plot_top + plot_h;
	for (int cx = 0; cx < plot_w; cx++)
		ui_put(u, w, axis_y, plot_x + cx, 1, R_DIM,
		       cx == mark ? (u->utf8 ? "\u2534" : "+") : (u->utf8 ? "\u2500" : "-"));
	int lab_y = axis_y + 1;
	fmt_thousands(a, sizeof(a), c->x[0]);
	int left_end = plot_x + ui_put(u, w, lab_y, plot_x, plot_w, R_DIM, a);
	fmt_thousands(b, sizeof(b), c->x[c->n - 1]);
	int right_x = plot_x + plot_w - (int)strlen(b);
	if (mark >= 0) {
		char m[48];
		snprintf(m, sizeof(m), "%s%s", u->utf8 ? "\u25b2 " : "^ ",
		         fmt_thousands(a, sizeof(a), c->ans_x));
		int mlen = (int)strlen(a) + 2;
		int mx = plot_x + mark - 0;
		if (mx + mlen > right_x - 1)
			mx = plot_x + mark - mlen + 1; /* the label ends at the marker */
		if (mx < left_end + 1)
			mx = left_end + 1;
		if (mx + mlen <= right_x - 1)
			ui_put(u, w, lab_y, mx, mlen, R_FITS, m);
	}
	ui_put(u, w, lab_y, right_x, (int)strlen(b), R_DIM, b);
	ui_put_fitf(u, w, lab_y + 1, 0, wd, R_DIM, "x: %s, now %s; b: %s axis, Esc back",
	            c->axis == CHART_BATCH ? "sequences, each with its context" : "context tokens",
	            axis_value(c, c->live_x, a, sizeof(a)),
	            c->axis == CHART_BATCH ? "context" : "batch");
	draw_legend(u, w, lab_y + 2, wd);
	if (c->n_over) {
		/* which letter is which: "A Q8_0 (pinned)  1 Q2_K  2 Q6_K total" */
		int x = ui_put(u, w, lab_y + 3, 0, wd, R_DIM, "over: ");
		for (int k = 0; k < c->n_over; k++) {
			char item[48];
			snprintf(item, sizeof(item), "%c %s  ", c->over[k].mark,
			         c->over[k].pinned ? c->over[k].label + 2 : c->over[k].label);
			if (x + ui_cols(item) - 2 > wd)
				break;
			x += ui_put(u, w, lab_y + 3, x, wd - x,
			            c->over[k].pinned ? R_VALUE : R_INFO, item);
		}
		if (x + 16 <= wd)
			ui_put(u, w, lab_y + 3, x, wd - x, R_DIM, "(p pins, P drops)");
	}
}
