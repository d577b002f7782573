/*
 * hfconfig.h - map Hugging Face config.json keys to struct model_arch.
 *
 * Data layer.  Profiles keep the architecture in a [config] section whose
 * keys are config.json's own names, so one mapping serves both the INI
 * profiles and the config.json importer: each supplies a config_source that
 * returns a key's value as text.
 */
#ifndef VRAMCALC_HFCONFIG_H
#define VRAMCALC_HFCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "arch.h"

/* A source of config values.  get() copies the value of key into buf
 * (lists comma-separated, null as an empty string) and returns buf, or
 * returns NULL when the key is absent. */
struct config_source {
	const char *(*get)(void *ctx, const char *key, char *buf, size_t buflen);
	void *ctx;
	const char *where; /* prefix for messages: "x.ini: [config]" */
	/* Optional: the prefix for a message about key, with its line
	 * ("x.ini:12: [config]"), written into buf; NULL: where. */
	const char *(*locate)(void *ctx, const char *key, char *buf, size_t buflen);
};

/* The prefix of a message about key: src->locate's, else src->where. */
const char *hfconfig_where(const struct config_source *src, const char *key, char *buf,
                           size_t buflen);

/* Keys the mapping reads, NULL-terminated (anything else is reported as an
 * unknown key by the loaders). */
extern const char *const hfconfig_known_keys[];

/* True when key is one of hfconfig_known_keys. */
bool hfconfig_key_known(const char *key);

/* True when model_type is known; its tensor layout family into *family
 * (may be NULL). */
bool hfconfig_model_type_family(const char *model_type, enum arch_family *family);

/* The known model_types whose layout is family, in table order: writes
 * at most max of them into out (static strings) and returns how many. */
size_t hfconfig_model_types(enum arch_family family, const char **out, size_t max);

/* Fill *out from the source.  family_override (may be NULL or "") names a
 * tensor layout family instead of deriving it from model_type.  On failure
 * writes "<where> <key>: <problem>: '<value>'" into err. */
bool hfconfig_to_arch(const struct config_source *src, const char *family_override,
                      struct model_arch *out, char *err, size_t errlen);

/* The keys of the families whose layers differ by type (gemma4, ...),
 * applied to an arch the common mapping filled (hfconfig_attn.c).  On
 * failure writes "<where> <key>: <problem>: '<value>'" into err. */
bool hfconfig_attn_finish(const struct config_source *src, struct model_arch *a, char *err,
                          size_t errlen);

/* The keys of the families whose layers mix cache kinds (deepseek4,
 * falcon-h1, kimi; hfconfig_hybrid.c), applied after hfconfig_attn_finish.
 * On failure writes "<where> <key>: <problem>: '<value>'" into err. */
bool hfconfig_hybrid_finish(const struct config_source *src, struct model_arch *a, char *err,
                            size_t errlen);

#endif
