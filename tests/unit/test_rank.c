/*
 * test_rank.c - the ranking's answers against plain estimates: for every
 * catalog model on several device sets, the chosen quantization fits with
 * the margin and the next one up does not, the largest context fits and
 * 256 tokens more do not, the need and the speed are the ones a single
 * estimate gives; and the filters and sort orders of the catalog list.
 */
#define _GNU_SOURCE /* strcasestr */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimate_once.h"
#include "evaluate.h"
#include "profile.h"
#include "ranking.h"

#define MARGIN 0.10

static struct catalog cat;
static struct device_list devs;
static struct model *models;
static struct estimate_scratch scratch; /* room for the largest model */

static void load_catalog(void)
{
	struct profile_dirs dirs = {0};
	char err[PROFILE_ERR_LEN];
	dirs.n = 1;
	snprintf(dirs.dir[0], sizeof(dirs.dir[0]), "profiles");
	cr_assert(catalog_load(&dirs, &cat, NULL, err, sizeof(err)), "%s", err);
	cr_assert(profile_load_all_hardware(&dirs, &devs, NULL, err, sizeof(err)), "%s", err);
	models = calloc(cat.n, sizeof(*models));
	cr_assert(models);
	for (size_t i = 0; i < cat.n; i++) {
		models[i].arch = cat.v[i].arch;
		cr_assert(model_prepare(&models[i]));
	}
	size_t tensors = 0;
	for (size_t i = 0; i < cat.n; i++)
		tensors = models[i].tensors.n > tensors ? models[i].tensors.n : tensors;
	cr_assert(estimate_scratch_init(&scratch, tensors));
}

static void free_catalog(void)
{
	for (size_t i = 0; i < cat.n; i++)
		model_release(&models[i]);
	free(models);
	estimate_scratch_free(&scratch);
	catalog_free(&cat);
	device_list_free(&devs);
}

TestSuite(rank, .init = load_catalog, .fini = free_catalog, .timeout = 120);

static const struct device *dev(const char *id)
{
	const struct device *d = device_find(&devs, id);
	cr_assert(d, "no device %s", id);
	return d;
}

/* The plain way: one evaluate(), the evaluation --print and --json show,
 * of model m with settings s on the request's devices. */
static enum verdict plain_verdict(const struct model *m, struct settings s, const struct request *q,
                                  struct evaluation *ev)
{
	struct request one = *q;
	one.model = m;
	one.settings = s;
	evaluate(&one, &scratch, ev);
	cr_assert(ev->valid, "%s", ev->err);
	return ev->verdict;
}

static bool runs(enum verdict v)
{
	return v == VERDICT_FITS || v == VERDICT_TIGHT;
}

/* A request on devices ids at ctx tokens, the margin a tenth, host memory
 * not judged. */
static void request_for(struct request *q, const char *const *ids, uint32_t n, uint64_t ctx)
{
	memset(q, 0, sizeof(*q));
	estimate_settings_default(&q->settings);
	q->settings.ctx_tokens = ctx;
	for (uint32_t k = 0; k < n; k++)
		q->set.dev[k] = dev(ids[k]);
	q->set.n = n;
	q->margin.share = MARGIN;
	plan_speed_defaults(&q->speed);
}

/* The engine's query for the same, the margin a tenth of each budget. */
static void query_for(struct rank_query *q, const struct device *const *set, uint32_t n,
                      uint64_t host_ram_bytes)
{
	memset(q, 0, sizeof(*q));
	estimate_settings_default(&q->base);
	q->devs = set;
	q->n_devs = n;
	uint64_t pool = 0;
	for (uint32_t k = 0; k < n; k++) {
		q->keep_bytes[k] = (uint64_t)((double)hw_usable_bytes(set[k]) * MARGIN);
		pool += set[k]->memory_bytes;
	}
	q->keep_pool_bytes = (uint64_t)((double)pool * MARGIN);
	q->host_ram_bytes = host_ram_bytes;
	q->keep_host_bytes = (uint64_t)((double)host_ram_bytes * MARGIN);
	plan_speed_defaults(&q->speed);
}

/* Weight bytes in GPU memory (token embeddings stay on the host). */
static uint64_t weights_of(const struct model *m, enum ftype f)
{
	struct settings s;
	struct estimate e;
	estimate_settings_default(&s);
	s.ftype = f;
	estimate_once(m, &s, &e);
	return e.weights_gpu_bytes;
}

