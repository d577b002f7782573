/*
 * test_profile.c - the profile loaders on valid and broken fixtures
 * (tests/data/profiles-bad) and on every shipped profile.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "estimate.h"
#include "profile.h"

#define FIX "tests/data/profiles-bad/"

static bool load(const char *file, struct model_arch *a, struct profile_warnings *w, char *err)
{
	struct model_meta meta;
	return profile_load_model(file, &meta, a, w, err, PROFILE_ERR_LEN);
}

Test(profile, good_fixture_loads_without_warnings)
{
	struct model_arch a;
	struct model_meta meta;
	struct profile_warnings w = {0};
	char err[PROFILE_ERR_LEN];
	cr_assert(profile_load_model(FIX "good.ini", &meta, &a, &w, err, sizeof(err)), "%s", err);
	cr_expect_eq(w.n, 0, "%s", w.n ? w.msg[0] : "");
	cr_expect_str_eq(meta.id, "good");
	cr_expect_str_eq(meta.name, "Good Model");
	cr_expect_eq(meta.params_total, 1235814432ull);
	cr_expect_eq(a.n_layer, 16);
	cr_expect_eq(a.n_head_kv, 8);
	cr_expect_eq(a.head_dim_k, 64);
	cr_expect(a.tied_embeddings);
	cr_expect(a.rope_freqs);
	struct model m = {.arch = a};
	cr_assert(model_prepare(&m));
	cr_expect_eq(m.params_total, 1235814432ull, "Llama 3.2 1B's exact count");
	model_release(&m);
}

struct bad_case {
	const char *file;
	const char *must_contain[3];
};

/* Each message names the file and, where a line holds the problem, its
 * line ("file:13:"), then the key and the value. */
static const struct bad_case bad_cases[] = {
    {"bad-number.ini", {"bad-number.ini:13: [config]", "num_key_value_heads", "'8x'"}},
    {"missing-key.ini", {"missing-key.ini", "hidden_size", "missing"}},
    {"unknown-type.ini", {"unknown-type.ini:8:", "model_type", "transformer9000"}},
    {"kv-heads-divide.ini", {"kv-heads-divide.ini:13:", "num_key_value_heads", "7"}},
    {"syntax.ini", {"syntax.ini:4:", "this line has no equals sign", NULL}},
    {"missing-section.ini", {"missing-section.ini", "[config]", NULL}},
    {"absurd-layers.ini", {"absurd-layers.ini:9:", "num_hidden_layers", "100000"}},
    {"negative.ini", {"negative.ini:9:", "num_hidden_layers", "-3"}},
    {"bad-bool.ini", {"bad-bool.ini:17:", "tie_word_embeddings", "maybe"}},
    {"bad-params.ini", {"bad-params.ini:5: [model]", "params_total", "1.2B"}},
    {"layer-types-count.ini", {"layer-types-count.ini:19:", "layer_types", "2 entries"}},
    {"truncated.ini", {"truncated.ini:11:", "intermed", NULL}},
    {"empty.ini", {"empty.ini", "[model]", NULL}},
    {"does-not-exist.ini", {"does-not-exist.ini", "cannot open", NULL}},
};

Test(profile, every_broken_fixture_names_file_key_and_value)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		char path[256], err[PROFILE_ERR_LEN] = "";
		struct model_arch a;
		snprintf(path, sizeof(path), FIX "%s", bad_cases[i].file);
		cr_expect_not(load(path, &a, NULL, err), "%s loaded", bad_cases[i].file);
		for (int k = 0; k < 3 && bad_cases[i].must_contain[k]; k++)
			cr_expect(strstr(err, bad_cases[i].must_contain[k]) != NULL,
			          "%s: message '%s' lacks '%s'", bad_cases[i].file, err,
			          bad_cases[i].must_contain[k]);
	}
}

/* Copy the shipped profile to a temporary file with the line of key
 * replaced by "key = value" (value NULL: by a comment, so the key is
 * absent and every other line keeps its number).  Returns the temporary
 * path (caller frees and unlinks) and the line in *line. */
