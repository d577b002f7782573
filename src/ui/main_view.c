/*
 * main_view.c - the main view's boxes: the sliders, the memory bars (one
 * per device, the legend, the host or unified-memory bar, the pinned A
 * line) and the hardware list ranked by fit.  Reads the session's
 * evaluation; changes nothing but the list's scroll position.
 */
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "textfit.h"
#include "ui_internal.h"

/* ---- sliders ---- */

static void draw_track(const struct ui *u, WINDOW *w, int y, int x, int width, int pos, int count,
                       bool on)
{
	if (width < 3)
		return;
	if (count <= 0 || !on) {
		for (int i = 0; i < width; i++)
			ui_put(u, w, y, x + i, 1, R_DIM, u->g->track);
		return;
	}
	int knob = count > 1 ? (int)((long)pos * (width - 1) / (count - 1)) : 0;
	for (int i = 0; i < width; i++) {
		if (i < knob)
			ui_put(u, w, y, x + i, 1, R_TRACK, u->g->track_fill);
		else if (i == knob)
			ui_put(u, w, y, x + i, 1, R_KNOB, u->g->knob);
		else
			ui_put(u, w, y, x + i, 1, R_DIM, u->g->track);
	}
}

static bool slider_enabled(const struct session *s, int i)
{
	return !slider_table[i].enabled || slider_table[i].enabled(s);
}

void ui_draw_sliders(const struct ui *u, const struct session *s, WINDOW *w)
{
	const struct slider_cols *c = &u->lay.sl;
	bool focus_here = s->screen.view == VIEW_WHATIF || s->screen.pane == PANE_SLIDERS;
	for (int i = 0; i < SL_COUNT; i++) {
		const struct slider_def *d = &slider_table[i];
		bool on = slider_enabled(s, i);
		bool focused = i == s->screen.slider && focus_here;
		char val[128];
		int pos, count;
		d->format(s, &s->config.cur, &s->results.ev, val, sizeof(val));
		d->position(s, &pos, &count);
		if (focused)
			ui_put(u, w, i, 0, 1, R_KNOB, u->g->focus);
		ui_putf(u, w, i, c->label_x, c->label_w,
		        focused ? R_FOCUS
		        : on    ? R_LABEL
		                : R_DIM,
		        "%-*s", c->label_w, d->label);
		ui_put_fit(u, w, i, c->value_x, c->value_w, on ? R_VALUE : R_DIM, val);
		if (c->track_w)
			draw_track(u, w, i, c->track_x, c->track_w, pos, count, on);
		if (c->hint_w && on)
			ui_put_fit(u, w, i, c->hint_x, c->hint_w, focused ? R_NORMAL : R_DIM,
			           d->hint);
	}
}

/* What a device of a split holds, for the label after its bar: "L0-26",
 * "L54-79+out", "rank 0". */
static void load_label(const struct estimate *e, const struct device_load *l, uint32_t k, char *buf,
                       size_t n)
{
	if (e->vllm) {
		snprintf(buf, n, "rank %u", k);
		return;
	}
	uint32_t blocks = l->n_slots - (l->has_output ? 1 : 0);
	if (blocks)
		snprintf(buf, n, "L%u-%u%s", l->first_slot, l->first_slot + blocks - 1,
		         l->has_output ? "+out" : "");
	else
		snprintf(buf, n, "%s", l->has_output ? "output" : "no layers");
}

int ui_bars_rows(const struct session *s)
{
	const struct evaluation *ev = &s->results.ev;
	if (!ev->valid)
		return 6;
	bool host_bar =
	    !ev->unified && (s->config.cur.set.offload != OFFLOAD_GPU || ev->host_level != FIT_OK);
	/* header, a bar per device, need (and its wrapped verdict), legend on
	 * two lines, then the optional lines */
	return 1 + (int)ev->n_devs + 2 + 2 + (ev->unified ? 2 : 0) + (host_bar ? 1 : 0) +
	       (s->config.pinned ? 1 : 0) + (ev->est.vllm ? 1 : 0);
}

