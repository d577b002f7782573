/*
 * draw.c - drawing one frame: title, sliders, bars, hardware list, the
 * compare, explain, what-if and help views, pickers, status and key bar.
 *
 * Drawing reads the session and never changes it.  Each box has its own
 * window; a frame erases and fills the windows of the current view, marks
 * each with wnoutrefresh() and ends with one doupdate().
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "keys.h"
#include "plan_text.h"
#include "report.h"
#include "text.h"
#include "ui_internal.h"

/* ---- text helpers ---- */

/* Columns of a UTF-8 string (every code point is one column here: the
 * glyphs used are all narrow). */
static int cols_of(const char *s)
{
	int n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Bytes of s that fit in max columns. */
static size_t bytes_for_cols(const char *s, int max)
{
	int c = 0;
	size_t i = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (c == max)
				break;
			c++;
		}
	}
	return i;
}

/* Write s at (y, x) in role r, clipped to max columns (and the window).
 * Returns the columns written. */
static int put(const struct ui *u, WINDOW *w, int y, int x, int max, enum role r, const char *s)
{
	int h, wd;
	getmaxyx(w, h, wd);
	if (y < 0 || y >= h || x < 0 || x >= wd || max <= 0)
		return 0;
	if (max > wd - x)
		max = wd - x;
	/* every string reaches the screen through here: no control
	 * characters or broken UTF-8 (a profile name, a typed value) */
	char safe[1024];
	if (!text_is_clean(s))
		s = text_escape(safe, sizeof(safe), s, false);
	size_t b = bytes_for_cols(s, max);
	wattrset(w, ui_attr(u, r));
	mvwaddnstr(w, y, x, s, (int)b);
	wattrset(w, A_NORMAL);
	int c = cols_of(s);
	return c < max ? c : max;
}

static int putf(const struct ui *u, WINDOW *w, int y, int x, int max, enum role r, const char *fmt,
                ...) __attribute__((format(printf, 7, 8)));

static int putf(const struct ui *u, WINDOW *w, int y, int x, int max, enum role r, const char *fmt,
                ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return put(u, w, y, x, max, r, buf);
}

/* Fill a row of a window with one role (for selection bars). */
static void fill_row(const struct ui *u, WINDOW *w, int y, enum role r)
{
	int h, wd;
	getmaxyx(w, h, wd);
	if (y < 0 || y >= h)
		return;
	wattrset(w, ui_attr(u, r));
	mvwhline(w, y, 0, ' ', wd);
	wattrset(w, A_NORMAL);
}

int ui_put(const struct ui *u, WINDOW *w, int y, int x, int max, enum role r, const char *s)
{
	return put(u, w, y, x, max, r, s);
}

int ui_putf(const struct ui *u, WINDOW *w, int y, int x, int max, enum role r, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return put(u, w, y, x, max, r, buf);
}

void ui_fill_row(const struct ui *u, WINDOW *w, int y, enum role r)
{
	fill_row(u, w, y, r);
}

static const char *gib(char *b, size_t n, double bytes)
{
	snprintf(b, n, "%.2f GiB", bytes / GIB);
	return b;
}

static const char *signed_gib(char *b, size_t n, double bytes)
{
	snprintf(b, n, "%+.2f GiB", bytes / GIB);
	return b;
}

static enum role fit_role(enum fit_level f)
{
	return f == FIT_OK ? R_FITS : f == FIT_TIGHT ? R_TIGHT : R_NOFIT;
}

static enum role verdict_role(enum verdict v)
{
	return v == VERDICT_FITS ? R_FITS : v == VERDICT_TIGHT ? R_TIGHT : R_NOFIT;
}

static const struct device *cur_device(const struct session *s)
{
	return &s->devs->v[s->cur.gpu];
}

/* ---- title ---- */

static void draw_title(const struct ui *u, const struct session *s, WINDOW *w)
{
	int wd = getmaxx(w);
	char a[32], b[32], c[32], d[32], text[256];
	const char *bar = u->g->vline;
	fill_row(u, w, 0, R_TITLE);
	if (!s->ev.valid) {
		putf(u, w, 0, 0, wd, R_TITLE, " vramcalc %s %s %s invalid settings", bar,
		     s->cat->v[s->cur.model].meta.name, bar);
		return;
	}
	/* The evaluation's verdict, in the words --print and --json use. */
	const struct evaluation *ev = &s->ev;
	const char *verdict = verdict_words(ev->verdict);
	enum role vrole = verdict_role(ev->verdict);
	/* "total N.NN GiB" is what the end-to-end test reads; the rest goes
	 * when the line is short.  total = GPU (every device) + host. */
	gib(a, sizeof(a), (double)ev->total_bytes);
	fmt_gb(b, sizeof(b), (double)ev->total_bytes);
	gib(c, sizeof(c), (double)ev->gpu_bytes);
	gib(d, sizeof(d), (double)ev->host_bytes);
	const char *name = s->cat->v[s->cur.model].meta.name;
	int room = wd - (int)strlen(verdict) - 3 - (s->pinned ? 12 : 0);
	snprintf(text, sizeof(text), " vramcalc %s %s %s total %s (%s) %s GPU %s %s host %s ", bar,
	         name, bar, a, b, bar, c, bar, d);
	if (cols_of(text) > room)
		snprintf(text, sizeof(text), " %s %s total %s %s GPU %s %s host %s ", name, bar, a,
		         bar, c, bar, d);
	if (cols_of(text) > room)
		snprintf(text, sizeof(text), " %s %s total %s ", name, bar, a);
	int x = put(u, w, 0, 0, wd, R_TITLE, text);
	x += putf(u, w, 0, x, wd - x, vrole, " %s ", verdict);
	if (s->pinned)
		putf(u, w, 0, x, wd - x, R_TITLE, " %s A pinned", bar);
}

/* ---- sliders ---- */

static void draw_track(const struct ui *u, WINDOW *w, int y, int x, int width, int pos, int count,
                       bool on)
{
	if (width < 3)
		return;
	if (count <= 0 || !on) {
		for (int i = 0; i < width; i++)
			put(u, w, y, x + i, 1, R_DIM, u->g->track);
		return;
	}
	int knob = count > 1 ? (int)((long)pos * (width - 1) / (count - 1)) : 0;
	for (int i = 0; i < width; i++) {
		if (i < knob)
			put(u, w, y, x + i, 1, R_TRACK, u->g->track_fill);
		else if (i == knob)
			put(u, w, y, x + i, 1, R_KNOB, u->g->knob);
		else
			put(u, w, y, x + i, 1, R_DIM, u->g->track);
	}
}

static bool slider_enabled(const struct session *s, int i)
{
	return !slider_table[i].enabled || slider_table[i].enabled(s);
}

