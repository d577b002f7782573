/*
 * fuzz_gguf.c - libFuzzer harness for the GGUF header reader.
 *
 * Feeds each input to gguf_read_mem(); when a header parses, also derives
 * the architecture, the engine's tensor list and, for an architecture that
 * passes validation, the tensors it implies.  Any crash, sanitizer report,
 * leak or timeout is a bug: the reader must turn every input into either a
 * struct gguf_info or one error line.
 *
 * Built and run by tests/fuzz/run.sh (clang -fsanitize=fuzzer,address,undefined).
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gguf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gguf_info g;
	char err[512];
	err[0] = '\0';
	if (!gguf_read_mem(data, size, "fuzz.gguf", &g, err, sizeof(err))) {
		/* Every failure explains itself, naming the input. */
		assert(strncmp(err, "fuzz.gguf: ", 11) == 0);
		assert(g.kv == NULL && g.tensors == NULL);
		return 0;
	}
	assert(g.tensor_bytes <= (uint64_t)INT64_MAX);
	for (size_t i = 0; i < g.n_kv; i++) {
		uint64_t v;
		(void)gguf_kv_uint(&g.kv[i], 0, &v);
		(void)gguf_find(&g, g.kv[i].key);
	}

	struct model m;
	if (gguf_model(&g, &m, err, sizeof(err))) {
		struct tensor_list built;
		tensors_init(&built);
		(void)tensors_build(&m.arch, &built);
		tensors_free(&built);
		model_release(&m);
	} else {
		assert(strncmp(err, "fuzz.gguf: ", 11) == 0);
	}
	gguf_info_free(&g);
	return 0;
}