void ui_draw_bars(const struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	char a[64], b[64], c[64];
	if (!s->results.ev.valid) {
		ui_put(u, w, 0, 0, wd, R_ERROR, "cannot estimate:");
		int used = ui_put_wrapped(u, w, 1, 2, wd - 2, h - 3, R_ERROR, s->results.ev.err, 0);
		ui_put_fit(u, w, 1 + used, 2, wd - 2, R_DIM,
		           "change the setting it names, or u to undo");
		return;
	}
	const struct evaluation *ev = &s->results.ev;
	const struct estimate *e = &ev->est;
	const struct device *d = ev->dev[0];
	uint32_t n = ev->n_devs;
	uint64_t usable = hw_usable_bytes(d);
	bool unified = ev->unified;
	bool host_bar =
	    !unified && (s->config.cur.set.offload != OFFLOAD_GPU || ev->host_level != FIT_OK);
	int fixed = 3 + (host_bar || unified ? 1 : 0) + (unified ? 1 : 0) +
	            (s->config.pinned ? 1 : 0) + (e->vllm ? 1 : 0);
	int y = 0;

	/* The header: the devices and what each offers, shortened (short
	 * device names, then at a word) rather than cut. */
	char head[512], budget[48] = "";
	if (e->vllm)
		snprintf(budget, sizeof(budget), ", vLLM budget %.0f%%", 100 * e->budget_share);
	if (ev->mixed) {
		size_t used = (size_t)snprintf(head, sizeof(head), "GPU memory: %u devices,", n);
		for (uint32_t k = 0; k < n && used < sizeof(head); k++) {
			if (k && ev->dev[k] == ev->dev[k - 1])
				continue;
			uint32_t c_ = 1;
			while (k + c_ < n && ev->dev[k + c_] == ev->dev[k])
				c_++;
			used += (size_t)snprintf(
			    head + used, sizeof(head) - used, " %ux %s (%s)", c_,
			    fmt_device_short_name(ev->dev[k]),
			    ui_gib(a, sizeof(a), (double)hw_usable_bytes(ev->dev[k])));
		}
		if (used < sizeof(head))
			snprintf(head + used, sizeof(head) - used, "%s", budget);
	} else {
		char full[256], brief[256];
		snprintf(full, sizeof(full), "GPU memory: %ux %s, %s usable each%s", n,
		         n > 1 || unified ? fmt_device_short_name(d) : d->name,
		         ui_gib(a, sizeof(a), (double)usable), budget);
		snprintf(brief, sizeof(brief), "GPU: %ux %s, %s each%s", n,
		         fmt_device_short_name(d), ui_gib(a, sizeof(a), (double)usable), budget);
		const char *const alts[] = {full, brief};
		snprintf(head, sizeof(head), "%s", alts[textfit_pick(alts, 2, wd)]);
	}
	ui_put_fit(u, w, y, 0, wd, R_HEADER, head);
	y++;
	/* Unified memory has two budgets: the GPU's share, and the whole
	 * memory that the GPU and host parts share. */
	if (unified)
		ui_putf(u, w, y++, 0, wd, R_DIM,
		        "unified: GPU share %.0f%% of %s; GPU + host must fit the whole",
		        100 * (usable < d->memory_bytes ? d->gpu_share : 1.0),
		        ui_gib(a, sizeof(a), (double)d->memory_bytes));
	/* One bar per device of the evaluation's split (llama.cpp's layer
	 * split or vLLM's tensor-parallel ranks): its layers' weights and KV,
	 * its compute buffer or activations, its runtime overhead, against
	 * what the device offers. */
	const struct device_load *loads = ev->loads;
	int room = h - fixed;
	if (room < 1)
		room = 1;
	int shown = (int)n <= room ? (int)n : room - 1 > 0 ? room - 1 : 1;
	int label_w = n > 1 ? 6 : 0;
	/* The label after each bar: what the device holds and its total. */
	int suffix_w = 0;
	char suffix[HW_MAX_DEVICES][128];
	for (int i = 0; i < shown && n > 1; i++) {
		char what[24];
		load_label(e, &loads[i], (uint32_t)i, what, sizeof(what));
		if (ev->mixed)
			snprintf(suffix[i], sizeof(suffix[i]), " %-9.9s %-10s %10s",
			         fmt_device_short_name(ev->dev[i]), what,
			         ui_gib(a, sizeof(a), (double)loads[i].total_bytes));
		else
			snprintf(suffix[i], sizeof(suffix[i]), " %-10s %10s", what,
			         ui_gib(a, sizeof(a), (double)loads[i].total_bytes));
		if (ui_cols(suffix[i]) > suffix_w)
			suffix_w = ui_cols(suffix[i]);
	}
	if (wd - label_w - suffix_w < 16)
		suffix_w = 0;
	for (int i = 0; i < shown; i++, y++) {
		const struct device_load *l = &loads[i];
		uint64_t kv = l->kv_bytes < l->layers_bytes ? l->kv_bytes : l->layers_bytes;
		struct bar_seg per[4] = {
		    {SEG_WEIGHTS,
		     l->layers_bytes - kv + l->mmproj_bytes}, /* --mmproj's projector too */
		    {SEG_KV, kv},
		    {SEG_COMPUTE, l->compute_bytes},
		    {SEG_OVERHEAD, l->overhead_bytes},
		};
		if (n > 1)
			ui_putf(u, w, y, 0, label_w, R_DIM, "gpu%-2d", i);
		ui_draw_bar(u, w, y, label_w, wd - label_w - suffix_w, per, 4, ev->budget_bytes[i]);
		if (suffix_w)
			ui_put(u, w, y, wd - suffix_w, suffix_w, ui_fit_role(ev->level[i]),
			       suffix[i]);
	}
	if ((uint32_t)shown < n)
		ui_putf(u, w, y++, 0, wd, R_DIM, "  ... and %u more devices", n - shown);

	uint64_t budget_all = 0;
	int worst = 0;
	for (uint32_t i = 0; i < n; i++) {
		budget_all += ev->budget_bytes[i];
		if (loads[i].headroom_bytes < loads[worst].headroom_bytes)
			worst = (int)i;
	}
	int64_t hr = ev->headroom_bytes;
	/* "need X of Y: " and the verdict; the verdict goes on the next line
	 * when the line is short and a row is spare, and is shortened at a
	 * word (never cut) when not. */
	char need[96], verdict[160];
	enum role vrole = ui_fit_role(ev->level[worst]);
	snprintf(need, sizeof(need), "need %s of %s: ", ui_gib(a, sizeof(a), (double)ev->gpu_bytes),
	         ui_gib(b, sizeof(b), (double)budget_all));
	if (!ev->devices_fit) {
		char more[48] = "";
		if (ev->needed && !ev->mixed)
			snprintf(more, sizeof(more), " (needs %u)", ev->needed);
		else if (!ev->mixed)
			snprintf(more, sizeof(more), " (not on %d of them)", HW_MAX_DEVICES);
		if (hr < 0)
			snprintf(verdict, sizeof(verdict), "%sover by %s, does not fit%s",
			         n > 1 ? "fullest device " : "", ui_gib(c, sizeof(c), (double)-hr),
			         more);
		else
			snprintf(verdict, sizeof(verdict),
			         "GPU + host over the unified memory, does not fit%s", more);
		vrole = R_NOFIT;
	} else {
		snprintf(verdict, sizeof(verdict), "%sheadroom %s, %s", n > 1 ? "least " : "",
		         ui_gib(c, sizeof(c), (double)hr),
		         ev->level[worst] == FIT_TIGHT ? "tight" : "fits");
	}
	int x = ui_put(u, w, y, 0, wd, R_NORMAL, need);
	int spare_rows = h - y - 1 - (e->vllm ? 1 : 0) - 1 - (host_bar || unified ? 1 : 0) -
	                 (s->config.pinned ? 1 : 0);
	if (ui_cols(verdict) > wd - x && spare_rows > 0)
		y += ui_put_wrapped(u, w, y + 1, 2, wd - 2, 1 + spare_rows, vrole, verdict, 0);
	else
		ui_put_fit(u, w, y, x, wd - x, vrole, verdict);
	y++;
	if (e->vllm && y < h) {
		/* vLLM's three numbers, of the tightest rank (hw_split's) */
		const struct vllm_rank *v = &loads[0].vllm;
		for (uint32_t i = 1; i < n; i++)
			if (loads[i].headroom_bytes < loads[0].headroom_bytes)
				v = &loads[i].vllm;
		int64_t kvb = v->kv_budget_bytes;
		char tok[32], mml[32];
		ui_put_fitf(
		    u, w, y++, 0, wd, v->fits ? R_NORMAL : R_NOFIT,
		    "KV budget %s%s per GPU: %s tokens, max concurrency %.2fx at %s tokens",
		    kvb < 0 ? "-" : "", ui_gib(a, sizeof(a), (double)(kvb < 0 ? -kvb : kvb)),
		    fmt_thousands(tok, sizeof(tok), v->kv_capacity_tokens), v->max_concurrency,
		    fmt_thousands(mml, sizeof(mml), e->vllm_terms.max_model_len));
	}
	uint64_t compute = 0, overhead = 0;
	for (uint32_t i = 0; i < n; i++) {
		compute += loads[i].compute_bytes;
		overhead += loads[i].overhead_bytes;
	}
	uint64_t mm_gpu = e->mmproj_on_gpu ? e->mmproj_bytes : 0;
	struct bar_seg all[4] = {
	    {SEG_WEIGHTS, e->weights_gpu_bytes + mm_gpu},
	    {SEG_KV, e->kv_gpu_bytes},
	    {SEG_COMPUTE, compute},
	    {SEG_OVERHEAD, overhead},
	};
	int spare = h - y - (host_bar || unified ? 1 : 0) - (s->config.pinned ? 1 : 0);
	y += ui_draw_legend(u, w, y, wd, spare > 1 ? 2 : 1, all, 4);

	if ((host_bar || unified) && y < h) {
		/* Discrete: the host part against the host memory given
		 * (--host-ram, this machine's by default).  Unified: the second
		 * budget, GPU and host parts together against the whole memory
		 * of the devices. */
		struct bar_seg hs[5] = {
		    {SEG_WEIGHTS, e->weights_host_bytes + (e->mmproj_bytes - mm_gpu)},
		    {SEG_KV, e->kv_host_bytes},
		    {SEG_COMPUTE, e->compute_host_bytes},
		    {SEG_OVERHEAD, 0},
		    {SEG_OUTPUT, e->output_bytes},
		};
		uint64_t cap = ev->host_ram_bytes;
		enum role lrole = ui_fit_role(ev->host_level);
		char label[160];
		int lx = ui_putf(u, w, y, 0, wd, R_HEADER, unified ? "whole" : "host");
		if (unified) {
			for (int i = 0; i < 4; i++)
				hs[i].bytes += all[i].bytes;
			cap = ev->unified_pool_bytes;
			lrole = ev->devices_fit ? R_NORMAL : R_NOFIT;
			snprintf(label, sizeof(label), " GPU+host %s of %s",
			         ui_gib(a, sizeof(a), (double)ev->total_bytes),
			         ui_gib(b, sizeof(b), (double)cap));
		} else if (cap) {
			snprintf(label, sizeof(label), " %s of %s RAM%s",
			         ui_gib(a, sizeof(a), (double)ev->host_bytes),
			         ui_gib(b, sizeof(b), (double)cap),
			         ev->host_level == FIT_NO ? ", does not fit" : "");
		} else {
			snprintf(label, sizeof(label), " %s",
			         ui_gib(a, sizeof(a), (double)ev->host_bytes));
		}
		int lw = ui_cols(label);
		int bw = wd - lx - 1 - lw;
		if (bw >= 8) {
			ui_draw_bar(u, w, y, lx + 1, bw, hs, 5, cap);
			ui_put(u, w, y, lx + 1 + bw, lw, lrole, label);
		} else {
			ui_put_fit(u, w, y, lx, wd - lx, lrole, label);
		}
		y++;
	}
	if (s->config.pinned && y < h) {
		if (s->results.pin_ev.valid)
			ui_put_fitf(u, w, y, 0, wd, R_INFO,
			            "A %s total %s  B %s  B-A %s (w: what-if)",
			            ftype_get(s->config.pin.set.ftype)->name,
			            ui_gib(a, sizeof(a), (double)s->results.pin_ev.est.total_bytes),
			            ui_gib(b, sizeof(b), (double)e->total_bytes),
			            ui_signed_gib(c, sizeof(c),
			                          (double)e->total_bytes -
			                              (double)s->results.pin_ev.est.total_bytes));
		else
			ui_put_fitf(u, w, y, 0, wd, R_WARN, "A: %s", s->results.pin_ev.err);
	}
}