static void draw_sliders(const struct ui *u, const struct session *s, WINDOW *w)
{
	const struct slider_cols *c = &u->lay.sl;
	bool focus_here = s->view == VIEW_WHATIF || s->pane == PANE_SLIDERS;
	for (int i = 0; i < SL_COUNT; i++) {
		const struct slider_def *d = &slider_table[i];
		bool on = slider_enabled(s, i);
		bool focused = i == s->slider && focus_here;
		char val[128];
		int pos, count;
		d->format(s, val, sizeof(val));
		d->position(s, &pos, &count);
		if (focused)
			put(u, w, i, 0, 1, R_KNOB, u->g->focus);
		putf(u, w, i, c->label_x, c->label_w,
		     focused ? R_FOCUS
		     : on    ? R_LABEL
		             : R_DIM,
		     "%-*s", c->label_w, d->label);
		put(u, w, i, c->value_x, c->value_w, on ? R_VALUE : R_DIM, val);
		if (c->track_w)
			draw_track(u, w, i, c->track_x, c->track_w, pos, count, on);
		if (c->hint_w && on)
			put(u, w, i, c->hint_x, c->hint_w, focused ? R_NORMAL : R_DIM, d->hint);
	}
}

/* ---- bars ---- */

struct seg {
	enum segment kind;
	uint64_t bytes;
};

/* A stacked bar of width cells: segments scaled to max(capacity, sum),
 * free cells up to the capacity, and the capacity marker. */
static void draw_bar(const struct ui *u, WINDOW *w, int y, int x, int width, const struct seg *sg,
                     int n, uint64_t capacity)
{
	if (width < 4)
		return;
	uint64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += sg[i].bytes;
	double scale = (double)(capacity > sum ? capacity : sum);
	if (scale <= 0)
		scale = 1;
	int inner = width - 2;
	put(u, w, y, x, 1, R_NORMAL, "[");
	double cum = 0;
	int col = 0;
	for (int i = 0; i < n; i++) {
		cum += (double)sg[i].bytes;
		int end = (int)(cum / scale * inner + 0.5);
		/* A non-empty segment gets at least one cell when room remains. */
		if (sg[i].bytes && end == col && col < inner)
			end = col + 1;
		for (; col < end && col < inner; col++)
			put(u, w, y, x + 1 + col, 1, ui_segment_role(sg[i].kind),
			    ui_segment_glyph(u, sg[i].kind));
	}
	for (; col < inner; col++)
		put(u, w, y, x + 1 + col, 1, R_FREE, u->g->free_cell);
	int cap_col = capacity ? (int)((double)capacity / scale * inner + 0.5) : inner;
	if (cap_col >= inner)
		put(u, w, y, x + 1 + inner, 1, R_MARKER, u->g->marker);
	else {
		put(u, w, y, x + 1 + cap_col, 1, R_NOFIT, u->g->marker);
		put(u, w, y, x + 1 + inner, 1, R_NORMAL, "]");
	}
}

/* The legend: glyph and size of each segment, wrapped onto a second line
 * when the first is full and rows remain.  Returns the lines used. */
static int draw_legend(const struct ui *u, WINDOW *w, int y, int width, int lines,
                       const struct seg *sg, int n)
{
	int x = 0, used = 1;
	char b[32], item[64];
	for (int i = 0; i < n; i++) {
		snprintf(item, sizeof(item), " %s %s  ", ui_segment_name(sg[i].kind),
		         gib(b, sizeof(b), (double)sg[i].bytes));
		int need = 1 + cols_of(item);
		if (x > 0 && x + need > width && used < lines) {
			y++;
			used++;
			x = 0;
		}
		x += put(u, w, y, x, width - x, ui_segment_role(sg[i].kind),
		         ui_segment_glyph(u, sg[i].kind));
		x += put(u, w, y, x, width - x, R_NORMAL, item);
	}
	return used;
}

/* Write text wrapped at spaces over at most max_lines lines of width
 * columns from (y, x), continuation lines indented by hang more.  Returns
 * the lines used. */
