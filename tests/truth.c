/*
 * truth.c - read runs.csv and quant_sizes.csv (plain CSV, no quoted commas
 * in the fields used here).
 */
#include "truth.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "profile.h"

#define MAX_COLS 64

/* Split line in place at commas; returns the number of fields. */
static int split(char *line, char **f)
{
	int n = 0;
	char *p = line;
	f[n++] = p;
	while (*p && n < MAX_COLS) {
		if (*p == ',') {
			*p = '\0';
			f[n++] = p + 1;
		} else if (*p == '\n' || *p == '\r') {
			*p = '\0';
			break;
		}
		p++;
	}
	return n;
}

static int col(char **hdr, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(hdr[i], name))
			return i;
	fprintf(stderr, "truth: column %s missing\n", name);
	exit(1);
}

static uint64_t u64(const char *s)
{
	return (uint64_t)strtoull(s, NULL, 10);
}

/* Open dir/name and read its header line into hline; NULL (with a message
 * on stderr) when either fails. */
static FILE *csv_open(const char *dir, const char *name, char *hline, int n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "r");
	if (!fp || !fgets(hline, n, fp)) {
		fprintf(stderr, "truth: cannot read %s\n", path);
		if (fp)
			fclose(fp);
		return NULL;
	}
	return fp;
}

static bool load_quants(const char *dir, struct truth *t)
{
	char line[4096], hline[4096];
	char *h[MAX_COLS], *f[MAX_COLS];
	FILE *fp = csv_open(dir, "quant_sizes.csv", hline, sizeof(hline));
	if (!fp)
		return false;
	int nh = split(hline, h);
	int c_model = col(h, nh, "model"), c_quant = col(h, nh, "quant");
	int c_method = col(h, nh, "method"), c_bytes = col(h, nh, "tensor_data_bytes");
	int c_types = col(h, nh, "type_counts");
	while (fgets(line, sizeof(line), fp)) {
		int n = split(line, f);
		if (n < nh)
			continue;
		t->quants = realloc(t->quants, (t->n_quants + 1) * sizeof(*t->quants));
		struct truth_quant *q = &t->quants[t->n_quants++];
		snprintf(q->model, sizeof(q->model), "%s", f[c_model]);
		snprintf(q->quant, sizeof(q->quant), "%s", f[c_quant]);
		snprintf(q->method, sizeof(q->method), "%s", f[c_method]);
		snprintf(q->type_counts, sizeof(q->type_counts), "%s", f[c_types]);
		q->tensor_data_bytes = u64(f[c_bytes]);
	}
	fclose(fp);
	return true;
}

/* The columns of a runs.csv; those only the 2025 set has are -1 in the
 * 2026 set (measure.py's columns). */
struct run_cols {
	int n; /* header fields */
	int model, exp, quant, ctx, ub, k, v, fa, seq, uni, swa, nctx, mb, cb, comp, status;
	int id, kvb, rsb, ob, nseqctx, swacells; /* 2025 only */
};

static void run_cols_find(char **h, int nh, bool detail, struct run_cols *c)
{
	c->n = nh;
	c->model = col(h, nh, "model");
	c->exp = col(h, nh, "experiment");
	c->quant = col(h, nh, "quant");
	c->ctx = col(h, nh, "n_ctx_req");
	c->ub = col(h, nh, "n_ubatch");
	c->k = col(h, nh, "kv_type_k");
	c->v = col(h, nh, "kv_type_v");
	c->fa = col(h, nh, "flash_attn");
	c->seq = col(h, nh, "n_seq");
	c->uni = col(h, nh, "kv_unified");
	c->swa = col(h, nh, "swa_full");
	c->nctx = col(h, nh, "n_ctx");
	c->mb = col(h, nh, "model_buffer_bytes");
	c->cb = col(h, nh, "context_bytes");
	c->comp = col(h, nh, "compute_buffer_bytes");
	c->status = col(h, nh, "status");
	c->id = detail ? col(h, nh, "run_id") : -1;
	c->kvb = detail ? col(h, nh, "kv_buffer_bytes") : -1;
	c->rsb = detail ? col(h, nh, "rs_buffer_bytes") : -1;
	c->ob = detail ? col(h, nh, "output_buffer_bytes") : -1;
	c->nseqctx = detail ? col(h, nh, "n_ctx_seq") : -1;
	c->swacells = detail ? col(h, nh, "swa_kv_cells") : -1;
}