static char *with_value(const char *profile, const char *key, const char *value, unsigned *line)
{
	char src[256], buf[1024];
	snprintf(src, sizeof(src), "profiles/models/%s.ini", profile);
	FILE *in = fopen(src, "r");
	cr_assert_not_null(in, "%s", src);
	char *path = strdup("/tmp/vramcalc-key-XXXXXX");
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	FILE *out = fdopen(fd, "w");
	cr_assert_not_null(out);
	*line = 0;
	for (unsigned n = 1; fgets(buf, sizeof(buf), in); n++) {
		size_t k = strlen(key);
		if (!strncmp(buf, key, k) && (buf[k] == ' ' || buf[k] == '=')) {
			*line = n;
			if (value)
				fprintf(out, "%s = %s\n", key, value);
			else
				fprintf(out, "; %s removed\n", key);
		} else
			fputs(buf, out);
	}
	fclose(in);
	fclose(out);
	cr_assert_neq(*line, 0, "%s has no line for %s", src, key);
	return path;
}

/* The load's message for profile with key = value, where the key's line
 * holds the value. */
static void message_for(const char *profile, const char *key, const char *value, char *err,
                        char *where, size_t where_len)
{
	unsigned line;
	char *path = with_value(profile, key, value, &line);
	struct model_arch a;
	cr_expect_not(load(path, &a, NULL, err), "%s = %s accepted", key, value ? value : "");
	if (value)
		snprintf(where, where_len, "%s:%u: [config] %s: ", path, line, key);
	else
		snprintf(where, where_len, "%s: [config] %s: ", path, key);
	unlink(path);
	free(path);
}

/* The keys of the three readers of config keys (hfconfig.c's common keys,
 * hfconfig_attn.c's per-layer-type families, hfconfig_hybrid.c's mixed
 * cache families) get the same message for the same bad value: the file
 * and line, the key, the problem in the same words, the value. */
Test(profile, a_bad_value_reads_the_same_in_every_config_reader)
{
	static const struct {
		const char *profile, *key;
		unsigned max;
		bool required;
	} keys[] = {
	    {"falcon-h1-7b", "hidden_size", 1u << 20, true},   /* hfconfig.c */
	    {"gemma-4-31b", "global_head_dim", 4096, false},   /* hfconfig_attn.c */
	    {"deepseek-v4-flash", "o_lora_rank", 65536, true}, /* hfconfig_hybrid.c */
	    {"falcon-h1-7b", "mamba_d_state", 65536, true},    /* hfconfig_hybrid.c */
	};
	static const struct {
		const char *value, *problem; /* problem NULL: "larger than <max>" */
	} bad[] = {
	    {"12x", "not a whole number"},
	    {"-3", "not a whole number"},
	    {"2048.5", "not a whole number"},
	    {"99999999999999999999", NULL},
	    {"5000000", NULL},
	};
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
			char err[PROFILE_ERR_LEN] = "", where[256], want[PROFILE_ERR_LEN];
			message_for(keys[k].profile, keys[k].key, bad[b].value, err, where,
			            sizeof(where));
			if (bad[b].problem)
				snprintf(want, sizeof(want), "%s%s: '%s'", where, bad[b].problem,
				         bad[b].value);
			else
				snprintf(want, sizeof(want), "%slarger than %u: '%s'", where,
				         keys[k].max, bad[b].value);
			cr_expect_str_eq(err, want);
		}
		if (keys[k].required) {
			char err[PROFILE_ERR_LEN] = "", where[256], want[PROFILE_ERR_LEN];
			message_for(keys[k].profile, keys[k].key, NULL, err, where, sizeof(where));
			snprintf(want, sizeof(want), "%smissing (required)", where);
			cr_expect_str_eq(err, want);
		}
	}
	/* booleans: hfconfig.c's tie_word_embeddings, hfconfig_attn.c's
	 * attention_k_eq_v */
	static const struct {
		const char *profile, *key;
	} flags[] = {{"falcon-h1-7b", "tie_word_embeddings"}, {"gemma-4-31b", "attention_k_eq_v"}};
	for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
		char err[PROFILE_ERR_LEN] = "", where[256], want[PROFILE_ERR_LEN];
		message_for(flags[k].profile, flags[k].key, "maybe", err, where, sizeof(where));
		snprintf(want, sizeof(want), "%snot a boolean (true/false): 'maybe'", where);
		cr_expect_str_eq(err, want);
	}
}

