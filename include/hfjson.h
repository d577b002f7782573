/*
 * hfjson.h - a Hugging Face config.json as a model architecture.
 *
 * Data layer.  The file is read and parsed within the limits of json.h
 * (at most HFJSON_MAX_FILE_BYTES, HFJSON_MAX_VALUES values, nesting
 * JSON_MAX_DEPTH), every key the mapping reads is type-checked (a string
 * where a number goes is an error naming the key), and the values are
 * handed to hfconfig_to_arch() through a config_source, the same mapping
 * the INI profiles use.
 *
 * Multimodal configs: when the config has a "text_config" object, every
 * key (model_type included) is looked up there first and then at the top
 * level.  rope_scaling.rope_type (or .type, or rope_parameters.rope_type)
 * is exposed as the key rope_scaling_type.  For model_types whose
 * transformers config class has defaults that published configs leave out
 * (gemma3_text), the defaults fill the gaps and a warning lists them.
 */
#ifndef VRAMCALC_HFJSON_H
#define VRAMCALC_HFJSON_H

#include <stdbool.h>
#include <stddef.h>

#include "arch.h"
#include "profile.h"

#define HFJSON_MAX_FILE_BYTES (16u << 20) /* config.json size limit */
#define HFJSON_MAX_VALUES     (1u << 20)  /* JSON values in one config.json */

/* A config.json import. */
struct hfjson_model {
	struct model_meta meta; /* id, name, native_dtype, path, origin "config.json" */
	struct model_arch arch; /* validated */
	char model_type[48];    /* the model_type used (text_config's when nested) */
	bool text_config;       /* a nested text_config was read first */
	char quantization[64];  /* quantization_config summary ("fp8 e4m3"), or "" */
};

/* Load the config.json at path.  meta.id is the file name without
 * ".config.json"/".json", or the directory's name for a file called
 * config.json.  warnings (may be NULL) collects defaults that were used.
 * On failure writes one line naming the file, the key and the problem
 * into err and returns false. */
bool hfjson_load(const char *path, struct hfjson_model *out, struct profile_warnings *warnings,
                 char *err, size_t errlen);

/* The same for len bytes of JSON at text; name labels messages and
 * becomes meta.id and meta.path.  Used by hfjson_load, the fuzzer and
 * the tests. */
bool hfjson_load_mem(const char *text, size_t len, const char *name, struct hfjson_model *out,
                     struct profile_warnings *warnings, char *err, size_t errlen);

#endif
