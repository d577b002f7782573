/*
 * compare_view.c - the compare view (c): every quantization of the live
 * model at the live settings, one row each, with its fit on the live
 * devices.  Reads s->screen.cmp; changes nothing but the scroll position.
 */
#include <stdio.h>

#include "format.h"
#include "textfit.h"
#include "ui_internal.h"

/* Right-aligned text in table column c (nothing when it is dropped). */
static void col_put(const struct ui *u, WINDOW *w, int y, const struct table_col *c, enum role r,
                    const char *t)
{
	if (c->w)
		ui_putf(u, w, y, c->x, c->w, r, "%*s", c->w, t);
}

void ui_draw_compare(struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	char a[48], f[48], tok[32], full[512], brief[512];
	const struct device *dev = &s->devs->v[s->config.cur.gpu];
	const char *name = s->cat->v[s->config.cur.model].meta.name;
	fmt_tokens(tok, sizeof(tok), s->config.cur.set.ctx_tokens);
	snprintf(full, sizeof(full),
	         "COMPARE every quantization: %s, context %s, batch %u, on %ux %s", name, tok,
	         s->config.cur.set.n_seq, s->config.cur.gpu_count, dev->name);
	snprintf(brief, sizeof(brief), "COMPARE %s, context %s, batch %u, %ux %s", name, tok,
	         s->config.cur.set.n_seq, s->config.cur.gpu_count, fmt_device_short_name(dev));
	const char *const alts[] = {full, brief};
	ui_put_fit(u, w, 0, 0, wd, R_HEADER, alts[textfit_pick(alts, 2, wd)]);

	struct table_col c[CC_COUNT];
	layout_compare_columns(wd, c);
	static const char *const heads[CC_COUNT] = {
	    [CC_QUANT] = "quant",     [CC_ENGINE] = "engine",       [CC_BPW] = "bpw",
	    [CC_WEIGHTS] = "weights", [CC_KV] = "KV cache",         [CC_TOTAL] = "total",
	    [CC_GPU] = "GPU",         [CC_BAR] = "GPU vs capacity", [CC_FIT] = "fit"};
	for (int i = 0; i < CC_COUNT; i++) {
		if (!c[i].w)
			continue;
		bool left = i == CC_QUANT || i == CC_ENGINE || i == CC_BAR || i == CC_FIT;
		ui_putf(u, w, 1, c[i].x, c[i].w, R_DIM, left ? "%-*s" : "%*s", c[i].w, heads[i]);
	}
	/* One scale for every bar, so the rows compare: the capacity, or
	 * the largest need up to twice it. */
	uint64_t cap = 0, top = 0;
	for (int i = 0; i < FT_COUNT; i++) {
		const struct compare_row *cr = &s->screen.cmp[i];
		if (!cr->valid)
			continue;
		cap = cr->capacity_bytes > cap ? cr->capacity_bytes : cap;
		top = cr->fit.need_bytes > top ? cr->fit.need_bytes : top;
	}
	uint64_t full_bytes = top > cap ? (top < 2 * cap ? top : 2 * cap) : cap;

	int rows = h - 3;
	u->page_rows = rows;
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
		ui_put(u, w, y, 0, 1, base, current ? "*" : " ");
		ui_put(u, w, y, c[CC_QUANT].x, c[CC_QUANT].w, base, fi->name);
		if (c[CC_ENGINE].w)
			ui_put(u, w, y, c[CC_ENGINE].x, c[CC_ENGINE].w, base,
			       fi->engine == FT_VLLM ? "vLLM" : "llama.cpp");
		int rest = c[CC_QUANT].x + c[CC_QUANT].w + 1;
		if (c[CC_ENGINE].w)
			rest = c[CC_ENGINE].x + c[CC_ENGINE].w + 1;
		if (!cr->valid) {
			ui_put_fit(u, w, y, rest, wd - rest, is_sel ? R_SELECTED : R_DIM, cr->err);
			continue;
		}
		snprintf(a, sizeof(a), "%.2f", cr->bpw);
		col_put(u, w, y, &c[CC_BPW], base, a);
		col_put(u, w, y, &c[CC_WEIGHTS], base,
		        ui_gib(a, sizeof(a), (double)cr->weights_bytes));
		col_put(u, w, y, &c[CC_KV], base, ui_gib(a, sizeof(a), (double)cr->kv_bytes));
		col_put(u, w, y, &c[CC_TOTAL], base, ui_gib(a, sizeof(a), (double)cr->total_bytes));
		col_put(u, w, y, &c[CC_GPU], base, ui_gib(a, sizeof(a), (double)cr->gpu_bytes));
		if (c[CC_BAR].w) {
			/* the GPU part: weights, KV cache, and the rest (compute,
			 * overhead, the devices' extra buffers) */
			uint64_t wk = cr->weights_gpu_bytes + cr->kv_gpu_bytes;
			struct bar_seg sg[3] = {
			    {SEG_WEIGHTS, cr->weights_gpu_bytes},
			    {SEG_KV, cr->kv_gpu_bytes},
			    {SEG_COMPUTE, cr->fit.need_bytes > wk ? cr->fit.need_bytes - wk : 0},
			};
			ui_draw_bar_scaled(u, w, y, c[CC_BAR].x, c[CC_BAR].w, sg, 3,
			                   cr->capacity_bytes, full_bytes);
		}
		enum fit_level fl = cr->level;
		if (fl == FIT_NO)
			snprintf(f, sizeof(f), "no, short %s",
			         ui_gib(a, sizeof(a), (double)-cr->fit.headroom_bytes));
		else
			snprintf(f, sizeof(f), "%s %s", fl == FIT_TIGHT ? "tight" : "fits",
			         ui_signed_gib(a, sizeof(a), (double)cr->fit.headroom_bytes));
		ui_put_fit(u, w, y, c[CC_FIT].x, wd - c[CC_FIT].x,
		           is_sel ? R_SELECTED : ui_fit_role(fl), f);
	}
	char pos[160];
	snprintf(pos, sizeof(pos),
	         "rows %d-%d of %d: Up/Down, PgUp/PgDn, Home/End; Enter adopts; Esc back",
	         u->cmp_top + 1, u->cmp_top + rows < FT_COUNT ? u->cmp_top + rows : FT_COUNT,
	         FT_COUNT);
	ui_put_fit(u, w, h - 1, 0, wd, R_DIM, pos);
}