/* Check one row against plain evaluations. */
static void check_row(size_t i, const struct rank_ladder *l, const struct request *q,
                      const struct rank_row *row, struct evaluation *ev)
{
	const struct model *m = &models[i];
	const char *id = cat.v[i].meta.id;
	struct settings s = q->settings;
	s.ftype = row->ftype;
	bool tight = row->verdict == RANK_TIGHT;
	enum verdict v;

	if (row->verdict == RANK_NO || row->verdict == RANK_NO_HOST) {
		struct settings lo = q->settings;
		lo.ftype = l->ftype[0];
		v = plain_verdict(m, lo, q, ev);
		cr_expect_not(runs(v), "%s: 'does not fit' but %s %s", id,
		              ftype_get(lo.ftype)->name, verdict_words(v));
		cr_expect_eq(row->ftype, l->ftype[0]);
	} else {
		v = plain_verdict(m, s, q, ev);
		cr_expect_eq(v, tight ? VERDICT_TIGHT : VERDICT_FITS,
		             "%s: %s at %llu tokens is '%s'", id, ftype_get(row->ftype)->name,
		             (unsigned long long)s.ctx_tokens, verdict_words(v));
		cr_expect_eq(row->gpu_bytes, ev->gpu_bytes, "%s: need %llu vs %llu", id,
		             (unsigned long long)row->gpu_bytes, (unsigned long long)ev->gpu_bytes);
		cr_expect_str_eq(row->why, ev->reason, "%s", id);
		/* one device type: the speed evaluate() gives */
		if (ev->has_speed) {
			cr_expect_float_eq(row->decode_tps, ev->speed.decode_tps,
			                   1e-9 * ev->speed.decode_tps, "%s", id);
			cr_expect_float_eq(row->prefill_tps, ev->speed.prefill_tps,
			                   1e-9 * ev->speed.prefill_tps + 1e-12, "%s", id);
		}
		uint64_t mine = weights_of(m, row->ftype);
		for (uint32_t k = 0; k < l->n; k++) {
			struct settings up = s;
			up.ftype = l->ftype[k];
			if (weights_of(m, up.ftype) <= mine)
				continue;
			v = plain_verdict(m, up, q, ev);
			cr_expect(tight ? !runs(v) : v != VERDICT_FITS,
			          "%s: %s was chosen but %s %s", id, ftype_get(row->ftype)->name,
			          ftype_get(up.ftype)->name, verdict_words(v));
		}
		if (tight) {
			struct settings lo = q->settings;
			lo.ftype = l->ftype[0];
			v = plain_verdict(m, lo, q, ev);
			cr_expect_neq(v, VERDICT_FITS, "%s: 'tight' but %s fits", id,
			              ftype_get(lo.ftype)->name);
		}
	}
	/* the largest context at the chosen quantization */
	struct settings c = s;
	if (row->max_ctx_tokens) {
		c.ctx_tokens = row->max_ctx_tokens;
		v = plain_verdict(m, c, q, ev);
		cr_expect(tight ? runs(v) : v == VERDICT_FITS, "%s: largest context %llu is '%s'",
		          id, (unsigned long long)c.ctx_tokens, verdict_words(v));
		if (row->max_ctx_tokens < m->arch.n_ctx_train) {
			cr_expect_eq(row->max_ctx_tokens % 256, 0);
			c.ctx_tokens = row->max_ctx_tokens + 256;
			v = plain_verdict(m, c, q, ev);
			cr_expect(tight ? !runs(v) : v != VERDICT_FITS, "%s: %llu tokens fit too",
			          id, (unsigned long long)c.ctx_tokens);
		} else {
			cr_expect_eq(row->max_ctx_tokens, m->arch.n_ctx_train);
		}
	} else {
		c.ctx_tokens = 256;
		v = plain_verdict(m, c, q, ev);
		cr_expect(tight ? !runs(v) : v != VERDICT_FITS, "%s: no context fits, yet 256 do",
		          id);
	}
}

static void check_set(const char *const *ids, uint32_t n, uint64_t ctx)
{
	struct ranking r;
	struct request q;
	struct evaluation *ev = malloc(sizeof(*ev));
	cr_assert(ev);
	request_for(&q, ids, n, ctx);
	cr_assert(ranking_init(&r, &cat, models, FT_LLAMACPP));
	ranking_run(&r, &q);
	cr_expect_eq(r.disagreements, 0, "the search and evaluate() judge alike");
	int verdicts[RANK_INVALID + 1] = {0};
	for (size_t i = 0; i < r.n; i++) {
		cr_assert_neq(r.rows[i].verdict, RANK_INVALID, "%s: %s", cat.v[i].meta.id,
		              r.rows[i].why);
		verdicts[r.rows[i].verdict]++;
		check_row(i, &r.ladders[i], &q, &r.rows[i], ev);
	}
	/* the sets are chosen so that some models fit and some do not */
	cr_expect_gt(verdicts[RANK_FITS], 0);
	cr_expect_gt(verdicts[RANK_NO], 0);
	ranking_free(&r);
	free(ev);
}

