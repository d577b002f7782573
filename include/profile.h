/*
 * profile.h - loading model and hardware profiles (INI files).
 *
 * Data layer.  Functions return a status plus a readable cause naming the
 * file, section, key and value ("profiles/models/x.ini: [config]
 * num_key_value_heads: not a whole number: '8x'"); they never print or exit.
 *
 * A model profile has two sections:
 *   [model]  id-independent metadata: name, family, hf_repo, native_dtype,
 *            params_total, params_active (published counts), source, arch
 *            (optional tensor layout family; derived from model_type)
 *   [config] the model's Hugging Face config.json keys (num_hidden_layers,
 *            hidden_size, ...), lists written comma-separated.
 * The [config] section is mapped to struct model_arch by hfconfig.h, the
 * same mapping the config.json importer uses.
 */
#ifndef VRAMCALC_PROFILE_H
#define VRAMCALC_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "hardware.h"

#define PROFILE_ERR_LEN      512
#define PROFILE_MAX_WARNINGS 16

/* Metadata of a model profile (everything that is not architecture). */
struct model_meta {
	char id[64]; /* file name without .ini, or a path's stem */
	char name[96];
	char family[48];
	char hf_repo[96];
	char native_dtype[64];
	uint64_t params_total;  /* published total, 0 if not stated */
	uint64_t params_active; /* published active, 0 if not stated */
	/* How the vendor counts active parameters: "without-embedding" (the
	 * engine's own definition, the default), "with-embedding" (Meta,
	 * Qwen) or "without-embedding-and-output" (Zhipu GLM). */
	char params_active_convention[32];
	char source[256];
	char path[512];  /* file it was loaded from */
	char origin[16]; /* "shipped", "user", "env" or "file" */
};

/* Warnings collected while loading (unknown keys, with their location). */
struct profile_warnings {
	int n;
	char msg[PROFILE_MAX_WARNINGS][256];
};

/* Load the model profile at path.  On success fills meta (id from the file
 * name) and arch (validated) and returns true; warnings (may be NULL)
 * collects unknown keys.  On failure writes the cause into err. */
bool profile_load_model(const char *path, struct model_meta *meta, struct model_arch *arch,
                        struct profile_warnings *warnings, char *err, size_t errlen);

/* A list of devices, owned by the caller (free with device_list_free). */
struct device_list {
	struct device *v;
	size_t n;
};

void device_list_free(struct device_list *l);

/* Load every [section] of a hardware profile file as one device, appended
 * to out (sections whose id out already holds are skipped).  On failure
 * the cause goes to err and out is freed (empty), devices loaded before
 * included. */
bool profile_load_hardware(const char *path, struct device_list *out,
                           struct profile_warnings *warnings, char *err, size_t errlen);

/* Find a device by id (case-insensitive), or NULL. */
const struct device *device_find(const struct device_list *l, const char *id);

/*
 * Where profiles come from, searched in this order (first id wins):
 *   1. each directory in $VRAMCALC_PROFILE_PATH (colon-separated)  "env"
 *   2. $XDG_CONFIG_HOME/vramcalc/profiles (~/.config/...)           "user"
 *   3. the shipped profiles: ./profiles next to a vramcalc run from
 *      the source tree, else $(PREFIX)/share/vramcalc/profiles     "shipped"
 * Each directory holds models/<id>.ini and optionally hardware.ini.
 */
#define PROFILE_MAX_DIRS 8

struct profile_dirs {
	int n;
	char dir[PROFILE_MAX_DIRS][512];
	char origin[PROFILE_MAX_DIRS][16];
};

/* Fill dirs from the environment and the executable's location. */
void profile_dirs_init(struct profile_dirs *dirs);

/* One loaded model profile. */
struct catalog_model {
	struct model_meta meta;
	struct model_arch arch;
};

/* Every model profile found, sorted by id; later directories do not
 * override earlier ones.  Profiles that fail to load are skipped and their
 * errors appended to warnings. */
struct catalog {
	struct catalog_model *v;
	size_t n;
};

bool catalog_load(const struct profile_dirs *dirs, struct catalog *out,
                  struct profile_warnings *warnings, char *err, size_t errlen);
void catalog_free(struct catalog *c);
const struct catalog_model *catalog_find(const struct catalog *c, const char *id);

/* Resolve MODEL (a profile id or a path to an .ini file) and load it. */
bool profile_resolve_model(const struct profile_dirs *dirs, const char *id_or_path,
                           struct model_meta *meta, struct model_arch *arch,
                           struct profile_warnings *warnings, char *err, size_t errlen);

/* Load hardware.ini of every directory (devices with the same id: the
 * first directory wins).  On failure out is empty. */
bool profile_load_all_hardware(const struct profile_dirs *dirs, struct device_list *out,
                               struct profile_warnings *warnings, char *err, size_t errlen);

/* Escape every text field of m in place (text.h): what a file or a path
 * names is shown everywhere without control characters or invalid UTF-8.
 * The loaders call it on every model they return. */
void profile_meta_escape(struct model_meta *m);

/* Append a warning (silently dropped past PROFILE_MAX_WARNINGS). */
void profile_warn(struct profile_warnings *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
