/*
 * chart.c - the chart view's state: GPU memory of the live configuration
 * sampled along the context (or batch) axis, split into weights, KV
 * cache, compute buffer and overhead, against the devices' capacity, and
 * the largest value that fits as the solver finds it.
 *
 * The marker is plan_solve's answer, the same call the plan view and
 * `--solve context` / `--solve batch` make, so the chart and the command
 * line agree by construction; the samples only draw the curve.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "session.h"

#define CHART_BATCH_MIN_MAX 16   /* the batch axis spans at least 1..16 */
#define CHART_BATCH_CAP     4096 /* and at most the batch solver's range */
#define CHART_CTX_ALIGN     256  /* context samples are multiples of this */
#define CHART_QUANT_STEP    4    /* the overlaid quants: a big step (+/-) away */

/* The x value of sample i of n on an axis from lo to hi (inclusive),
 * evenly spaced; context values are rounded up to CHART_CTX_ALIGN. */
static uint64_t sample_x(enum chart_axis axis, uint64_t lo, uint64_t hi, int i, int n)
{
	uint64_t x = n > 1 ? lo + (hi - lo) * (uint64_t)i / (uint64_t)(n - 1) : hi;
	if (axis == CHART_CONTEXT) {
		x = (x + CHART_CTX_ALIGN - 1) / CHART_CTX_ALIGN * CHART_CTX_ALIGN;
		if (x > hi)
			x = hi;
	}
	return x ? x : 1;
}

/* Settings st at sample x of the axis (per_seq: context of a sequence). */
static void at_sample(struct settings *st, enum chart_axis axis, uint64_t x, uint64_t per_seq)
{
	if (axis == CHART_BATCH) {
		st->n_seq = (uint32_t)x;
		st->ctx_tokens = per_seq * x;
	} else {
		st->ctx_tokens = x;
	}
}

/* One curve's samples share their weights: the first valid sample's
 * estimate (and its settings) is the base the others reuse
 * (estimate_check_run_from; the same figures as a full estimate). */
struct chart_sampler {
	const struct model *m;
	struct estimate_scratch *x;
	bool have_base;
	struct settings base_settings;
	struct estimate base;
};

/* GPU bytes of the sampler's model at settings st on count x d by kind
 * (weights, KV, compute, overhead): each device beyond the first has its
 * own compute buffer and overhead, and what the split adds beyond these
 * (a tied embedding's second copy) counts as overhead.  False when the
 * settings do not pass estimate_check (its estimate is the one read).
 * *budget_bytes: what one device offers. */
static bool sample_bytes(struct chart_sampler *sp, const struct settings *st,
                         const struct device *d, uint32_t count, uint64_t seg[4],
                         uint64_t *budget_bytes)
{
	char err[256];
	struct estimate e;
	memset(seg, 0, 4 * sizeof(seg[0]));
	if (!estimate_check_run_from(sp->m, sp->x, st, sp->have_base ? &sp->base_settings : NULL,
	                             sp->have_base ? &sp->base : NULL, &e, err, sizeof(err)))
		return false;
	if (!sp->have_base) {
		sp->base_settings = *st;
		sp->base = e;
		sp->have_base = true;
	}
	struct hw_fit f;
	hw_fit_count(&e, d, count, &f);
	seg[0] = e.weights_gpu_bytes;
	seg[1] = e.kv_gpu_bytes;
	seg[2] = e.compute_bytes * count;
	seg[3] = e.overhead_bytes * count;
	uint64_t sum = seg[0] + seg[1] + seg[2] + seg[3];
	if (f.need_bytes > sum)
		seg[3] += f.need_bytes - sum;
	*budget_bytes = evaluate_budget_bytes(d, &e);
	return true;
}

/* Sample configuration c along the chart's x values into overlay o. */
static void sample_overlay(struct session *s, const struct config *c, struct chart_overlay *o)
{
	const struct chart_view *ch = &s->screen.chart;
	struct chart_sampler sp = {.m = session_model(s, c->model), .x = &s->scratch};
	const struct device *d = &s->devs->v[c->gpu];
	uint64_t per_seq = c->set.n_seq ? c->set.ctx_tokens / c->set.n_seq : c->set.ctx_tokens;
	for (int i = 0; i < ch->n; i++) {
		struct settings st = c->set;
		uint64_t seg[4], budget;
		at_sample(&st, ch->axis, ch->x[i], per_seq ? per_seq : 1);
		o->valid[i] = sample_bytes(&sp, &st, d, c->gpu_count, seg, &budget);
		o->gpu_bytes[i] = seg[0] + seg[1] + seg[2] + seg[3];
	}
}

