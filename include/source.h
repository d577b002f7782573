/*
 * source.h - load a model from whatever the user names: a profile id, a
 * profile .ini, a GGUF file (header only is enough), and (importers) a
 * Hugging Face config.json or safetensors headers.
 *
 * Data layer.  Both front ends (CLI and TUI) load models through here.
 */
#ifndef VRAMCALC_SOURCE_H
#define VRAMCALC_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "estimate.h"
#include "profile.h"

/* What kind of thing MODEL named. */
enum source_kind {
	SOURCE_PROFILE,     /* a profile id or .ini */
	SOURCE_GGUF,        /* a GGUF file: tensors and types as stored */
	SOURCE_HF_CONFIG,   /* a config.json (or a folder holding one) */
	SOURCE_SAFETENSORS, /* safetensors header(s): bytes as shipped */
};

/* A loaded model: metadata, the prepared model and how it was found. */
struct source {
	enum source_kind kind;
	struct model_meta meta;
	struct model model;  /* prepared: tensors, params, scratch */
	bool file_types;     /* estimate with the stored tensor types (GGUF) */
	char file_quant[24]; /* GGUF general.file_type name when known ("Q4_K_M") */
};

/* Resolve spec and load it into src (release with source_release).
 * Returns false with err naming the file, key or value on failure. */
bool source_load(const struct profile_dirs *dirs, const char *spec, struct source *src,
		 struct profile_warnings *warnings, char *err, size_t errlen);

void source_release(struct source *src);

/* The kind spec names, by file name and content (no full parse). */
enum source_kind source_kind_of(const char *spec);

#endif