static int put_wrapped(const struct ui *u, WINDOW *w, int y, int x, int width, int max_lines,
                       enum role r, const char *text, int hang)
{
	int used = 0;
	const char *p = text;
	while (*p && used < max_lines && width > 0) {
		if (used == 1) {
			x += hang;
			width -= hang;
			if (width <= 0)
				break;
		}
		int len = (int)strlen(p);
		int take = len;
		if (len > width) {
			take = width;
			while (take > 0 && p[take] != ' ')
				take--;
			if (take == 0)
				take = width;
		}
		char line[512];
		snprintf(line, sizeof(line), "%.*s", take, p);
		put(u, w, y + used, x, width, r, line);
		used++;
		p += take;
		while (*p == ' ')
			p++;
	}
	return used;
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

static void draw_bars(const struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	char a[64], b[64], c[64];
	if (!s->ev.valid) {
		put(u, w, 0, 0, wd, R_ERROR, "cannot estimate:");
		int used = put_wrapped(u, w, 1, 2, wd - 2, h - 3, R_ERROR, s->ev.err, 0);
		put(u, w, 2 + used, 2, wd - 2, R_DIM, "change the setting it names, or u to undo");
		return;
	}
	const struct evaluation *ev = &s->ev;
	const struct estimate *e = &ev->est;
	const struct device *d = ev->dev[0];
	uint32_t n = ev->n_devs;
	uint64_t usable = hw_usable_bytes(d);
	bool unified = ev->unified;
	bool host_bar = !unified && (s->cur.set.offload != OFFLOAD_GPU || ev->host_level != FIT_OK);
	int fixed = 3 + (host_bar || unified ? 1 : 0) + (unified ? 1 : 0) + (s->pinned ? 1 : 0) +
	            (e->vllm ? 1 : 0);
	int y = 0;

	int x;
	if (ev->mixed) {
		x = putf(u, w, y, 0, wd, R_HEADER, "GPU memory: %u devices,", n);
		for (uint32_t k = 0; k < n; k++) {
			if (k && ev->dev[k] == ev->dev[k - 1])
				continue;
			uint32_t c_ = 1;
			while (k + c_ < n && ev->dev[k + c_] == ev->dev[k])
				c_++;
			x += putf(u, w, y, x, wd - x, R_HEADER, " %ux %s (%s)", c_,
			          session_device_short_name(ev->dev[k]),
			          gib(a, sizeof(a), (double)hw_usable_bytes(ev->dev[k])));
		}
	} else {
		x = putf(u, w, y, 0, wd, R_HEADER, "GPU memory: %ux %s, %s usable each", n,
		         n > 1 || unified ? session_device_short_name(d) : d->name,
		         gib(a, sizeof(a), (double)usable));
	}
	if (e->vllm)
		putf(u, w, y, x, wd - x, R_HEADER, ", vLLM budget %.0f%%", 100 * e->budget_share);
	y++;
	/* Unified memory has two budgets: the GPU's share, and the whole
	 * memory that the GPU and host parts share. */
	if (unified)
		putf(u, w, y++, 0, wd, R_DIM,
		     "unified: GPU share %.0f%% of %s; GPU + host must fit the whole",
		     100 * (usable < d->memory_bytes ? d->gpu_share : 1.0),
		     gib(a, sizeof(a), (double)d->memory_bytes));
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
			         session_device_short_name(ev->dev[i]), what,
			         gib(a, sizeof(a), (double)loads[i].total_bytes));
		else
			snprintf(suffix[i], sizeof(suffix[i]), " %-10s %10s", what,
			         gib(a, sizeof(a), (double)loads[i].total_bytes));
		if (cols_of(suffix[i]) > suffix_w)
			suffix_w = cols_of(suffix[i]);
	}
	if (wd - label_w - suffix_w < 16)
		suffix_w = 0;
	for (int i = 0; i < shown; i++, y++) {
		const struct device_load *l = &loads[i];
		uint64_t kv = l->kv_bytes < l->layers_bytes ? l->kv_bytes : l->layers_bytes;
		struct seg per[4] = {
		    {SEG_WEIGHTS, l->layers_bytes - kv},
		    {SEG_KV, kv},
		    {SEG_COMPUTE, l->compute_bytes},
		    {SEG_OVERHEAD, l->overhead_bytes},
		};
		if (n > 1)
			putf(u, w, y, 0, label_w, R_DIM, "gpu%-2d", i);
		draw_bar(u, w, y, label_w, wd - label_w - suffix_w, per, 4, ev->budget_bytes[i]);
		if (suffix_w)
			put(u, w, y, wd - suffix_w, suffix_w, fit_role(ev->level[i]), suffix[i]);
	}
	if ((uint32_t)shown < n)
		putf(u, w, y++, 0, wd, R_DIM, "  ... and %u more devices", n - shown);

	uint64_t budget_all = 0;
	int worst = 0;
	for (uint32_t i = 0; i < n; i++) {
		budget_all += ev->budget_bytes[i];
		if (loads[i].headroom_bytes < loads[worst].headroom_bytes)
			worst = (int)i;
	}
	int64_t hr = ev->headroom_bytes;
	x = putf(u, w, y, 0, wd, R_NORMAL,
	         "need %s of %s: ", gib(a, sizeof(a), (double)ev->gpu_bytes),
	         gib(b, sizeof(b), (double)budget_all));
	if (!ev->devices_fit) {
		if (hr < 0)
			x += putf(u, w, y, x, wd - x, R_NOFIT, "%sover by %s, does not fit",
			          n > 1 ? "fullest device " : "", gib(c, sizeof(c), (double)-hr));
		else
			x += putf(u, w, y, x, wd - x, R_NOFIT,
			          "GPU + host over the unified memory, does not fit");
		if (ev->needed && !ev->mixed)
			putf(u, w, y, x, wd - x, R_NORMAL, " (needs %u)", ev->needed);
		else if (!ev->mixed)
			putf(u, w, y, x, wd - x, R_NORMAL, " (not on %d of them)", HW_MAX_DEVICES);
	} else {
		putf(u, w, y, x, wd - x, fit_role(ev->level[worst]), "%sheadroom %s, %s",
		     n > 1 ? "least " : "", gib(c, sizeof(c), (double)hr),
		     ev->level[worst] == FIT_TIGHT ? "tight" : "fits");
	}
	y++;
	if (e->vllm && y < h) {
		/* vLLM's three numbers, of the tightest rank (hw_split's) */
		const struct vllm_rank *v = &loads[0].vllm;
		for (uint32_t i = 1; i < n; i++)
			if (loads[i].headroom_bytes < loads[0].headroom_bytes)
				v = &loads[i].vllm;
		int64_t kvb = v->kv_budget_bytes;
		char tok[32], mml[32];
		putf(u, w, y++, 0, wd, v->fits ? R_NORMAL : R_NOFIT,
		     "KV budget %s%s per GPU: %s tokens, max concurrency %.2fx at %s tokens",
		     kvb < 0 ? "-" : "", gib(a, sizeof(a), (double)(kvb < 0 ? -kvb : kvb)),
		     fmt_thousands(tok, sizeof(tok), v->kv_capacity_tokens), v->max_concurrency,
		     fmt_thousands(mml, sizeof(mml), e->vllm_terms.max_model_len));
	}
	uint64_t compute = 0, overhead = 0;
	for (uint32_t i = 0; i < n; i++) {
		compute += loads[i].compute_bytes;
		overhead += loads[i].overhead_bytes;
	}
	struct seg all[4] = {
	    {SEG_WEIGHTS, e->weights_gpu_bytes},
	    {SEG_KV, e->kv_gpu_bytes},
	    {SEG_COMPUTE, compute},
	    {SEG_OVERHEAD, overhead},
	};
	int spare = h - y - (host_bar || unified ? 1 : 0) - (s->pinned ? 1 : 0);
	y += draw_legend(u, w, y, wd, spare > 1 ? 2 : 1, all, 4);

	if ((host_bar || unified) && y < h) {
		/* Discrete: the host part against the host memory given
		 * (--host-ram, this machine's by default).  Unified: the second
		 * budget, GPU and host parts together against the whole memory
		 * of the devices. */
		struct seg hs[5] = {
		    {SEG_WEIGHTS, e->weights_host_bytes}, {SEG_KV, e->kv_host_bytes},
		    {SEG_COMPUTE, e->compute_host_bytes}, {SEG_OVERHEAD, 0},
		    {SEG_OUTPUT, e->output_bytes},
		};
		uint64_t cap = ev->host_ram_bytes;
		enum role lrole = fit_role(ev->host_level);
		char label[160];
		int lx = putf(u, w, y, 0, wd, R_HEADER, unified ? "whole" : "host");
		if (unified) {
			for (int i = 0; i < 4; i++)
				hs[i].bytes += all[i].bytes;
			cap = ev->unified_pool_bytes;
			lrole = ev->devices_fit ? R_NORMAL : R_NOFIT;
			snprintf(label, sizeof(label), " GPU+host %s of %s",
			         gib(a, sizeof(a), (double)ev->total_bytes),
			         gib(b, sizeof(b), (double)cap));
		} else if (cap) {
			snprintf(label, sizeof(label), " %s of %s RAM%s",
			         gib(a, sizeof(a), (double)ev->host_bytes),
			         gib(b, sizeof(b), (double)cap),
			         ev->host_level == FIT_NO ? ", does not fit" : "");
		} else {
			snprintf(label, sizeof(label), " %s",
			         gib(a, sizeof(a), (double)ev->host_bytes));
		}
		int lw = cols_of(label);
		int bw = wd - lx - 1 - lw;
		if (bw >= 8) {
			draw_bar(u, w, y, lx + 1, bw, hs, 5, cap);
			put(u, w, y, lx + 1 + bw, lw, lrole, label);
		} else {
			put(u, w, y, lx, wd - lx, lrole, label);
		}
		y++;
	}
	if (s->pinned && y < h) {
		if (s->pin_ev.valid)
			putf(
			    u, w, y, 0, wd, R_INFO, "A %s total %s  B %s  B-A %s (w: what-if)",
			    ftype_get(s->pin.set.ftype)->name,
			    gib(a, sizeof(a), (double)s->pin_ev.est.total_bytes),
			    gib(b, sizeof(b), (double)e->total_bytes),
			    signed_gib(c, sizeof(c),
			               (double)e->total_bytes - (double)s->pin_ev.est.total_bytes));
		else
			putf(u, w, y, 0, wd, R_WARN, "A: %s", s->pin_ev.err);
	}
}

