/*
 * accuracy.c - compare the engine with llama.cpp's measured allocations
 * (tests/data/truth) and print the error per case.
 *
 * Exit status 1 when any case is outside the tolerance: weights 1 %, KV
 * cache (and recurrent state) 0.5 %, compute buffer 25 %, and at least
 * 95 % of the runs with their compute buffer within 10 %.  The 2026
 * architectures (tests/data/truth2026) are stricter: weights and context
 * memory byte-exact from the GGUF header, from config.json and from the
 * catalog profile, compute within 15 %.  `make check` runs it;
 * `build/accuracy --summary` prints only the per-model summaries that
 * README carries.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimate_once.h"
#include "source.h"
#include "truth.h"

#define TOL_WEIGHTS      1.0
#define TOL_KV           0.5
#define TOL_COMPUTE      25.0
#define MAX_MODELS       16
#define MAX_ARCHS        64 /* llama.cpp archs in the 2026 summary */
#define TOL_COMPUTE_2026 15.0
#define TOL_COMPUTE_MOST 10.0 /* ... for at least SHARE_MOST of the runs */
#define SHARE_MOST       0.95

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

/* Where a 2026 case's model comes from. */
enum from { FROM_GGUF, FROM_CONFIG, FROM_PROFILE, FROM_COUNT };
static const char *const from_names[FROM_COUNT] = {"gguf", "config.json", "profile"};

/* Per llama.cpp architecture: cases (run x source), how many were exact
 * in both weights and context memory, and the worst compute error. */
struct arch_stats {
	char arch[24];
	int cases, exact;
	double worst_c;
};

/* Runs whose compute buffer the model is known to miss by more than the
 * tolerance; they are printed with their error but do not fail the check.
 * (Qwen3.5-27B at 131072 / 262144 cells and Ling-flash-2.0 at 131072 were
 * here until the output phase was simulated node by node, allocsim.c: the
 * logits sit above the last hidden state, which ggml-alloc's best fit put
 * above or at the bottom of the freed mask depending on the sizes; the
 * 19 flash-attention runs of Nemotron 3 Ultra up to 32K cells, +15 to
 * +16.5 %, until Nemotron-H's attention blocks stopped counting an expert
 * activation: now -3 to -4 %.) */
static const char *const compute_known_misses[] = {
    /* Mamba-Codestral-7B read generically (mamba2, no attention): -15.5 %
     * at ubatch 128 and with 4 sequences.  The scan's input and output
     * states (4.3 MB a sequence and layer) sit beside the mixer's
     * activations, partly in holes they leave at ubatch 512 (+0.5 MB over
     * 58 x n_embd per token), not at 128 (+5.6 MB), and 7.2 MB more per
     * extra sequence; one pure-SSM model measured, no rule fitted. */
    "mamba2-codestral-7b_Q4_K_M_ub128",
    "mamba2-codestral-7b_Q4_K_M_np4",
    "mamba2-codestral-7b_Q4_K_M_np4_unified",
    NULL,
};

static bool known_miss(const char *run_id)
{
	for (const char *const *k = compute_known_misses; *k; k++)
		if (!strcmp(*k, run_id))
			return true;
	return false;
}

/* llama.cpp's CPU model buffer for an estimate: the weight buffer, plus a
 * second token_embd where the loader creates the tied output before the
 * token embedding (gemma4, gemma3n: create_tensor(TOKEN_EMBD, DUPLICATED) finds no
 * tensor to share yet, so the no_alloc buffer measured here holds it
 * twice; with mmap both map the same file pages, and on a GPU the engine
 * already places the output's copy). */
static uint64_t cpu_model_buffer(const struct model *m, const enum qtype *types,
                                 const struct estimate *e)
{
	uint64_t b = e->weights_bytes;
	if ((m->arch.family != AF_GEMMA4 && m->arch.family != AF_GEMMA3N) ||
	    !m->arch.tied_embeddings)
		return b;
	for (size_t i = 0; i < m->tensors.n; i++)
		if (!strcmp(m->tensors.v[i].name, "token_embd.weight"))
			b += tensor_buffer_bytes(&m->tensors.v[i], types[i]);
	return b;
}

/* Load spec through the same resolver as the CLI, profiles from the
 * source tree.  Exits 2 when it cannot (a broken test setup). */
static void load_source(const char *spec, struct source *src)
{
	struct profile_dirs dirs;
	struct profile_warnings w = {0};
	char err[512];
	memset(&dirs, 0, sizeof(dirs));
	dirs.n = 1;
	snprintf(dirs.dir[0], sizeof(dirs.dir[0]), "profiles");
	snprintf(dirs.origin[0], sizeof(dirs.origin[0]), "shipped");
	if (!source_load(&dirs, spec, src, &w, err, sizeof(err))) {
		fprintf(stderr, "accuracy: %s\n", err);
		exit(2);
	}
}

/* The model a case uses: the GGUF of its quant (weights as stored), or
 * the config.json / catalog profile with the quant's recipe. */
static void case_source(const struct truth2026_model *tm, enum from from, const char *quant,
                        struct source *src)
{
	char spec[512];
	if (from == FROM_GGUF)
		snprintf(spec, sizeof(spec), "%s/gguf/%s-%s.gguf", TRUTH2026_DIR, tm->name, quant);
	else if (from == FROM_CONFIG)
		snprintf(spec, sizeof(spec), "%s/configs/%s.config.json", TRUTH2026_DIR, tm->name);
	else
		snprintf(spec, sizeof(spec), "%s", tm->profile);
	load_source(spec, src);
}

