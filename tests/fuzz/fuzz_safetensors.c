/*
 * fuzz_safetensors.c - libFuzzer harness for the safetensors header reader.
 *
 * An input that starts with '{' is parsed as a model.safetensors.index.json
 * (the shard list, without opening shards); anything else as one
 * safetensors file (8-byte length, JSON header, data).  Rejections must be
 * one line naming the input; accepted headers must add up (the data bytes
 * are the sum over dtypes).  Any crash, sanitizer report, leak or timeout
 * is a bug.
 *
 * Built and run by tests/fuzz/run.sh (clang -fsanitize=fuzzer,address,undefined).
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "safetensors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	err[0] = '\0';
	if (size && data[0] == '{') {
		struct st_index ix;
		if (!safetensors_index_mem((const char *)data, size, "fuzz.json", &ix, err,
		                           sizeof(err))) {
			assert(strncmp(err, "fuzz.json: ", 11) == 0);
			assert(ix.shards == NULL && ix.n_shards == 0);
		} else {
			assert(ix.n_shards >= 1 && ix.n_shards <= ix.n_tensors);
			for (size_t i = 0; i < ix.n_shards; i++)
				assert(strchr(ix.shards[i], '/') == NULL);
		}
		st_index_free(&ix);
		return 0;
	}
	struct st_info st;
	memset(&st, 0, sizeof(st));
	if (!safetensors_read_mem(data, size, "fuzz.safetensors", &st, err, sizeof(err))) {
		assert(strncmp(err, "fuzz.safetensors: ", 18) == 0);
		assert(strchr(err, '\n') == NULL);
		return 0;
	}
	uint64_t sum = 0, tensors = 0;
	for (int t = 0; t < ST_DTYPE_COUNT; t++) {
		sum += st.dtype_bytes[t];
		tensors += st.dtype_tensors[t];
	}
	assert(sum == st.data_bytes && tensors == st.n_tensors);
	assert(st.n_files == 1 && st.header_bytes <= size);
	assert(st.complete == (st.header_bytes + st.data_bytes <= size));
	return 0;
}