/* ---- hardware list ---- */

static void draw_hardware(struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	char a[32], b[32];
	bool focused = s->view == VIEW_MAIN && s->pane == PANE_HARDWARE;
	int x = putf(u, w, 0, 0, wd, focused ? R_FOCUS : R_HEADER, "HARDWARE by fit");
	putf(u, w, 0, x, wd - x, R_DIM, "  [%s]  f filter, Tab focus",
	     s->hw_filter < 0 ? "all" : hw_category_name((enum hw_category)s->hw_filter));
	/* "100.00 GiB" is ten columns: the memory column holds it without
	 * pushing the count and headroom right. */
	int name_w = wd - 30;
	if (name_w < 8)
		name_w = 8;
	putf(u, w, 1, 0, wd, R_DIM, "  %-*.*s %10s %4s %11s", name_w, name_w, "device", "memory",
	     "n", "headroom");
	int rows = h - 2;
	if (rows <= 0)
		return;
	if (!s->ev.valid) {
		put(u, w, 2, 2, wd - 2, R_DIM, "(no estimate)");
		return;
	}
	int sel = (int)s->hw_sel;
	if (sel < u->hw_top)
		u->hw_top = sel;
	if (sel >= u->hw_top + rows)
		u->hw_top = sel - rows + 1;
	if (u->hw_top > (int)s->n_hw - rows)
		u->hw_top = (int)s->n_hw - rows > 0 ? (int)s->n_hw - rows : 0;
	for (int r = 0; r < rows && u->hw_top + r < (int)s->n_hw; r++) {
		const struct hw_row *hr = &s->hw[u->hw_top + r];
		const struct device *d = &s->devs->v[hr->dev];
		int y = 2 + r;
		bool is_sel = focused && u->hw_top + r == sel;
		if (is_sel)
			fill_row(u, w, y, R_SELECTED);
		enum role role = fit_role(hr->level);
		if (is_sel)
			role = R_SELECTED;
		char n[16];
		if (hr->group == 2)
			snprintf(n, sizeof(n), "-");
		else
			snprintf(n, sizeof(n), "%ux", hr->needed);
		putf(u, w, y, 0, wd, is_sel ? R_SELECTED : R_NORMAL, "%s %-*.*s %10s",
		     hr->dev == s->cur.gpu ? "*" : " ", name_w, name_w,
		     session_device_short_name(d), gib(a, sizeof(a), (double)hw_usable_bytes(d)));
		putf(u, w, y, name_w + 14, wd - name_w - 14, role, "%4s %11s", n,
		     hr->group == 2 ? "no fit"
		                    : signed_gib(b, sizeof(b), (double)hr->headroom_bytes));
	}
}

/* ---- compare view ---- */

static void draw_compare(struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	char a[32], b[32], c[32], d[32], f[48];
	const struct device *dev = cur_device(s);
	char tok[32];
	putf(u, w, 0, 0, wd, R_HEADER,
	     "COMPARE every quantization: %s, context %s, batch %u, on %ux %s",
	     s->cat->v[s->cur.model].meta.name, fmt_tokens(tok, sizeof(tok), s->cur.set.ctx_tokens),
	     s->cur.set.n_seq, s->cur.gpu_count, dev->name);
	putf(u, w, 1, 0, wd, R_DIM, "  %-10s %-9s %6s %11s %11s %11s %11s  %s", "quant", "engine",
	     "bpw", "weights", "KV cache", "total", "GPU", "fit");
	int rows = h - 3;
	int sel = (int)s->cmp_sel;
	if (sel < u->cmp_top)
		u->cmp_top = sel;
	if (sel >= u->cmp_top + rows)
		u->cmp_top = sel - rows + 1;
	for (int r = 0; r < rows && u->cmp_top + r < FT_COUNT; r++) {
		const struct compare_row *cr = &s->cmp[u->cmp_top + r];
		const struct ftype_info *fi = ftype_get(cr->ftype);
		int y = 2 + r;
		bool is_sel = u->cmp_top + r == sel;
		bool current = cr->ftype == s->cur.set.ftype && !s->cur.set.file_types;
		if (is_sel)
			fill_row(u, w, y, R_SELECTED);
		enum role base = is_sel ? R_SELECTED : R_NORMAL;
		int x = putf(u, w, y, 0, wd, base, "%s %-10s %-9s", current ? "*" : " ", fi->name,
		             fi->engine == FT_VLLM ? "vLLM" : "llama.cpp");
		if (!cr->valid) {
			putf(u, w, y, x, wd - x, is_sel ? R_SELECTED : R_DIM, " %s", cr->err);
			continue;
		}
		x += putf(u, w, y, x, wd - x, base, " %6.2f %11s %11s %11s %11s  ", cr->bpw,
		          gib(a, sizeof(a), (double)cr->weights_bytes),
		          gib(b, sizeof(b), (double)cr->kv_bytes),
		          gib(c, sizeof(c), (double)cr->total_bytes),
		          gib(d, sizeof(d), (double)cr->gpu_bytes));
		enum fit_level fl = cr->level;
		if (fl == FIT_NO)
			snprintf(f, sizeof(f), "no, short %s",
			         gib(a, sizeof(a), (double)-cr->fit.headroom_bytes));
		else
			snprintf(f, sizeof(f), "%s %s", fl == FIT_TIGHT ? "tight" : "fits",
			         signed_gib(a, sizeof(a), (double)cr->fit.headroom_bytes));
		put(u, w, y, x, wd - x, is_sel ? R_SELECTED : fit_role(fl), f);
	}
	put(u, w, h - 1, 0, wd, R_DIM, "Up/Down move, Enter adopts the quantization, Esc back");
}

/* ---- explain and help views (scrolled text) ---- */

static void draw_lines(const struct ui *u, WINDOW *w, const char (*lines)[SESSION_LINE_MAX], int n,
                       int scroll)
{
	int h, wd;
	getmaxyx(w, h, wd);
	if (scroll > n - h)
		scroll = n - h > 0 ? n - h : 0;
	for (int r = 0; r < h && scroll + r < n; r++) {
		const char *l = lines[scroll + r];
		enum role role = (l[0] >= 'A' && l[0] <= 'Z' && l[1] >= 'A' && l[1] <= 'Z')
		                     ? R_HEADER
		                     : R_NORMAL;
		put(u, w, r, 1, wd - 1, role, l);
	}
}

#define HELP_MAX 96
static char help_lines[HELP_MAX][SESSION_LINE_MAX];