/* The overlays: A when pinned, then the quantizations a big step below
 * and above the live one (the engine's own, as + and - step). */
static void chart_overlays(struct session *s)
{
	struct chart_view *c = &s->screen.chart;
	c->n_over = 0;
	if (s->config.pinned) {
		struct chart_overlay *o = &c->over[c->n_over++];
		snprintf(o->label, sizeof(o->label), "A %s (pinned)",
		         s->config.pin.set.file_types ? "as stored"
		                                      : ftype_get(s->config.pin.set.ftype)->name);
		o->mark = 'A';
		o->pinned = true;
		sample_overlay(s, &s->config.pin, o);
	}
	const enum ftype *order = session_quant_order(s, s->config.cur.model);
	enum ftype_engine eng = ftype_get(s->config.cur.set.ftype)->engine;
	int lo = FT_COUNT, hi = 0;
	for (int i = 0; i < FT_COUNT; i++)
		if (ftype_get(order[i])->engine == eng) {
			lo = i < lo ? i : lo;
			hi = i + 1;
		}
	int pos = session_quant_pos(s, s->config.cur.set.ftype);
	for (int dir = -1; dir <= 1 && c->n_over < CHART_OVERLAYS_MAX; dir += 2) {
		int p = pos + dir * CHART_QUANT_STEP;
		p = p < lo ? lo : p >= hi ? hi - 1 : p;
		if (p == pos && !s->config.cur.set.file_types)
			continue;
		struct config q = s->config.cur;
		q.set.ftype = order[p];
		q.set.file_types = false;
		struct chart_overlay *o = &c->over[c->n_over];
		snprintf(o->label, sizeof(o->label), "%s", ftype_get(order[p])->name);
		o->mark = (char)('1' + (c->n_over - (s->config.pinned ? 1 : 0)));
		o->pinned = false;
		sample_overlay(s, &q, o);
		c->n_over++;
	}
}

void session_chart(struct session *s)
{
	struct chart_view *c = &s->screen.chart;
	const struct model *m = session_model(s, s->config.cur.model);
	const struct device *d = &s->devs->v[s->config.cur.gpu];
	const struct settings *live = &s->config.cur.set;
	uint32_t count = s->config.cur.gpu_count;
	bool batch = c->axis == CHART_BATCH;
	uint64_t per_seq = live->n_seq ? live->ctx_tokens / live->n_seq : live->ctx_tokens;
	if (!per_seq)
		per_seq = 1;

	c->gpu_count = count;
	c->live_x = batch ? live->n_seq : live->ctx_tokens;
	struct settings base = *live;
	c->solved = plan_solve(m, &s->scratch, &base, d, count, batch ? SOLVE_BATCH : SOLVE_CONTEXT,
	                       &c->ans);
	c->ans_x = batch ? c->ans.settings.n_seq : c->ans.settings.ctx_tokens;

	uint64_t lo, hi;
	if (batch) {
		lo = 1;
		hi = c->ans_x * 2 > CHART_BATCH_MIN_MAX ? c->ans_x * 2 : CHART_BATCH_MIN_MAX;
		if (hi < c->live_x)
			hi = c->live_x;
		if (hi > CHART_BATCH_CAP)
			hi = CHART_BATCH_CAP;
	} else {
		lo = CHART_CTX_ALIGN;
		hi = m->arch.n_ctx_train ? m->arch.n_ctx_train : live->ctx_tokens;
		if (hi < c->live_x)
			hi = c->live_x;
	}
	c->n = (int)(hi - lo + 1 < CHART_POINTS_MAX ? hi - lo + 1 : CHART_POINTS_MAX);
	c->capacity_bytes = 0;
	struct chart_sampler sp = {.m = m, .x = &s->scratch};
	for (int i = 0; i < c->n; i++) {
		struct settings st = *live;
		uint64_t x = sample_x(c->axis, lo, hi, i, c->n);
		uint64_t budget = 0;
		c->x[i] = x;
		at_sample(&st, c->axis, x, per_seq);
		c->valid[i] = sample_bytes(&sp, &st, d, count, c->seg_bytes[i], &budget);
		uint64_t *seg = c->seg_bytes[i];
		c->gpu_bytes[i] = c->valid[i] ? seg[0] + seg[1] + seg[2] + seg[3] : 0;
		if (c->valid[i] && !c->capacity_bytes)
			c->capacity_bytes = budget * count;
	}
	chart_overlays(s);
}
