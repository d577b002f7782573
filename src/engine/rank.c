/*
 * rank.c - one model's best quantization, largest context, speed and
 * verdict on a device set (see rank.h).
 *
 * Memory grows with weight bytes and with context, so both answers are
 * binary searches over the engine's own estimate, like plan.c's solvers.
 */
#include "rank.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const verdict_names[] = {
    [RANK_FITS] = "fits",
    [RANK_TIGHT] = "tight",
    [RANK_NO_HOST] = "does not fit (host memory)",
    [RANK_NO] = "does not fit",
    [RANK_INVALID] = "invalid",
};

bool rank_runs(enum rank_verdict v)
{
	return v == RANK_FITS || v == RANK_TIGHT;
}

const char *rank_verdict_name(enum rank_verdict v)
{
	return (v >= RANK_FITS && v <= RANK_INVALID) ? verdict_names[v] : "?";
}

/* The rungs of each engine, before ordering by this model's bytes. */
static const enum ftype ladder_llamacpp[] = {
    FT_BF16,   FT_Q8_0,    FT_Q6_K, FT_Q5_K_M, FT_Q4_K_M,  FT_IQ4_XS,
    FT_Q3_K_M, FT_IQ3_XXS, FT_Q2_K, FT_IQ2_M,  FT_IQ2_XXS, FT_IQ1_M,
};
static const enum ftype ladder_vllm[] = {FT_V_BF16, FT_V_FP8, FT_V_AWQ};

void rank_prepare(const struct model *m, struct estimate_scratch *x, enum ftype_engine e,
                  struct rank_ladder *ladder)
{
	const enum ftype *src = e == FT_VLLM ? ladder_vllm : ladder_llamacpp;
	uint32_t n_src = e == FT_VLLM ? sizeof(ladder_vllm) / sizeof(ladder_vllm[0])
	                              : sizeof(ladder_llamacpp) / sizeof(ladder_llamacpp[0]);
	enum ftype cand[RANK_MAX_LADDER];
	uint32_t n = 0;
	for (uint32_t i = 0; i < n_src; i++)
		cand[n++] = src[i];
	if (e == FT_LLAMACPP && m->arch.n_expert > 0)
		cand[n++] = FT_MXFP4_MOE;
	assert(n <= RANK_MAX_LADDER);

	struct settings s;
	struct estimate est;
	estimate_settings_default(&s);
	ladder->n = 0;
	for (uint32_t i = 0; i < n; i++) {
		s.ftype = cand[i];
		estimate_run(m, x, &s, &est);
		/* insertion sort, fewest GPU bytes first (what the fit sees:
		 * token_embd stays in host memory) */
		uint32_t k = ladder->n++;
		while (k > 0 && ladder->gpu_weights_bytes[k - 1] > est.weights_gpu_bytes) {
			ladder->weights_bytes[k] = ladder->weights_bytes[k - 1];
			ladder->gpu_weights_bytes[k] = ladder->gpu_weights_bytes[k - 1];
			ladder->ftype[k] = ladder->ftype[k - 1];
			k--;
		}
		ladder->weights_bytes[k] = est.weights_bytes;
		ladder->gpu_weights_bytes[k] = est.weights_gpu_bytes;
		ladder->ftype[k] = cand[i];
	}
}

bool rank_fits(const struct estimate *e, const struct rank_query *q, bool with_margin,
               uint64_t *need_bytes, int64_t *headroom_bytes, bool *host_ok)
{
	struct device_load loads[HW_MAX_DEVICES];
	assert(q->n_devs >= 1 && q->n_devs <= HW_MAX_DEVICES);
	hw_split(e, q->devs, q->n_devs, loads);
	bool ok = true, unified = true;
	uint64_t need = 0, pool = 0;
	int64_t tight = INT64_MAX;
	for (uint32_t k = 0; k < q->n_devs; k++) {
		int64_t keep = with_margin ? (int64_t)q->keep_bytes[k] : 0;
		ok &= loads[k].headroom_bytes >= keep;
		if (loads[k].headroom_bytes < tight)
			tight = loads[k].headroom_bytes;
		need += loads[k].total_bytes;
		pool += q->devs[k]->memory_bytes;
		unified &= q->devs[k]->unified;
	}
	bool host = true;
	if (unified) {
		/* what stays in "host" memory comes out of the same pool */
		int64_t left = (int64_t)pool - (int64_t)(need + e->host_bytes);
		ok &= left >= (with_margin ? (int64_t)q->keep_pool_bytes : 0);
	} else if (q->host_ram_bytes) {
		int64_t left = (int64_t)q->host_ram_bytes - (int64_t)e->host_bytes;
		host = left >= (with_margin ? (int64_t)q->keep_host_bytes : 0);
	}
	if (need_bytes)
		*need_bytes = need;
	if (headroom_bytes)
		*headroom_bytes = tight;
	if (host_ok)
		*host_ok = host;
	return ok && host;
}

