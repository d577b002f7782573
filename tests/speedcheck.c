/*
 * speedcheck.c - the speed model against real llama-bench results
 * (tests/data/speed/cases.csv): predicted / measured per case, the median
 * and 10th/90th percentiles, and the goals of the model.
 *
 *   build/speedcheck             the table, the statistics, exit 1 when a
 *                                goal is missed (make check runs this)
 *   build/speedcheck --features  one CSV row per case with what the model
 *                                sees (bytes by family, FLOPs by path, ...):
 *                                the input of tests/data/speed/fit.py
 *
 * Every case runs the engine the way the CLI does (vramcalc -m MODEL -q
 * QUANT -c CTX --prompt P -g DEVICE): tgN with a context of N/2 (the mean
 * KV length over the generated tokens), ppN with context and prompt N, and
 * llama-bench's backend and micro-batch.  Cases whose model is not in the
 * catalog (N) use the bytes of the printed GGUF size and the layer and
 * attention shapes of closest_catalog.  W-flagged cases (uploader-specific
 * tensor mixes) are printed but left out of the statistics.
 *
 * Goals: decode median in [0.93, 1.07] and p10-p90 in [0.85, 1.2]; prefill
 * median in [0.8, 1.25].
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "estimate.h"
#include "estimate_once.h"
#include "profile.h"
#include "speed.h"

#define CASES      "tests/data/speed/cases.csv"
#define VLLM_CASES "tests/data/speed/vllm_cases.csv"
#define HARDWARE   "profiles/hardware.ini"
#define MAX_CASES  256
#define MAX_FIELDS 32

/* One CSV record split in place; quoted fields may hold commas. */
static int csv_split(char *line, char **f)
{
	int n = 0;
	char *p = line, *o = line;
	while (n < MAX_FIELDS) {
		f[n++] = o;
		bool quoted = *p == '"';
		if (quoted)
			p++;
		for (;;) {
			if (quoted && *p == '"' && p[1] == '"') {
				*o++ = '"';
				p += 2;
			} else if (quoted && *p == '"') {
				quoted = false;
				p++;
			} else if (!quoted && (*p == ',' || *p == '\n' || *p == '\r' || !*p)) {
				break;
			} else {
				*o++ = *p++;
			}
		}
		char c = *p;
		*o++ = '\0';
		if (c != ',')
			break;
		p++;
	}
	return n;
}

static int column(char **hdr, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(hdr[i], name))
			return i;
	fprintf(stderr, "speedcheck: %s: column %s missing\n", CASES, name);
	exit(2);
}

static bool load_model(const char *id, struct model *m)
{
	char path[160], err[PROFILE_ERR_LEN];
	struct model_meta meta;
	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "profiles/models/%s.ini", id);
	if (!profile_load_model(path, &meta, &m->arch, NULL, err, sizeof(err))) {
		fprintf(stderr, "speedcheck: %s\n", err);
		return false;
	}
	return model_prepare(m);
}

/* vLLM's speed constants are stated, not fitted: print predicted /
 * measured for the vLLM decode rates in VLLM_CASES (reported, not part of
 * the goals).  False when the file or a case cannot be read. */
