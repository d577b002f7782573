/*
 * vllm_check.c - compare vramcalc's vLLM accounting with real vLLM start-up
 * logs (tests/data/vllm) and print the error per case.
 *
 * Every case runs through the command line as a user would type it
 * (--engine vllm via -q, -g DEVICExTP, --vllm-version, the logged
 * max-model-len, max-num-seqs, batched tokens and utilization) and reads
 * the JSON.  Goals (exit status 1 when one fails):
 *   - weights per rank within 2 % on every case that logs them;
 *   - KV memory per rank (scope v1): median |error| <= 3 %, 90th
 *     percentile <= 10 %, never more than 1.5 GiB off;
 *   - token capacity (scope v1): median |error| <= 3 %;
 *   - every fits / does-not-fit verdict matches the log;
 *   - scope layout (the log's available KV memory given as --kv-cache-memory,
 *     so only the cache layout is checked): token capacity within 1 %;
 *     scope verdict (likewise, a refused start): the longest request that
 *     fits (vLLM's "estimated maximum model length") within 1 %.
 * `make check` runs it from the source tree.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truth.h"

#define DATA_DIR    "tests/data/vllm"
#define MAX_CASES   64
#define TOL_WEIGHTS 2.0
#define TOL_KV_MED  3.0
#define TOL_KV_P90  10.0
#define TOL_KV_GIB  1.5
#define TOL_TOK_MED 3.0
#define TOL_LAYOUT  1.0
#define GIB         1073741824.0

/* One case: the logged numbers and how vramcalc runs it. */
struct vcase {
	char id[8], model[48], quant[16], gpu[32], scope[12];
	char args[128]; /* map.csv's extra options, space separated (the logged
	                 * settings the CSV has no column for) */
	char version[16], kv_dtype[16];
	double util, total_gib, weights_gib, nt_gib, act_gib, kv_gib, tokens;
	long mml, seqs, batched, tp;
	bool kv_implied;
};

/* Split one CSV line into at most max fields (quotes respected, "" inside
 * quotes is a quote).  Fields point into line, which is modified. */
static int csv_split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;
	while (n < max) {
		char *w = p;
		f[n++] = w;
		if (*p == '"') {
			p++;
			while (*p && !(*p == '"' && p[1] != '"')) {
				if (*p == '"')
					p++;
				*w++ = *p++;
			}
			if (*p == '"')
				p++;
		} else {
			while (*p && *p != ',' && *p != '\n' && *p != '\r')
				*w++ = *p++;
		}
		char c = *p;
		*w = '\0';
		if (c != ',')
			break;
		p++;
	}
	return n;
}

static double num(const char *s)
{
	char *end;
	double x = strtod(s, &end);
	return end == s ? NAN : x;
}

/* Column index of name in a header row, -1 when absent. */
static int col(char **h, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(h[i], name))
			return i;
	return -1;
}

/* Leading release number of a version column: "~0.9.2 (V1)" -> "0.9.2". */
static void version_of(const char *s, char *out, size_t n)
{
	while (*s && (*s < '0' || *s > '9'))
		s++;
	size_t k = 0;
	int dots = 0;
	while (s[k] && k + 1 < n && ((s[k] >= '0' && s[k] <= '9') || s[k] == '.')) {
		if (s[k] == '.' && (++dots > 2 || !(s[k + 1] >= '0' && s[k + 1] <= '9')))
			break;
		k++;
	}
	memcpy(out, s, k);
	out[k] = '\0';
}

