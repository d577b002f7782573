/*
 * fuzz_profile.c - libFuzzer harness for INI model profiles.
 *
 * Each input is parsed by the linear INI reader (ini_parse, with the
 * duplicate-key scan) and loaded as a model profile file
 * (profile_load_model: ini.h's reader, hfconfig's mapping and
 * arch_validate).  A lookup finds the last of a repeated key.  A refused input must explain itself
 * in one line naming the file; an accepted one is a valid architecture whose tensors build and
 * whose default estimate passes or is refused with a reason.
 */
#include <assert.h>

#include "estimate.h"
#include "fuzz_common.h"
#include "ini.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[PROFILE_ERR_LEN], path[256];
	struct profile_warnings w = {0};
	struct ini_doc d;
	if (ini_parse((const char *)data, size, "fuzz.ini", &d, err, sizeof(err))) {
		ini_doc_warn_duplicates(&d, "fuzz.ini", &w);
		for (size_t i = 0; i < d.n; i++) {
			const struct ini_entry *e = ini_doc_find(&d, d.v[i].section, d.v[i].key);
			assert(e && e->line >= d.v[i].line);
			size_t n;
			const struct ini_entry *const *sec =
			    ini_doc_section(&d, d.v[i].section, &n);
			assert(sec && n >= 1 && n <= d.n);
		}
		ini_doc_free(&d);
	} else {
		assert(strncmp(err, "fuzz.ini", 8) == 0 && !strchr(err, '\n'));
	}

	fuzz_write("fuzz.ini", data, size, path, sizeof(path));
	struct model_meta meta;
	struct model m;
	memset(&m, 0, sizeof(m));
	w.n = 0;
	if (!profile_load_model(path, &meta, &m.arch, &w, err, sizeof(err))) {
		assert(strstr(err, "fuzz.ini") && !strchr(err, '\n'));
		return 0;
	}
	assert(arch_validate(&m.arch, err, sizeof(err)));
	if (model_prepare(&m)) {
		struct settings s;
		struct estimate e;
		struct estimate_scratch x;
		estimate_settings_default(&s);
		if (estimate_scratch_init(&x, m.tensors.n)) {
			if (estimate_check(&m, &x, &s, err, sizeof(err))) {
				estimate_run(&m, &x, &s, &e);
				assert(e.total_bytes >= e.weights_bytes &&
				       e.total_bytes >= e.kv_bytes);
			}
			estimate_scratch_free(&x);
		}
		model_release(&m);
	}
	return 0;
}
