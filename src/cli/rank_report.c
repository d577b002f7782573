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
#include "format.h"
#include "ranking.h"
#include "request.h"

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

/* "10%" or "2.00 GiB": the margin as --margin reads it. */
static const char *margin_text(const struct margin *m, char *buf, size_t n)
{
	if (m->is_bytes)
		return fmt_gib(buf, n, (double)m->bytes);
	snprintf(buf, n, "%g%%", 100.0 * m->share);
	return buf;
}

static void rank_text(const struct ranking *r, const size_t *order, size_t n,
                      const struct request *q, const struct cli_options *o, FILE *out)
{
	char set[512], a[32], mg[32];
	char host[48] = "";
	if (q->host_ram_bytes)
		snprintf(host, sizeof(host), ", host memory %s",
		         fmt_gib(a, sizeof(a), (double)q->host_ram_bytes));
	fprintf(out, "Models for %s at %s tokens (%s, margin %s%s, sorted by %s):\n\n",
	        ranking_set_label(&q->set, set, sizeof(set)),
	        fmt_tokens(a, sizeof(a), q->settings.ctx_tokens),
	        r->engine == FT_VLLM ? "vLLM" : "llama.cpp",
	        margin_text(&q->margin, mg, sizeof(mg)), host, rank_sort_name(o->rank_sort));
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
	        n, r->n, fmt_tokens(a, sizeof(a), q->settings.ctx_tokens));
}

static char *rank_json(const struct ranking *r, const size_t *order, size_t n,
                       const struct request *q, const struct cli_options *o)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *devs = cJSON_AddArrayToObject(root, "devices");
	for (uint32_t k = 0; k < q->set.n; k++) {
		const struct device *d = q->set.dev[k];
		cJSON *j = cJSON_CreateObject();
		json_add_text(j, "id", d->id);
		json_add_text(j, "name", d->name);
		json_add_u64(j, "memory_bytes", d->memory_bytes);
		json_add_u64(j, "usable_bytes", hw_usable_bytes(d));
		cJSON_AddItemToArray(devs, j);
	}
	json_add_u64(root, "context_tokens", q->settings.ctx_tokens);
	json_add_text(root, "engine", r->engine == FT_VLLM ? "vllm" : "llama.cpp");
	cJSON *mj = cJSON_AddObjectToObject(root, "margin");
	if (q->margin.is_bytes)
		json_add_u64(mj, "bytes", q->margin.bytes);
	else
		cJSON_AddNumberToObject(mj, "share", q->margin.share);
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
		json_add_text(j, "reason", row->why);
		if (row->verdict == RANK_INVALID) {
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
	/* --gpu-share is a property of the unified devices the set names */
	for (int g = 0; g < n_groups && o->gpu_share > 0; g++)
		devices->v[group_dev[g]].gpu_share = o->gpu_share;
	struct request q;
	memset(&q, 0, sizeof(q));
	q.settings = o->settings;
	q.settings.file_types = false;
	request_fill_set(devices, n_groups, group_dev, group_count, &q.set);
	q.host_ram_bytes = request_host_ram_bytes(o);
	q.margin = o->margin;
	plan_speed_defaults(&q.speed);
	if (o->host_bandwidth_gbps > 0)
		q.speed.host_bandwidth_gbps = o->host_bandwidth_gbps;
	if (o->prompt_tokens)
		q.speed.prompt_tokens = o->prompt_tokens;

	struct catalog cat;
	struct profile_warnings w = {0};
	char err[PROFILE_ERR_LEN];
	int rc = 2;
	if (!catalog_load(dirs, &cat, &w, err, sizeof(err))) {
		text_fprintf(errf, "vramcalc: %s\n", err);
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
	return rc;
}