/* Relative perplexity increase over 16 bits against bits per weight:
 * llama.cpp's llama-quantize table for Llama-3-8B (tools/quantize, the
 * "+0.1754 ppl @ Llama-3-8B" figures over a 16-bit perplexity of 6.233,
 * the file sizes in GiB turned into bits per weight), K-quant file types
 * Q2_K to Q8_0, ascending bits. */
static const struct {
	double bpw, rel;
} ppl_curve[] = {
    {3.166, 0.5647}, /* Q2_K   +3.5199 */
    {3.648, 0.2619}, /* Q3_K_S +1.6321 */
    {4.001, 0.1054}, /* Q3_K_M +0.6569 */
    {4.311, 0.0892}, /* Q3_K_L +0.5562 */
    {4.675, 0.0431}, /* Q4_K_S +0.2689 */
    {4.899, 0.0281}, /* Q4_K_M +0.1754 */
    {5.701, 0.0091}, /* Q5_K_M +0.0569 */
    {6.568, 0.0035}, /* Q6_K   +0.0217 */
    {8.515, 0.0004}, /* Q8_0   +0.0026 */
};
#define PPL_POINTS (sizeof(ppl_curve) / sizeof(ppl_curve[0]))

double rank_ppl_increase(double bpw)
{
	if (bpw >= 15.9)
		return 0; /* 16-bit weights are the reference */
	if (bpw >= ppl_curve[PPL_POINTS - 1].bpw)
		return ppl_curve[PPL_POINTS - 1].rel;
	size_t k = 1;
	while (k < PPL_POINTS - 1 && ppl_curve[k].bpw < bpw)
		k++;
	/* log-linear between neighbours; below Q2_K the first segment's
	 * slope goes on */
	double x0 = ppl_curve[k - 1].bpw, x1 = ppl_curve[k].bpw;
	double y0 = log(ppl_curve[k - 1].rel), y1 = log(ppl_curve[k].rel);
	return exp(y0 + (y1 - y0) * (bpw - x0) / (x1 - x0));
}

double rank_quality(uint64_t params_total, uint64_t params_active, bool moe, double bpw)
{
	double eff = (double)params_total;
	if (moe && params_active && params_active < params_total)
		eff = sqrt((double)params_total * (double)params_active);
	double keep = 1.0 - rank_ppl_increase(bpw);
	if (keep < 0.1)
		keep = 0.1;
	return eff * keep / 1e9;
}

/* One search: a settings template and how to judge a candidate. */
struct probe {
	const struct model *m;
	struct estimate_scratch *x; /* the caller's */
	const struct rank_query *q;
	struct settings s;
	bool with_margin;
	uint32_t steps;
};

static bool probe_fits(struct probe *p)
{
	struct estimate e;
	p->steps++;
	estimate_run(p->m, p->x, &p->s, &e);
	return rank_fits(&e, p->q, p->with_margin, NULL, NULL, NULL);
}

/* The highest rung that fits at the query's context, or -1.  Fitting is
 * not quite monotone in the weight bytes (a layer split puts each rung's
 * bytes differently, and the output layer's type changes with the
 * recipe), so the rungs are tried from the top; those whose GPU weights
 * alone exceed what the devices offer are skipped without an estimate. */