Test(profile, unknown_key_is_a_warning_with_its_location)
{
	struct model_arch a;
	struct profile_warnings w = {0};
	char err[PROFILE_ERR_LEN];
	cr_assert(load(FIX "typo-key.ini", &a, &w, err), "%s", err);
	cr_assert_eq(w.n, 1);
	cr_expect(strstr(w.msg[0], "typo-key.ini:15:") && strstr(w.msg[0], "[config]") &&
	              strstr(w.msg[0], "num_key_value_head"),
	          "%s", w.msg[0]);
}

Test(profile, uppercase_keys_and_semicolons)
{
	struct model_arch a;
	struct model_meta meta;
	char err[PROFILE_ERR_LEN];
	cr_assert(profile_load_model(FIX "uppercase-key.ini", &meta, &a, NULL, err, sizeof(err)),
	          "%s", err);
	cr_expect_eq(a.n_layer, 16, "keys are lowercased");
	cr_assert(profile_load_model(FIX "semicolon.ini", &meta, &a, NULL, err, sizeof(err)), "%s",
	          err);
	cr_expect_str_eq(meta.name, "Good", "';' starts a comment in a value");
}

/* A FIFO named as a profile is refused at once, not read (which would
 * wait for a writer forever). */
Test(profile, a_fifo_is_refused_without_waiting, .timeout = 10)
{
	char dir[] = "/tmp/vramcalc-fifo-XXXXXX", path[64];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/model.ini", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	struct model_arch a;
	char err[PROFILE_ERR_LEN];
	cr_expect_not(load(path, &a, NULL, err));
	cr_expect(strstr(err, "model.ini: not a regular file"), "%s", err);
	struct device_list l = {0};
	cr_expect_not(profile_load_hardware(path, &l, NULL, err, sizeof(err)));
	cr_expect(strstr(err, "not a regular file"), "%s", err);
	unlink(path);
	rmdir(dir);
}

