/*
 * fuzz_invariant.c - import, then estimate at random extreme settings.
 *
 * The input's first 24 bytes choose settings (context up to 2^32, up to
 * 4096 sequences, any KV types, ubatch, flash attention, unified KV,
 * SWA-full, every offload mode with its argument, every file type, vLLM's
 * utilization); the rest is a config.json imported with hfjson_load_mem.
 * For an imported model, every estimate must satisfy:
 *   - nothing wraps: with estimate_check passed, every part and total is
 *     at most BYTES_LIMIT; without it, parts saturate and the totals are
 *     still at least each part;
 *   - every part is at most the total;
 *   - GPU + host = total + the tied output copy (token_embd loaded again
 *     on the GPU), and GPU and host memory each split into their parts;
 *   - per-layer GPU bytes sum to the GPU weights and KV;
 *   - a fit on 1..64 devices has a headroom whose sign is the verdict.
 */
#include <assert.h>
#include <string.h>

#include "estimate.h"
#include "hardware.h"
#include "hfjson.h"
#include "satmath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SETTINGS_BYTES 24

static uint64_t take(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void check_one(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                      uint32_t count)
{
	char err[512];
	struct model before = *m;
	bool ok = estimate_check(m, x, s, err, sizeof(err));
	assert(ok || err[0]);
	struct estimate e;
	estimate_run(m, x, s, &e);
	assert(memcmp(&before, m, sizeof(*m)) == 0); /* the engine never writes a model */
	uint64_t parts[] = {e.weights_bytes,      e.kv_bytes,     e.compute_bytes,
	                    e.compute_host_bytes, e.output_bytes, e.overhead_bytes};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		assert(parts[i] <= e.total_bytes);
		if (ok)
			assert(parts[i] <= BYTES_LIMIT);
	}
	assert(e.gpu_bytes >= e.weights_gpu_bytes && e.gpu_bytes >= e.kv_gpu_bytes);
	assert(e.host_bytes >= e.weights_host_bytes && e.host_bytes >= e.kv_host_bytes);
	assert(e.kv_gpu_bytes + e.kv_host_bytes == e.kv_bytes || !ok);
	if (!ok)
		return;
	assert(e.total_bytes <= BYTES_LIMIT && e.gpu_bytes <= BYTES_LIMIT &&
	       e.host_bytes <= BYTES_LIMIT);
	/* the tied copy: weights on the GPU and host beyond the weights */
	uint64_t placed = e.weights_gpu_bytes + e.weights_host_bytes;
	assert(placed >= e.weights_bytes);
	uint64_t copy = placed - e.weights_bytes;
	assert(e.gpu_bytes + e.host_bytes == e.total_bytes + copy);
	assert(e.gpu_bytes ==
	       e.weights_gpu_bytes + e.kv_gpu_bytes + e.compute_bytes + e.overhead_bytes);
	assert(e.host_bytes ==
	       e.weights_host_bytes + e.kv_host_bytes + e.compute_host_bytes + e.output_bytes);
	if (!e.vllm) {
		uint64_t layers = 0;
		for (uint32_t i = 0; i < e.n_layer_slots; i++)
			layers += e.layer_gpu_bytes[i];
		assert(layers == e.weights_gpu_bytes + e.kv_gpu_bytes);
	}
	struct device d = {.memory_bytes = HW_MEMORY_MAX_BYTES >> (count % 24), .gpu_share = 1.0};
	struct hw_fit f;
	hw_fit(&e, &d, count, &f);
	assert(f.fits == (f.headroom_bytes >= 0) || e.gpu_bytes == 0);
	assert(f.need_bytes >= e.gpu_bytes || !f.fits || e.vllm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < SETTINGS_BYTES)
		return 0;
	const uint8_t *p = data;
	struct hfjson_model hf;
	char err[512];
	if (!hfjson_load_mem((const char *)data + SETTINGS_BYTES, size - SETTINGS_BYTES,
	                     "fuzz.json", &hf, NULL, err, sizeof(err)))
		return 0;
	struct model m;
	memset(&m, 0, sizeof(m));
	m.arch = hf.arch;
	if (!model_prepare(&m))
		return 0;
	struct estimate_scratch x;
	if (!estimate_scratch_init(&x, m.tensors.n)) {
		model_release(&m);
		return 0;
	}
	struct settings s;
	estimate_settings_default(&s);
	s.ctx_tokens = take(p, 4) % SETTINGS_CTX_MAX + 1;
	if (p[4] & 1)
		s.ctx_tokens = SETTINGS_CTX_MAX;
	s.n_seq = (uint32_t)(take(p + 5, 2) % SETTINGS_SEQ_MAX) + 1;
	s.kv_k = (enum kvtype)(p[7] % KV_COUNT);
	s.kv_v = (p[8] & 1) ? s.kv_k : (enum kvtype)(p[8] / 2 % KV_COUNT);
	s.n_ubatch = (uint32_t)(take(p + 9, 3) % SETTINGS_UBATCH_MAX) + 1;
	s.flash_attn = p[12] & 1;
	s.kv_unified = p[12] & 2;
	s.swa_full = p[12] & 4;
	s.offload = (enum offload_mode)(p[13] % OFFLOAD_COUNT);
	s.offload_layers = (uint32_t)(take(p + 14, 2) % (m.arch.n_layer + 2));
	s.expert_gpu_share = p[16] / 255.0;
	s.ftype = (enum ftype)(p[17] % FT_COUNT);
	s.gpu_util = ESTIMATE_GPU_UTIL_MIN + (1.0 - ESTIMATE_GPU_UTIL_MIN) * p[18] / 255.0;
	s.gpu_util_given = true;
	uint32_t count = p[19] % HW_MAX_DEVICES + 1;
	check_one(&m, &x, &s, count);
	/* the same model at the extremes */
	s.ctx_tokens = SETTINGS_CTX_MAX;
	s.n_seq = SETTINGS_SEQ_MAX;
	s.n_ubatch = SETTINGS_UBATCH_MAX;
	check_one(&m, &x, &s, HW_MAX_DEVICES);
	s.kv_k = s.kv_v = KV_F32;
	s.offload = OFFLOAD_GPU;
	check_one(&m, &x, &s, 1);
	estimate_scratch_free(&x);
	model_release(&m);
	return 0;
}