static int build_help(const struct ui *u)
{
	int n = 0;
#define ADD(...)                                                                                   \
	(n < HELP_MAX ? (void)snprintf(help_lines[n++], SESSION_LINE_MAX, __VA_ARGS__) : (void)0)
	ADD("KEYS");
	/* Consecutive rows with the same action and help share a line. */
	for (const struct key_binding *b = key_table; b->name;) {
		const struct key_binding *first = b;
		char names[48] = "";
		size_t used = 0;
		do {
			if (used < sizeof(names))
				used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
				                         used ? ", " : "", b->name);
			b++;
		} while (b->name && b->action == first->action && !strcmp(b->help, first->help));
		/* A key bound again for other views (q) is explained once. */
		if (first != key_table && !strcmp(first[-1].name, first->name))
			continue;
		ADD("  %-14s %s", names, first->help);
	}
	ADD("%s", "");
	ADD("SLIDERS");
	for (int i = 0; i < SL_COUNT; i++)
		ADD("  %-14s %s",
		    slider_table[i].label[0] == ' ' ? slider_table[i].label + 2
		                                    : slider_table[i].label,
		    slider_table[i].help);
	ADD("%s", "");
	ADD("BARS");
	for (int i = 0; i < SEG_COUNT; i++)
		ADD("  %s  %s", ui_segment_glyph(u, (enum segment)i),
		    ui_segment_name((enum segment)i));
	ADD("  %s  capacity of the device: vLLM's --gpu-util budget; --host-ram (this machine's "
	    "RAM by default) for the host bar",
	    u->g->marker);
	ADD("  several GPUs: one bar per device with what it holds (layers L0-26+out, or its vLLM "
	    "rank); a mixed set names each device");
	ADD("  hardware list: a adds one of the selected device to the set, r removes one");
	ADD("  unified memory: a second bar, GPU and host parts against the whole memory");
	ADD("  %s  free", u->g->free_cell);
	ADD("  fits: every device and host memory keep the --margin free (10%% by default)");
	ADD("  tight: some headroom under the margin; does not fit: a device over capacity");
	ADD("  does not fit (host memory): the devices fit, host memory (--host-ram) does not");
	ADD("  total = GPU (the sum of the devices) + host");
	ADD("%s", "");
	ADD("SIZES  GiB = 2^30 bytes, GB = 10^9 bytes; the numbers equal vramcalc --json");
	ADD("ENVIRONMENT  NO_COLOR (non-empty) or --no-color: monochrome");
	ADD("SESSIONS  saved in $XDG_CONFIG_HOME/vramcalc/sessions (~/.config/...)");
#undef ADD
	return n;
}

int ui_help_lines(const struct ui *u)
{
	return build_help(u);
}

static void draw_help(const struct ui *u, const struct session *s, WINDOW *w)
{
	int n = build_help(u);
	draw_lines(u, w, (const char(*)[SESSION_LINE_MAX])help_lines, n, s->scroll);
}

/* ---- what-if view ---- */

static void draw_whatif(const struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	(void)h;
	char a[128], b[128], c[32];
	if (!s->pinned) {
		put(u, w, 0, 0, wd, R_HEADER, "WHAT-IF");
		put(u, w, 2, 1, wd - 1, R_NORMAL, "Nothing pinned yet. Press p to pin the current");
		put(u, w, 3, 1, wd - 1, R_NORMAL,
		    "configuration as A, then move the sliders on the");
		put(u, w, 4, 1, wd - 1, R_NORMAL, "left: B follows live, with the differences.");
		return;
	}
	int col = (wd - 12 - 12) / 2;
	if (col < 8)
		col = 8;
	int y = 0;
	putf(u, w, y++, 0, wd, R_HEADER, "%-11s %-*.*s %-*.*s %s", "WHAT-IF", col, col,
	     "A (pinned)", col, col, "B (live)", "B - A");
	/* Settings: A formatted through a copy of the session whose live
	 * configuration is A. */
	static struct session as_a;
	as_a = *s;
	as_a.cur = s->pin;
	as_a.ev.valid = false;
	for (int i = 0; i < SL_COUNT && y < h; i++) {
		slider_table[i].format(&as_a, a, sizeof(a));
		/* Format B the same way (no bpw) so equal settings compare equal. */
		as_a.cur = s->cur;
		slider_table[i].format(&as_a, b, sizeof(b));
		as_a.cur = s->pin;
		bool differ = strcmp(a, b) != 0;
		const char *label = slider_table[i].label;
		while (*label == ' ')
			label++;
		putf(u, w, y, 0, wd, differ ? R_VALUE : R_DIM, "%-11s %-*.*s %-*.*s %s", label, col,
		     col, a, col, col, b, differ ? "changed" : "");
		y++;
	}
	y++;
	if (!s->pin_ev.valid || !s->ev.valid) {
		char msg[300];
		snprintf(msg, sizeof(msg), "%s: %s", !s->pin_ev.valid ? "A" : "B",
		         !s->pin_ev.valid ? s->pin_ev.err : s->ev.err);
		put_wrapped(u, w, y, 0, wd, h - y, R_ERROR, msg, 2);
		return;
	}
	const struct estimate *A = &s->pin_ev.est, *B = &s->ev.est;
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
	    {"total", s->pin_ev.total_bytes, s->ev.total_bytes},
	    {"GPU memory", s->pin_ev.gpu_bytes, s->ev.gpu_bytes},
	    {"host memory", s->pin_ev.host_bytes, s->ev.host_bytes},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]) && y < h; i++, y++) {
		double dlt = (double)rows[i].b - (double)rows[i].a;
		int x = putf(u, w, y, 0, wd, i == 5 ? R_VALUE : R_NORMAL, "%-11s %-*s %-*s ",
		             rows[i].name, col, gib(a, sizeof(a), (double)rows[i].a), col,
		             gib(b, sizeof(b), (double)rows[i].b));
		put(u, w, y, x, wd - x,
		    dlt > 0   ? R_WARN
		    : dlt < 0 ? R_FITS
		              : R_DIM,
		    rows[i].a == rows[i].b ? "same" : signed_gib(c, sizeof(c), dlt));
	}
	if (y < h) {
		const struct evaluation *ea = &s->pin_ev, *eb = &s->ev;
		int x = putf(u, w, y, 0, wd, R_NORMAL, "%-11s ", "verdict");
		snprintf(a, sizeof(a), "%s %s", verdict_words(ea->verdict),
		         signed_gib(c, sizeof(c), (double)ea->headroom_bytes));
		x += putf(u, w, y, x, col + 1, verdict_role(ea->verdict), "%-*s ", col, a);
		snprintf(b, sizeof(b), "%s %s", verdict_words(eb->verdict),
		         signed_gib(c, sizeof(c), (double)eb->headroom_bytes));
		putf(u, w, y, x, col + 1, verdict_role(eb->verdict), "%-*s ", col, b);
	}
}

/* ---- plan view ---- */