static int load_cases(struct vcase *c)
{
	size_t len;
	char *text = truth_slurp(DATA_DIR "/cases.csv", &len);
	char *map = truth_slurp(DATA_DIR "/map.csv", &len);
	if (!text || !map) {
		fprintf(stderr, "vllm-check: cannot read %s/cases.csv or map.csv\n", DATA_DIR);
		exit(2);
	}
	char *h[32], *f[32], *save = NULL;
	char *line = strtok_r(text, "\n", &save);
	int nh = csv_split(line, h, 32);
	int n = 0;
	while ((line = strtok_r(NULL, "\n", &save)) && n < MAX_CASES) {
		char copy[4096];
		snprintf(copy, sizeof(copy), "%s", line);
		int nf = csv_split(copy, f, 32);
		if (nf < nh)
			continue;
		struct vcase *v = &c[n];
		memset(v, 0, sizeof(*v));
#define S(name) f[col(h, nh, name)]
		snprintf(v->id, sizeof(v->id), "%s", S("case_id"));
		version_of(S("vllm_version"), v->version, sizeof(v->version));
		snprintf(v->kv_dtype, sizeof(v->kv_dtype), "%s",
		         !strncmp(S("kv_cache_dtype"), "fp8", 3) ? "fp8" : "auto");
		v->mml = (long)num(S("max_model_len"));
		v->seqs = (long)num(S("max_num_seqs"));
		v->batched = (long)num(S("max_num_batched_tokens"));
		v->util = num(S("gpu_memory_utilization"));
		v->tp = (long)num(S("tensor_parallel_size"));
		v->total_gib = num(S("gpu_total_gib"));
		v->weights_gib = num(S("weights_gib"));
		v->nt_gib = num(S("non_torch_gib"));
		v->act_gib = num(S("activation_peak_gib"));
		v->kv_gib = num(S("kv_cache_gib"));
		v->tokens = num(S("kv_cache_tokens"));
#undef S
		if (isnan(v->util))
			v->util = 0.9;
		if (isnan(v->kv_gib) && !isnan(v->total_gib) && !isnan(v->weights_gib) &&
		    !isnan(v->nt_gib) && !isnan(v->act_gib)) {
			v->kv_gib =
			    v->total_gib * v->util - v->weights_gib - v->nt_gib - v->act_gib;
			v->kv_implied = true;
		}
		n++;
	}
	/* vramcalc's reading of each case */
	save = NULL;
	line = strtok_r(map, "\n", &save);
	nh = csv_split(line, h, 32);
	while ((line = strtok_r(NULL, "\n", &save))) {
		char copy[1024];
		snprintf(copy, sizeof(copy), "%s", line);
		int nf = csv_split(copy, f, 32);
		if (nf < 5)
			continue;
		for (int i = 0; i < n; i++) {
			if (strcmp(c[i].id, f[0]))
				continue;
			snprintf(c[i].model, sizeof(c[i].model), "%s", f[1]);
			snprintf(c[i].quant, sizeof(c[i].quant), "%s", f[2]);
			snprintf(c[i].gpu, sizeof(c[i].gpu), "%s", f[3]);
			snprintf(c[i].scope, sizeof(c[i].scope), "%s", f[4]);
			if (nf >= 7)
				snprintf(c[i].args, sizeof(c[i].args), "%s", f[6]);
		}
	}
	free(text);
	free(map);
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Percentile p (0..100) of n values (sorted in place), nearest rank. */
static double percentile(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	int k = (int)ceil(p / 100.0 * n) - 1;
	return v[k < 0 ? 0 : k];
}

static double pct(double est, double log)
{
	return 100.0 * (est - log) / fabs(log);
}

static double jnum(const cJSON *o, const char *path)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", path);
	const cJSON *x = o;
	for (char *save = NULL, *p = strtok_r(buf, ".", &save); p && x;
	     p = strtok_r(NULL, ".", &save)) {
		if (cJSON_IsArray(x))
			x = cJSON_GetArrayItem(x, atoi(p));
		else
			x = cJSON_GetObjectItemCaseSensitive(x, p);
	}
	if (cJSON_IsBool(x))
		return cJSON_IsTrue(x) ? 1 : 0;
	return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

int main(void)
{
	setenv("VRAMCALC_PROFILE_PATH", "profiles", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent-vramcalc-test", 1);
	struct vcase c[MAX_CASES];
	int n = load_cases(c);
	double kv_err[MAX_CASES], tok_err[MAX_CASES];
	int n_kv = 0, n_tok = 0, failures = 0, verdicts = 0, verdicts_ok = 0;
	double worst_w = 0, worst_kv_gib = 0, worst_layout = 0;

	printf("vLLM start-up logs (tests/data/vllm): per GPU, GiB = 2^30 bytes\n");
	printf(
	    "%-4s %-17s %-9s %2s %-6s %-7s| %6s %6s %6s | %6s %6s %7s | %9s %9s %7s | %-5s %-5s\n",
	    "case", "model", "quant", "TP", "vLLM", "scope", "W log", "W vc", "err", "KV log",
	    "KV vc", "err", "tok log", "tok vc", "err", "log", "vc");
	for (int i = 0; i < n; i++) {
		struct vcase *v = &c[i];
		if (!v->model[0])
			continue;
		char gpu[48], mml[24], seqs[24], bt[24], util[24], kvmem[32];
		bool verdict = !strcmp(v->scope, "verdict");
		bool layout = !strcmp(v->scope, "layout") || verdict;
		snprintf(gpu, sizeof(gpu), v->tp > 1 ? "%sx%ld" : "%s", v->gpu, v->tp);
		snprintf(util, sizeof(util), "%.2f", v->util);
		char *argv[32] = {"vramcalc", "-m", v->model,     "-q",    v->quant,
		                  "-g",       gpu,  "--gpu-util", util,    "--vllm-version",
		                  v->version, "-k", v->kv_dtype,  "--json"};
		int argc = 14;
		if (v->mml > 0) {
			snprintf(mml, sizeof(mml), "%ld", v->mml);
			argv[argc++] = "--max-model-len";
			argv[argc++] = mml;
		}
		if (v->seqs > 0) {
			snprintf(seqs, sizeof(seqs), "%ld", v->seqs);
			argv[argc++] = "--max-num-seqs";
			argv[argc++] = seqs;
		}
		if (v->batched > 0) {
			snprintf(bt, sizeof(bt), "%ld", v->batched);
			argv[argc++] = "--max-num-batched-tokens";
			argv[argc++] = bt;
		}
		if (layout) {
			snprintf(kvmem, sizeof(kvmem), "%.0f", v->kv_gib * GIB);
			argv[argc++] = "--kv-cache-memory";
			argv[argc++] = kvmem;
		}
		char extra[128];
		snprintf(extra, sizeof(extra), "%s", v->args);
		for (char *save = NULL, *w = strtok_r(extra, " ", &save); w && argc < 30;
		     w = strtok_r(NULL, " ", &save))
			argv[argc++] = w;
		char *out, *err;
		int rc = truth_run_cli(&out, &err, argc, argv);
		cJSON *j = rc == 0 ? cJSON_Parse(out) : NULL;
		if (!j) {
			printf("%-4s vramcalc failed (%d): %s\n", v->id, rc, err);
			failures++;
			free(out);
			free(err);
			continue;
		}
		double w = jnum(j, "hardware.0.devices.0.vllm.weights_bytes") / GIB;
		double kv = jnum(j, "vllm.kv_budget_bytes") / GIB;
		/* a refused start logs the longest request that would fit */
		double tok =
		    jnum(j, verdict ? "vllm.max_model_len_fit" : "vllm.kv_capacity_tokens");
		bool fits = jnum(j, "vllm.fits") > 0;
		cJSON_Delete(j);
		free(out);
		free(err);

		bool v1 = !strcmp(v->scope, "v1");
		char we[16] = "-", ke[16] = "-", te[16] = "-", kl[16] = "-", tl[16] = "-";
		char wl[16] = "-";
		if (!isnan(v->weights_gib)) {
			double e = pct(w, v->weights_gib);
			snprintf(wl, sizeof(wl), "%.2f", v->weights_gib);
			snprintf(we, sizeof(we), "%+.1f%%", e);
			if (fabs(e) > worst_w)
				worst_w = fabs(e);
			if (fabs(e) > TOL_WEIGHTS)
				failures++;
		}
		bool has_kv = !isnan(v->kv_gib) && strcmp(v->scope, "weights");
		if (has_kv) {
			double e = pct(kv, v->kv_gib);
			snprintf(kl, sizeof(kl), "%.2f%s", v->kv_gib, v->kv_implied ? "*" : "");
			snprintf(ke, sizeof(ke), "%+.1f%%", e);
			if (v1) {
				kv_err[n_kv++] = fabs(e);
				if (fabs(kv - v->kv_gib) > worst_kv_gib)
					worst_kv_gib = fabs(kv - v->kv_gib);
			}
		}
		if (!isnan(v->tokens)) {
			double e = pct(tok, v->tokens);
			snprintf(tl, sizeof(tl), "%.0f", v->tokens);
			snprintf(te, sizeof(te), "%+.1f%%", e);
			if (v1)
				tok_err[n_tok++] = fabs(e);
			if (layout && fabs(e) > worst_layout)
				worst_layout = fabs(e);
			if (layout && fabs(e) > TOL_LAYOUT)
				failures++;
		}
		/* The log's verdict: a positive KV budget that holds max_model_len */
		const char *lv = "-";
		if (has_kv) {
			bool log_fits = v->kv_gib > 0 && (isnan(v->tokens) || v->mml <= 0 ||
			                                  v->tokens >= (double)v->mml);
			lv = log_fits ? "fits" : "no";
			verdicts++;
			if (log_fits == fits)
				verdicts_ok++;
			else
				failures++;
		}
		printf("%-4s %-17.17s %-9s %2ld %-6s %-7s| %6s %6.2f %6s | %6s %6.2f %7s | %9s "
		       "%9.0f "
		       "%7s | %-5s %-5s\n",
		       v->id, v->model, v->quant, v->tp, v->version, v->scope, wl, w, we, kl, kv,
		       ke, tl, tok, te, lv, fits ? "fits" : "no");
	}

	double kv_med = n_kv ? percentile(kv_err, n_kv, 50) : 0;
	double kv_p90 = n_kv ? percentile(kv_err, n_kv, 90) : 0;
	double tok_med = n_tok ? percentile(tok_err, n_tok, 50) : 0;
	printf("* KV implied from the other logged terms; scope: v1 = every setting logged, "
	       "assumed = settings assumed (table only), v0 = V0 engine, layout / verdict = the "
	       "log's KV memory given (verdict: tokens = the longest request that fits)\n");
	printf("weights: worst |error| %.1f %% (goal <= %.0f %%)\n", worst_w, TOL_WEIGHTS);
	printf("KV per GPU (v1, n=%d): median |error| %.1f %%, p90 %.1f %%, worst %.2f GiB "
	       "(goals <= %.0f %%, <= %.0f %%, <= %.1f GiB)\n",
	       n_kv, kv_med, kv_p90, worst_kv_gib, TOL_KV_MED, TOL_KV_P90, TOL_KV_GIB);
	printf("token capacity (v1, n=%d): median |error| %.1f %% (goal <= %.0f %%)\n", n_tok,
	       tok_med, TOL_TOK_MED);
	printf("KV layout (scope layout: the log's KV memory given): worst token |error| %.2f %% "
	       "(goal <= %.0f %%)\n",
	       worst_layout, TOL_LAYOUT);
	printf("verdicts: %d of %d match the log\n", verdicts_ok, verdicts);
	if (kv_med > TOL_KV_MED || kv_p90 > TOL_KV_P90 || worst_kv_gib > TOL_KV_GIB ||
	    tok_med > TOL_TOK_MED || n_kv == 0)
		failures++;
	if (failures)
		printf("vllm-check: %d goal(s) missed\n", failures);
	return failures ? 1 : 0;
}
