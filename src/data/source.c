/*
 * source.c - dispatch a MODEL argument to the right loader.
 */
#include "source.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "gguf.h"

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

enum source_kind source_kind_of(const char *spec)
{
	if (ends_with(spec, ".gguf"))
		return SOURCE_GGUF;
	if (ends_with(spec, ".safetensors") || ends_with(spec, ".safetensors.index.json"))
		return SOURCE_SAFETENSORS;
	if (ends_with(spec, ".json") || is_dir(spec))
		return SOURCE_HF_CONFIG;
	return SOURCE_PROFILE;
}

/* The id of a file-based model: its file name without the extension(s). */
static void id_from_file(const char *path, char *id, size_t n)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strcspn(base, ".");
	if (len == 0)
		len = strlen(base);
	if (len >= n)
		len = n - 1;
	memcpy(id, base, len);
	id[len] = '\0';
}

/* llama.cpp's general.file_type ids (enum llama_ftype). */
static const struct {
	unsigned id;
	const char *name;
} file_types[] = {
    {0, "F32"},      {1, "F16"},      {2, "Q4_0"},       {3, "Q4_1"},    {7, "Q8_0"},
    {8, "Q5_0"},     {9, "Q5_1"},     {10, "Q2_K"},      {11, "Q3_K_S"}, {12, "Q3_K_M"},
    {13, "Q3_K_L"},  {14, "Q4_K_S"},  {15, "Q4_K_M"},    {16, "Q5_K_S"}, {17, "Q5_K_M"},
    {18, "Q6_K"},    {19, "IQ2_XXS"}, {20, "IQ2_XS"},    {21, "Q2_K_S"}, {22, "IQ3_XS"},
    {23, "IQ3_XXS"}, {24, "IQ1_S"},   {25, "IQ4_NL"},    {26, "IQ3_S"},  {27, "IQ3_M"},
    {28, "IQ2_S"},   {29, "IQ2_M"},   {30, "IQ4_XS"},    {31, "IQ1_M"},  {32, "BF16"},
    {36, "TQ1_0"},   {37, "TQ2_0"},   {38, "MXFP4_MOE"},
};

static bool load_gguf(const char *path, struct source *src, char *err, size_t errlen)
{
	struct gguf_info g;
	if (!gguf_read(path, &g, err, errlen))
		return false;
	bool ok = gguf_model(&g, &src->model, err, errlen);
	if (ok && !model_prepare_from_tensors(&src->model)) {
		snprintf(err, errlen, "%s: out of memory", path);
		model_release(&src->model);
		ok = false;
	}
	if (ok) {
		const struct gguf_kv *ft = gguf_find(&g, "general.file_type");
		uint64_t id;
		if (ft && gguf_kv_uint(ft, 0, &id))
			for (size_t i = 0; i < sizeof(file_types) / sizeof(file_types[0]); i++)
				if (file_types[i].id == id)
					snprintf(src->file_quant, sizeof(src->file_quant), "%s",
					         file_types[i].name);
		const char *name = gguf_get_str(&g, "general.name");
		id_from_file(path, src->meta.id, sizeof(src->meta.id));
		snprintf(src->meta.name, sizeof(src->meta.name), "%s",
		         name && *name ? name : src->meta.id);
		snprintf(src->meta.path, sizeof(src->meta.path), "%s", path);
		snprintf(src->meta.origin, sizeof(src->meta.origin), "gguf");
		snprintf(src->meta.source, sizeof(src->meta.source), "GGUF header of %s", path);
		src->file_types = true;
	}
	gguf_info_free(&g);
	return ok;
}

bool source_load(const struct profile_dirs *dirs, const char *spec, struct source *src,
                 struct profile_warnings *warnings, char *err, size_t errlen)
{
	memset(src, 0, sizeof(*src));
	src->kind = source_kind_of(spec);
	switch (src->kind) {
	case SOURCE_GGUF:
		return load_gguf(spec, src, err, errlen);
	case SOURCE_PROFILE:
		if (!profile_resolve_model(dirs, spec, &src->meta, &src->model.arch, warnings, err,
		                           errlen))
			return false;
		if (!model_prepare(&src->model)) {
			snprintf(err, errlen, "%s: out of memory", spec);
			return false;
		}
		return true;
	case SOURCE_HF_CONFIG:
	case SOURCE_SAFETENSORS:
		break;
	}
	snprintf(err, errlen, "%s: importing this kind of file is not supported yet", spec);
	return false;
}

void source_release(struct source *src)
{
	model_release(&src->model);
}
