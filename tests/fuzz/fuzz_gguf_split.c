/*
 * fuzz_gguf_split.c - libFuzzer harness for the GGUF file path with split
 * models.
 *
 * The input's first byte picks the number of parts (1 to 3) and whether
 * one is left out; the rest is cut into that many files by the
 * little-endian 16-bit lengths that open each part, written as
 * m-0000K-of-0000N.gguf, and part 1 is read with gguf_read() (which finds
 * the others by name).  A refused input explains itself naming a part; an
 * accepted one gives a model whose default estimate is checked and run.
 */
#include <assert.h>

#include "estimate.h"
#include "fuzz_common.h"
#include "gguf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned n = data[0] % 3 + 1;
	unsigned skip = (data[0] >> 4) % 4; /* 1..3: that part is missing */
	data++, size--;
	char path[256], name[64], first[256];
	for (unsigned k = 1; k <= 3; k++) {
		snprintf(name, sizeof(name), "m-%05u-of-%05u.gguf", k, n);
		snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
		unlink(path);
	}
	for (unsigned k = 1; k <= n; k++) {
		size_t len = size;
		if (k < n && size >= 2) {
			len = (size_t)data[0] | (size_t)data[1] << 8;
			data += 2, size -= 2;
			if (len > size)
				len = size;
		}
		snprintf(name, sizeof(name), "m-%05u-of-%05u.gguf", k, n);
		if (k != skip)
			fuzz_write(name, data, len, path, sizeof(path));
		if (k == 1)
			snprintf(first, sizeof(first), "%s/%s", fuzz_dir(), name);
		data += len, size -= len;
	}
	struct gguf_info g;
	char err[1024];
	if (!gguf_read(first, &g, err, sizeof(err))) {
		assert(strstr(err, ".gguf") && !strchr(err, '\n'));
		return 0;
	}
	assert(g.n_parts >= 1 && g.n_parts <= 3);
	struct model m;
	if (gguf_model(&g, &m, err, sizeof(err))) {
		if (!model_prepare_from_tensors(&m)) {
			model_release(&m);
			gguf_info_free(&g);
			return 0;
		}
		struct settings s;
		struct estimate e;
		struct estimate_scratch x;
		estimate_settings_default(&s);
		s.file_types = true;
		if (estimate_scratch_init(&x, m.tensors.n)) {
			if (estimate_check(&m, &x, &s, err, sizeof(err)))
				estimate_run(&m, &x, &s, &e);
			s.spec_draft = 3; /* drafting with the file's MTP blocks, if any */
			if (estimate_check(&m, &x, &s, err, sizeof(err)))
				estimate_run(&m, &x, &s, &e);
			estimate_scratch_free(&x);
		}
		model_release(&m);
	}
	gguf_info_free(&g);
	return 0;
}