static bool vllm_cases(const struct device_list *devs)
{
	FILE *f = fopen(VLLM_CASES, "r");
	if (!f) {
		fprintf(stderr, "speedcheck: %s: cannot open\n", VLLM_CASES);
		return false;
	}
	char line[4096], hdr_line[4096], *hdr[MAX_FIELDS], *fl[MAX_FIELDS];
	if (!fgets(hdr_line, sizeof(hdr_line), f)) {
		fclose(f);
		return false;
	}
	int nh = csv_split(hdr_line, hdr);
	int c_id = column(hdr, nh, "case_id"), c_model = column(hdr, nh, "vramcalc_model"),
	    c_quant = column(hdr, nh, "vramcalc_quant"), c_dev = column(hdr, nh, "vramcalc_device"),
	    c_tp = column(hdr, nh, "tp"), c_ctx = column(hdr, nh, "ctx"),
	    c_tps = column(hdr, nh, "tokens_per_s"), c_url = column(hdr, nh, "url");
	printf(
	    "\nvLLM decode (speed constants stated, NOT calibrated; reported, not in the goals)\n");
	printf("%-6s %-22s %-15s %-9s %3s %9s %9s %6s  %s\n", "case", "device", "model", "quant",
	       "tp", "measured", "predicted", "ratio", "source");
	bool ok = true;
	while (fgets(line, sizeof(line), f)) {
		if (csv_split(line, fl) < nh)
			continue;
		const struct device *d = device_find(devs, fl[c_dev]);
		struct model m;
		struct settings s;
		estimate_settings_default(&s);
		if (!d || !ftype_find(fl[c_quant], &s.ftype) ||
		    ftype_get(s.ftype)->engine != FT_VLLM || !load_model(fl[c_model], &m)) {
			fprintf(stderr, "speedcheck: %s: %s: bad device, quant or model\n",
			        VLLM_CASES, fl[c_id]);
			ok = false;
			continue;
		}
		s.ctx_tokens = strtoull(fl[c_ctx], NULL, 10);
		struct estimate e;
		struct estimate_scratch x;
		estimate_scratch_for(&x, &m);
		estimate_run(&m, &x, &s, &e);
		struct speed_params p;
		plan_speed_defaults(&p);
		p.gpu_count = (uint32_t)atoi(fl[c_tp]);
		struct speed sp;
		plan_speed(&m, &x, &s, &e, d, &p, &sp);
		estimate_scratch_free(&x);
		double measured = strtod(fl[c_tps], NULL);
		printf("%-6s %-22.22s %-15.15s %-9.9s %3s %9.2f %9.2f %6.2f  %s\n", fl[c_id], d->id,
		       fl[c_model], fl[c_quant], fl[c_tp], measured, sp.decode_tps,
		       sp.decode_tps / measured, fl[c_url]);
		model_release(&m);
	}
	fclose(f);
	return ok;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Linear-interpolated quantile of n sorted values (as compare.py). */
static double quantile(const double *v, int n, double q)
{
	if (n == 0)
		return NAN;
	double pos = (n - 1) * q;
	int lo = (int)floor(pos), hi = lo + 1 < n ? lo + 1 : n - 1;
	return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/* Ratios of one group; summary line. */
struct group {
	const char *name;
	double v[MAX_CASES];
	int n;
};

static void group_add(struct group *g, double x)
{
	if (g->n < MAX_CASES)
		g->v[g->n++] = x;
}

static void group_print(struct group *g, double *median, double *p10, double *p90)
{
	qsort(g->v, (size_t)g->n, sizeof(double), cmp_double);
	double m = quantile(g->v, g->n, 0.5), a = quantile(g->v, g->n, 0.1),
	       b = quantile(g->v, g->n, 0.9);
	if (g->n)
		printf("  %-26s n=%-3d median %5.2f  p10-p90 %5.2f-%5.2f  min %5.2f  max %5.2f\n",
		       g->name, g->n, m, a, b, g->v[0], g->v[g->n - 1]);
	if (median)
		*median = m;
	if (p10)
		*p10 = a;
	if (p90)
		*p90 = b;
}

int main(int argc, char **argv)
{
	bool features = argc > 1 && !strcmp(argv[1], "--features");
	char err[PROFILE_ERR_LEN];
	struct device_list devs = {0};
	if (!profile_load_hardware(HARDWARE, &devs, NULL, err, sizeof(err))) {
		fprintf(stderr, "speedcheck: %s\n", err);
		return 2;
	}
	FILE *f = fopen(CASES, "r");
	if (!f) {
		perror(CASES);
		return 2;
	}
	static char hdr_line[4096], line[8192];
	char *hdr[MAX_FIELDS], *fl[MAX_FIELDS];
	if (!fgets(hdr_line, sizeof(hdr_line), f))
		return 2;
	int nh = csv_split(hdr_line, hdr);
	int c_id = column(hdr, nh, "case_id"), c_test = column(hdr, nh, "test"),
	    c_tps = column(hdr, nh, "tokens_per_s"), c_model = column(hdr, nh, "vramcalc_model"),
	    c_quant = column(hdr, nh, "vramcalc_quant"), c_dev = column(hdr, nh, "vramcalc_device"),
	    c_backend = column(hdr, nh, "backend"), c_ub = column(hdr, nh, "n_ubatch"),
	    c_flags = column(hdr, nh, "flags"), c_size = column(hdr, nh, "size_gib"),
	    c_params = column(hdr, nh, "params_b"), c_close = column(hdr, nh, "closest_catalog"),
	    c_ftype = column(hdr, nh, "file_type");

	static struct group dec = {.name = "decode, all"}, pre = {.name = "prefill, all"};
	static struct group dec_b[LLAMA_BACKEND_COUNT], pre_b[LLAMA_BACKEND_COUNT];
	static struct group dec_e = {.name = "decode, 2023-24 builds"},
	                    dec_n = {.name = "decode, 2025-26 builds"};
	static struct group pre_e = {.name = "prefill, 2023-24 builds"},
	                    pre_n = {.name = "prefill, 2025-26 builds"};
	static struct group dec_m[MEM_KIND_COUNT];
	for (int b = 0; b < LLAMA_BACKEND_COUNT; b++) {
		dec_b[b].name = backend_get((enum llama_backend)b)->label;
		pre_b[b].name = backend_get((enum llama_backend)b)->label;
	}
	for (int k = 0; k < MEM_KIND_COUNT; k++)
		dec_m[k].name = hw_mem_kind_name((enum mem_kind)k);

	if (features)
		printf("case,kind,measured,backend,mem,bandwidth_gbps,fp16,bf16,int8,"
		       "b_float,b_legacy,b_k,b_i,b_fp4,kv,n_layer,fl_float,fl_bf16,fl_quant,"
		       "expert_share,attn,rows_dense,rows_expert,gpu_total,flags\n");
	else
		printf("%-6s %-22s %-15s %-9s %-6s %-6s %9s %9s %6s  %s\n", "case", "device",
		       "model", "quant", "backnd", "test", "measured", "predicted", "ratio",
		       "flags");
	int n_cases = 0;
	while (fgets(line, sizeof(line), f)) {
		if (csv_split(line, fl) < nh)
			continue;
		const char *test = fl[c_test];
		bool decode = !strncmp(test, "tg", 2);
		unsigned n_tok = (unsigned)strtoul(test + 2, NULL, 10);
		double measured = strtod(fl[c_tps], NULL);
		const struct device *d = device_find(&devs, fl[c_dev]);
		const char *flags = fl[c_flags];
		bool catalog = fl[c_model][0] != '\0';
		const char *model_id = catalog ? fl[c_model] : fl[c_close];
		if (!d || !model_id[0] || !(measured > 0) || !n_tok) {
			fprintf(stderr, "speedcheck: %s: no device, model or measurement\n",
			        fl[c_id]);
			return 2;
		}
		struct model m;
		if (!load_model(model_id, &m))
			return 2;
		struct settings s;
		estimate_settings_default(&s);
		if (!ftype_find(catalog ? fl[c_quant] : fl[c_ftype], &s.ftype)) {
			fprintf(stderr, "speedcheck: %s: unknown quant\n", fl[c_id]);
			return 2;
		}
		s.ctx_tokens = decode ? (n_tok / 2 ? n_tok / 2 : 1) : n_tok;
		if (atoi(fl[c_ub]) > 0)
			s.n_ubatch = (uint32_t)atoi(fl[c_ub]);
		/* llama-bench's backend, as --backend names it */
		char backend[16];
		snprintf(backend, sizeof(backend), "%s", fl[c_backend]);
		backend[strcspn(backend, ",")] = '\0';
		if (!backend_find(backend, &s.backend)) {
			fprintf(stderr, "speedcheck: %s: unknown backend %s\n", fl[c_id], backend);
			return 2;
		}
		s.backend_auto = false;
		struct estimate e;
		struct estimate_scratch x;
		estimate_scratch_for(&x, &m);
		estimate_run(&m, &x, &s, &e);
		struct speed_params p;
		plan_speed_defaults(&p);
		p.prompt_tokens = decode ? 512 : n_tok;
		struct speed_work w;
		speed_work_of(&m, &x, &s, &e, p.prompt_tokens, &w);
		estimate_scratch_free(&x);
		if (!catalog) {
			/* not in the catalog: the file's bytes and parameters on
			 * the closest catalog model's layers */
			double bytes = strtod(fl[c_size], NULL) * 1073741824.0;
			double params = strtod(fl[c_params], NULL) * 1e9;
			enum quant_family qf = quant_family_of(ftype_get(s.ftype)->base);
			memset(w.gpu_bytes, 0, sizeof(w.gpu_bytes));
			w.gpu_bytes[qf] = bytes;
			w.gpu_total_bytes = bytes;
			double fl_all = w.flops_float + w.flops_bf16 + w.flops_quant;
			double scale = fl_all > 0 ? 2 * params / fl_all : 1;
			w.flops_float *= scale;
			w.flops_bf16 *= scale;
			w.flops_quant *= scale;
		}
		const struct device *one[1] = {d};
		static struct speed_target target;
		speed_target_fill(&s, &e, one, NULL, 1, &target);
		struct speed sp;
		speed_evaluate(&w, &target, 1, &p, &sp);
		double pred = decode ? sp.decode_tps : sp.prefill_tps;
		double ratio = pred / measured;
		bool early = strchr(flags, 'E') != NULL;
		n_cases++;
		if (features) {
			double fp16 = d->fp16_tflops > 0 ? d->fp16_tflops : d->bf16_tflops;
			printf(
			    "%s,%s,%.4f,%s,%s,%.1f,%.2f,%.2f,%.2f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%u,"
			    "%.0f,%.0f,%.0f,%.5f,%.0f,%.1f,%.2f,%.0f,\"%s\"\n",
			    fl[c_id], decode ? "tg" : "pp", measured, backend_get(s.backend)->label,
			    hw_mem_kind_name(d->memory_kind), d->bandwidth_gbps, fp16,
			    d->bf16_tflops, d->int8_tops, w.gpu_bytes[QF_FLOAT],
			    w.gpu_bytes[QF_LEGACY], w.gpu_bytes[QF_K], w.gpu_bytes[QF_I],
			    w.gpu_bytes[QF_FP4], w.kv_gpu_bytes, w.n_layer, w.flops_float,
			    w.flops_bf16, w.flops_quant, w.expert_share, w.attn_flops, w.rows_dense,
			    w.rows_expert, w.gpu_total_bytes, flags);
		} else {
			printf("%-6s %-22.22s %-15.15s %-9.9s %-6s %-6s %9.2f %9.2f %6.2f  %s%s\n",
			       fl[c_id], d->id, model_id, catalog ? fl[c_quant] : fl[c_ftype],
			       backend, test, measured, pred, ratio, flags[0] ? flags : "-",
			       catalog ? "" : " (file size, closest catalog shapes)");
		}
		model_release(&m);
		if (strchr(flags, 'W') || !(pred > 0))
			continue;
		if (decode) {
			group_add(&dec, ratio);
			group_add(&dec_b[s.backend], ratio);
			group_add(early ? &dec_e : &dec_n, ratio);
			group_add(&dec_m[d->memory_kind], ratio);
		} else {
			group_add(&pre, ratio);
			group_add(&pre_b[s.backend], ratio);
			group_add(early ? &pre_e : &pre_n, ratio);
		}
	}
	fclose(f);
	if (features) {
		device_list_free(&devs);
		return 0;
	}

	double dm, d10, d90, pm, p10, p90;
	printf("\npredicted / measured, %d cases (W-flagged ones left out)\n", n_cases);
	group_print(&dec, &dm, &d10, &d90);
	for (int b = 0; b < LLAMA_BACKEND_COUNT; b++)
		group_print(&dec_b[b], NULL, NULL, NULL);
	for (int k = 0; k < MEM_KIND_COUNT; k++)
		group_print(&dec_m[k], NULL, NULL, NULL);
	group_print(&dec_e, NULL, NULL, NULL);
	group_print(&dec_n, NULL, NULL, NULL);
	group_print(&pre, &pm, &p10, &p90);
	for (int b = 0; b < LLAMA_BACKEND_COUNT; b++)
		group_print(&pre_b[b], NULL, NULL, NULL);
	group_print(&pre_e, NULL, NULL, NULL);
	group_print(&pre_n, NULL, NULL, NULL);

	int fail = 0;
	struct {
		const char *what;
		double v, lo, hi;
	} goals[] = {
	    {"decode median", dm, 0.93, 1.07},
	    {"decode p10", d10, 0.85, 1.2},
	    {"decode p90", d90, 0.85, 1.2},
	    {"prefill median", pm, 0.8, 1.25},
	};
	printf("\ngoals\n");
	for (size_t i = 0; i < sizeof(goals) / sizeof(goals[0]); i++) {
		bool ok = goals[i].v >= goals[i].lo && goals[i].v <= goals[i].hi;
		fail += !ok;
		printf("  %-16s %5.2f in [%.2f, %.2f]: %s\n", goals[i].what, goals[i].v,
		       goals[i].lo, goals[i].hi, ok ? "ok" : "MISSED");
	}
	(void)p10;
	(void)p90;
	if (!vllm_cases(&devs))
		fail++;
	device_list_free(&devs);
	return fail ? 1 : 0;
}
