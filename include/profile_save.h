/*
 * profile_save.h - write a model (from any import) as a profile file.
 *
 * Data layer.  `--save-profile ID` turns a GGUF header, a config.json or a
 * safetensors checkpoint with its config.json into
 * <user dir>/models/ID.ini in the format profile_load_model() reads:
 * [model] metadata and a [config] section of config.json keys.  The
 * [config] section is generated from the architecture and checked by
 * mapping it back with hfconfig_to_arch(): a profile is only written when
 * it describes the same model.
 */
#ifndef VRAMCALC_PROFILE_SAVE_H
#define VRAMCALC_PROFILE_SAVE_H

#include <stdbool.h>
#include <stddef.h>

#include "arch.h"
#include "profile.h"

#define PROFILE_ID_MAX 63 /* bytes of a profile id */

/* Longest [config] line written: iniparser 4.1 rejects lines of 1024
 * bytes or more. */
#define PROFILE_LINE_MAX 1000

/* True when id is 1..PROFILE_ID_MAX bytes of [a-z0-9._-] that does not
 * start with '.' or '-' nor end in .ini, .gguf, .json or .safetensors
 * (which -m takes for files); else a message naming it. */
bool profile_id_check(const char *id, char *err, size_t errlen);

/* True when a and b give the engine the same model: every field and
 * per-layer entry equal, except the display name gguf_arch, the dense FFN
 * width of a model without dense layers, the MoE (recurrent) fields of a
 * model without experts (recurrent layers), and an MLA model's head widths,
 * which a GGUF states in the MQA form (key_length 576) and a config in
 * the per-head form (192).  Otherwise writes the first
 * differing field ("n_head_kv", "layer_kind[5]") into what. */
bool profile_arch_equivalent(const struct model_arch *a, const struct model_arch *b, char *what,
                             size_t n);

/* "key = value" lines of a [config] section for a (no section header),
 * NUL-terminated into buf.  model_type_hint (NULL or "": none) is the
 * model_type tried first; then the known model_types of a's family.  The
 * text is checked by mapping it back; on failure (buf too small, a layer
 * pattern that needs a line longer than PROFILE_LINE_MAX, an
 * architecture no model_type expresses) writes the reason into err. */
bool profile_config_text(const struct model_arch *a, const char *model_type_hint, char *buf,
                         size_t buflen, char *err, size_t errlen);

/* The user profile directory: $XDG_CONFIG_HOME/vramcalc/profiles, else
 * $HOME/.config/vramcalc/profiles.  False when neither variable is set. */
bool profile_user_dir(char *buf, size_t n);

/* Write <dir>/models/<id>.ini (directories created as needed) for meta
 * and a: the file is written to a temporary name in the same directory,
 * flushed with fsync and linked (or with replace, renamed) into place, so
 * readers never see half a profile; without replace an existing profile
 * is never replaced.  The written path goes into path_out.  On failure
 * writes a message into err. */
bool profile_save_model(const char *dir, const char *id, const struct model_meta *meta,
                        const struct model_arch *a, const char *model_type_hint, bool replace,
                        char *path_out, size_t pathlen, char *err, size_t errlen);

/* Where a profile id is already in use: the first profile directory (in
 * search order) holding models/<id>.ini, its path into path and its origin
 * ("shipped", "user", "env") returned; NULL when the id is free. */
const char *profile_id_in_use(const struct profile_dirs *dirs, const char *id, char *path,
                              size_t n);

#endif