/* The question each solver answers, as the plan view's first column. */
static const char *plan_question(const struct session *s, enum solve_what w)
{
	static const char *const q[SOLVE_COUNT] = {
	    [SOLVE_CONTEXT] = "largest context", [SOLVE_QUANT] = "best quant",
	    [SOLVE_GPUS] = "fewest GPUs",        [SOLVE_BATCH] = "most sequences",
	    [SOLVE_OFFLOAD] = "least offload",
	};
	if (w == SOLVE_OFFLOAD && !session_model(s, s->cur.model)->arch.n_expert)
		return "most GPU layers";
	return q[w];
}

/* Optional columns of the plan table, dropped right to left when the
 * terminal is narrow. */
enum { PC_STATUS, PC_TOTAL, PC_HEADROOM, PC_DECODE, PC_COUNT };
static const int plan_col_w[PC_COUNT] = {17, 11, 12, 14};

static void draw_plan(const struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	char a[64], b[64], tok[32];
	const struct device *dev = cur_device(s);
	const struct model *m = session_model(s, s->cur.model);
	bool vllm = session_engine(s) == FT_VLLM;
	int y = 0;
	putf(u, w, y++, 0, wd, R_HEADER, "PLAN %s, %s, context %s, batch %u, on %ux %s (%s)",
	     s->cat->v[s->cur.model].meta.name,
	     s->cur.set.file_types ? "as stored" : ftype_get(s->cur.set.ftype)->name,
	     fmt_tokens(tok, sizeof(tok), s->cur.set.ctx_tokens), s->cur.set.n_seq,
	     s->cur.gpu_count, dev->name, vllm ? "vLLM" : "llama.cpp");
	if (!s->ev.valid) {
		put(u, w, y + 1, 2, wd - 2, R_ERROR, "cannot plan from these settings:");
		put_wrapped(u, w, y + 2, 4, wd - 4, h - y - 4, R_ERROR, s->ev.err, 0);
		return;
	}

	/* The table: question, answer, then the optional columns that fit
	 * beside the longest answer (decode goes first, the status last). */
	const int q_w = 16;
	static const int drop_order[PC_COUNT] = {PC_DECODE, PC_TOTAL, PC_HEADROOM, PC_STATUS};
	int need = 6;
	for (int i = 0; i < SOLVE_COUNT; i++) {
		char ans[160];
		const struct plan_row *r = &s->plan.row[i];
		if (r->applies)
			plan_answer_text(r->what, &r->res, m, ans, sizeof(ans));
		int len = r->applies ? cols_of(ans) : 0;
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
	put(u, w, y, 2, q_w, R_DIM, "question");
	put(u, w, y, ans_x, ans_w, R_DIM, "answer");
	for (int c = 0; c < PC_COUNT; c++)
		if (col[c])
			putf(u, w, y, col_x[c], plan_col_w[c], R_DIM,
			     c == PC_STATUS ? "%-*s" : "%*s", plan_col_w[c] - 1, heads[c]);
	y++;
	for (int i = 0; i < SOLVE_COUNT && y < h; i++, y++) {
		const struct plan_row *r = &s->plan.row[i];
		bool is_sel = (size_t)i == s->plan_sel;
		enum role base = is_sel ? R_SELECTED : R_NORMAL;
		if (is_sel) {
			fill_row(u, w, y, R_SELECTED);
			put(u, w, y, 0, 1, R_SELECTED, u->g->focus);
		}
		put(u, w, y, 2, q_w, base, plan_question(s, r->what));
		if (!r->applies) {
			put(u, w, y, ans_x, wd - ans_x, is_sel ? R_SELECTED : R_DIM, r->note);
			continue;
		}
		char ans[160];
		put(u, w, y, ans_x, ans_w, base,
		    plan_answer_text(r->what, &r->res, m, ans, sizeof(ans)));
		bool none = r->res.status == SOLVE_NOTHING;
		enum fit_level fl = r->level;
		if (col[PC_STATUS])
			putf(u, w, y, col_x[PC_STATUS], plan_col_w[PC_STATUS],
			     is_sel ? R_SELECTED
			     : none ? R_NOFIT
			            : R_FITS,
			     "%-*s", plan_col_w[PC_STATUS] - 1, plan_status_word(r->res.status));
		if (col[PC_TOTAL])
			putf(u, w, y, col_x[PC_TOTAL], plan_col_w[PC_TOTAL], base, "%*s",
			     plan_col_w[PC_TOTAL] - 1,
			     gib(a, sizeof(a), (double)r->res.est.total_bytes));
		if (col[PC_HEADROOM])
			putf(u, w, y, col_x[PC_HEADROOM], plan_col_w[PC_HEADROOM],
			     is_sel ? R_SELECTED : fit_role(fl), "%*s", plan_col_w[PC_HEADROOM] - 1,
			     signed_gib(b, sizeof(b), (double)r->res.fit.headroom_bytes));
		if (col[PC_DECODE] && r->speed.decode_tps > 0) {
			char n[24];
			putf(u, w, y, col_x[PC_DECODE], plan_col_w[PC_DECODE], base, "%*s tok/s",
			     plan_col_w[PC_DECODE] - 7,
			     speed_format_number(r->speed.decode_tps, n, sizeof(n)));
		}
	}
	/* What the selected answer means, and what Enter does. */
	bool hint = h >= 24; /* the key hint on the last line */
	if (hint)
		h--;
	const struct plan_row *sel = &s->plan.row[s->plan_sel];
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
		y += put_wrapped(u, w, y, 2, wd - 2, 2, R_INFO, line, 2);
	}
	/* With rows to spare: the settings at the answer and where their
	 * memory goes. */
	if (sel->applies && h - y >= 22) {
		const struct settings *as = &sel->res.settings;
		const struct estimate *ae = &sel->res.est;
		char kv[32], off[48], c[32], d[32], e[32];
		putf(u, w, y++, 4, wd - 4, R_DIM,
		     "at the answer: %s, context %s, batch %u, KV %s, offload %s, %ux %s",
		     as->file_types ? "as stored" : ftype_get(as->ftype)->name,
		     fmt_thousands(tok, sizeof(tok), as->ctx_tokens), as->n_seq,
		     report_kv_label(as, kv, sizeof(kv)),
		     offload_label(as, false, off, sizeof(off)), sel->res.gpu_count,
		     session_device_short_name(dev));
		putf(u, w, y++, 4, wd - 4, R_DIM,
		     "weights %s, KV cache %s, compute %s, overhead %s; GPU %s, host %s",
		     gib(a, sizeof(a), (double)ae->weights_bytes),
		     gib(b, sizeof(b), (double)ae->kv_bytes),
		     gib(c, sizeof(c), (double)(ae->compute_bytes + ae->compute_host_bytes)),
		     gib(d, sizeof(d), (double)ae->overhead_bytes),
		     gib(e, sizeof(e), (double)ae->gpu_bytes),
		     gib(kv, sizeof(kv), (double)ae->host_bytes));
		if (sel->speed.decode_tps > 0) {
			char band[64], n1[24], n2[24];
			x = putf(u, w, y, 4, wd - 4, R_DIM, "decode %s per sequence",
			         speed_format_band(sel->speed.decode_tps, sel->speed.decode_band,
			                           band, sizeof(band)));
			if (as->n_seq > 1)
				x += putf(u, w, y, 4 + x, wd - 4 - x, R_DIM, ", %s over %u",
				          speed_format_number(sel->speed.decode_tps_total, n1,
				                              sizeof(n1)),
				          as->n_seq);
			if (sel->speed.compute_known)
				putf(u, w, y, 4 + x, wd - 4 - x, R_DIM,
				     "; prefill about %s tokens/s, first token in %s s",
				     speed_format_number(sel->speed.prefill_tps, n1, sizeof(n1)),
				     speed_format_number(sel->speed.ttft_s, n2, sizeof(n2)));
			y++;
		}
	}
	y++;

	/* Speed of the live configuration, with its assumptions. */
	if (y < h) {
		char lines[PLAN_SPEED_LINES][PLAN_TEXT_LINE];
		plan_speed_text(dev, s->cur.set.n_seq, &s->plan.speed, &s->speed_params, lines);
		put(u, w, y++, 0, wd, R_HEADER, "SPEED of these settings (an estimate)");
		y += put_wrapped(u, w, y, 2, wd - 2, h - y, R_NORMAL, lines[0], 2);
		for (int i = 1; i < PLAN_SPEED_LINES && y < h; i++)
			y += put_wrapped(u, w, y, 4, wd - 4, h - y, R_NORMAL, lines[i], 9);
	}
	y++;

	/* The launch commands, line by line as --emit prints them. */
	if (y < h)
		put(u, w, y++, 0, wd, R_HEADER,
		    "LAUNCH these settings (as vramcalc --emit llama-server / --emit vllm prints "
		    "them)");
	for (int t = 0; t < LAUNCH_COUNT && y < h; t++) {
		const char *p = s->plan.launch[t];
		while (*p && y < h) {
			const char *nl = strchr(p, '\n');
			int len = nl ? (int)(nl - p) : (int)strlen(p);
			char line[1024];
			snprintf(line, sizeof(line), "%.*s", len, p);
			/* Indented like the rest, unless only the indent would
			 * make a command wrap (a wrapped command copies badly). */
			int lx = len > wd - 2 && len <= wd ? 0 : 2;
			y += put_wrapped(u, w, y, lx, wd - lx, h - y,
			                 line[0] == '#' ? R_DIM : R_VALUE, line, 4);
			p += len + (nl ? 1 : 0);
		}
	}
	if (hint)
		put(u, w, h, 0, wd, R_DIM,
		    "Up/Down choose an answer, Enter adopts it, u undo, Esc back");
}

