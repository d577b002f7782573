/*
 * fuzz_config.c - libFuzzer harness for the config.json importer.
 *
 * Feeds each input to hfjson_load_mem() as a config.json.  A rejected
 * input must come back as one line naming the input; an accepted one is
 * a validated architecture, so the harness also builds its tensors, runs
 * one estimate and writes it back as profile keys (which checks itself by
 * mapping the text back).  Any crash, sanitizer report, leak or timeout is
 * a bug.
 *
 * Built and run by tests/fuzz/run.sh (clang -fsanitize=fuzzer,address,undefined).
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "estimate.h"
#include "hfjson.h"
#include "profile_save.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hfjson_model hf;
	struct profile_warnings w = {0};
	char err[512];
	err[0] = '\0';
	if (!hfjson_load_mem((const char *)data, size, "fuzz.json", &hf, &w, err, sizeof(err))) {
		assert(strncmp(err, "fuzz.json:", 10) == 0);
		assert(strchr(err, '\n') == NULL);
		return 0;
	}
	struct model m;
	memset(&m, 0, sizeof(m));
	m.arch = hf.arch;
	if (model_prepare(&m)) {
		struct settings s;
		struct estimate e;
		struct estimate_scratch x;
		estimate_settings_default(&s);
		if (estimate_scratch_init(&x, m.tensors.n)) {
			if (estimate_check(&m, &x, &s, err, sizeof(err)))
				estimate_run(&m, &x, &s, &e);
			estimate_scratch_free(&x);
		}
		model_release(&m);
	}
	static char text[16384];
	(void)profile_config_text(&hf.arch, hf.model_type, text, sizeof(text), err, sizeof(err));
	return 0;
}
