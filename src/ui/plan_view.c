/*
 * plan_view.c - the plan view (P): the solvers' answers for the live
 * settings (largest context, best quant, fewest GPUs, most sequences,
 * least offload), the selected answer's settings, the speed estimate and
 * the launch commands.  Reads s->screen.plan; changes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "plan_text.h"
#include "report.h"
#include "textfit.h"
#include "ui_internal.h"

/* The question each solver answers, as the plan view's first column. */
static const char *plan_question(const struct session *s, enum solve_what w)
{
	static const char *const q[SOLVE_COUNT] = {
	    [SOLVE_CONTEXT] = "largest context", [SOLVE_QUANT] = "best quant",
	    [SOLVE_GPUS] = "fewest GPUs",        [SOLVE_BATCH] = "most sequences",
	    [SOLVE_OFFLOAD] = "least offload",
	};
	if (w == SOLVE_OFFLOAD && !session_model(s, s->config.cur.model)->arch.n_expert)
		return "most GPU layers";
	return q[w];
}

/* Optional columns of the plan table, dropped right to left when the
 * terminal is narrow. */
enum { PC_STATUS, PC_TOTAL, PC_HEADROOM, PC_DECODE, PC_COUNT };
static const int plan_col_w[PC_COUNT] = {17, 11, 12, 14};

static int draw_answer_details(const struct ui *u, const struct session *s, WINDOW *w, int y,
                               int wd);