/* ---- popups: pickers and prompts ---- */

static void draw_popup(struct ui *u, const struct session *s, WINDOW *w)
{
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	wattrset(w, ui_attr(u, R_NORMAL));
	box(w, 0, 0);
	char a[32], b[32], pr[160];
	if (s->modal == MODAL_PROMPT) {
		if (s->prompt_kind == PROMPT_OVERWRITE) {
			putf(u, w, 0, 2, wd - 4, R_HEADER, " replace session '%s'? ", s->save_name);
			putf(u, w, 2, 2, wd - 4, R_WARN, "%s/%s.ini exists", s->sessions_dir,
			     s->save_name);
			put(u, w, h - 2, 2, wd - 4, R_DIM, "y replace it, any other key keeps it");
			return;
		}
		const char *what =
		    s->prompt_kind == PROMPT_SAVE ? "save session as (name)"
		    : s->prompt_kind == PROMPT_HW_SEARCH
		        ? "search the hardware list (name or id)"
		        : session_slider_prompt(&slider_table[s->slider], pr, sizeof(pr));
		putf(u, w, 0, 2, wd - 4, R_HEADER, " %s ", what ? what : "value");
		putf(u, w, 2, 2, wd - 4, R_VALUE, "> %s_", s->prompt);
		if (s->prompt_kind == PROMPT_SAVE)
			putf(u, w, 4, 2, wd - 4, R_DIM, "in %s", s->sessions_dir);
		put(u, w, h - 2, 2, wd - 4, R_DIM,
		    "Enter accept, Esc cancel, Backspace, Ctrl-U clear");
		return;
	}
	const char *title =
	    s->modal == MODAL_PICK_MODEL ? "pick a model (name, family, size: 8b, <10b)"
	    : s->modal == MODAL_PICK_GPU ? "pick a GPU (name, vendor, category, 24gb)"
	                                 : "load a session";
	putf(u, w, 0, 2, wd - 4, R_HEADER, " %s ", title);
	putf(u, w, 1, 2, wd - 4, R_VALUE, "/ %s_", s->pick.query);
	putf(u, w, 1, wd - 14, 12, R_DIM, "%zu match%s", s->pick.n, s->pick.n == 1 ? "" : "es");
	int rows = h - 4;
	int sel = (int)s->pick.sel;
	if (sel < u->pick_top)
		u->pick_top = sel;
	if (sel >= u->pick_top + rows)
		u->pick_top = sel - rows + 1;
	if (u->pick_top > (int)s->pick.n)
		u->pick_top = 0;
	for (int r = 0; r < rows && u->pick_top + r < (int)s->pick.n; r++) {
		size_t i = s->pick.match[u->pick_top + r];
		bool is_sel = u->pick_top + r == sel;
		enum role role = is_sel ? R_SELECTED : R_NORMAL;
		int y = 2 + r;
		char line[256];
		if (s->modal == MODAL_PICK_MODEL) {
			const struct model_meta *m = &s->cat->v[i].meta;
			snprintf(line, sizeof(line), "%-26.26s %8s  %-12.12s %s", m->id,
			         fmt_params(a, sizeof(a), session_model(s, i)->params_total),
			         m->family, m->name);
		} else if (s->modal == MODAL_PICK_GPU) {
			const struct device *d = &s->devs->v[i];
			snprintf(line, sizeof(line), "%-40.40s %10s  %s", d->name,
			         gib(b, sizeof(b), (double)hw_usable_bytes(d)),
			         hw_category_name(d->category));
		} else {
			snprintf(line, sizeof(line), "%s", s->pick.names[i]);
		}
		wattrset(w, ui_attr(u, role));
		mvwhline(w, y, 1, ' ', wd - 2);
		put(u, w, y, 2, wd - 4, role, line);
	}
	put(u, w, h - 1, 2, wd - 4, R_DIM, " type to filter, Up/Down, Enter pick, Esc cancel ");
}

/* ---- status and key bar ---- */