static bool rung_possible(const struct probe *p, const struct rank_ladder *l, int r)
{
	if (p->s.offload != OFFLOAD_GPU)
		return true;
	/* no budget exceeds the usable memory (vLLM's is a share of it) */
	double cap = 0;
	for (uint32_t k = 0; k < p->q->n_devs; k++)
		cap += (double)hw_usable_bytes(p->q->devs[k]) -
		       (p->with_margin ? (double)p->q->keep_bytes[k] : 0);
	return (double)l->gpu_weights_bytes[r] <= cap;
}

static int best_rung(struct probe *p, const struct rank_ladder *l)
{
	for (int r = (int)l->n - 1; r >= 0; r--) {
		if (!rung_possible(p, l, r))
			continue;
		p->s.ftype = l->ftype[r];
		if (probe_fits(p))
			return r;
	}
	return -1;
}

/* The largest context (a multiple of 256, or the native maximum) that fits
 * at p->s.ftype; 0 when not even 256 tokens do. */
static uint64_t largest_context(struct probe *p, uint64_t native)
{
	uint64_t keep = p->s.ctx_tokens;
	uint64_t lo = 1, hi = (native + 255) / 256, found = 0;
	p->s.ctx_tokens = native;
	if (probe_fits(p)) {
		p->s.ctx_tokens = keep;
		return native;
	}
	hi = native / 256; /* native itself did not fit */
	while (lo <= hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		p->s.ctx_tokens = mid * 256;
		if (probe_fits(p)) {
			found = mid * 256;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	p->s.ctx_tokens = keep;
	return found;
}

void rank_model(const struct model *m, struct estimate_scratch *x, const struct rank_ladder *ladder,
                const struct rank_query *q, struct rank_row *out)
{
	memset(out, 0, sizeof(*out));
	out->ctx_tokens = q->base.ctx_tokens;
	out->native_ctx_tokens = m->arch.n_ctx_train ? m->arch.n_ctx_train : q->base.ctx_tokens;
	out->ftype = ladder->n ? ladder->ftype[0] : q->base.ftype;
	if (!ladder->n) {
		out->verdict = RANK_INVALID;
		snprintf(out->why, sizeof(out->why), "no quantization to try");
		return;
	}
	struct probe p = {m, x, q, q->base, true, 0};
	p.s.file_types = false;
	p.s.ftype = ladder->ftype[0];
	if (!estimate_check(m, x, &p.s, out->why, sizeof(out->why))) {
		out->verdict = RANK_INVALID;
		return;
	}

	int rung = best_rung(&p, ladder);
	out->verdict = RANK_FITS;
	if (rung < 0) {
		p.with_margin = false;
		rung = best_rung(&p, ladder);
		out->verdict = rung < 0 ? RANK_NO : RANK_TIGHT;
		if (rung < 0) {
			rung = 0;
			p.with_margin = true;
		}
	}
	struct estimate e;
	if (out->verdict == RANK_NO && q->host_ram_bytes) {
		/* the devices alone: is host memory what stops it? */
		struct rank_query gpu_only = *q;
		bool host_ok;
		gpu_only.host_ram_bytes = 0;
		p.s.ftype = ladder->ftype[0];
		p.steps++;
		estimate_run(m, x, &p.s, &e);
		rank_fits(&e, q, false, NULL, NULL, &host_ok);
		if (!host_ok && rank_fits(&e, &gpu_only, false, NULL, NULL, NULL))
			out->verdict = RANK_NO_HOST;
	}
	p.s.ftype = ladder->ftype[rung];
	out->ftype = p.s.ftype;
	out->max_ctx_tokens =
	    rung_possible(&p, ladder, rung) ? largest_context(&p, out->native_ctx_tokens) : 0;

	/* The answer at the requested context: need and headroom (the speed
	 * comes with the answer's evaluation, ranking.h). */
	p.steps++;
	estimate_run(m, x, &p.s, &e);
	rank_fits(&e, q, p.with_margin, &out->gpu_bytes, &out->headroom_bytes, NULL);
	out->host_bytes = e.host_bytes;
	uint64_t params = m->params_total ? m->params_total : 1;
	out->bpw = (double)ladder->weights_bytes[rung] * 8.0 / (double)params;
	out->quality =
	    rank_quality(m->params_total, m->params_active, m->arch.n_expert > 0, out->bpw);
	out->steps = p.steps;
}
