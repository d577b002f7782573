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
#include "safetensors.h"

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
	struct model model;  /* prepared: tensors, params */
	bool file_types;     /* estimate with the stored tensor types (GGUF) */
	char file_quant[24]; /* GGUF general.file_type name when known ("Q4_K_M") */
	/* false only for safetensors without a config.json beside them: the
	 * architecture is unknown and model is empty (nothing to estimate) */
	bool has_arch;
	bool has_checkpoint;       /* checkpoint holds safetensors header totals */
	struct st_info checkpoint; /* bytes as shipped (has_checkpoint) */
	char model_type[48];       /* config.json's model_type, or "" */
};

/* Resolve spec and load it into src (release with source_release).
 *   profile id or .ini      the profile
 *   *.gguf                  the GGUF header (split parts summed)
 *   *.json or a directory   a Hugging Face config.json (a directory's
 *                           config.json, plus its model.safetensors.index.json
 *                           or model.safetensors when present)
 *   *.safetensors, *.safetensors.index.json
 *                           the checkpoint's headers, and the architecture
 *                           from config.json in the same directory if any
 * Returns false with err naming the file, key or value on failure. */
bool source_load(const struct profile_dirs *dirs, const char *spec, struct source *src,
                 struct profile_warnings *warnings, char *err, size_t errlen);

void source_release(struct source *src);

/* A multimodal projector file (llama.cpp --mmproj: a GGUF of
 * general.architecture "clip"): what it puts in memory. */
struct mmproj_info {
	char path[512];
	char projector[32]; /* clip.projector_type (clip.vision.projector_type), or "" */
	bool vision, audio; /* clip.has_vision_encoder / clip.has_audio_encoder */
	size_t n_tensors;
	/* every tensor as stored, each padded as a backend buffer holds it:
	 * mtmd loads them all into one buffer */
	uint64_t bytes;
};

/* Read the projector at path into out.  Fails with err naming the file
 * when it is not a GGUF or not a projector ("... is a 'qwen3' model, not a
 * multimodal projector"). */
bool source_mmproj_load(const char *path, struct mmproj_info *out, char *err, size_t errlen);

/* The kind spec names, by file name and content (no full parse). */
enum source_kind source_kind_of(const char *spec);

#endif