/* The value of column i of row f as a count; 0 for a column the set lacks. */
static uint64_t cell(char **f, int i)
{
	return i >= 0 ? u64(f[i]) : 0;
}

/* Read every accepted row ("ok") of dir/runs.csv into t->runs; detail: the
 * 2025 set's run ids and per-buffer columns, else the id is
 * model_quant_experiment. */
static bool load_run_rows(const char *dir, bool detail, struct truth *t)
{
	char line[8192], hline[8192];
	char *h[MAX_COLS], *f[MAX_COLS];
	FILE *fp = csv_open(dir, "runs.csv", hline, sizeof(hline));
	if (!fp)
		return false;
	struct run_cols c;
	run_cols_find(h, split(hline, h), detail, &c);
	while (fgets(line, sizeof(line), fp)) {
		int n = split(line, f);
		if (n < c.n || strcmp(f[c.status], "ok") != 0)
			continue;
		t->runs = realloc(t->runs, (t->n_runs + 1) * sizeof(*t->runs));
		struct truth_run *r = &t->runs[t->n_runs++];
		memset(r, 0, sizeof(*r));
		snprintf(r->model, sizeof(r->model), "%s", f[c.model]);
		snprintf(r->experiment, sizeof(r->experiment), "%s", f[c.exp]);
		snprintf(r->quant, sizeof(r->quant), "%s", f[c.quant]);
		if (detail)
			snprintf(r->run_id, sizeof(r->run_id), "%s", f[c.id]);
		else
			snprintf(r->run_id, sizeof(r->run_id), "%s_%s_%s", r->model, r->quant,
			         r->experiment);
		struct settings *s = &r->settings;
		estimate_settings_default(s);
		if (!ftype_find(r->quant, &s->ftype) || !kvtype_find(f[c.k], &s->kv_k) ||
		    !kvtype_find(f[c.v], &s->kv_v)) {
			fprintf(stderr, "truth: %s: unknown quant or KV type\n", r->run_id);
			exit(1);
		}
		s->ctx_tokens = u64(f[c.ctx]);
		s->n_ubatch = (uint32_t)u64(f[c.ub]);
		s->n_seq = (uint32_t)u64(f[c.seq]);
		s->kv_unified = u64(f[c.uni]) != 0;
		s->swa_full = u64(f[c.swa]) != 0;
		s->flash_attn = !strcmp(f[c.fa], "on");
		r->model_buffer_bytes = u64(f[c.mb]);
		r->context_bytes = u64(f[c.cb]);
		r->compute_buffer_bytes = u64(f[c.comp]);
		r->n_ctx = u64(f[c.nctx]);
		r->kv_buffer_bytes = cell(f, c.kvb);
		r->rs_buffer_bytes = cell(f, c.rsb);
		r->output_buffer_bytes = cell(f, c.ob);
		r->n_ctx_seq = cell(f, c.nseqctx);
		r->swa_kv_cells = cell(f, c.swacells);
	}
	fclose(fp);
	return true;
}

