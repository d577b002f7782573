/*
 * rank_view.c - the models view (m): every catalog model ranked for the
 * live devices at the live context, one row each, the selected one opened
 * with Enter.  Reads s->screen.rank (session_rank fills it); changes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "textfit.h"
#include "ui_internal.h"

static enum role verdict_role(enum rank_verdict v)
{
	return v == RANK_FITS      ? R_FITS
	       : v == RANK_TIGHT   ? R_TIGHT
	       : v == RANK_INVALID ? R_DIM
	                           : R_NOFIT;
}

/* tokens/s as the column shows it: "?" unknown, "-" does not run */
static const char *speed_text(char *buf, size_t n, double tps, bool known, bool runs)
{
	if (!runs)
		snprintf(buf, n, "-");
	else if (!known || tps <= 0)
		snprintf(buf, n, "?");
	else if (tps < 100)
		snprintf(buf, n, "%.1f", tps);
	else
		snprintf(buf, n, "%.0f", tps);
	return buf;
}

void ui_draw_rank(struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	const struct rank_view *v = &s->screen.rank;
	struct request q;
	char tok[32], set[256], mg[32];
	session_request(s, &s->config.cur, &q);
	if (q.margin.is_bytes)
		fmt_gib(mg, sizeof(mg), (double)q.margin.bytes);
	else
		snprintf(mg, sizeof(mg), "%g%%", 100.0 * q.margin.share);
	char full[512], brief[512];
	ranking_set_label(&q.set, set, sizeof(set));
	fmt_tokens(tok, sizeof(tok), s->config.cur.set.ctx_tokens);
	snprintf(full, sizeof(full),
	         "MODELS for %s at %s tokens: %s, margin %s, by %s%s (%zu of %zu)", set, tok,
	         v->ready && v->r.engine == FT_VLLM ? "vLLM" : "llama.cpp", mg,
	         rank_sort_name(v->sort), v->filter.fitting_only ? ", fitting only" : "", v->n,
	         s->cat->n);
	snprintf(brief, sizeof(brief), "MODELS for %s at %s tokens, by %s%s (%zu of %zu)", set, tok,
	         rank_sort_name(v->sort), v->filter.fitting_only ? ", fitting" : "", v->n,
	         s->cat->n);
	const char *const alts[] = {full, brief};
	ui_put_fit(u, w, 0, 0, wd, R_HEADER, alts[textfit_pick(alts, 2, wd)]);
	/* the model column takes what the numbers leave, 14 to 28 wide;
	 * prefill goes first on a narrow screen */
	bool prefill = wd >= 96;
	int fixed = 2 + 8 + 10 + 6 + 9 + 10 + 9 + (prefill ? 9 : 0) + 14;
	int name_w = wd - fixed;
	name_w = name_w < 14 ? 14 : name_w > 28 ? 28 : name_w;
	ui_putf(u, w, 1, 0, wd, R_DIM, "  %-*s %7s %-9s %5s %8s %9s %8s%s%s  %s", name_w, "model",
	        "params", "quant", "bpw", "max ctx", "need GiB", "tok/s", prefill ? " " : "",
	        prefill ? "  prefill" : "", "verdict");
	int rows = h - 3;
	if (rows < 1)
		rows = 1;
	int sel = (int)v->sel;
	if (sel < u->rank_top)
		u->rank_top = sel;
	if (sel >= u->rank_top + rows)
		u->rank_top = sel - rows + 1;
	if (u->rank_top > (int)v->n - rows)
		u->rank_top = (int)v->n - rows > 0 ? (int)v->n - rows : 0;
	if (!v->n)
		ui_put(u, w, 2, 2, wd - 2, R_DIM,
		       v->filter.fitting_only
		           ? "nothing fits: f shows every model, h lowers the context"
		           : "no models");
	for (int r = 0; r < rows && u->rank_top + r < (int)v->n; r++) {
		size_t i = v->order[u->rank_top + r];
		const struct rank_row *row = &v->r.rows[i];
		const struct model *m = session_model(s, i);
		bool is_sel = u->rank_top + r == sel;
		bool current = i == s->config.cur.model;
		int y = 2 + r;
		if (is_sel)
			ui_fill_row(u, w, y, R_SELECTED);
		enum role base = is_sel ? R_SELECTED : R_NORMAL;
		char p[16], ctx[24], need[24], dec[24], pre[24];
		int x = ui_putf(u, w, y, 0, wd, base, "%s %-*.*s %7s ", current ? "*" : " ", name_w,
		                name_w, s->cat->v[i].meta.id,
		                fmt_params(p, sizeof(p), m->params_total));
		if (row->verdict == RANK_INVALID) {
			ui_put_fit(u, w, y, x, wd - x, is_sel ? R_SELECTED : R_DIM, row->why);
			continue;
		}
		bool runs = rank_runs(row->verdict);
		if (row->max_ctx_tokens)
			fmt_tokens(ctx, sizeof(ctx), row->max_ctx_tokens);
		else
			snprintf(ctx, sizeof(ctx), "-");
		snprintf(need, sizeof(need), "%.2f", (double)row->gpu_bytes / GIB);
		x += ui_putf(u, w, y, x, wd - x, base, "%-9s %5.2f %8s %9s %8s",
		             ftype_get(row->ftype)->name, row->bpw, ctx, need,
		             speed_text(dec, sizeof(dec), row->decode_tps, row->speed_known, runs));
		if (prefill)
			x += ui_putf(
			    u, w, y, x, wd - x, base, " %8s",
			    speed_text(pre, sizeof(pre), row->prefill_tps, row->speed_known, runs));
		x += ui_put(u, w, y, x, wd - x, base, "  ");
		ui_put_fit(u, w, y, x, wd - x, is_sel ? R_SELECTED : verdict_role(row->verdict),
		           rank_verdict_name(row->verdict));
	}
	const char *const hint[] = {
	    "Up/Down move, Enter opens the model at its quant, h/l context, o order, f fitting "
	    "only, Esc back",
	    "Up/Down, Enter opens it at its quant, h/l context, o order, f fitting, Esc back"};
	ui_put_fit(u, w, h - 1, 0, wd, R_DIM, hint[textfit_pick(hint, 2, wd)]);
}
