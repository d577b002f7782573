/*
 * rank_report.c - `vramcalc --rank`: every catalog model ranked for one
 * device set (given with -g, else the detected devices) at the context,
 * as a table or JSON.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "text.h"
#include "cli.h"
#include "detect.h"
#include "format.h"
#include "ranking.h"
#include "session.h"

/* The ranking's margin until the verdict's margin setting lands: a device
 * keeping less than this share of its memory free is "tight". */
#define RANK_MARGIN_SHARE 0.10

/* "2 x RTX 3090 (24.00 GiB) + RTX 4090 (23.99 GiB)" */
static const char *set_label(const struct device *const *set, uint32_t n, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < n && used < len;) {
		uint32_t j = i + 1;
		while (j < n && set[j] == set[i])
			j++;
		char g[32];
		int w = snprintf(buf + used, len - used, "%s%u x %s (%s)", used ? " + " : "", j - i,
		                 session_device_short_name(set[i]),
		                 fmt_gib(g, sizeof(g), (double)hw_usable_bytes(set[i])));
		used += w > 0 ? (size_t)w : 0;
		i = j;
	}
	return buf;
}

static const char *tps(char *buf, size_t n, double v, bool known)
{
	if (!known)
		snprintf(buf, n, "?");
	else if (v <= 0)
		snprintf(buf, n, "-");
	else if (v < 100)
		snprintf(buf, n, "%.1f", v);
	else
		fmt_thousands(buf, n, (uint64_t)(v + 0.5));
	return buf;
}

static void rank_text(const struct ranking *r, const size_t *order, size_t n,
                      const struct rank_query *q, const struct cli_options *o, FILE *out)
{
	char set[512], a[32];
	char host[48] = "";
	if (q->host_ram_bytes)
		snprintf(host, sizeof(host), ", host memory %s",
		         fmt_gib(a, sizeof(a), (double)q->host_ram_bytes));
	fprintf(out, "Models for %s at %s tokens (%s, margin %.0f%%%s, sorted by %s):\n\n",
	        set_label(q->devs, q->n_devs, set, sizeof(set)),
	        fmt_tokens(a, sizeof(a), q->base.ctx_tokens),
	        r->engine == FT_VLLM ? "vLLM" : "llama.cpp", q->margin_share * 100, host,
	        rank_sort_name(o->rank_sort));
	fprintf(out, "%4s  %-26s %7s %7s  %-9s %5s %9s %9s %9s %9s  %s\n", "RANK", "MODEL",
	        "PARAMS", "ACTIVE", "QUANT", "BPW", "MAX CTX", "NEED GiB", "DECODE", "PREFILL",
	        "VERDICT");
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		const struct rank_row *row = &r->rows[i];
		const struct model *m = &r->models[i];
		char p[16], act[16], ctx[24], need[24], dec[24], pre[24];
		bool moe = m->arch.n_expert > 0;
		bool runs = rank_runs(row->verdict);
		if (row->verdict == RANK_INVALID) {
			fprintf(out, "%4zu  %-26.26s %7s %7s  %s: %s\n", k + 1,
			        r->cat->v[i].meta.id, fmt_params(p, sizeof(p), m->params_total),
			        moe ? fmt_params(act, sizeof(act), m->params_active) : "",
			        rank_verdict_name(row->verdict), row->why);
			continue;
		}
		if (row->max_ctx_tokens)
			fmt_tokens(ctx, sizeof(ctx), row->max_ctx_tokens);
		else
			snprintf(ctx, sizeof(ctx), "-");
		snprintf(need, sizeof(need), "%.2f", (double)row->gpu_bytes / GIB);
		fprintf(out, "%4zu  %-26.26s %7s %7s  %-9s %5.2f %9s %9s %9s %9s  %s\n", k + 1,
		        r->cat->v[i].meta.id, fmt_params(p, sizeof(p), m->params_total),
		        moe ? fmt_params(act, sizeof(act), m->params_active) : "",
		        ftype_get(row->ftype)->name, row->bpw, ctx, need,
		        tps(dec, sizeof(dec), row->decode_tps, row->speed_known || !runs),
		        tps(pre, sizeof(pre), row->prefill_tps,
		            (row->speed_known && row->prefill_tps > 0) || !runs),
		        rank_verdict_name(row->verdict));
	}
	fprintf(out,
	        "\n%zu of %zu models.  QUANT: the most precise that fits with the margin (for "
	        "\"does not fit\": the smallest tried);\nMAX CTX: the largest context at that "
	        "quant; NEED: GPU memory over all devices at %s tokens (GiB = 2^30 bytes);\n"
	        "DECODE and PREFILL: tokens/s (? where a device's bandwidth or TFLOPS is "
	        "unknown).\n",
	        n, r->n, fmt_tokens(a, sizeof(a), q->base.ctx_tokens));
}

