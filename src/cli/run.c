/*
 * run.c - carry out a non-interactive request: one estimate, or a list.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "hfconfig.h"
#include "profile.h"
#include "report.h"
#include "source.h"

static void print_warnings(const struct profile_warnings *w, FILE *errf)
{
	for (int i = 0; i < w->n; i++)
		fprintf(errf, "vramcalc: warning: %s\n", w->msg[i]);
}

static int list_quants(const struct cli_options *o, FILE *out)
{
	if (o->json) {
		cJSON *arr = cJSON_CreateArray();
		for (int f = 0; f < FT_COUNT; f++) {
			const struct ftype_info *fi = ftype_get((enum ftype)f);
			cJSON *q = cJSON_CreateObject();
			cJSON_AddStringToObject(q, "name", fi->name);
			cJSON_AddStringToObject(q, "engine",
			                        fi->engine == FT_LLAMACPP ? "llama.cpp" : "vllm");
			cJSON_AddStringToObject(q, "base_type", qtype_get(fi->base)->name);
			cJSON_AddNumberToObject(q, "base_bpw", qtype_bpw(fi->base));
			cJSON_AddStringToObject(q, "description", fi->description);
			cJSON_AddItemToArray(arr, q);
		}
		char *s = cJSON_Print(arr);
		fprintf(out, "%s\n", s);
		free(s);
		cJSON_Delete(arr);
		return 0;
	}
	fprintf(out, "%-10s %-10s %-9s %6s  %s\n", "QUANT", "ENGINE", "BASE", "BPW", "DESCRIPTION");
	for (int f = 0; f < FT_COUNT; f++) {
		const struct ftype_info *fi = ftype_get((enum ftype)f);
		fprintf(out, "%-10s %-10s %-9s %6.3f  %s\n", fi->name,
		        fi->engine == FT_LLAMACPP ? "llama.cpp" : "vllm", qtype_get(fi->base)->name,
		        qtype_bpw(fi->base), fi->description);
	}
	return 0;
}

static int list_models(const struct cli_options *o, const struct profile_dirs *dirs, FILE *out,
                       FILE *errf)
{
	struct catalog cat;
	struct profile_warnings w = {0};
	char err[PROFILE_ERR_LEN];
	if (!catalog_load(dirs, &cat, &w, err, sizeof(err))) {
		fprintf(errf, "vramcalc: %s\n", err);
		return 2;
	}
	print_warnings(&w, errf);
	cJSON *arr = o->json ? cJSON_CreateArray() : NULL;
	if (!o->json)
		fprintf(out, "%-26s %-36s %9s %9s  %-8s %s\n", "ID", "NAME", "PARAMS", "ACTIVE",
		        "ORIGIN", "PATH");
	for (size_t i = 0; i < cat.n; i++) {
		struct model m = {.arch = cat.v[i].arch};
		if (!model_prepare(&m)) {
			fprintf(errf, "vramcalc: out of memory\n");
			break;
		}
		if (arr) {
			cJSON *j = cJSON_CreateObject();
			cJSON_AddStringToObject(j, "id", cat.v[i].meta.id);
			cJSON_AddStringToObject(j, "name", cat.v[i].meta.name);
			cJSON_AddStringToObject(j, "family", cat.v[i].meta.family);
			cJSON_AddStringToObject(j, "hf_repo", cat.v[i].meta.hf_repo);
			cJSON_AddNumberToObject(j, "params_total", (double)m.params_total);
			cJSON_AddNumberToObject(j, "params_active", (double)m.params_active);
			cJSON_AddNumberToObject(j, "context_max", m.arch.n_ctx_train);
			cJSON_AddStringToObject(j, "origin", cat.v[i].meta.origin);
			cJSON_AddStringToObject(j, "path", cat.v[i].meta.path);
			cJSON_AddItemToArray(arr, j);
		} else {
			char a[32], b[32];
			fprintf(out, "%-26s %-36.36s %9s %9s  %-8s %s\n", cat.v[i].meta.id,
			        cat.v[i].meta.name, fmt_params(a, sizeof(a), m.params_total),
			        fmt_params(b, sizeof(b), m.params_active), cat.v[i].meta.origin,
			        cat.v[i].meta.path);
		}
		model_release(&m);
	}
	if (arr) {
		char *s = cJSON_Print(arr);
		fprintf(out, "%s\n", s);
		free(s);
		cJSON_Delete(arr);
	}
	catalog_free(&cat);
	return 0;
}

static int list_hardware(const struct cli_options *o, const struct device_list *dl, FILE *out)
{
	cJSON *arr = o->json ? cJSON_CreateArray() : NULL;
	if (!o->json)
		fprintf(out, "%-24s %-40s %-12s %12s %10s\n", "ID", "NAME", "CATEGORY", "MEMORY",
		        "GB/s");
	for (size_t i = 0; i < dl->n; i++) {
		const struct device *d = &dl->v[i];
		if (arr) {
			cJSON *j = cJSON_CreateObject();
			cJSON_AddStringToObject(j, "id", d->id);
			cJSON_AddStringToObject(j, "name", d->name);
			cJSON_AddStringToObject(j, "vendor", d->vendor);
			cJSON_AddStringToObject(j, "category", hw_category_name(d->category));
			cJSON_AddNumberToObject(j, "memory_bytes", (double)d->memory_bytes);
			cJSON_AddNumberToObject(j, "usable_bytes", (double)hw_usable_bytes(d));
			cJSON_AddNumberToObject(j, "bandwidth_gbps", d->bandwidth_gbps);
			cJSON_AddNumberToObject(j, "bf16_tflops", d->bf16_tflops);
			cJSON_AddBoolToObject(j, "unified", d->unified);
			cJSON_AddItemToArray(arr, j);
		} else {
			char g[32];
			fprintf(out, "%-24s %-40.40s %-12s %12s %10.0f\n", d->id, d->name,
			        hw_category_name(d->category),
			        fmt_gib(g, sizeof(g), (double)d->memory_bytes), d->bandwidth_gbps);
		}
	}
	if (arr) {
		char *s = cJSON_Print(arr);
		fprintf(out, "%s\n", s);
		free(s);
		cJSON_Delete(arr);
	}
	return 0;
}

int cli_run(const struct cli_options *o, FILE *out, FILE *errf)
{
	struct profile_dirs dirs;
	char err[PROFILE_ERR_LEN];
	struct profile_warnings w = {0};
	profile_dirs_init(&dirs);

	if (o->list == LIST_QUANTS)
		return list_quants(o, out);
	if (o->list == LIST_MODELS)
		return list_models(o, &dirs, out, errf);

	struct device_list devices = {0};
	if (!profile_load_all_hardware(&dirs, &devices, &w, err, sizeof(err))) {
		fprintf(errf, "vramcalc: %s\n", err);
		return 2;
	}
	if (o->list == LIST_HARDWARE) {
		print_warnings(&w, errf);
		int rc = list_hardware(o, &devices, out);
		device_list_free(&devices);
		return rc;
	}

	int rc = 2;
	const struct device *gpu = NULL;
	if (o->gpu_id) {
		gpu = device_find(&devices, o->gpu_id);
		if (!gpu) {
			fprintf(
			    errf,
			    "vramcalc: --gpu: unknown device '%s' (see vramcalc --list hardware)\n",
			    o->gpu_id);
			device_list_free(&devices);
			return 2;
		}
	}

	struct source src;
	if (!source_load(&dirs, o->model, &src, &w, err, sizeof(err))) {
		fprintf(errf, "vramcalc: %s\n", err);
		goto out_devices;
	}
	print_warnings(&w, errf);
	struct settings settings = o->settings;
	settings.file_types = src.file_types && !o->quant_given;
	if (settings.file_types && src.file_quant[0])
		ftype_find(src.file_quant, &settings.ftype);
	if (!estimate_check(&src.model, &settings, err, sizeof(err))) {
		fprintf(errf, "vramcalc: %s\n", err);
		goto out_model;
	}
	struct estimate est;
	estimate_run(&src.model, &settings, &est);
	struct report r = {&src.meta, &src.model, &settings, &est, &devices, gpu, o->gpu_count};
	if (o->json) {
		char *s = report_json(&r);
		if (!s) {
			fprintf(errf, "vramcalc: out of memory\n");
			goto out_model;
		}
		fprintf(out, "%s\n", s);
		free(s);
	} else {
		report_text(&r, out);
	}
	rc = 0;
out_model:
	source_release(&src);
out_devices:
	device_list_free(&devices);
	return rc;
}
