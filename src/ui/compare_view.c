/*
 * compare_view.c - the compare view (c): every quantization of the live
 * model at the live settings, one row each, with its fit on the live
 * devices.  Reads s->screen.cmp; changes nothing but the scroll position.
 */
#include <stdio.h>

#include "format.h"
#include "ui_internal.h"

void ui_draw_compare(struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	char a[32], b[32], c[32], d[32], f[48];
	const struct device *dev = &s->devs->v[s->config.cur.gpu];
	char tok[32];
	ui_putf(u, w, 0, 0, wd, R_HEADER,
	        "COMPARE every quantization: %s, context %s, batch %u, on %ux %s",
	        s->cat->v[s->config.cur.model].meta.name,
	        fmt_tokens(tok, sizeof(tok), s->config.cur.set.ctx_tokens), s->config.cur.set.n_seq,
	        s->config.cur.gpu_count, dev->name);
	ui_putf(u, w, 1, 0, wd, R_DIM, "  %-10s %-9s %6s %11s %11s %11s %11s  %s", "quant",
	        "engine", "bpw", "weights", "KV cache", "total", "GPU", "fit");
	int rows = h - 3;
	int sel = (int)s->screen.cmp_sel;
	if (sel < u->cmp_top)
		u->cmp_top = sel;
	if (sel >= u->cmp_top + rows)
		u->cmp_top = sel - rows + 1;
	for (int r = 0; r < rows && u->cmp_top + r < FT_COUNT; r++) {
		const struct compare_row *cr = &s->screen.cmp[u->cmp_top + r];
		const struct ftype_info *fi = ftype_get(cr->ftype);
		int y = 2 + r;
		bool is_sel = u->cmp_top + r == sel;
		bool current =
		    cr->ftype == s->config.cur.set.ftype && !s->config.cur.set.file_types;
		if (is_sel)
			ui_fill_row(u, w, y, R_SELECTED);
		enum role base = is_sel ? R_SELECTED : R_NORMAL;
		int x = ui_putf(u, w, y, 0, wd, base, "%s %-10s %-9s", current ? "*" : " ",
		                fi->name, fi->engine == FT_VLLM ? "vLLM" : "llama.cpp");
		if (!cr->valid) {
			ui_putf(u, w, y, x, wd - x, is_sel ? R_SELECTED : R_DIM, " %s", cr->err);
			continue;
		}
		x += ui_putf(u, w, y, x, wd - x, base, " %6.2f %11s %11s %11s %11s  ", cr->bpw,
		             ui_gib(a, sizeof(a), (double)cr->weights_bytes),
		             ui_gib(b, sizeof(b), (double)cr->kv_bytes),
		             ui_gib(c, sizeof(c), (double)cr->total_bytes),
		             ui_gib(d, sizeof(d), (double)cr->gpu_bytes));
		enum fit_level fl = cr->level;
		if (fl == FIT_NO)
			snprintf(f, sizeof(f), "no, short %s",
			         ui_gib(a, sizeof(a), (double)-cr->fit.headroom_bytes));
		else
			snprintf(f, sizeof(f), "%s %s", fl == FIT_TIGHT ? "tight" : "fits",
			         ui_signed_gib(a, sizeof(a), (double)cr->fit.headroom_bytes));
		ui_put(u, w, y, x, wd - x, is_sel ? R_SELECTED : ui_fit_role(fl), f);
	}
	ui_put(u, w, h - 1, 0, wd, R_DIM, "Up/Down move, Enter adopts the quantization, Esc back");
}