const struct truth2026_model truth2026_models[] = {
    {"qwen35-9b", "qwen3.5-9b"},
    {"qwen35-27b", "qwen3.5-27b"},
    {"qwen35moe-35b-a3b", "qwen3.5-35b-a3b"},
    {"nemotron-h-9b-v2", "nemotron-nano-9b-v2"},
    {"nemotron3-nano-30b-a3b", "nemotron-3-nano-30b-a3b"},
    {"nemotron3-super-120b-a12b", "nemotron-3-super-120b-a12b"},
    {"nemotron3-ultra-550b-a55b", "nemotron-3-ultra-550b-a55b"},
    {"gemma4-31b", "gemma-4-31b"},
    {"gemma4-26b-a4b", "gemma-4-26b-a4b"},
    {"gemma4-e2b", "gemma-4-e2b"},
    {"gemma4-e4b", "gemma-4-e4b"},
    {"lfm25-1.2b", "lfm2.5-1.2b"},
    {"lfm2moe-8b-a1b", "lfm2-8b-a1b"},
    {"deepseek32-v3.2", NULL}, /* converted with --no-mtp */
    {"glm-dsa-5", NULL},
    {"glm-dsa-5.2", NULL},
    {"olmo3-7b", "olmo-3-7b"},
    {"qwen3vl-8b", "qwen3-vl-8b"},
    {"qwen3vlmoe-30b-a3b", "qwen3-vl-30b-a3b"},
    {"seed-oss-36b", "seed-oss-36b"},
    {"kimi-linear-48b-a3b", "kimi-linear-48b-a3b"},
    {"ernie45-0.3b", "ernie-4.5-0.3b"},
    {"ernie45moe-21b-a3b", "ernie-4.5-21b-a3b"},
    {"ernie45moe-300b-a47b", "ernie-4.5-300b-a47b"},
    {"exaone4-32b", "exaone-4.0-32b"},
    {"exaone4-1.2b", "exaone-4.0-1.2b"},
    {"mimo2-flash", "mimo-v2-flash"},
    {"step35-flash", "step-3.5-flash"},
    {"minimax-m2.7", "minimax-m2.7"},
    {"minimax-m3", "minimax-m3"},
    {"ministral3-3b", "ministral-3-3b"},
    {"ministral3-14b", "ministral-3-14b"},
    {"ministral3-8b", "ministral-3-8b"},
    {"mistral-large3-675b", "mistral-large-3-675b"},
    {"mistral4-small-119b", "mistral-small-4-119b"},
    {"gemma3n-e2b", "gemma-3n-e2b"},
    {"gemma3n-e4b", "gemma-3n-e4b"},
    {"glm4moe-4.5-air", "glm-4.5-air"},
    {"apertus-8b", "apertus-8b"},
    {"hunyuan-a13b", "hunyuan-a13b"},
    {"bailingmoe2-ling-mini-2.0", "ling-mini-2.0"},
    {"afmoe-trinity-mini", "trinity-mini"},
    {"llama4-scout", "llama-4-scout"},
    {"llama4-maverick", "llama-4-maverick"},
    {"cohere2moe-command-a-plus", "command-a-plus"},
    {"glm4moe-4.5", "glm-4.5"},
    {"afmoe-trinity-nano", "trinity-nano"},
    {"falcon-h1-7b", "falcon-h1-7b"},
    {"deepseek4-flash", "deepseek-v4-flash"},
    {"deepseek4-pro", "deepseek-v4-pro"},
    {"apertus-70b", "apertus-70b"},
    {"bailingmoe2-ling-flash-2.0", "ling-flash-2.0"},
    {"kimi-k3", "kimi-k3"},
    {"granite4-h-350m", "granite-4.0-h-350m"},
    {"granite4-350m", "granite-4.0-350m"},
    {"granite4-h-micro", "granite-4.0-h-micro"},
    {"granite4-micro", "granite-4.0-micro"},
    {"granite4-h-small", "granite-4.0-h-small"},
    {"granite41-8b", "granite-4.1-8b"},
    {"granite41-30b", "granite-4.1-30b"},
    {"granite41-3b", "granite-4.1-3b"},
    {"granite4-1b", "granite-4.0-1b"},
    {"granite4-h-1b", "granite-4.0-h-1b"},
    {"afmoe-trinity-large", "trinity-large"},
    {"hy3", "hy3"},
    {"falcon-h1-1.5b", "falcon-h1-1.5b"},
    {"falcon-h1-1.5b-deep", "falcon-h1-1.5b-deep"},
    {"falcon-h1-3b", "falcon-h1-3b"},
    {"falcon-h1-0.5b", "falcon-h1-0.5b"},
    {"falcon-h1-34b", "falcon-h1-34b"},
    /* the same DSA models with the MTP block a default conversion writes */
    {"deepseek32-v3.2-mtp", "deepseek-v3.2"},
    {"glm-dsa-5-mtp", "glm-5"},
    {"glm-dsa-5.2-mtp", "glm-5.2"},
    /* DeepSeek V4 files that carry the MTP block (the converter writes it
     * only into a separate draft file): llama.cpp caches its window */
    {"deepseek4-flash-mtp", NULL},
    {"deepseek4-pro-mtp", NULL},
    {"deepseek4-flash-mtp-csa", NULL},
    {"deepseek2-glm-4.7-flash-mtp", "glm-4.7-flash"},
    /* a reduced test model (not real shapes) whose MTP block keeps
     * cohere2moe's NextN embedding, head and head norm */
    {"cohere2moe-test-L4-mtp", NULL},
    /* architectures without an engine layout, read generically from their
     * GGUF keys: per-layer head counts and FFN widths (openelm), plain GQA
     * (smollm3), a sliding_window_pattern array (granite_swa, test shapes),
     * RWKV's token-shift and wkv state (rwkv7), pure Mamba-2 (mamba2) and
     * a Mamba-1 hybrid with a per-layer head_count_kv (jamba) */
    {"openelm-270m", NULL},
    {"smollm3-3b", NULL},
    {"granite-swa-test", NULL},
    {"rwkv7-2.9b", NULL},
    {"mamba2-codestral-7b", NULL},
    {"jamba-mini", NULL},
};
const size_t truth2026_n_models = sizeof(truth2026_models) / sizeof(truth2026_models[0]);

