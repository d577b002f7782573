/*
 * run.c - carry out a non-interactive request: one estimate, or a list.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vllm.h"
#include "format.h"
#include "json_out.h"
#include "hfconfig.h"
#include "profile.h"
#include "profile_save.h"
#include "report.h"
#include "source.h"
#include "text.h"
#include "launch.h"
#include "plan.h"
#include "request.h"

static void print_warnings(const struct profile_warnings *w, FILE *errf)
{
	for (int i = 0; i < w->n; i++)
		text_fprintf(errf, "vramcalc: warning: %s\n", w->msg[i]);
}

static int list_quants(const struct cli_options *o, FILE *out)
{
	if (o->json) {
		cJSON *arr = cJSON_CreateArray();
		for (int f = 0; f < FT_COUNT; f++) {
			const struct ftype_info *fi = ftype_get((enum ftype)f);
			cJSON *q = cJSON_CreateObject();
			json_add_text(q, "name", fi->name);
			json_add_text(q, "engine",
			              fi->engine == FT_LLAMACPP ? "llama.cpp" : "vllm");
			json_add_text(q, "base_type", qtype_get(fi->base)->name);
			cJSON_AddNumberToObject(q, "base_bpw", qtype_bpw(fi->base));
			json_add_text(q, "description", fi->description);
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
		text_fprintf(errf, "vramcalc: %s\n", err);
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
			text_fprintf(errf, "vramcalc: out of memory\n");
			break;
		}
		if (arr) {
			cJSON *j = cJSON_CreateObject();
			json_add_text(j, "id", cat.v[i].meta.id);
			json_add_text(j, "name", cat.v[i].meta.name);
			json_add_text(j, "family", cat.v[i].meta.family);
			json_add_text(j, "hf_repo", cat.v[i].meta.hf_repo);
			json_add_u64(j, "params_total", m.params_total);
			json_add_u64(j, "params_active", m.params_active);
			cJSON_AddNumberToObject(j, "context_max", m.arch.n_ctx_train);
			json_add_text(j, "origin", cat.v[i].meta.origin);
			json_add_text(j, "path", cat.v[i].meta.path);
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
		fprintf(out, "%-24s %-40s %-12s %12s %10s %6s %8s %8s\n", "ID", "NAME", "CATEGORY",
		        "MEMORY", "GB/s", "KIND", "FP16 TF", "INT8 TOP");
	for (size_t i = 0; i < dl->n; i++) {
		const struct device *d = &dl->v[i];
		if (arr) {
			cJSON *j = cJSON_CreateObject();
			json_add_text(j, "id", d->id);
			json_add_text(j, "name", d->name);
			json_add_text(j, "vendor", d->vendor);
			json_add_text(j, "category", hw_category_name(d->category));
			json_add_u64(j, "memory_bytes", d->memory_bytes);
			json_add_u64(j, "usable_bytes", hw_usable_bytes(d));
			cJSON_AddNumberToObject(j, "bandwidth_gbps", d->bandwidth_gbps);
			cJSON_AddNumberToObject(j, "bf16_tflops", d->bf16_tflops);
			cJSON_AddNumberToObject(j, "fp16_tflops", d->fp16_tflops);
			cJSON_AddNumberToObject(j, "int8_tops", d->int8_tops);
			cJSON_AddStringToObject(j, "memory_kind", hw_mem_kind_name(d->memory_kind));
			cJSON_AddBoolToObject(j, "unified", d->unified);
			cJSON_AddItemToArray(arr, j);
		} else {
			char g[32];
			fprintf(out, "%-24s %-40.40s %-12s %12s %10.0f %6s %8.1f %8.1f\n", d->id,
			        d->name, hw_category_name(d->category),
			        fmt_gib(g, sizeof(g), (double)d->memory_bytes), d->bandwidth_gbps,
			        hw_mem_kind_name(d->memory_kind), d->fp16_tflops, d->int8_tops);
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

/* --save-profile: write the loaded model as a user profile. */
static bool save_profile(const struct cli_options *o, const struct source *src, FILE *errf)
{
	char dir[1024], path[1100], err[PROFILE_ERR_LEN];
	if (!src->has_arch) {
		text_fprintf(
		    errf,
		    "vramcalc: --save-profile: %s has no architecture to save (no config.json "
		    "beside it)\n",
		    o->model);
		return false;
	}
	if (!profile_user_dir(dir, sizeof(dir))) {
		text_fprintf(errf,
		             "vramcalc: --save-profile: neither XDG_CONFIG_HOME nor HOME is set\n");
		return false;
	}
	/* A shipped (or any other) profile of that id would be shadowed or
	 * replaced: only on request. */
	struct profile_dirs dirs;
	char used[1100];
	profile_dirs_init(&dirs);
	const char *origin = profile_id_in_use(&dirs, o->save_profile, used, sizeof(used));
	if (origin && !o->force) {
		text_fprintf(
		    errf,
		    "vramcalc: --save-profile: '%s' exists: %s (%s); choose another id, or add "
		    "--force to %s it\n",
		    o->save_profile, used, origin, strcmp(origin, "user") ? "shadow" : "replace");
		return false;
	}
	struct model_meta meta = src->meta;
	if (!meta.native_dtype[0] && src->file_quant[0])
		snprintf(meta.native_dtype, sizeof(meta.native_dtype), "%s", src->file_quant);
	if (!profile_save_model(dir, o->save_profile, &meta, &src->model.arch, src->model_type,
	                        o->force, path, sizeof(path), err, sizeof(err))) {
		text_fprintf(errf, "vramcalc: --save-profile: %s\n", err);
		return false;
	}
	text_fprintf(errf, "vramcalc: saved profile '%s' as %s (use -m %s)\n", o->save_profile,
	             path, o->save_profile);
	return true;
}

