/*
 * plan.c - solvers and the speed model.
 *
 * Every solver searches a range in which the memory need grows
 * monotonically (context, weight bytes, sequences, GPU-resident layers), so
 * a binary search over the engine's own estimate finds the boundary; the
 * answer is then checked against its neighbour so that "one step further
 * does not fit" holds by construction.
 */
#include "plan.h"

#include <assert.h>
#include <string.h>
#include <strings.h>

static const char *const solve_names[SOLVE_COUNT] = {
    [SOLVE_CONTEXT] = "context", [SOLVE_QUANT] = "quant",     [SOLVE_GPUS] = "gpus",
    [SOLVE_BATCH] = "batch",     [SOLVE_OFFLOAD] = "offload",
};

const char *solve_name(enum solve_what w)
{
	return (w >= 0 && w < SOLVE_COUNT) ? solve_names[w] : "?";
}

bool solve_find(const char *name, enum solve_what *out)
{
	for (int i = 0; i < SOLVE_COUNT; i++) {
		if (!strcasecmp(solve_names[i], name)) {
			*out = (enum solve_what)i;
			return true;
		}
	}
	return false;
}

bool plan_fits(const struct model *m, struct estimate_scratch *x, const struct settings *s,
               const struct device *d, uint32_t count, struct estimate *e)
{
	struct estimate local;
	struct hw_fit f;
	if (!e)
		e = &local;
	estimate_run(m, x, s, e);
	hw_fit_count(e, d, count, &f);
	return f.fits;
}

/* A monotone predicate over an integer range [lo, hi]: fits(k) is true for
 * k <= answer (or k >= answer when growing is false). */
struct search {
	const struct model *m;
	struct estimate_scratch *x; /* the caller's */
	const struct settings *base;
	const struct device *d;
	uint32_t count;
	enum solve_what what;
	uint64_t ctx_per_seq;    /* SOLVE_BATCH */
	bool moe;                /* SOLVE_OFFLOAD: n-cpu-moe (else ngl) */
	const enum ftype *order; /* SOLVE_QUANT: candidates, most bytes first */
	uint32_t steps;
	/* The first estimate of the search, whose weights the steps that
	 * place the same weights reuse (estimate_run_from: context and batch
	 * steps; the figures are estimate_run()'s either way). */
	bool have_base;
	struct settings base_settings;
	struct estimate base_est;
};

/* estimate_run() of step settings s through the search's base. */
static void search_estimate(struct search *q, const struct settings *s, struct estimate *e)
{
	estimate_run_from(q->m, q->x, s, q->have_base ? &q->base_settings : NULL,
	                  q->have_base ? &q->base_est : NULL, e);
	if (!q->have_base) {
		q->base_settings = *s;
		q->base_est = *e;
		q->have_base = true;
	}
}

/* Settings at step k of the search. */
static struct settings at(const struct search *q, uint64_t k)
{
	struct settings s = *q->base;
	switch (q->what) {
	case SOLVE_CONTEXT:
		s.ctx_tokens = k * 256;
		break;
	case SOLVE_QUANT:
		s.ftype = q->order[k];
		s.file_types = false;
		break;
	case SOLVE_BATCH:
		s.n_seq = (uint32_t)k;
		/* vLLM's context is per request already */
		if (!(ftype_get(s.ftype)->engine == FT_VLLM && !s.file_types))
			s.ctx_tokens = q->ctx_per_seq * k;
		break;
	case SOLVE_OFFLOAD:
		s.offload = q->moe ? OFFLOAD_N_CPU_MOE : OFFLOAD_NGL;
		s.offload_layers = (uint32_t)k;
		break;
	default:
		break;
	}
	return s;
}

static bool fits_at(struct search *q, uint64_t k)
{
	struct settings s = at(q, k);
	q->steps++;
	struct estimate e;
	struct hw_fit f;
	search_estimate(q, &s, &e);
	hw_fit_count(&e, q->d, q->count, &f);
	if (!f.fits)
		return false;
	if (q->what != SOLVE_BATCH || !e.vllm)
		return true;
	/* vLLM: k requests of max-model-len tokens in the KV budget at once,
	 * on every rank */
	const struct device *devs[HW_MAX_DEVICES];
	struct device_load loads[HW_MAX_DEVICES];
	for (uint32_t i = 0; i < q->count; i++)
		devs[i] = q->d;
	hw_split(&e, devs, q->count, loads);
	for (uint32_t i = 0; i < q->count; i++)
		if (loads[i].vllm.max_concurrency < (double)k)
			return false;
	return true;
}

/* The largest k in [lo, hi] that fits when fitting shrinks as k grows
 * (context, sequences, GPU layers, quant index reversed); lo - 1 if none. */
static int64_t largest_fitting(struct search *q, int64_t lo, int64_t hi)
{
	if (!fits_at(q, (uint64_t)lo))
		return lo - 1;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo + 1) / 2;
		if (fits_at(q, (uint64_t)mid))
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* The smallest k in [lo, hi] that fits when fitting grows with k
 * (experts moved to host memory); hi + 1 if none. */
