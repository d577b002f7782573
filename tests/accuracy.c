/*
 * accuracy.c - compare the engine with llama.cpp's measured allocations
 * (tests/data/truth) and print the error per case.
 *
 * Exit status 1 when any case is outside the tolerance: weights 1 %, KV
 * cache (and recurrent state) 0.5 %, compute buffer 25 %.  `make check`
 * runs it; `build/accuracy --summary` prints only the per-model summary
 * that README carries.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truth.h"

#define TOL_WEIGHTS 1.0
#define TOL_KV      0.5
#define TOL_COMPUTE 25.0
#define MAX_MODELS  16

struct stats {
	char model[48];
	int n_w, n_kv, n_c;
	double max_w, max_kv, max_c, sum_c;
};

static double pct(uint64_t est, uint64_t truth)
{
	if (truth == 0)
		return est == 0 ? 0.0 : 100.0;
	return 100.0 * ((double)est - (double)truth) / (double)truth;
}

static struct stats *stats_for(struct stats *s, int *n, const char *model)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(s[i].model, model))
			return &s[i];
	struct stats *x = &s[(*n)++];
	memset(x, 0, sizeof(*x));
	snprintf(x->model, sizeof(x->model), "%s", model);
	return x;
}

static struct model *model_cache(const char *name)
{
	static struct model models[MAX_MODELS];
	static char names[MAX_MODELS][48];
	static int n;
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return &models[i];
	if (n == MAX_MODELS || !truth_model(TRUTH_DIR, name, &models[n]))
		exit(2);
	snprintf(names[n], sizeof(names[n]), "%s", name);
	return &models[n++];
}

int main(int argc, char **argv)
{
	bool summary_only = argc > 1 && !strcmp(argv[1], "--summary");
	struct truth t;
	struct stats st[MAX_MODELS];
	int n_st = 0, failures = 0;
	if (!truth_load(TRUTH_DIR, &t))
		return 2;

	if (!summary_only)
		printf("Weights: estimate vs llama.cpp tensor data (quant_sizes.csv), tolerance "
		       "%.1f %%\n"
		       "%-24s %-10s %16s %16s %9s\n",
		       TOL_WEIGHTS, "model", "quant", "llama.cpp B", "vramcalc B", "error %");
	for (size_t i = 0; i < t.n_quants; i++) {
		const struct truth_quant *q = &t.quants[i];
		if (strncmp(q->method, "llama-quantize", 14) == 0)
			continue; /* same bytes as the dry-run row (matches_real_quantize) */
		struct model *m = model_cache(q->model);
		struct settings s;
		struct estimate e;
		estimate_settings_default(&s);
		if (!ftype_find(q->quant, &s.ftype))
			return 2;
		estimate_run(m, &s, &e);
		double err = pct(e.weights_bytes, q->tensor_data_bytes);
		struct stats *x = stats_for(st, &n_st, q->model);
		x->n_w++;
		x->max_w = fmax(x->max_w, fabs(err));
		bool bad = fabs(err) > TOL_WEIGHTS;
		failures += bad;
		if (!summary_only || bad)
			printf("%-24s %-10s %16llu %16llu %+9.4f%s\n", q->model, q->quant,
			       (unsigned long long)q->tensor_data_bytes,
			       (unsigned long long)e.weights_bytes, err, bad ? "  FAIL" : "");
	}

	if (!summary_only)
		printf("\nKV cache + recurrent state (tolerance %.1f %%) and compute buffer "
		       "(tolerance "
		       "%.0f %%) per run (runs.csv)\n%-44s %-8s %7s %5s %3s %-9s %3s %14s %8s %12s "
		       "%12s %8s\n",
		       TOL_KV, TOL_COMPUTE, "run", "quant", "ctx", "ub", "np", "kv", "fa",
		       "context B", "kv err%", "compute B", "estimate B", "cmp err%");
	for (size_t i = 0; i < t.n_runs; i++) {
		const struct truth_run *r = &t.runs[i];
		struct model *m = model_cache(r->model);
		struct estimate e;
		estimate_run(m, &r->settings, &e);
		double err_w = pct(e.weights_bytes, r->model_buffer_bytes);
		double err_kv = pct(e.kv_bytes, r->context_bytes);
		uint64_t comp = estimate_compute(&m->arch, &r->settings, e.n_ctx_seq);
		double err_c = pct(comp, r->compute_buffer_bytes);
		struct stats *x = stats_for(st, &n_st, r->model);
		x->n_kv++;
		x->max_kv = fmax(x->max_kv, fabs(err_kv));
		x->max_w = fmax(x->max_w, fabs(err_w));
		x->n_c++;
		x->max_c = fmax(x->max_c, fabs(err_c));
		x->sum_c += fabs(err_c);
		bool bad_kv = fabs(err_kv) > TOL_KV || fabs(err_w) > TOL_WEIGHTS ||
		              e.output_bytes != r->output_buffer_bytes;
		bool bad_c = fabs(err_c) > TOL_COMPUTE;
		failures += bad_kv + bad_c;
		if (!summary_only || bad_kv || bad_c) {
			char kv[24];
			snprintf(kv, sizeof(kv), "%s/%s", kvtype_get(r->settings.kv_k)->name,
			         kvtype_get(r->settings.kv_v)->name);
			printf("%-44.44s %-8s %7llu %5u %3u %-9s %3s %14llu %+8.4f %12llu %12llu "
			       "%+8.2f%s\n",
			       r->run_id, r->quant, (unsigned long long)r->settings.ctx_tokens,
			       r->settings.n_ubatch, r->settings.n_seq, kv,
			       r->settings.flash_attn ? "on" : "off",
			       (unsigned long long)r->context_bytes, err_kv,
			       (unsigned long long)r->compute_buffer_bytes,
			       (unsigned long long)comp, err_c,
			       bad_kv  ? "  FAIL kv"
			       : bad_c ? "  FAIL compute"
			               : "");
		}
	}

	printf("\n| model | weight cases | max weight error | KV cases | max KV error | "
	       "compute mean error | compute max error |\n|---|---|---|---|---|---|---|\n");
	for (int i = 0; i < n_st; i++)
		printf("| %s | %d | %.4f %% | %d | %.4f %% | %.1f %% | %.1f %% |\n", st[i].model,
		       st[i].n_w, st[i].max_w, st[i].n_kv, st[i].max_kv,
		       st[i].n_c ? st[i].sum_c / st[i].n_c : 0.0, st[i].max_c);
	printf("\naccuracy: %zu weight cases, %zu runs, %d outside tolerance\n", t.n_quants,
	       t.n_runs, failures);
	truth_free(&t);
	return failures ? 1 : 0;
}