static char *rank_json(const struct ranking *r, const size_t *order, size_t n,
                       const struct rank_query *q, const struct cli_options *o)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *devs = cJSON_AddArrayToObject(root, "devices");
	for (uint32_t k = 0; k < q->n_devs; k++) {
		const struct device *d = q->devs[k];
		cJSON *j = cJSON_CreateObject();
		json_add_text(j, "id", d->id);
		json_add_text(j, "name", d->name);
		json_add_u64(j, "memory_bytes", d->memory_bytes);
		json_add_u64(j, "usable_bytes", hw_usable_bytes(d));
		cJSON_AddItemToArray(devs, j);
	}
	json_add_u64(root, "context_tokens", q->base.ctx_tokens);
	json_add_text(root, "engine", r->engine == FT_VLLM ? "vllm" : "llama.cpp");
	cJSON_AddNumberToObject(root, "margin_share", q->margin_share);
	if (q->host_ram_bytes)
		json_add_u64(root, "host_memory_bytes", q->host_ram_bytes);
	else
		cJSON_AddNullToObject(root, "host_memory_bytes");
	json_add_text(root, "sort", rank_sort_name(o->rank_sort));
	const struct rank_filter *f = &o->rank_filter;
	cJSON *fj = cJSON_AddObjectToObject(root, "filter");
	if (f->family[0])
		json_add_text(fj, "family", f->family);
	if (f->min_params)
		json_add_u64(fj, "min_params", f->min_params);
	if (f->max_params)
		json_add_u64(fj, "max_params", f->max_params);
	if (f->kind != RANK_KIND_ANY)
		json_add_text(fj, "kind", f->kind == RANK_KIND_MOE ? "moe" : "dense");
	if (f->min_ctx_tokens)
		json_add_u64(fj, "min_context_tokens", f->min_ctx_tokens);
	if (f->fitting_only)
		cJSON_AddBoolToObject(fj, "fitting", true);
	cJSON *models = cJSON_AddArrayToObject(root, "models");
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		const struct rank_row *row = &r->rows[i];
		const struct model *m = &r->models[i];
		const struct model_meta *meta = &r->cat->v[i].meta;
		cJSON *j = cJSON_CreateObject();
		cJSON_AddNumberToObject(j, "rank", (double)(k + 1));
		json_add_text(j, "id", meta->id);
		json_add_text(j, "name", meta->name);
		json_add_text(j, "family", meta->family);
		json_add_u64(j, "params_total", m->params_total);
		json_add_u64(j, "params_active", m->params_active);
		cJSON_AddBoolToObject(j, "moe", m->arch.n_expert > 0);
		json_add_text(j, "verdict", rank_verdict_name(row->verdict));
		if (row->verdict == RANK_INVALID) {
			json_add_text(j, "reason", row->why);
			cJSON_AddItemToArray(models, j);
			continue;
		}
		json_add_text(j, "quant", ftype_get(row->ftype)->name);
		cJSON_AddNumberToObject(j, "bpw", row->bpw);
		json_add_u64(j, "context_tokens", row->ctx_tokens);
		json_add_u64(j, "max_context_tokens", row->max_ctx_tokens);
		json_add_u64(j, "native_context_tokens", row->native_ctx_tokens);
		json_add_u64(j, "gpu_bytes", row->gpu_bytes);
		json_add_u64(j, "host_bytes", row->host_bytes);
		json_add_i64(j, "headroom_bytes", row->headroom_bytes);
		bool runs = rank_runs(row->verdict);
		if (runs && row->speed_known)
			cJSON_AddNumberToObject(j, "decode_tps", row->decode_tps);
		else
			cJSON_AddNullToObject(j, "decode_tps");
		if (runs && row->speed_known && row->prefill_tps > 0)
			cJSON_AddNumberToObject(j, "prefill_tps", row->prefill_tps);
		else
			cJSON_AddNullToObject(j, "prefill_tps");
		cJSON_AddNumberToObject(j, "quality", row->quality);
		cJSON_AddItemToArray(models, j);
	}
	char *s = cJSON_Print(root);
	cJSON_Delete(root);
	return s;
}

