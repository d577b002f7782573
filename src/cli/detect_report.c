/*
 * detect_report.c - `vramcalc --detect [--json]`: the GPUs and host memory
 * of this machine, the profile each GPU matched, and the device set that
 * `-g auto` stands for.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "text.h"
#include "cli.h"
#include "request.h"
#include "detect.h"
#include "format.h"

/* "rtx-4090x2,rtx-3090": the -g auto set as -g would spell it. */
static const char *set_text(const struct detect_result *r, bool subtract_used, char *buf, size_t n)
{
	struct device set[DETECT_MAX_GPUS];
	uint32_t k = detect_device_set(r, subtract_used, set, DETECT_MAX_GPUS);
	size_t used = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < k && used < n;) {
		uint32_t j = i + 1;
		while (j < k && detect_same_device(&set[i], &set[j]))
			j++;
		int w = j - i > 1
		            ? snprintf(buf + used, n - used, "%s%sx%u", used ? "," : "", set[i].id,
		                       j - i)
		            : snprintf(buf + used, n - used, "%s%s", used ? "," : "", set[i].id);
		used += w > 0 ? (size_t)w : 0;
		i = j;
	}
	return buf;
}

static void detect_text(const struct detect_result *r, const struct cli_options *o, FILE *out)
{
	char a[32], b[32], c[32];
	if (!r->n_gpu) {
		fprintf(out, "No GPU detected (no nvidia-smi on PATH, no AMD GPU in sysfs, not an "
		             "Apple Silicon Mac).\n");
	} else {
		fprintf(out, "%-3s %-10s %-34s %11s %11s  %-20s %6s %7s\n", "GPU", "SOURCE", "NAME",
		        "MEMORY", "IN USE", "PROFILE", "GB/s", "TFLOPS");
		for (uint32_t i = 0; i < r->n_gpu; i++) {
			const struct detected_gpu *g = &r->gpu[i];
			const struct device *d = &g->dev;
			char bw[16] = "?", tf[16] = "?";
			if (d->bandwidth_gbps > 0)
				snprintf(bw, sizeof(bw), "%.0f", d->bandwidth_gbps);
			if (d->bf16_tflops > 0)
				snprintf(tf, sizeof(tf), "%.1f", d->bf16_tflops);
			else if (g->profile >= 0)
				snprintf(tf, sizeof(tf), "-");
			fprintf(out, "%-3d %-10s %-34.34s %11s %11s  %-20s %6s %7s\n", g->index,
			        detect_source_name(g->source), g->name,
			        d->memory_bytes ? fmt_gib(a, sizeof(a), (double)d->memory_bytes)
			                        : "?",
			        g->used_known ? fmt_gib(b, sizeof(b), (double)g->used_bytes) : "-",
			        g->profile >= 0 ? d->id : "(no profile)", bw, tf);
			if (d->unified && d->memory_bytes)
				fprintf(out, "    unified memory: the GPU may use %.0f%%, %s\n",
				        d->gpu_share * 100,
				        fmt_gib(c, sizeof(c), (double)hw_usable_bytes(d)));
		}
	}
	if (r->host.known) {
		fprintf(out, "Host memory: %s", fmt_gib(a, sizeof(a), (double)r->host.total_bytes));
		if (r->host.available_known)
			fprintf(out, ", %s available",
			        fmt_gib(b, sizeof(b), (double)r->host.available_bytes));
		fprintf(out, "\n");
	}
	char set[512];
	set_text(r, o->free_memory, set, sizeof(set));
	if (set[0]) {
		struct device devs[DETECT_MAX_GPUS];
		uint32_t n = detect_device_set(r, o->free_memory, devs, DETECT_MAX_GPUS);
		uint64_t usable = 0;
		for (uint32_t k = 0; k < n; k++)
			usable += hw_usable_bytes(&devs[k]);
		fprintf(out, "-g auto: %s (%s usable%s%s)\n", set,
		        fmt_gib(a, sizeof(a), (double)usable),
		        o->free_memory ? ", memory in use subtracted" : "",
		        detect_set_identical(devs, n) ? "" : "; a mixed set");
	} else if (r->n_gpu) {
		fprintf(out, "-g auto: no GPU with a known memory size\n");
	}
	if (r->n_notes) {
		fprintf(out, "Notes:\n");
		for (int i = 0; i < r->n_notes; i++)
			fprintf(out, "  %s\n", r->note[i]);
	}
}