Test(rank, agrees_with_plain_estimates_on_one_4090)
{
	const char *ids[] = {"rtx-4090"};
	check_set(ids, 1, 4096);
}

Test(rank, agrees_with_plain_estimates_on_a_mixed_set)
{
	const char *ids[] = {"rtx-4090", "rtx-3060-12gb"};
	check_set(ids, 2, 32768);
}

Test(rank, agrees_with_plain_estimates_on_two_3090s)
{
	const char *ids[] = {"rtx-3090", "rtx-3090"};
	check_set(ids, 2, 8192);
}

Test(rank, agrees_with_plain_estimates_on_unified_memory)
{
	const char *ids[] = {"apple-m4-pro"};
	check_set(ids, 1, 16384);
}

static size_t index_of(const char *id)
{
	const struct catalog_model *cm = catalog_find(&cat, id);
	cr_assert(cm, "no model %s", id);
	return (size_t)(cm - cat.v);
}

Test(rank, worked_examples_on_one_4090)
{
	const char *ids[] = {"rtx-4090"};
	struct ranking r;
	struct request q;
	request_for(&q, ids, 1, 4096);
	cr_assert(ranking_init(&r, &cat, models, FT_LLAMACPP));
	ranking_run(&r, &q);

	/* an 8B model: 16 GB of BF16 weights leave a quarter of 24 GB free */
	const struct rank_row *a = &r.rows[index_of("llama-3.1-8b")];
	cr_expect_eq(a->verdict, RANK_FITS);
	cr_expect_eq(a->ftype, FT_BF16);
	cr_expect_gt(a->decode_tps, 0);
	cr_expect_gt(a->prefill_tps, 0);
	/* the same at Q8_0 reads half the bytes per token: about twice as fast */
	/* a 70B model only at two bits or less */
	const struct rank_row *b = &r.rows[index_of("llama-3.1-70b")];
	cr_expect(b->verdict == RANK_FITS || b->verdict == RANK_TIGHT);
	cr_expect_lt(b->bpw, 2.6, "70B on 24 GB: %s at %.2f bpw", ftype_get(b->ftype)->name,
	             b->bpw);
	/* Kimi K2.6 (1T parameters) nowhere near */
	const struct rank_row *c = &r.rows[index_of("kimi-k2.6")];
	cr_expect_eq(c->verdict, RANK_NO);
	cr_expect_eq(c->max_ctx_tokens, 0);
	cr_expect_eq(c->decode_tps, 0);
	ranking_free(&r);
}

Test(rank, unknown_bandwidth_means_unknown_speed)
{
	/* a detected GPU that matches no profile: memory as read, no speed */
	struct device unknown = *dev("rtx-4090");
	unknown.bandwidth_gbps = 0;
	unknown.bf16_tflops = 0;
	struct ranking r;
	struct request q;
	const char *ids[] = {"rtx-4090"};
	request_for(&q, ids, 1, 4096);
	q.set.dev[0] = &unknown;
	cr_assert(ranking_init(&r, &cat, models, FT_LLAMACPP));
	ranking_run(&r, &q);
	const struct rank_row *row = &r.rows[index_of("llama-3.1-8b")];
	cr_expect_eq(row->verdict, RANK_FITS);
	cr_expect_not(row->speed_known);
	cr_expect_eq(row->decode_tps, 0);
	/* a mixed set gets the layer split's speed, as --print gives it */
	const char *mixed[] = {"rtx-4090", "rtx-3090"};
	request_for(&q, mixed, 2, 4096);
	ranking_run(&r, &q);
	row = &r.rows[index_of("llama-3.1-8b")];
	cr_expect(row->speed_known);
	cr_expect_gt(row->decode_tps, 0);
	ranking_free(&r);
}

