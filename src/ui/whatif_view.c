/*
 * whatif_view.c - the what-if view (w): the pinned configuration A beside
 * the live one B, setting by setting and part by part, with the verdicts.
 */
#include <stdio.h>
#include <string.h>

#include "ui_internal.h"

/* One cell of the table: text in col columns, shortened at a word. */
static void cell(const struct ui *u, WINDOW *w, int y, int x, int col, enum role r, const char *t)
{
	ui_put_fit(u, w, y, x, col, r, t);
}

/* The rows under the header, from row y (rows outside w are clipped):
 * where the memory goes, the verdicts, then setting by setting.  Returns
 * the row after the last. */
static int draw_rows(const struct ui *u, const struct session *s, WINDOW *w, int y, int wd, int col)
{
	char a[128], b[128], c[32];
	int xa = 12, xb = 12 + col + 1, xd = 12 + 2 * (col + 1);
	if (!s->results.pin_ev.valid || !s->results.ev.valid) {
		char msg[300];
		snprintf(msg, sizeof(msg), "%s: %s", !s->results.pin_ev.valid ? "A" : "B",
		         !s->results.pin_ev.valid ? s->results.pin_ev.err : s->results.ev.err);
		y += ui_put_wrapped(u, w, y, 0, wd, 6, R_ERROR, msg, 2);
	} else {
		const struct estimate *A = &s->results.pin_ev.est, *B = &s->results.ev.est;
		struct {
			const char *name;
			uint64_t a, b;
		} rows[] = {
		    {"total", s->results.pin_ev.total_bytes, s->results.ev.total_bytes},
		    {"GPU memory", s->results.pin_ev.gpu_bytes, s->results.ev.gpu_bytes},
		    {"host memory", s->results.pin_ev.host_bytes, s->results.ev.host_bytes},
		    {"weights", A->weights_bytes, B->weights_bytes},
		    {"KV cache", A->kv_bytes, B->kv_bytes},
		    {"compute", A->compute_bytes + A->compute_host_bytes,
		     B->compute_bytes + B->compute_host_bytes},
		    {"output", A->output_bytes, B->output_bytes},
		    {"overhead", A->overhead_bytes, B->overhead_bytes},
		};
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++, y++) {
			double dlt = (double)rows[i].b - (double)rows[i].a;
			enum role r = i == 0 ? R_VALUE : R_NORMAL;
			ui_put(u, w, y, 0, 11, r, rows[i].name);
			cell(u, w, y, xa, col, r, ui_gib(a, sizeof(a), (double)rows[i].a));
			cell(u, w, y, xb, col, r, ui_gib(b, sizeof(b), (double)rows[i].b));
			ui_put_fit(u, w, y, xd, wd - xd,
			           dlt > 0   ? R_WARN
			           : dlt < 0 ? R_FITS
			                     : R_DIM,
			           rows[i].a == rows[i].b ? "same"
			                                  : ui_signed_gib(c, sizeof(c), dlt));
		}
		/* The verdicts wrap inside their columns ("does not fit (host
		 * memory)" is wider than a column at 80). */
		const struct evaluation *ea = &s->results.pin_ev, *eb = &s->results.ev;
		ui_put(u, w, y, 0, 11, R_NORMAL, "verdict");
		snprintf(a, sizeof(a), "%s %s", verdict_words(ea->verdict),
		         ui_signed_gib(c, sizeof(c), (double)ea->headroom_bytes));
		snprintf(b, sizeof(b), "%s %s", verdict_words(eb->verdict),
		         ui_signed_gib(c, sizeof(c), (double)eb->headroom_bytes));
		int la = ui_put_wrapped(u, w, y, xa, col, 3, ui_verdict_role(ea->verdict), a, 0);
		int lb = ui_put_wrapped(u, w, y, xb, col, 3, ui_verdict_role(eb->verdict), b, 0);
		y += la > lb ? la : lb;
	}
	y++;
	/* Settings: both without bits per weight, so equal settings compare
	 * equal. */
	for (int i = 0; i < SL_COUNT; i++, y++) {
		slider_table[i].format(s, &s->config.pin, NULL, a, sizeof(a));
		slider_table[i].format(s, &s->config.cur, NULL, b, sizeof(b));
		bool differ = strcmp(a, b) != 0;
		const char *label = slider_table[i].label;
		while (*label == ' ')
			label++;
		enum role r = differ ? R_VALUE : R_DIM;
		ui_put(u, w, y, 0, 11, r, label);
		cell(u, w, y, xa, col, r, a);
		cell(u, w, y, xb, col, r, b);
		if (differ)
			ui_put(u, w, y, xd, wd - xd, r, "changed");
	}
	return y;
}

void ui_draw_whatif(struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	u->scroll_max = 0;
	u->page_rows = h - 1;
	if (!s->config.pinned) {
		ui_put(u, w, 0, 0, wd, R_HEADER, "WHAT-IF");
		ui_put_wrapped(u, w, 2, 1, wd - 1, h - 2, R_NORMAL,
		               "Nothing pinned yet. Press p to pin the current configuration as A, "
		               "then move the sliders: B follows live, with the differences.",
		               0);
		return;
	}
	int col = (wd - 12 - 12) / 2;
	if (col < 8)
		col = 8;
	ui_putf(u, w, 0, 0, wd, R_HEADER, "%-11s %-*.*s %-*.*s %s", "WHAT-IF", col, col,
	        "A (pinned)", col, col, "B (live)", "B - A");
	/* The rows scroll under the header (PgUp, PgDn, Home, End). */
	if (h < 2)
		return;
	WINDOW *sub = derwin(w, h - 1, wd, 1, 0);
	if (!sub)
		return;
	int top = -s->screen.scroll;
	int end = draw_rows(u, s, sub, top, wd, col);
	delwin(sub);
	int lines = end - top;
	u->scroll_max = lines > h - 1 ? lines - (h - 1) : 0;
	if (u->scroll_max) {
		/* where the table stands, on the header's right */
		char pos[96];
		int first = s->screen.scroll < u->scroll_max ? s->screen.scroll : u->scroll_max;
		snprintf(pos, sizeof(pos), " rows %d-%d of %d, PgDn/PgUp ", first + 1,
		         first + h - 1 < lines ? first + h - 1 : lines, lines);
		int pw = ui_cols(pos);
		if (wd - pw >= 12 + 2 * (col + 1) + 7)
			ui_put(u, w, 0, wd - pw, pw, R_DIM, pos);
	}
}
