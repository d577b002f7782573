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
#include <string.h>

#include "session.h"

#define CHART_BATCH_MIN_MAX 16   /* the batch axis spans at least 1..16 */
#define CHART_BATCH_CAP     4096 /* and at most the batch solver's range */
#define CHART_CTX_ALIGN     256  /* context samples are multiples of this */

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
	c->solved = plan_solve(m, &base, d, count, batch ? SOLVE_BATCH : SOLVE_CONTEXT, &c->ans);
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
	for (int i = 0; i < c->n; i++) {
		struct settings st = *live;
		uint64_t x = sample_x(c->axis, lo, hi, i, c->n);
		c->x[i] = x;
		if (batch) {
			st.n_seq = (uint32_t)x;
			st.ctx_tokens = per_seq * x;
		} else {
			st.ctx_tokens = x;
		}
		char err[256];
		c->valid[i] = estimate_check(m, &st, err, sizeof(err));
		memset(c->seg_bytes[i], 0, sizeof(c->seg_bytes[i]));
		c->gpu_bytes[i] = 0;
		if (!c->valid[i])
			continue;
		struct estimate e;
		estimate_run(m, &st, &e);
		struct hw_fit f;
		hw_fit(&e, d, count, &f);
		/* What the devices hold, by kind: each device beyond the first
		 * has its own compute buffer and overhead. */
		uint64_t *seg = c->seg_bytes[i];
		seg[0] = e.weights_gpu_bytes;
		seg[1] = e.kv_gpu_bytes;
		seg[2] = e.compute_bytes * count;
		seg[3] = e.overhead_bytes * count;
		/* hw_fit's need is the total; what the split adds beyond these
		 * (a tied embedding's second copy) counts as overhead. */
		uint64_t sum = seg[0] + seg[1] + seg[2] + seg[3];
		if (f.need_bytes > sum)
			seg[3] += f.need_bytes - sum;
		c->gpu_bytes[i] = seg[0] + seg[1] + seg[2] + seg[3];
		if (!c->capacity_bytes)
			c->capacity_bytes = evaluate_budget_bytes(d, &e) * count;
	}
	/* Leave the model's type scratch describing the live estimate. */
	estimate_run(m, live, &s->results.ev.est);
}
