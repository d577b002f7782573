/*
 * whatif_view.c - the what-if view (w): the pinned configuration A beside
 * the live one B, setting by setting and part by part, with the verdicts.
 */
#include <stdio.h>
#include <string.h>

#include "ui_internal.h"

void ui_draw_whatif(const struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	(void)h;
	char a[128], b[128], c[32];
	if (!s->config.pinned) {
		ui_put(u, w, 0, 0, wd, R_HEADER, "WHAT-IF");
		ui_put(u, w, 2, 1, wd - 1, R_NORMAL,
		       "Nothing pinned yet. Press p to pin the current");
		ui_put(u, w, 3, 1, wd - 1, R_NORMAL,
		       "configuration as A, then move the sliders on the");
		ui_put(u, w, 4, 1, wd - 1, R_NORMAL, "left: B follows live, with the differences.");
		return;
	}
	int col = (wd - 12 - 12) / 2;
	if (col < 8)
		col = 8;
	int y = 0;
	ui_putf(u, w, y++, 0, wd, R_HEADER, "%-11s %-*.*s %-*.*s %s", "WHAT-IF", col, col,
	        "A (pinned)", col, col, "B (live)", "B - A");
	/* Settings: both without bits per weight, so equal settings compare
	 * equal. */
	for (int i = 0; i < SL_COUNT && y < h; i++) {
		slider_table[i].format(s, &s->config.pin, NULL, a, sizeof(a));
		slider_table[i].format(s, &s->config.cur, NULL, b, sizeof(b));
		bool differ = strcmp(a, b) != 0;
		const char *label = slider_table[i].label;
		while (*label == ' ')
			label++;
		ui_putf(u, w, y, 0, wd, differ ? R_VALUE : R_DIM, "%-11s %-*.*s %-*.*s %s", label,
		        col, col, a, col, col, b, differ ? "changed" : "");
		y++;
	}
	y++;
	if (!s->results.pin_ev.valid || !s->results.ev.valid) {
		char msg[300];
		snprintf(msg, sizeof(msg), "%s: %s", !s->results.pin_ev.valid ? "A" : "B",
		         !s->results.pin_ev.valid ? s->results.pin_ev.err : s->results.ev.err);
		ui_put_wrapped(u, w, y, 0, wd, h - y, R_ERROR, msg, 2);
		return;
	}
	const struct estimate *A = &s->results.pin_ev.est, *B = &s->results.ev.est;
	struct {
		const char *name;
		uint64_t a, b;
	} rows[] = {
	    {"weights", A->weights_bytes, B->weights_bytes},
	    {"KV cache", A->kv_bytes, B->kv_bytes},
	    {"compute", A->compute_bytes + A->compute_host_bytes,
	     B->compute_bytes + B->compute_host_bytes},
	    {"output", A->output_bytes, B->output_bytes},
	    {"overhead", A->overhead_bytes, B->overhead_bytes},
	    {"total", s->results.pin_ev.total_bytes, s->results.ev.total_bytes},
	    {"GPU memory", s->results.pin_ev.gpu_bytes, s->results.ev.gpu_bytes},
	    {"host memory", s->results.pin_ev.host_bytes, s->results.ev.host_bytes},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]) && y < h; i++, y++) {
		double dlt = (double)rows[i].b - (double)rows[i].a;
		int x = ui_putf(u, w, y, 0, wd, i == 5 ? R_VALUE : R_NORMAL, "%-11s %-*s %-*s ",
		                rows[i].name, col, ui_gib(a, sizeof(a), (double)rows[i].a), col,
		                ui_gib(b, sizeof(b), (double)rows[i].b));
		ui_put(u, w, y, x, wd - x,
		       dlt > 0   ? R_WARN
		       : dlt < 0 ? R_FITS
		                 : R_DIM,
		       rows[i].a == rows[i].b ? "same" : ui_signed_gib(c, sizeof(c), dlt));
	}
	if (y < h) {
		const struct evaluation *ea = &s->results.pin_ev, *eb = &s->results.ev;
		int x = ui_putf(u, w, y, 0, wd, R_NORMAL, "%-11s ", "verdict");
		snprintf(a, sizeof(a), "%s %s", verdict_words(ea->verdict),
		         ui_signed_gib(c, sizeof(c), (double)ea->headroom_bytes));
		x += ui_putf(u, w, y, x, col + 1, ui_verdict_role(ea->verdict), "%-*s ", col, a);
		snprintf(b, sizeof(b), "%s %s", verdict_words(eb->verdict),
		         ui_signed_gib(c, sizeof(c), (double)eb->headroom_bytes));
		ui_putf(u, w, y, x, col + 1, ui_verdict_role(eb->verdict), "%-*s ", col, b);
	}
}