Test(rank, quality_proxy)
{
	/* llama.cpp's Llama-3-8B points themselves: Q4_K_M +0.1754, Q2_K +3.5199 over 6.233 */
	cr_expect_float_eq(rank_ppl_increase(4.899), 0.0281, 1e-9);
	cr_expect_float_eq(rank_ppl_increase(3.166), 0.5647, 1e-9);
	cr_expect_float_eq(rank_ppl_increase(16.0), 0.0, 1e-12);
	/* between points, and monotone over the whole range */
	double q5 = rank_ppl_increase(5.3);
	cr_expect(q5 < 0.0281 && q5 > 0.0091, "%g", q5);
	for (double b = 1.5; b < 16; b += 0.05)
		cr_expect_geq(rank_ppl_increase(b), rank_ppl_increase(b + 0.05), "at %g bpw", b);
	/* dense: parameters times what the quantization keeps */
	cr_expect_float_eq(rank_quality(8000000000ull, 8000000000ull, false, 16.0), 8.0, 1e-9);
	cr_expect_float_eq(rank_quality(32000000000ull, 32000000000ull, false, 4.899),
	                   32 * (1 - 0.0281), 1e-9);
	/* never below a tenth */
	cr_expect_float_eq(rank_quality(70000000000ull, 70000000000ull, false, 1.8), 7.0, 1e-9);
	/* MoE: geometric mean of total and active */
	cr_expect_float_eq(rank_quality(100000000000ull, 1000000000ull, true, 16.0), 10.0, 1e-9);
}

Test(rank, filters_and_sorting)
{
	const char *ids[] = {"rtx-4090", "rtx-3090"};
	struct ranking r;
	struct request q;
	request_for(&q, ids, 2, 8192);
	cr_assert(ranking_init(&r, &cat, models, FT_LLAMACPP));
	ranking_run(&r, &q);
	size_t out[256];

	struct rank_filter f = {0};
	size_t n = ranking_select(&r, &f, RANK_SORT_QUALITY, out, 256);
	cr_expect_eq(n, cat.n, "no filter keeps every model");
	for (size_t k = 1; k < n; k++) {
		const struct rank_row *x = &r.rows[out[k - 1]], *y = &r.rows[out[k]];
		cr_expect(x->verdict < y->verdict ||
		              (x->verdict == y->verdict && x->quality >= y->quality),
		          "quality order broken at %zu", k);
	}
	n = ranking_select(&r, &f, RANK_SORT_SPEED, out, 256);
	for (size_t k = 1; k < n; k++) {
		const struct rank_row *x = &r.rows[out[k - 1]], *y = &r.rows[out[k]];
		cr_expect(x->verdict < y->verdict ||
		          (x->verdict == y->verdict && x->decode_tps >= y->decode_tps));
	}
	n = ranking_select(&r, &f, RANK_SORT_SIZE, out, 256);
	for (size_t k = 1; k < n; k++) {
		const struct rank_row *x = &r.rows[out[k - 1]], *y = &r.rows[out[k]];
		cr_expect(x->verdict < y->verdict ||
		          (x->verdict == y->verdict &&
		           models[out[k - 1]].params_total >= models[out[k]].params_total));
	}

	strcpy(f.family, "qwen,gemma");
	n = ranking_select(&r, &f, RANK_SORT_QUALITY, out, 256);
	cr_expect_gt(n, 5);
	for (size_t k = 0; k < n; k++)
		cr_expect(strcasestr(cat.v[out[k]].meta.family, "qwen") ||
		              strcasestr(cat.v[out[k]].meta.family, "gemma"),
		          "%s", cat.v[out[k]].meta.family);

	memset(&f, 0, sizeof(f));
	f.kind = RANK_KIND_MOE;
	f.min_params = 20000000000ull;
	f.max_params = 40000000000ull;
	n = ranking_select(&r, &f, RANK_SORT_QUALITY, out, 256);
	cr_expect_gt(n, 0);
	for (size_t k = 0; k < n; k++) {
		cr_expect_gt(models[out[k]].arch.n_expert, 0);
		cr_expect_geq(models[out[k]].params_total, 20000000000ull);
		cr_expect_leq(models[out[k]].params_total, 40000000000ull);
	}
	f.kind = RANK_KIND_DENSE;
	n = ranking_select(&r, &f, RANK_SORT_QUALITY, out, 256);
	for (size_t k = 0; k < n; k++)
		cr_expect_eq(models[out[k]].arch.n_expert, 0);

	memset(&f, 0, sizeof(f));
	f.min_ctx_tokens = 131072;
	n = ranking_select(&r, &f, RANK_SORT_CONTEXT, out, 256);
	cr_expect_gt(n, 0);
	for (size_t k = 0; k < n; k++)
		cr_expect_geq(r.rows[out[k]].max_ctx_tokens, 131072);
	f.min_ctx_tokens = 0;
	f.fitting_only = true;
	n = ranking_select(&r, &f, RANK_SORT_QUALITY, out, 256);
	for (size_t k = 0; k < n; k++)
		cr_expect_neq(r.rows[out[k]].verdict, RANK_NO);
	ranking_free(&r);
}