bool truth2026_load(const char *dir, struct truth *t)
{
	memset(t, 0, sizeof(*t));
	return load_run_rows(dir, false, t);
}

bool truth_load(const char *dir, struct truth *t)
{
	memset(t, 0, sizeof(*t));
	return load_quants(dir, t) && load_run_rows(dir, true, t);
}

void truth_free(struct truth *t)
{
	free(t->quants);
	free(t->runs);
	memset(t, 0, sizeof(*t));
}

bool truth_model(const char *dir, const char *name, struct model *m)
{
	char path[512], err[PROFILE_ERR_LEN];
	struct model_meta meta;
	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "%s/profiles/%s.ini", dir, name);
	if (!profile_load_model(path, &meta, &m->arch, NULL, err, sizeof(err))) {
		fprintf(stderr, "truth: %s\n", err);
		return false;
	}
	return model_prepare(m);
}

const char *const truth_models[TRUTH_N_MODELS] = {
    "llama32-1b",           "llama31-8b-L4", "qwen3-0.6b",     "qwen3moe-30b-a3b-L4E32",
    "deepseek2-lite-L4E16", "gemma3-1b",     "gpt-oss-20b-L2", "granite4-h-tiny",
};

char *truth_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	long n = -1;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
		buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	if (len)
		*len = (size_t)n;
	return buf;
}

int truth_run_cli(char **out, char **err, int argc, char **argv)
{
	struct cli_options o;
	char why[256];
	size_t n1, n2;
	*out = *err = NULL;
	if (!cli_parse(argc, argv, false, &o, why, sizeof(why))) {
		*err = strdup(why);
		*out = strdup("");
		return 2;
	}
	FILE *f = open_memstream(out, &n1);
	FILE *e = open_memstream(err, &n2);
	int rc = cli_run(&o, f, e);
	fclose(f);
	fclose(e);
	return rc;
}

int truth_run(char **out, char **err, int n, ...)
{
	char *argv[32] = {"vramcalc"};
	if (n < 0 || n > 31)
		abort();
	va_list ap;
	va_start(ap, n);
	for (int i = 1; i <= n; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	return truth_run_cli(out, err, n + 1, argv);
}

void truth_use_repo_profiles(void)
{
	setenv("VRAMCALC_PROFILE_PATH", "profiles", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent-vramcalc-test", 1);
}