static int64_t smallest_fitting(struct search *q, int64_t lo, int64_t hi)
{
	if (!fits_at(q, (uint64_t)hi))
		return hi + 1;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		if (fits_at(q, (uint64_t)mid))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* File types of the settings' engine ordered by the weight bytes they give
 * this model, most first (the engine's order of precision). */
static uint32_t quant_order(const struct model *m, struct estimate_scratch *x,
                            const struct settings *base, enum ftype *order)
{
	uint64_t bytes[FT_COUNT];
	uint32_t n = 0;
	enum ftype_engine engine = ftype_get(base->ftype)->engine;
	for (int f = 0; f < FT_COUNT; f++) {
		if (ftype_get((enum ftype)f)->engine != engine)
			continue;
		struct settings s = *base;
		struct estimate e;
		s.ftype = (enum ftype)f;
		s.file_types = false;
		estimate_run(m, x, &s, &e);
		/* insertion sort, most bytes first */
		uint32_t i = n++;
		while (i > 0 && bytes[i - 1] < e.weights_bytes) {
			bytes[i] = bytes[i - 1];
			order[i] = order[i - 1];
			i--;
		}
		bytes[i] = e.weights_bytes;
		order[i] = (enum ftype)f;
	}
	return n;
}

bool plan_solve(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                const struct device *d, uint32_t count, enum solve_what what,
                struct solve_result *out)
{
	enum ftype order[FT_COUNT], rev[FT_COUNT];
	struct search q = {.m = m,
	                   .x = x,
	                   .base = s,
	                   .d = d,
	                   .count = count ? count : 1,
	                   .what = what,
	                   .moe = m->arch.n_expert > 0,
	                   .order = order};
	/* SOLVE_BATCH: the most sequences, each with the context one sequence
	 * has now (llama.cpp's -c is shared by the -np sequences). */
	q.ctx_per_seq = s->n_seq > 1 ? s->ctx_tokens / s->n_seq : s->ctx_tokens;
	if (q.ctx_per_seq == 0)
		q.ctx_per_seq = 1;
	int64_t k = 0, lo = 0, hi = 0;
	memset(out, 0, sizeof(*out));
	out->settings = *s;
	out->gpu_count = q.count;

	switch (what) {
	case SOLVE_CONTEXT: {
		uint64_t cap = (m->arch.n_ctx_train + 255) / 256;
		lo = 1;
		hi = (int64_t)cap;
		k = largest_fitting(&q, lo, hi);
		break;
	}
	case SOLVE_QUANT: {
		/* candidates by ascending weight bytes: fitting shrinks as k grows */
		uint32_t n = quant_order(m, x, s, order);
		for (uint32_t i = 0; i < n; i++)
			rev[i] = order[n - 1 - i];
		q.order = rev;
		lo = 0;
		hi = (int64_t)n - 1;
		k = largest_fitting(&q, lo, hi);
		break;
	}
	case SOLVE_GPUS: {
		struct estimate e;
		struct hw_fit f;
		estimate_run(m, x, s, &e);
		hw_fit(&e, d, 1, &f);
		q.steps = 1;
		if (!f.needed) {
			out->status = SOLVE_NOTHING;
			out->est = e;
			out->fit = f;
			return true;
		}
		out->gpu_count = f.needed;
		out->status = SOLVE_FOUND;
		out->est = e;
		hw_fit(&e, d, f.needed, &out->fit);
		out->steps = 1;
		return true;
	}
	case SOLVE_BATCH:
		lo = 1;
		hi = SETTINGS_SEQ_MAX;
		if (q.ctx_per_seq * SETTINGS_SEQ_MAX > SETTINGS_CTX_MAX &&
		    !(ftype_get(s->ftype)->engine == FT_VLLM && !s->file_types))
			hi = (int64_t)(SETTINGS_CTX_MAX / q.ctx_per_seq);
		if (hi < 1)
			hi = 1;
		k = largest_fitting(&q, lo, hi);
		break;
	case SOLVE_OFFLOAD:
		if (s->offload == OFFLOAD_CPU)
			return false;
		lo = 0;
		if (q.moe) {
			hi = m->arch.n_layer;
			k = smallest_fitting(&q, lo, hi);
			/* map "none" onto the shared status logic below */
			if (k > hi)
				k = lo - 1;
		} else {
			hi = (int64_t)arch_ngl_layers(&m->arch);
			k = largest_fitting(&q, lo, hi);
		}
		break;
	default:
		return false;
	}

	out->steps = q.steps;
	if (k < lo) {
		out->status = SOLVE_NOTHING;
		k = lo;
	} else {
		bool at_end = (what == SOLVE_OFFLOAD && q.moe) ? k == lo : k == hi;
		out->status = at_end ? SOLVE_AT_MAX : SOLVE_FOUND;
	}
	out->settings = at(&q, (uint64_t)k);
	search_estimate(&q, &out->settings, &out->est);
	hw_fit(&out->est, d, out->gpu_count, &out->fit);
	return true;
}