static cJSON *detect_json(const struct detect_result *r, const struct cli_options *o,
                          const struct device_list *profiles)
{
	cJSON *root = cJSON_CreateObject(), *gpus = cJSON_AddArrayToObject(root, "gpus");
	for (uint32_t i = 0; i < r->n_gpu; i++) {
		const struct detected_gpu *g = &r->gpu[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddNumberToObject(j, "index", g->index);
		json_add_text(j, "source", detect_source_name(g->source));
		json_add_text(j, "name", g->name);
		if (g->total_bytes)
			json_add_u64(j, "memory_bytes", g->total_bytes);
		else
			cJSON_AddNullToObject(j, "memory_bytes");
		if (g->used_known)
			json_add_u64(j, "used_bytes", g->used_bytes);
		else
			cJSON_AddNullToObject(j, "used_bytes");
		if (g->profile >= 0)
			json_add_text(j, "profile", profiles->v[g->profile].id);
		else
			cJSON_AddNullToObject(j, "profile");
		struct device d;
		detect_device(g, o->free_memory, &d);
		cJSON *dev = cJSON_AddObjectToObject(j, "device");
		json_add_text(dev, "id", d.id);
		json_add_text(dev, "name", d.name);
		json_add_u64(dev, "memory_bytes", d.memory_bytes);
		json_add_u64(dev, "usable_bytes", hw_usable_bytes(&d));
		cJSON_AddBoolToObject(dev, "unified", d.unified);
		if (d.bandwidth_gbps > 0)
			cJSON_AddNumberToObject(dev, "bandwidth_gbps", d.bandwidth_gbps);
		else
			cJSON_AddNullToObject(dev, "bandwidth_gbps");
		if (d.bf16_tflops > 0)
			cJSON_AddNumberToObject(dev, "bf16_tflops", d.bf16_tflops);
		else
			cJSON_AddNullToObject(dev, "bf16_tflops");
		cJSON_AddItemToArray(gpus, j);
	}
	if (r->host.known) {
		cJSON *h = cJSON_AddObjectToObject(root, "host");
		json_add_u64(h, "memory_bytes", r->host.total_bytes);
		if (r->host.available_known)
			json_add_u64(h, "available_bytes", r->host.available_bytes);
		else
			cJSON_AddNullToObject(h, "available_bytes");
	} else {
		cJSON_AddNullToObject(root, "host");
	}
	char set[512];
	set_text(r, o->free_memory, set, sizeof(set));
	if (set[0])
		json_add_text(root, "auto", set);
	else
		cJSON_AddNullToObject(root, "auto");
	cJSON_AddBoolToObject(root, "free", o->free_memory);
	cJSON *notes = cJSON_AddArrayToObject(root, "notes");
	for (int i = 0; i < r->n_notes; i++)
		cJSON_AddItemToArray(notes, cJSON_CreateString(r->note[i]));
	return root;
}

int cli_detect(const struct cli_options *o, const struct device_list *profiles, FILE *out,
               FILE *errf)
{
	struct detect_env env;
	struct detect_result *r = malloc(sizeof(*r));
	if (!r) {
		text_fprintf(errf, "vramcalc: out of memory\n");
		return 2;
	}
	detect_env_init(&env);
	detect_run(&env, profiles, r);
	int rc = 0;
	if (o->json) {
		cJSON *root = detect_json(r, o, profiles);
		char *s = root ? cJSON_Print(root) : NULL;
		if (s)
			fprintf(out, "%s\n", s);
		else
			rc = 2, text_fprintf(errf, "vramcalc: out of memory\n");
		free(s);
		cJSON_Delete(root);
	} else {
		detect_text(r, o, out);
	}
	free(r);
	return rc;
}

int cli_device_groups(const struct cli_options *o, struct device_list *devices, size_t *group_dev,
                      uint32_t *group_count, FILE *errf)
{
	char err[1200];
	int n = request_device_groups(o, devices, group_dev, group_count, err, sizeof(err));
	if (n < 0)
		text_fprintf(errf, "vramcalc: %s\n", err);
	return n;
}