void ui_draw_plan(struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	char a[64], b[64], tok[32];
	const struct device *dev = &s->devs->v[s->config.cur.gpu];
	const struct model *m = session_model(s, s->config.cur.model);
	bool vllm = session_engine(s) == FT_VLLM;
	int y = 0;
	char full[512], brief[512];
	const char *qname =
	    s->config.cur.set.file_types ? "as stored" : ftype_get(s->config.cur.set.ftype)->name;
	fmt_tokens(tok, sizeof(tok), s->config.cur.set.ctx_tokens);
	snprintf(full, sizeof(full), "PLAN %s, %s, context %s, batch %u, on %ux %s (%s)",
	         s->cat->v[s->config.cur.model].meta.name, qname, tok, s->config.cur.set.n_seq,
	         s->config.cur.gpu_count, dev->name, vllm ? "vLLM" : "llama.cpp");
	snprintf(brief, sizeof(brief), "PLAN %s, %s, context %s, batch %u, %ux %s (%s)",
	         s->cat->v[s->config.cur.model].meta.name, qname, tok, s->config.cur.set.n_seq,
	         s->config.cur.gpu_count, fmt_device_short_name(dev), vllm ? "vLLM" : "llama.cpp");
	const char *const alts[] = {full, brief};
	ui_put_fit(u, w, y++, 0, wd, R_HEADER, alts[textfit_pick(alts, 2, wd)]);
	if (!s->results.ev.valid) {
		ui_put(u, w, y + 1, 2, wd - 2, R_ERROR, "cannot plan from these settings:");
		ui_put_wrapped(u, w, y + 2, 4, wd - 4, h - y - 4, R_ERROR, s->results.ev.err, 0);
		return;
	}

	/* The table: question, answer, then the optional columns that fit
	 * beside the longest answer (decode goes first, the status last). */
	const int q_w = 16;
	static const int drop_order[PC_COUNT] = {PC_DECODE, PC_TOTAL, PC_HEADROOM, PC_STATUS};
	int need = 6;
	for (int i = 0; i < SOLVE_COUNT; i++) {
		char ans[160];
		const struct plan_row *r = &s->screen.plan.row[i];
		if (r->applies)
			plan_answer_text(r->what, &r->res, m, ans, sizeof(ans));
		int len = r->applies ? ui_cols(ans) : 0;
		if (len > need)
			need = len;
	}
	bool col[PC_COUNT];
	int ans_w = wd - 2 - (q_w + 1) - 1;
	for (int c = 0; c < PC_COUNT; c++) {
		col[c] = true;
		ans_w -= plan_col_w[c];
	}
	for (int k = 0; k < PC_COUNT && ans_w < need; k++) {
		col[drop_order[k]] = false;
		ans_w += plan_col_w[drop_order[k]];
	}
	if (ans_w > need)
		ans_w = need;
	int ans_x = 2 + q_w + 1, col_x[PC_COUNT];
	int x = ans_x + ans_w + 1;
	for (int c = 0; c < PC_COUNT; c++) {
		col_x[c] = x;
		if (col[c])
			x += plan_col_w[c];
	}
	static const char *const heads[PC_COUNT] = {"status", "total", "headroom", "decode/seq"};
	ui_put(u, w, y, 2, q_w, R_DIM, "question");
	ui_put(u, w, y, ans_x, ans_w, R_DIM, "answer");
	for (int c = 0; c < PC_COUNT; c++)
		if (col[c])
			ui_putf(u, w, y, col_x[c], plan_col_w[c], R_DIM,
			        c == PC_STATUS ? "%-*s" : "%*s", plan_col_w[c] - 1, heads[c]);
	y++;
	for (int i = 0; i < SOLVE_COUNT && y < h; i++, y++) {
		const struct plan_row *r = &s->screen.plan.row[i];
		bool is_sel = (size_t)i == s->screen.plan_sel;
		enum role base = is_sel ? R_SELECTED : R_NORMAL;
		if (is_sel) {
			ui_fill_row(u, w, y, R_SELECTED);
			ui_put(u, w, y, 0, 1, R_SELECTED, u->g->focus);
		}
		ui_put(u, w, y, 2, q_w, base, plan_question(s, r->what));
		if (!r->applies) {
			ui_put(u, w, y, ans_x, wd - ans_x, is_sel ? R_SELECTED : R_DIM, r->note);
			continue;
		}
		char ans[160];
		ui_put(u, w, y, ans_x, ans_w, base,
		       plan_answer_text(r->what, &r->res, m, ans, sizeof(ans)));
		bool none = r->res.status == SOLVE_NOTHING;
		enum fit_level fl = r->level;
		if (col[PC_STATUS])
			ui_putf(u, w, y, col_x[PC_STATUS], plan_col_w[PC_STATUS],
			        is_sel ? R_SELECTED
			        : none ? R_NOFIT
			               : R_FITS,
			        "%-*s", plan_col_w[PC_STATUS] - 1, plan_status_word(r->res.status));
		if (col[PC_TOTAL])
			ui_putf(u, w, y, col_x[PC_TOTAL], plan_col_w[PC_TOTAL], base, "%*s",
			        plan_col_w[PC_TOTAL] - 1,
			        ui_gib(a, sizeof(a), (double)r->res.est.total_bytes));
		if (col[PC_HEADROOM])
			ui_putf(u, w, y, col_x[PC_HEADROOM], plan_col_w[PC_HEADROOM],
			        is_sel ? R_SELECTED : ui_fit_role(fl), "%*s",
			        plan_col_w[PC_HEADROOM] - 1,
			        ui_signed_gib(b, sizeof(b), (double)r->res.fit.headroom_bytes));
		if (col[PC_DECODE] && r->speed.decode_tps > 0) {
			char n[24];
			ui_putf(u, w, y, col_x[PC_DECODE], plan_col_w[PC_DECODE], base, "%*s tok/s",
			        plan_col_w[PC_DECODE] - 7,
			        speed_format_number(r->speed.decode_tps, n, sizeof(n)));
		}
	}
	/* What the selected answer means, and what Enter does. */
	const struct plan_row *sel = &s->screen.plan.row[s->screen.plan_sel];
	if (y < h) {
		char ans[160], line[400];
		if (!sel->applies)
			snprintf(line, sizeof(line), "%s", sel->note);
		else
			snprintf(line, sizeof(line), "%s: %s; %s",
			         plan_answer_text(sel->what, &sel->res, m, ans, sizeof(ans)),
			         plan_status_text(sel->what, sel->res.status),
			         sel->res.status == SOLVE_NOTHING
			             ? "nothing to adopt"
			             : "Enter adopts it into the live settings (u undoes)");
		y += ui_put_wrapped(u, w, y, 2, wd - 2, 2, R_INFO, line, 2);
	}
	/* Below: the settings at the answer, the speed and the launch
	 * commands, in a region that PgUp, PgDn, Home and End scroll when it
	 * does not fit; the key hint on the last line. */
	int region = h - y - 1;
	u->scroll_max = 0;
	u->page_rows = region;
	if (region < 1)
		return;
	WINDOW *sub = derwin(w, region, wd, y, 0);
	if (!sub)
		return;
	int top = -s->screen.scroll;
	int end = draw_answer_details(u, s, sub, top, wd);
	end = ui_draw_speed_launch(u, s, sub, end + 1);
	delwin(sub);
	int lines = end - top;
	u->scroll_max = lines > region ? lines - region : 0;
	char hint[160];
	snprintf(hint, sizeof(hint), "Up/Down choose, Enter adopts%s, u undo, Esc back",
	         u->scroll_max ? ", PgDn/PgUp scroll the rest" : "");
	ui_put_fit(u, w, h - 1, 0, wd, R_DIM, hint);
}

/* The selected answer's settings, where its memory goes and its speed,
 * from row y (rows outside w are clipped).  Returns the row after. */
