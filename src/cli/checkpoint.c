/*
 * checkpoint.c - a safetensors checkpoint's size as shipped, as text or
 * JSON: with an estimate (a "checkpoint" part of the report) or alone when
 * the architecture is unknown.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "format.h"
#include "json_out.h"
#include "report.h"

static void row(FILE *out, const char *label, uint64_t bytes, const char *note)
{
	char t[32], g[32], d[32];
	fprintf(out, "    %-14s %19s %12s %12s  %s\n", label, fmt_thousands(t, sizeof(t), bytes),
	        fmt_gib(g, sizeof(g), (double)bytes), fmt_gb(d, sizeof(d), (double)bytes), note);
}

void report_checkpoint_text(const struct st_info *c, FILE *out)
{
	char a[32], b[32];
	fprintf(out,
	        "\n  checkpoint as shipped (safetensors): %u file%s, %s tensor%s, %s elements\n",
	        c->n_files, c->n_files == 1 ? "" : "s", fmt_thousands(a, sizeof(a), c->n_tensors),
	        c->n_tensors == 1 ? "" : "s", fmt_thousands(b, sizeof(b), c->elements));
	for (int t = 0; t < ST_DTYPE_COUNT; t++) {
		if (!c->dtype_tensors[t])
			continue;
		char note[48];
		snprintf(note, sizeof(note), "%s tensor%s",
		         fmt_thousands(a, sizeof(a), c->dtype_tensors[t]),
		         c->dtype_tensors[t] == 1 ? "" : "s");
		row(out, st_dtype_name((enum st_dtype)t), c->dtype_bytes[t], note);
	}
	row(out, "tensor data", c->data_bytes, "exact, from the headers");
	row(out, "on disk", c->file_bytes,
	    c->complete ? "complete"
	                : "incomplete: data missing (header only or partial download)");
}

struct cJSON *report_checkpoint_json(const struct st_info *c)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	json_add_text(o, "format", "safetensors");
	cJSON_AddNumberToObject(o, "files", c->n_files);
	json_add_u64(o, "tensors", c->n_tensors);
	json_add_u64(o, "elements", c->elements);
	json_add_u64(o, "data_bytes", c->data_bytes);
	json_add_u64(o, "header_bytes", c->header_bytes);
	json_add_u64(o, "file_bytes", c->file_bytes);
	cJSON_AddBoolToObject(o, "complete", c->complete);
	if (c->index_total_size)
		json_add_u64(o, "index_total_size", c->index_total_size);
	cJSON *d = cJSON_AddObjectToObject(o, "dtypes");
	for (int t = 0; t < ST_DTYPE_COUNT && d; t++) {
		if (!c->dtype_tensors[t])
			continue;
		cJSON *one = cJSON_AddObjectToObject(d, st_dtype_name((enum st_dtype)t));
		json_add_u64(one, "tensors", c->dtype_tensors[t]);
		json_add_u64(one, "bytes", c->dtype_bytes[t]);
	}
	return o;
}

void report_unknown_arch_text(const struct model_meta *meta, const struct st_info *c, FILE *out)
{
	fprintf(out,
	        "%s (%s)\n  architecture unknown: no config.json beside %s, so no estimate;\n"
	        "  put the model's config.json in that directory for one\n",
	        meta->name, meta->id, meta->path);
	report_checkpoint_text(c, out);
}

char *report_unknown_arch_json(const struct model_meta *meta, const struct st_info *c)
{
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return NULL;
	cJSON *m = cJSON_AddObjectToObject(root, "model");
	json_add_text(m, "id", meta->id);
	json_add_text(m, "name", meta->name);
	cJSON_AddNullToObject(m, "arch");
	json_add_text(m, "path", meta->path);
	cJSON_AddItemToObject(root, "checkpoint", report_checkpoint_json(c));
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	return text;
}