int cli_rank(const struct cli_options *o, const struct profile_dirs *dirs,
             struct device_list *devices, FILE *out, FILE *errf)
{
	/* No -g: the devices of this machine. */
	struct cli_options oo = *o;
	if (!oo.n_gpu_groups)
		oo.gpu_auto = true;
	size_t group_dev[CLI_MAX_GPU_GROUPS];
	uint32_t group_count[CLI_MAX_GPU_GROUPS];
	int n_groups = cli_device_groups(&oo, devices, group_dev, group_count, errf);
	if (n_groups <= 0)
		return 2;
	/* --gpu-share applies to every device of the set, as to -g's */
	struct device *kinds = calloc((size_t)n_groups, sizeof(*kinds));
	const struct device *set[HW_MAX_DEVICES];
	uint32_t n_set = 0;
	if (!kinds) {
		text_fprintf(errf, "vramcalc: out of memory\n");
		return 2;
	}
	for (int g = 0; g < n_groups; g++) {
		kinds[g] = devices->v[group_dev[g]];
		if (o->gpu_share > 0)
			kinds[g].gpu_share = o->gpu_share;
		for (uint32_t k = 0; k < group_count[g]; k++)
			set[n_set++] = &kinds[g];
	}

	struct catalog cat;
	struct profile_warnings w = {0};
	char err[PROFILE_ERR_LEN];
	int rc = 2;
	if (!catalog_load(dirs, &cat, &w, err, sizeof(err))) {
		text_fprintf(errf, "vramcalc: %s\n", err);
		free(kinds);
		return 2;
	}
	for (int i = 0; i < w.n; i++)
		text_fprintf(errf, "vramcalc: warning: %s\n", w.msg[i]);
	struct model *models = calloc(cat.n ? cat.n : 1, sizeof(*models));
	size_t prepared = 0;
	struct ranking r = {0};
	size_t *order = calloc(cat.n ? cat.n : 1, sizeof(*order));
	if (!models || !order)
		goto oom;
	for (; prepared < cat.n; prepared++) {
		models[prepared].arch = cat.v[prepared].arch;
		if (!model_prepare(&models[prepared]))
			goto oom;
	}
	enum ftype_engine engine =
	    o->engine_given ? o->engine : ftype_get(o->settings.ftype)->engine;
	if (!ranking_init(&r, &cat, models, engine))
		goto oom;

	struct rank_query q;
	memset(&q, 0, sizeof(q));
	q.base = o->settings;
	q.base.file_types = false;
	q.devs = set;
	q.n_devs = n_set;
	q.margin_share = RANK_MARGIN_SHARE;
	struct detect_env env;
	struct detect_host host;
	detect_env_init(&env);
	detect_host_memory(&env, &host);
	q.host_ram_bytes = host.known ? host.total_bytes : 0;
	plan_speed_defaults(&q.speed);
	if (o->host_bandwidth_gbps > 0)
		q.speed.host_bandwidth_gbps = o->host_bandwidth_gbps;
	if (o->prompt_tokens)
		q.speed.prompt_tokens = o->prompt_tokens;
	ranking_run(&r, &q);
	size_t invalid = 0;
	for (size_t i = 0; i < r.n; i++)
		invalid += r.rows[i].verdict == RANK_INVALID;
	if (r.n && invalid == r.n) {
		text_fprintf(errf, "vramcalc: --rank: %s\n", r.rows[0].why);
		goto done;
	}
	size_t n = ranking_select(&r, &o->rank_filter, o->rank_sort, order, cat.n);

	if (o->json) {
		char *s = rank_json(&r, order, n, &q, o);
		if (!s)
			goto oom;
		fprintf(out, "%s\n", s);
		free(s);
	} else {
		rank_text(&r, order, n, &q, o, out);
	}
	rc = 0;
	goto done;
oom:
	text_fprintf(errf, "vramcalc: out of memory\n");
done:
	ranking_free(&r);
	for (size_t i = 0; i < prepared; i++)
		model_release(&models[i]);
	free(models);
	free(order);
	catalog_free(&cat);
	free(kinds);
	return rc;
}