/* ---- hardware list ---- */

void ui_draw_hardware(struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	char a[32], b[32];
	bool focused = s->screen.view == VIEW_MAIN && s->screen.pane == PANE_HARDWARE;
	int x = ui_putf(u, w, 0, 0, wd, focused ? R_FOCUS : R_HEADER, "HARDWARE by fit");
	ui_put_fitf(u, w, 0, x, wd - x, R_DIM, "  [%s]  f filter, %s",
	            s->screen.hw_filter < 0
	                ? "all"
	                : hw_category_name((enum hw_category)s->screen.hw_filter),
	            u->lay.hw_toggle ? "Enter adopts, Tab back to the sliders" : "Tab focus");
	/* "100.00 GiB" is ten columns: the memory column holds it without
	 * pushing the count and headroom right. */
	int name_w = wd - 30;
	if (name_w < 8)
		name_w = 8;
	ui_putf(u, w, 1, 0, wd, R_DIM, "  %-*.*s %10s %4s %11s", name_w, name_w, "device", "memory",
	        "n", "headroom");
	int rows = h - 2;
	if (rows <= 0)
		return;
	if (!s->results.ev.valid) {
		ui_put(u, w, 2, 2, wd - 2, R_DIM, "(no estimate)");
		return;
	}
	int sel = (int)s->screen.hw_sel;
	if (sel < u->hw_top)
		u->hw_top = sel;
	if (sel >= u->hw_top + rows)
		u->hw_top = sel - rows + 1;
	if (u->hw_top > (int)s->screen.n_hw - rows)
		u->hw_top = (int)s->screen.n_hw - rows > 0 ? (int)s->screen.n_hw - rows : 0;
	for (int r = 0; r < rows && u->hw_top + r < (int)s->screen.n_hw; r++) {
		const struct hw_row *hr = &s->screen.hw[u->hw_top + r];
		const struct device *d = &s->devs->v[hr->dev];
		int y = 2 + r;
		bool is_sel = focused && u->hw_top + r == sel;
		if (is_sel)
			ui_fill_row(u, w, y, R_SELECTED);
		enum role role = ui_fit_role(hr->level);
		if (is_sel)
			role = R_SELECTED;
		char n[16];
		if (hr->group == 2)
			snprintf(n, sizeof(n), "-");
		else
			snprintf(n, sizeof(n), "%ux", hr->needed);
		ui_putf(u, w, y, 0, wd, is_sel ? R_SELECTED : R_NORMAL, "%s %-*.*s %10s",
		        hr->dev == s->config.cur.gpu ? "*" : " ", name_w, name_w,
		        fmt_device_short_name(d), ui_gib(a, sizeof(a), (double)hw_usable_bytes(d)));
		ui_putf(u, w, y, name_w + 14, wd - name_w - 14, role, "%4s %11s", n,
		        hr->group == 2 ? "no fit"
		                       : ui_signed_gib(b, sizeof(b), (double)hr->headroom_bytes));
	}
}
