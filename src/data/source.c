/*
 * source.c - dispatch a MODEL argument to the right loader.
 */
#include "source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "files.h"
#include "gguf.h"
#include "hfjson.h"
#include "text.h"

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

/* The id of a file-based model: its file name without the extension
 * (".gguf", ".safetensors", ".safetensors.index.json"), so
 * "qwen3-0.6b-Q4_K_M.gguf" gives "qwen3-0.6b-Q4_K_M". */
static void id_from_file(const char *path, char *id, size_t n)
{
	static const char *const exts[] = {".safetensors.index.json", ".safetensors", ".gguf",
	                                   ".json"};
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (len > strlen(exts[i]) && ends_with(base, exts[i])) {
			len -= strlen(exts[i]);
			break;
		}
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

bool source_mmproj_load(const char *path, struct mmproj_info *out, char *err, size_t errlen)
{
	struct gguf_info g;
	memset(out, 0, sizeof(*out));
	if (!gguf_read(path, &g, err, errlen))
		return false;
	const char *arch = gguf_get_str(&g, "general.architecture");
	if (!arch || strcmp(arch, "clip") != 0) {
		char shown[40];
		text_escape(shown, sizeof(shown), arch ? arch : "", false);
		snprintf(err, errlen,
		         "%s: --mmproj: general.architecture is '%s', not 'clip': not a "
		         "multimodal projector (give the text model with -m)",
		         path, shown);
		gguf_info_free(&g);
		return false;
	}
	const char *proj = gguf_get_str(&g, "clip.projector_type");
	if (!proj)
		proj = gguf_get_str(&g, "clip.vision.projector_type");
	text_escape(out->projector, sizeof(out->projector), proj ? proj : "", false);
	const struct gguf_kv *kv = gguf_find(&g, "clip.has_vision_encoder");
	out->vision = kv && kv->type == GGUF_BOOL && kv->num.u;
	kv = gguf_find(&g, "clip.has_audio_encoder");
	out->audio = kv && kv->type == GGUF_BOOL && kv->num.u;
	struct tensor_list l;
	tensors_init(&l);
	bool ok = gguf_tensors(&g, &l);
	if (!ok)
		snprintf(err, errlen, "%s: out of memory for %zu tensors", path, g.n_tensors);
	for (size_t i = 0; ok && i < l.n; i++)
		out->bytes += tensor_buffer_bytes(&l.v[i], l.v[i].src_type);
	out->n_tensors = l.n;
	snprintf(out->path, sizeof(out->path), "%s", path);
	tensors_free(&l);
	gguf_info_free(&g);
	return ok;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* The architecture from a config.json. */
static bool load_config(const char *path, struct source *src, struct profile_warnings *warnings,
                        char *err, size_t errlen)
{
	struct hfjson_model hf;
	if (!hfjson_load(path, &hf, warnings, err, errlen))
		return false;
	src->meta = hf.meta;
	src->model.arch = hf.arch;
	snprintf(src->model_type, sizeof(src->model_type), "%s", hf.model_type);
	if (!model_prepare(&src->model)) {
		snprintf(err, errlen, "%s: out of memory", path);
		return false;
	}
	src->has_arch = true;
	return true;
}

/* A safetensors checkpoint: its headers, and config.json beside it. */
static bool load_safetensors(const char *path, struct source *src,
                             struct profile_warnings *warnings, char *err, size_t errlen)
{
	if (!safetensors_read(path, &src->checkpoint, warnings, err, errlen))
		return false;
	src->has_checkpoint = true;
	char dir[1024], config[1100];
	files_dir_of(path, dir, sizeof(dir));
	snprintf(config, sizeof(config), "%s/config.json", dir);
	if (exists(config)) {
		if (!load_config(config, src, warnings, err, errlen))
			return false;
	} else {
		/* the directory's name when the file is model*.safetensors */
		char real[4096];
		const char *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		const char *d = strncmp(base, "model", 5) == 0 && realpath(dir, real) ? real : NULL;
		const char *dbase = d ? strrchr(d, '/') : NULL;
		if (dbase && dbase[1])
			snprintf(src->meta.id, sizeof(src->meta.id), "%s", dbase + 1);
		else
			id_from_file(path, src->meta.id, sizeof(src->meta.id));
		snprintf(src->meta.name, sizeof(src->meta.name), "%s", src->meta.id);
	}
	snprintf(src->meta.path, sizeof(src->meta.path), "%s", path);
	snprintf(src->meta.origin, sizeof(src->meta.origin), "safetensors");
	snprintf(src->meta.source, sizeof(src->meta.source), "safetensors headers of %s%s", path,
	         src->has_arch ? " and config.json" : "");
	return true;
}

/* A directory: its config.json, and its checkpoint when there is one. */
static bool load_dir(const char *dir, struct source *src, struct profile_warnings *warnings,
                     char *err, size_t errlen)
{
	static const char *const checkpoints[] = {"model.safetensors.index.json",
	                                          "model.safetensors"};
	char path[1100];
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--; /* "Qwen3-8B/" names the same directory */
	snprintf(path, sizeof(path), "%.*s/config.json", (int)len, dir);
	if (!exists(path)) {
		snprintf(err, errlen,
		         "%s: no config.json in this directory (vramcalc reads a profile, *.gguf, "
		         "config.json or *.safetensors)",
		         dir);
		return false;
	}
	if (!load_config(path, src, warnings, err, errlen))
		return false;
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%.*s/%s", (int)len, dir, checkpoints[i]);
		if (!exists(path))
			continue;
		if (!safetensors_read(path, &src->checkpoint, warnings, err, errlen))
			return false;
		src->has_checkpoint = true;
		snprintf(src->meta.source, sizeof(src->meta.source),
		         "config.json and safetensors headers in %s", dir);
		break;
	}
	return true;
}

bool source_load(const struct profile_dirs *dirs, const char *spec, struct source *src,
                 struct profile_warnings *warnings, char *err, size_t errlen)
{
	bool ok = false;
	memset(src, 0, sizeof(*src));
	src->kind = source_kind_of(spec);
	switch (src->kind) {
	case SOURCE_GGUF:
		ok = load_gguf(spec, src, err, errlen);
		src->has_arch = ok;
		if (ok) {
			profile_meta_escape(&src->meta);
			text_escape_inplace(src->model.arch.gguf_arch,
			                    sizeof(src->model.arch.gguf_arch));
		}
		return ok;
	case SOURCE_PROFILE:
		if (!profile_resolve_model(dirs, spec, &src->meta, &src->model.arch, warnings, err,
		                           errlen))
			return false;
		if (!model_prepare(&src->model)) {
			snprintf(err, errlen, "%s: out of memory", spec);
			return false;
		}
		src->has_arch = true;
		return true;
	case SOURCE_HF_CONFIG:
		ok = is_dir(spec) ? load_dir(spec, src, warnings, err, errlen)
		                  : load_config(spec, src, warnings, err, errlen);
		break;
	case SOURCE_SAFETENSORS:
		ok = load_safetensors(spec, src, warnings, err, errlen);
		break;
	}
	if (!ok)
		source_release(src);
	else
		profile_meta_escape(&src->meta);
	return ok;
}

void source_release(struct source *src)
{
	model_release(&src->model);
	src->has_arch = false;
}