Test(hardware_profile, good_and_broken)
{
	struct device_list l = {0};
	struct profile_warnings w = {0};
	char err[PROFILE_ERR_LEN];
	cr_assert(profile_load_hardware(FIX "hw-good.ini", &l, &w, err, sizeof(err)), "%s", err);
	cr_assert_eq(l.n, 2);
	cr_expect_eq(l.v[0].memory_bytes, 24ull << 30,
	             "a vendor's 24 GB of device memory is 24 GiB");
	cr_expect_eq(l.v[1].memory_bytes, 128ull << 30, "128 GiB is binary");
	cr_expect(l.v[1].unified);
	cr_expect_eq(hw_usable_bytes(&l.v[1]), 96ull << 30);
	cr_expect_eq(l.v[0].memory_kind, MEM_GDDR, "a discrete card without memory_type: GDDR");
	cr_expect_eq(l.v[1].memory_kind, MEM_LPDDR, "unified memory: LPDDR");
	cr_expect_not_null(device_find(&l, "CARD-A"), "ids are case-insensitive");
	device_list_free(&l);

	static const struct {
		const char *file, *key, *value;
	} bad[] = {
	    {"hw-bad-memory.ini", "memory", "24 gigs"},
	    {"hw-bad-category.ini", "category", "gaming"},
	    {"hw-bad-share.ini", "gpu_share", "1.5"},
	    {"hw-bad-flag.ini", "fp8", "sometimes"},
	    {"hw-bad-rate.ini", "int8_tops", "lots"},
	    {"hw-bad-memtype.ini", "memory_type", "SRAM 512-bit"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[256];
		struct device_list b = {0};
		snprintf(path, sizeof(path), FIX "%s", bad[i].file);
		cr_expect_not(profile_load_hardware(path, &b, NULL, err, sizeof(err)), "%s",
		              bad[i].file);
		cr_expect(strstr(err, bad[i].file) && strstr(err, bad[i].key) &&
		              strstr(err, bad[i].value),
		          "%s: '%s'", bad[i].file, err);
		device_list_free(&b);
	}
}

Test(shipped, every_profile_loads_without_warnings)
{
	struct profile_dirs dirs = {0};
	dirs.n = 1;
	snprintf(dirs.dir[0], sizeof(dirs.dir[0]), "profiles");
	snprintf(dirs.origin[0], sizeof(dirs.origin[0]), "shipped");
	struct catalog cat;
	struct profile_warnings w = {0};
	char err[PROFILE_ERR_LEN];
	cr_assert(catalog_load(&dirs, &cat, &w, err, sizeof(err)), "%s", err);
	for (int i = 0; i < w.n; i++)
		cr_expect_fail("warning: %s", w.msg[i]);
	cr_expect_geq(cat.n, 10);
	static const char *const required[] = {
	    "llama-3.1-8b", "llama-3.1-70b", "qwen3-0.6b", "qwen3-8b",    "qwen3-30b-a3b",
	    "deepseek-v3",  "kimi-k2.6",     "gemma-3-4b", "gpt-oss-20b", "gpt-oss-120b",
	};
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		cr_expect_not_null(catalog_find(&cat, required[i]), "%s missing", required[i]);
	catalog_free(&cat);

	struct device_list l = {0};
	w.n = 0;
	cr_assert(profile_load_all_hardware(&dirs, &l, &w, err, sizeof(err)), "%s", err);
	for (int i = 0; i < w.n; i++)
		cr_expect_fail("warning: %s", w.msg[i]);
	cr_expect_geq(l.n, 10);
	cr_expect_not_null(device_find(&l, "h200-sxm"));
	cr_expect_not_null(device_find(&l, "rtx-4090"));
	device_list_free(&l);
}

/* Published parameter counts, within 2 %: the derived tensors are right. */
Test(shipped, derived_parameters_match_published_counts)
{
	struct profile_dirs dirs = {0};
	dirs.n = 1;
	snprintf(dirs.dir[0], sizeof(dirs.dir[0]), "profiles");
	struct catalog cat;
	char err[PROFILE_ERR_LEN];
	cr_assert(catalog_load(&dirs, &cat, NULL, err, sizeof(err)), "%s", err);
	int checked_total = 0, checked_active = 0;
	for (size_t i = 0; i < cat.n; i++) {
		const struct catalog_model *c = &cat.v[i];
		struct model m = {.arch = c->arch};
		cr_assert(model_prepare(&m));
		if (c->meta.params_total) {
			double e = 100.0 * ((double)m.params_total - (double)c->meta.params_total) /
			           (double)c->meta.params_total;
			cr_expect(e <= 2.0 && e >= -2.0,
			          "%s: total %llu vs published %llu (%+.2f %%)", c->meta.id,
			          (unsigned long long)m.params_total,
			          (unsigned long long)c->meta.params_total, e);
			checked_total++;
		}
		if (c->meta.params_active) {
			uint64_t active = m.params_active;
			for (size_t t = 0; t < m.tensors.n; t++) {
				const struct tensor_info *ti = &m.tensors.v[t];
				if (ti->cat == TC_TOKEN_EMBD &&
				    !strcmp(c->meta.params_active_convention, "with-embedding"))
					active += tensor_elems(ti);
				if (!strcmp(ti->name, "token_embd.weight") &&
				    !strcmp(c->meta.params_active_convention,
				            "without-per-layer-embedding"))
					active += tensor_elems(ti);
				if (ti->cat == TC_OUTPUT &&
				    !strcmp(c->meta.params_active_convention,
				            "without-embedding-and-output"))
					active -= tensor_elems(ti);
			}
			double e = 100.0 * ((double)active - (double)c->meta.params_active) /
			           (double)c->meta.params_active;
			cr_expect(e <= 2.0 && e >= -2.0,
			          "%s: active %llu vs published %llu (%+.2f %%, %s)", c->meta.id,
			          (unsigned long long)active,
			          (unsigned long long)c->meta.params_active, e,
			          c->meta.params_active_convention);
			checked_active++;
		}
		model_release(&m);
	}
	cr_expect_geq(checked_total, 20, "only %d profiles state a total", checked_total);
	cr_expect_geq(checked_active, 8, "only %d profiles state an active count", checked_active);
	catalog_free(&cat);
}

/* Users add profiles: $VRAMCALC_PROFILE_PATH first, then the XDG user
 * directory, then the shipped ones; the first id wins and --list says
 * where each came from. */
Test(user_profiles, env_and_user_directories_override_shipped)
{
	char tmpl[] = "/tmp/vramcalc-test-XXXXXX";
	char *root = mkdtemp(tmpl);
	cr_assert_not_null(root);
	char env_dir[128], xdg[128], path[1024];
	snprintf(env_dir, sizeof(env_dir), "%s/extra", root);
	snprintf(xdg, sizeof(xdg), "%s/config", root);
	snprintf(path, sizeof(path), "mkdir -p %s/models %s/vramcalc/profiles/models", env_dir,
	         xdg);
	cr_assert_eq(system(path), 0);

	/* a user copy of a shipped model under a new name, and a new model */
	snprintf(path, sizeof(path),
	         "sed 's/^name = .*/name = My Llama/' profiles/models/llama-3.1-8b.ini > "
	         "%s/vramcalc/profiles/models/llama-3.1-8b.ini",
	         xdg);
	cr_assert_eq(system(path), 0);
	snprintf(path, sizeof(path),
	         "sed 's/^name = .*/name = Env Copy/' " FIX "good.ini > %s/models/custom-1b.ini",
	         env_dir);
	cr_assert_eq(system(path), 0);

	setenv("XDG_CONFIG_HOME", xdg, 1);
	setenv("VRAMCALC_PROFILE_PATH", env_dir, 1);
	struct profile_dirs dirs;
	profile_dirs_init(&dirs);
	cr_assert_geq(dirs.n, 2);
	cr_expect_str_eq(dirs.origin[0], "env");
	cr_expect_str_eq(dirs.dir[0], env_dir);
	cr_expect_str_eq(dirs.origin[1], "user");
	/* the test runner is not next to the source tree's profiles: add them */
	snprintf(dirs.dir[dirs.n], sizeof(dirs.dir[0]), "profiles");
	snprintf(dirs.origin[dirs.n], sizeof(dirs.origin[0]), "shipped");
	dirs.n++;

	struct catalog cat;
	struct profile_warnings w = {0};
	char err[PROFILE_ERR_LEN];
	cr_assert(catalog_load(&dirs, &cat, &w, err, sizeof(err)), "%s", err);
	const struct catalog_model *mine = catalog_find(&cat, "llama-3.1-8b");
	cr_assert_not_null(mine);
	cr_expect_str_eq(mine->meta.name, "My Llama", "the user profile overrides the shipped one");
	cr_expect_str_eq(mine->meta.origin, "user");
	const struct catalog_model *env = catalog_find(&cat, "custom-1b");
	cr_assert_not_null(env);
	cr_expect_str_eq(env->meta.origin, "env");
	const struct catalog_model *shipped_one = catalog_find(&cat, "qwen3-8b");
	cr_assert_not_null(shipped_one);
	cr_expect_str_eq(shipped_one->meta.origin, "shipped");
	catalog_free(&cat);

	/* resolving an id takes the same order */
	struct model_meta meta;
	struct model_arch a;
	cr_assert(profile_resolve_model(&dirs, "llama-3.1-8b", &meta, &a, NULL, err, sizeof(err)));
	cr_expect_str_eq(meta.origin, "user");

	snprintf(path, sizeof(path), "rm -rf %s", root);
	cr_expect_eq(system(path), 0);
}
