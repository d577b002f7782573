/*
 * fuzz_cli.c - libFuzzer harness for the command line and the -g grammar.
 *
 * The input, split at NUL bytes, is an argument vector for cli_parse();
 * the whole input (up to its first NUL) is also parsed as a -g device set
 * on its own.  A refused command line explains itself in one line; an
 * accepted one has settings inside every field's range, and those
 * settings either pass estimate_check() on a small prepared model (then
 * estimate and fit on the parsed device count) or are refused with a
 * reason.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "estimate.h"
#include "fields.h"
#include "hardware.h"
#include "satmath.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct model M;
static struct estimate_scratch X; /* M's estimates' tensor types */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	struct model_arch *a = &M.arch;
	memset(&M, 0, sizeof(M));
	snprintf(a->gguf_arch, sizeof(a->gguf_arch), "qwen3moe");
	a->family = AF_QWEN3;
	a->n_layer = 4, a->n_embd = 256, a->n_vocab = 1000, a->n_ctx_train = 32768;
	a->n_head = 8, a->n_head_kv = 2, a->head_dim_k = a->head_dim_v = 32, a->n_ff = 512;
	a->n_expert = 8, a->n_expert_used = 2, a->n_ff_exp = 128;
	arch_fill_uniform_layers(a);
	char err[256];
	if (!arch_validate(a, err, sizeof(err)) || !model_prepare(&M) ||
	    !estimate_scratch_init(&X, M.tensors.n)) {
		fprintf(stderr, "fuzz_cli: %s\n", err);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *argv[34] = {"vramcalc"};
	int argc = 1;
	for (char *p = buf; argc < 33 && p <= buf + size; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	char err[1024];
	struct cli_options o;
	/* the -g grammar alone */
	options_default(&o);
	const struct field *g = field_find("gpu");
	if (g && field_parse(g, buf, &o, err, sizeof(err))) {
		uint32_t total = 0;
		for (int i = 0; i < o.n_gpu_groups; i++) {
			assert(o.gpu_group_count[i] >= 1 && o.gpu_group_id[i][0]);
			total += o.gpu_group_count[i];
		}
		assert(total <= HW_MAX_DEVICES);
	}

	if (!cli_parse(argc, argv, false, &o, err, sizeof(err))) {
		assert(err[0]); /* (a newline in it is the user's own argument) */
		free(buf);
		return 0;
	}
	const struct settings *s = &o.settings;
	assert(s->ctx_tokens >= 1 && s->ctx_tokens <= SETTINGS_CTX_MAX);
	assert(s->n_seq >= 1 && s->n_seq <= SETTINGS_SEQ_MAX);
	assert(s->n_ubatch >= 1 && s->n_ubatch <= SETTINGS_UBATCH_MAX);
	assert(s->gpu_util >= ESTIMATE_GPU_UTIL_MIN && s->gpu_util <= 1.0);
	struct settings t = *s;
	t.file_types = false;
	if (estimate_check(&M, &X, &t, err, sizeof(err))) {
		struct estimate e;
		estimate_run(&M, &X, &t, &e);
		assert(e.total_bytes <= BYTES_LIMIT);
		struct device d = {.memory_bytes = 24ull << 30, .gpu_share = 1.0};
		uint32_t count = o.n_gpu_groups ? o.gpu_group_count[0] : 1;
		struct hw_fit f;
		hw_fit(&e, &d, count, &f);
		assert(f.fits == (f.headroom_bytes >= 0) || e.gpu_bytes == 0);
	}
	free(buf);
	return 0;
}