/* Check every 2026 run from each source; print one line per case (or only
 * failures with summary_only) and the per-architecture table.  Returns the
 * number of cases outside tolerance. */
static int check_2026(bool summary_only)
{
	struct truth t;
	struct arch_stats st[MAX_ARCHS];
	int n_st = 0, failures = 0, cases = 0;
	if (!truth2026_load(TRUTH2026_DIR, &t))
		exit(2);
	if (!summary_only)
		printf(
		    "\n2026 architectures: weights and context memory byte-exact, compute within "
		    "%.0f %% (tests/data/truth2026)\n%-40s %-11s %14s %14s %14s %8s\n",
		    TOL_COMPUTE_2026, "run", "from", "weights B", "context B", "compute B",
		    "cmp err%");
	for (size_t m = 0; m < truth2026_n_models; m++) {
		const struct truth2026_model *tm = &truth2026_models[m];
		for (int from = 0; from < FROM_COUNT; from++) {
			/* a model without an engine layout, or a file a default
			 * conversion does not write, is checked from its GGUF only */
			if (from != FROM_GGUF && !tm->profile)
				continue;
			for (size_t i = 0; i < t.n_runs; i++) {
				const struct truth_run *r = &t.runs[i];
				if (strcmp(r->model, tm->name) != 0)
					continue;
				struct source src;
				struct estimate e;
				struct settings s = r->settings;
				case_source(tm, (enum from)from, r->quant, &src);
				s.file_types = from == FROM_GGUF;
				struct estimate_scratch xs;
				estimate_scratch_for(&xs, &src.model);
				estimate_run(&src.model, &xs, &s, &e);
				uint64_t comp = estimate_compute(&src.model.arch, &s, e.n_ctx_seq);
				double err_c = pct(comp, r->compute_buffer_bytes);
				uint64_t weights = cpu_model_buffer(&src.model, xs.types, &e);
				estimate_scratch_free(&xs);
				bool exact = weights == r->model_buffer_bytes &&
				             e.kv_bytes == r->context_bytes;
				bool miss = fabs(err_c) > TOL_COMPUTE_2026;
				bool known = miss && known_miss(r->run_id);
				bool bad = !exact || (miss && !known);
				struct arch_stats *x = NULL;
				for (int k = 0; k < n_st; k++)
					if (!strcmp(st[k].arch, src.model.arch.gguf_arch))
						x = &st[k];
				if (!x && n_st < MAX_ARCHS) {
					x = &st[n_st++];
					memset(x, 0, sizeof(*x));
					snprintf(x->arch, sizeof(x->arch), "%s",
					         src.model.arch.gguf_arch);
				}
				if (x) {
					x->cases++;
					x->exact += exact;
					x->worst_c = fmax(x->worst_c, fabs(err_c));
				}
				cases++;
				failures += bad;
				if (!summary_only || bad)
					printf("%-40.40s %-11s %14llu %14llu %14llu %+8.2f%s\n",
					       r->run_id, from_names[from],
					       (unsigned long long)weights,
					       (unsigned long long)e.kv_bytes,
					       (unsigned long long)comp, err_c,
					       !exact  ? "  FAIL not exact"
					       : bad   ? "  FAIL compute"
					       : known ? "  known compute miss (see accuracy.c)"
					               : "");
				if (!exact && !summary_only)
					printf("%-40s %-11s %14llu %14llu   (llama.cpp)\n", "", "",
					       (unsigned long long)r->model_buffer_bytes,
					       (unsigned long long)r->context_bytes);
				source_release(&src);
			}
		}
	}
	printf(
	    "\n| llama.cpp arch | cases (run x source) | exact weights + context | worst compute "
	    "error |\n|---|---|---|---|\n");
	for (int i = 0; i < n_st; i++)
		printf("| %s | %d | %d | %.1f %% |\n", st[i].arch, st[i].cases, st[i].exact,
		       st[i].worst_c);
	printf("\naccuracy 2026: %d cases, %d outside tolerance\n", cases, failures);
	truth_free(&t);
	return failures;
}

int main(int argc, char **argv)
{
	bool summary_only = argc > 1 && !strcmp(argv[1], "--summary");
	struct truth t;
	struct stats st[MAX_MODELS];
	int n_st = 0, failures = 0, within_most = 0;
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
		estimate_once(m, &s, &e);
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
		estimate_once(m, &r->settings, &e);
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
		within_most += fabs(err_c) <= TOL_COMPUTE_MOST;
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
	double share = t.n_runs ? (double)within_most / (double)t.n_runs : 1.0;
	printf("\ncompute within %.0f %%: %d of %zu runs (%.1f %%, goal %.0f %%)\n",
	       TOL_COMPUTE_MOST, within_most, t.n_runs, 100 * share, 100 * SHARE_MOST);
	failures += share < SHARE_MOST;
	printf("accuracy: %zu weight cases, %zu runs, %d outside tolerance\n", t.n_quants, t.n_runs,
	       failures);
	truth_free(&t);
	failures += check_2026(summary_only);
	return failures ? 1 : 0;
}