static int draw_answer_details(const struct ui *u, const struct session *s, WINDOW *w, int y,
                               int wd)
{
	const struct plan_row *sel = &s->screen.plan.row[s->screen.plan_sel];
	if (!sel->applies)
		return y;
	const struct settings *as = &sel->res.settings;
	const struct estimate *ae = &sel->res.est;
	const struct device *dev = &s->devs->v[s->config.cur.gpu];
	char a[32], b[32], c[32], d[32], e[32], kv[32], off[48], tok[32], line[512];
	snprintf(line, sizeof(line),
	         "at the answer: %s, context %s, batch %u, KV %s, offload %s, %ux %s",
	         as->file_types ? "as stored" : ftype_get(as->ftype)->name,
	         fmt_thousands(tok, sizeof(tok), as->ctx_tokens), as->n_seq,
	         report_kv_label(&session_model(s, s->config.cur.model)->arch, as, kv, sizeof(kv)),
	         offload_label(as, false, off, sizeof(off)), sel->res.gpu_count,
	         fmt_device_short_name(dev));
	y += ui_put_wrapped(u, w, y, 4, wd - 4, 8, R_DIM, line, 2);
	snprintf(line, sizeof(line),
	         "weights %s, KV cache %s, compute %s, overhead %s; GPU %s, host %s",
	         ui_gib(a, sizeof(a), (double)ae->weights_bytes),
	         ui_gib(b, sizeof(b), (double)ae->kv_bytes),
	         ui_gib(c, sizeof(c), (double)(ae->compute_bytes + ae->compute_host_bytes)),
	         ui_gib(d, sizeof(d), (double)ae->overhead_bytes),
	         ui_gib(e, sizeof(e), (double)ae->gpu_bytes),
	         ui_gib(kv, sizeof(kv), (double)ae->host_bytes));
	y += ui_put_wrapped(u, w, y, 4, wd - 4, 8, R_DIM, line, 2);
	if (sel->speed.decode_tps > 0) {
		char band[64], n1[24], n2[24], more[160] = "", pre[160] = "";
		if (as->n_seq > 1)
			snprintf(more, sizeof(more), ", %s over %u",
			         speed_format_number(sel->speed.decode_tps_total, n1, sizeof(n1)),
			         as->n_seq);
		if (sel->speed.compute_known)
			snprintf(pre, sizeof(pre),
			         "; prefill about %s tokens/s, first token in %s s",
			         speed_format_number(sel->speed.prefill_tps, n1, sizeof(n1)),
			         speed_format_number(sel->speed.ttft_s, n2, sizeof(n2)));
		snprintf(line, sizeof(line), "decode %s per sequence%s%s",
		         speed_format_band(sel->speed.decode_tps, sel->speed.decode_band, band,
		                           sizeof(band)),
		         more, pre);
		y += ui_put_wrapped(u, w, y, 4, wd - 4, 8, R_DIM, line, 2);
	}
	return y;
}

int ui_draw_speed_launch(const struct ui *u, const struct session *s, WINDOW *w, int y)
{
	int wd = getmaxx(w);
	const struct device *dev = &s->devs->v[s->config.cur.gpu];
	/* Speed of the live configuration, with its assumptions. */
	if (s->results.ev.has_speed) {
		char lines[PLAN_SPEED_LINES][PLAN_TEXT_LINE];
		plan_speed_text(dev, s->config.cur.set.n_seq, &s->results.ev.speed,
		                &s->config.speed_params, lines);
		ui_put_fit(u, w, y++, 0, wd, R_HEADER, "SPEED of these settings (an estimate)");
		y += ui_put_wrapped(u, w, y, 2, wd - 2, 16, R_NORMAL, lines[0], 2);
		for (int i = 1; i < PLAN_SPEED_LINES; i++)
			if (lines[i][0])
				y += ui_put_wrapped(u, w, y, 4, wd - 4, 16, R_NORMAL, lines[i], 9);
	}
	y++;
	/* The launch commands, line by line as --emit prints them. */
	const char *const launch_head[] = {
	    "LAUNCH these settings (as vramcalc --emit llama-server / --emit vllm prints them)",
	    "LAUNCH these settings (as --emit prints them)"};
	ui_put_fit(u, w, y++, 0, wd, R_HEADER, launch_head[textfit_pick(launch_head, 2, wd)]);
	for (int t = 0; t < LAUNCH_COUNT; t++) {
		const char *p = s->screen.plan.launch[t];
		while (*p) {
			const char *nl = strchr(p, '\n');
			int len = nl ? (int)(nl - p) : (int)strlen(p);
			char line[1024];
			snprintf(line, sizeof(line), "%.*s", len, p);
			/* Indented like the rest, unless only the indent would
			 * make a command wrap (a wrapped command copies badly). */
			int lx = len > wd - 2 && len <= wd ? 0 : 2;
			y += ui_put_wrapped(u, w, y, lx, wd - lx, 16,
			                    line[0] == '#' ? R_DIM : R_VALUE, line, 4);
			p += len + (nl ? 1 : 0);
		}
	}
	return y;
}