/* A checkpoint without an architecture: its size as shipped, no estimate. */
static int unknown_arch(const struct cli_options *o, const struct source *src, FILE *out,
                        FILE *errf)
{
	if (!o->json) {
		report_unknown_arch_text(&src->meta, &src->checkpoint, out);
		return 0;
	}
	char *s = report_unknown_arch_json(&src->meta, &src->checkpoint);
	if (!s) {
		text_fprintf(errf, "vramcalc: out of memory\n");
		return 2;
	}
	fprintf(out, "%s\n", s);
	free(s);
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
		text_fprintf(errf, "vramcalc: %s\n", err);
		return 2;
	}
	if (o->list == LIST_HARDWARE || o->detect || o->rank) {
		print_warnings(&w, errf);
		int rc = o->detect ? cli_detect(o, &devices, out, errf)
		         : o->rank ? cli_rank(o, &dirs, &devices, out, errf)
		                   : list_hardware(o, &devices, out);
		device_list_free(&devices);
		return rc;
	}

	int rc = 2;
	struct resolved res;
	struct estimate_scratch x = {0}; /* the estimates' tensor types */
	if (!request_resolve(&dirs, o, &devices, &res, &w, err, sizeof(err))) {
		text_fprintf(errf, "vramcalc: %s\n", err);
		goto out_devices;
	}
	struct source *src = &res.src;
	print_warnings(&w, errf);
	if (o->solve >= 0 && res.n_groups > 1) {
		text_fprintf(errf, "vramcalc: --solve works on one device type; -g auto found %d\n",
		             res.n_groups);
		goto out_model;
	}
	if (o->save_profile && !save_profile(o, src, errf))
		goto out_model;
	if (!src->has_arch && (o->solve >= 0 || o->emit >= 0)) {
		text_fprintf(errf,
		             "vramcalc: --%s needs the architecture: put config.json beside %s\n",
		             o->solve >= 0 ? "solve" : "emit", o->model);
		goto out_model;
	}
	if (!src->has_arch) {
		rc = unknown_arch(o, src, out, errf);
		goto out_model;
	}
	struct request *q = &res.req;
	if (!estimate_scratch_init(&x, q->model->tensors.n)) {
		text_fprintf(errf, "vramcalc: out of memory\n");
		goto out_model;
	}
	if (!estimate_check(q->model, &x, &q->settings, err, sizeof(err))) {
		text_fprintf(errf, "vramcalc: %s\n", err);
		goto out_model;
	}
	struct solve_result sol;
	if (o->solve >= 0) {
		/* one device type (cli_parse checked): the answer's settings and count */
		if (!plan_solve(q->model, &x, &q->settings, q->set.dev[0], q->set.n,
		                (enum solve_what)o->solve, &sol)) {
			text_fprintf(
			    errf,
			    "vramcalc: --solve offload: nothing to move with --offload cpu\n");
			goto out_model;
		}
		q->settings = sol.settings;
		res.group_count[0] = sol.gpu_count;
		request_fill_set(&devices, res.n_groups, res.group_dev, res.group_count, &q->set);
	}
	struct evaluation ev;
	evaluate(q, &x, &ev);
	const struct settings *settings = &q->settings;

	/* llama.cpp's -ts for a mixed set: proportional to each device's memory */
	double split[HW_MAX_DEVICES];
	for (uint32_t k = 0; k < ev.n_devs; k++)
		split[k] = (double)hw_usable_bytes(ev.dev[k]) / 1073741824.0;

	char cmd[2][1024];
	struct launch_input li = {&src->meta,
	                          q->model,
	                          settings,
	                          src->kind == SOURCE_GGUF ? o->model : NULL,
	                          ev.n_devs ? ev.n_devs : 1,
	                          vllm_gpu_util(settings),
	                          ev.mixed ? split : NULL,
	                          res.has_mmproj ? o->mmproj : NULL};
	for (int t = 0; t < LAUNCH_COUNT; t++)
		launch_command((enum launch_target)t, &li, cmd[t], sizeof(cmd[t]));

	struct report r = {&src->meta,
	                   q->model,
	                   settings,
	                   &ev,
	                   &q->margin,
	                   &devices,
	                   &q->speed,
	                   o->solve >= 0 ? &sol : NULL,
	                   o->solve,
	                   {cmd[0], cmd[1]},
	                   src->has_checkpoint ? &src->checkpoint : NULL,
	                   res.has_mmproj ? &res.mmproj : NULL};
	if (o->emit >= 0 && !o->json) {
		fprintf(out, "%s\n", cmd[o->emit]);
	} else if (o->json) {
		char *s = report_json(&r);
		if (!s) {
			text_fprintf(errf, "vramcalc: out of memory\n");
			goto out_model;
		}
		fprintf(out, "%s\n", s);
		free(s);
	} else {
		report_text(&r, out);
	}
	if (o->solve >= 0 && sol.status == SOLVE_NOTHING) {
		text_fprintf(errf, "vramcalc: --solve %s: nothing fits on %u x %s\n",
		             solve_name((enum solve_what)o->solve), q->set.n, q->set.dev[0]->name);
		rc = 1;
		goto out_model;
	}
	rc = 0;
out_model:
	estimate_scratch_free(&x);
	resolved_release(&res);
out_devices:
	device_list_free(&devices);
	return rc;
}