static void draw_status(const struct ui *u, const struct session *s, WINDOW *w)
{
	int wd = getmaxx(w);
	if (s->status[0]) {
		enum role r = s->status_level == STATUS_ERROR  ? R_ERROR
		              : s->status_level == STATUS_WARN ? R_WARN
		                                               : R_INFO;
		put(u, w, 0, 0, wd, r, s->status);
	} else if (!s->ev.valid) {
		put(u, w, 0, 0, wd, R_ERROR, s->ev.err);
	} else if (s->warning[0]) {
		put(u, w, 0, 0, wd, R_WARN, s->warning);
	} else {
		put(u, w, 0, 0, wd, R_DIM, "sizes in GiB (2^30 bytes); ? for help");
	}
}

static void draw_keys(const struct ui *u, const struct session *s, WINDOW *w)
{
	int wd = getmaxx(w);
	int x = 0;
	if (s->modal != MODAL_NONE) {
		static const char *const modal_keys[][2] = {
		    {"Enter", "accept"}, {"Esc", "cancel"}, {"Up/Down", "move"}, {"Bksp", "erase"}};
		for (size_t i = 0; i < 4 && x < wd; i++) {
			x += put(u, w, 0, x, wd - x, R_KEY, modal_keys[i][0]);
			x += putf(u, w, 0, x, wd - x, R_KEYLABEL, " %s  ", modal_keys[i][1]);
		}
		return;
	}
	for (const struct key_binding *b = key_table; b->name && x < wd; b++) {
		if (!b->bar || !(b->views & (1u << s->view)))
			continue;
		int need = cols_of(b->name) + cols_of(b->bar) + 3;
		if (x + need > wd)
			break;
		x += put(u, w, 0, x, wd - x, R_KEY, b->name);
		x += putf(u, w, 0, x, wd - x, R_KEYLABEL, " %s  ", b->bar);
	}
}

/* ---- frame ---- */

enum layout_kind ui_view_layout(enum view v)
{
	return session_view_layout(v);
}

void ui_close_windows(struct ui *u)
{
	for (int i = 0; i < BOX_COUNT; i++) {
		if (u->win[i])
			delwin(u->win[i]);
		u->win[i] = NULL;
	}
	if (u->popup)
		delwin(u->popup);
	u->popup = NULL;
}

void ui_relayout(struct ui *u, const struct session *s)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	ui_close_windows(u);
	u->kind = ui_view_layout(s->view);
	layout_compute(rows, cols, u->kind, SL_COUNT, &u->lay);
	werase(stdscr);
	wnoutrefresh(stdscr);
	if (u->lay.too_small)
		return;
	for (int i = 0; i < BOX_COUNT; i++) {
		const struct rect *r = &u->lay.box[i];
		if (r->h && r->w)
			u->win[i] = newwin(r->h, r->w, r->y, r->x);
	}
	const struct rect *p = &u->lay.popup;
	if (p->h && p->w)
		u->popup = newwin(p->h, p->w, p->y, p->x);
}

static void draw_too_small(const struct ui *u)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	werase(stdscr);
	char msg[96];
	snprintf(msg, sizeof(msg), "terminal too small: %dx%d, need %dx%d", cols, rows,
	         u->lay.min_cols, u->lay.min_rows);
	int len = (int)strlen(msg);
	int y = rows / 2, x = (cols - len) / 2;
	if (x < 0)
		x = 0;
	if (rows > 0 && cols > 0)
		put(u, stdscr, y, x, cols - x, R_WARN, msg);
	if (rows > 1 && cols > 0)
		put(u, stdscr, y + 1, (cols - 7) / 2 > 0 ? (cols - 7) / 2 : 0, cols, R_DIM,
		    "q quits");
	wnoutrefresh(stdscr);
	doupdate();
}

void ui_draw_frame(struct ui *u, const struct session *s)
{
	if (ui_view_layout(s->view) != u->kind)
		ui_relayout(u, s);
	if (u->lay.too_small) {
		draw_too_small(u);
		return;
	}
	/* The gaps between boxes belong to stdscr: repaint them too, or a
	 * closed popup would leave its border there. */
	touchwin(stdscr);
	wnoutrefresh(stdscr);
	for (int i = 0; i < BOX_COUNT; i++)
		if (u->win[i])
			werase(u->win[i]);
	WINDOW **w = u->win;
	draw_title(u, s, w[BOX_TITLE]);
	if (w[BOX_SLIDERS])
		draw_sliders(u, s, w[BOX_SLIDERS]);
	if (w[BOX_BARS])
		draw_bars(u, s, w[BOX_BARS]);
	if (w[BOX_HARDWARE])
		draw_hardware(u, s, w[BOX_HARDWARE]);
	if (w[BOX_BODY]) {
		switch (s->view) {
		case VIEW_COMPARE:
			draw_compare(u, s, w[BOX_BODY]);
			break;
		case VIEW_EXPLAIN:
			draw_lines(u, w[BOX_BODY], (const char(*)[SESSION_LINE_MAX])s->explain,
			           s->n_explain, s->scroll);
			break;
		case VIEW_WHATIF:
			draw_whatif(u, s, w[BOX_BODY]);
			break;
		case VIEW_HELP:
			draw_help(u, s, w[BOX_BODY]);
			break;
		case VIEW_PLAN:
			draw_plan(u, s, w[BOX_BODY]);
			break;
		case VIEW_RANK:
			ui_draw_rank(u, s, w[BOX_BODY]);
			break;
		case VIEW_CHART:
			ui_draw_chart(u, s, w[BOX_BODY]);
			break;
		default:
			break;
		}
	}
	draw_status(u, s, w[BOX_STATUS]);
	draw_keys(u, s, w[BOX_KEYS]);
	for (int i = 0; i < BOX_COUNT; i++)
		if (u->win[i])
			wnoutrefresh(u->win[i]);
	if (s->modal != MODAL_NONE && u->popup) {
		draw_popup(u, s, u->popup);
		wnoutrefresh(u->popup);
	}
	doupdate();
}

int ui_map_key(int status, wint_t ch)
{
	if (status == KEY_CODE_YES) {
		switch (ch) {
		case KEY_UP:
			return KEYC_UP;
		case KEY_DOWN:
			return KEYC_DOWN;
		case KEY_LEFT:
			return KEYC_LEFT;
		case KEY_RIGHT:
			return KEYC_RIGHT;
		case KEY_PPAGE:
			return KEYC_PGUP;
		case KEY_NPAGE:
			return KEYC_PGDN;
		case KEY_HOME:
			return KEYC_HOME;
		case KEY_END:
			return KEYC_END;
		case KEY_ENTER:
			return KEYC_ENTER;
		case KEY_BTAB:
			return KEYC_BTAB;
		case KEY_F(1):
			return KEYC_F1;
		case KEY_BACKSPACE:
		case KEY_DC:
			return KEYC_BACKSPACE;
		default:
			return -1;
		}
	}
	switch (ch) {
	case '\n':
	case '\r':
		return KEYC_ENTER;
	case 27:
		return KEYC_ESC;
	case '\t':
		return KEYC_TAB;
	case 127:
	case 8:
		return KEYC_BACKSPACE;
	case 21:
		return KEYC_CTRL_U;
	default:
		return (int)ch;
	}
}