Test(rank, size_ranges)
{
	uint64_t lo, hi;
	char err[128];
	cr_expect(rank_parse_size_range("7b..70b", &lo, &hi, err, sizeof(err)));
	cr_expect_eq(lo, 7000000000ull);
	cr_expect_eq(hi, 70000000000ull);
	cr_expect(rank_parse_size_range("..14B", &lo, &hi, err, sizeof(err)));
	cr_expect_eq(lo, 0);
	cr_expect_eq(hi, 14000000000ull);
	cr_expect(rank_parse_size_range("1.5b..", &lo, &hi, err, sizeof(err)));
	cr_expect_eq(lo, 1500000000ull);
	cr_expect_eq(hi, 0);
	cr_expect(rank_parse_size_range("500m..1t", &lo, &hi, err, sizeof(err)));
	cr_expect_eq(lo, 500000000ull);
	cr_expect_eq(hi, 1000000000000ull);
	cr_expect(rank_parse_size_range("8b", &lo, &hi, err, sizeof(err)));
	cr_expect_eq(lo, 7200000000ull);
	cr_expect_eq(hi, 8800000000ull);
	static const char *const bad[] = {"", "..", "big", "70b..7b", "-5b", "7b..x", "8q"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_not(rank_parse_size_range(bad[i], &lo, &hi, err, sizeof(err)), "'%s'",
		              bad[i]);
	cr_expect(rank_parse_size_range("70b..7b", &lo, &hi, err, sizeof(err)) == false &&
	          strstr(err, "above"));
}

Test(rank, host_memory_holds_the_offloaded_part)
{
	const struct device *set[] = {dev("rtx-4090")};
	struct rank_query q;
	query_for(&q, set, 1, 64ull << 30);
	q.base.offload = OFFLOAD_CPU_MOE;
	size_t i = index_of("kimi-k2.6");
	struct rank_ladder l;
	struct rank_row row;
	rank_prepare(&models[i], &scratch, FT_LLAMACPP, &l);

	/* 64 GiB of host memory: the experts of a 1T model do not go there */
	rank_model(&models[i], &scratch, &l, &q, &row);
	cr_expect_eq(row.verdict, RANK_NO_HOST, "%s", rank_verdict_name(row.verdict));
	cr_expect_str_eq(rank_verdict_name(row.verdict), "does not fit (host memory)");
	cr_expect_gt(row.host_bytes, q.host_ram_bytes);

	/* 768 GiB: a quant fits, and the next one up does not (host or GPU) */
	q.host_ram_bytes = 768ull << 30;
	q.keep_host_bytes = (uint64_t)((double)q.host_ram_bytes * MARGIN);
	rank_model(&models[i], &scratch, &l, &q, &row);
	cr_assert_eq(row.verdict, RANK_FITS, "%s", rank_verdict_name(row.verdict));
	cr_expect_leq((double)row.host_bytes, (double)q.host_ram_bytes * (1 - MARGIN));
	struct settings s = q.base;
	struct estimate e;
	s.ftype = row.ftype;
	estimate_once(&models[i], &s, &e);
	cr_expect_eq(e.host_bytes, row.host_bytes);
	int at = -1;
	for (uint32_t k = 0; k < l.n; k++)
		if (l.ftype[k] == row.ftype)
			at = (int)k;
	cr_assert_geq(at, 0);
	for (uint32_t k = (uint32_t)at + 1; k < l.n; k++) {
		s.ftype = l.ftype[k];
		estimate_once(&models[i], &s, &e);
		cr_expect_not(rank_fits(&e, &q, true, NULL, NULL, NULL), "%s fits too",
		              ftype_get(s.ftype)->name);
	}

	/* unified memory is one pool: no separate host check */
	const struct device *mac[] = {dev("apple-m3-ultra-512gb")};
	query_for(&q, mac, 1, 1ull << 30);
	size_t small = index_of("llama-3.1-8b");
	rank_prepare(&models[small], &scratch, FT_LLAMACPP, &l);
	rank_model(&models[small], &scratch, &l, &q, &row);
	cr_expect_eq(row.verdict, RANK_FITS);
}
