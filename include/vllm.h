/*
 * vllm.h - vLLM's memory accounting, rank by rank.
 *
 * Engine layer: pure arithmetic, no I/O.  estimate_run() calls
 * vllm_estimate() for a vLLM checkpoint format; it fills the per-model
 * terms (struct vllm_terms inside struct estimate).  vllm_rank() then
 * turns them into one GPU's numbers the way vLLM's worker does at start-up
 * (gpu_worker.determine_available_memory):
 *
 *   budget     = torch-visible device memory x gpu_memory_utilization
 *   kv_budget  = budget - weights - activation peak - non-torch memory
 *                (- the CUDA graph estimate from vLLM 0.21 on)
 *
 * and from the KV budget the capacity in tokens and the concurrency at
 * max-model-len tokens per request.  vLLM refuses to start when the KV
 * budget is negative or cannot hold one request of max-model-len tokens.
 *
 * Sources: vllm-project/vllm vllm/v1/worker/gpu_worker.py,
 * gpu_model_runner.py (profile_run, _dummy_sampler_run), kv_cache_utils.py,
 * engine/arg_utils.py (defaults), quantization/mxfp4.py; the constants that
 * are fitted say so and name the logs (tests/data/vllm/cases.csv).
 */
#ifndef VRAMCALC_VLLM_H
#define VRAMCALC_VLLM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "estimate.h"

/* A vLLM release as one number: 0.19.1 -> 1901. */
#define VLLM_VERSION(major, minor, patch)                                                          \
	((uint32_t)(major)*10000u + (uint32_t)(minor)*100u + (uint32_t)(patch))

/* The release vramcalc follows when --vllm-version is not given: the
 * newest one the sources show.  0.28.0 came out on 2026-08-26
 * (coreweave/ml-containers PR #218), 0.29.0 by 2026-09-09 (#225), 0.30.0
 * was "the latest official release" on 2026-09-23 (AMD-AGI/TraceLens
 * issue #1055), and projects pin vllm==0.31.0 with torch 2.13 since.  No
 * accounting change vramcalc models lies between 0.21 and 0.31. */
#define VLLM_VERSION_CURRENT      VLLM_VERSION(0, 31, 0)
#define VLLM_VERSION_CURRENT_TEXT "0.31.0"
/* Oldest and newest releases --vllm-version accepts. */
#define VLLM_VERSION_MIN VLLM_VERSION(0, 5, 0)
#define VLLM_VERSION_MAX VLLM_VERSION(9, 99, 99)
/* The V1 engine (chunked prefill, per-device scheduler defaults). */
#define VLLM_VERSION_V1 VLLM_VERSION(0, 8, 0)
/* CUDA graph memory estimated while profiling and taken out of the KV
 * budget ("CUDA graph memory profiling is enabled (default since v0.21.0)"). */
#define VLLM_VERSION_GRAPHS_IN_BUDGET VLLM_VERSION(0, 21, 0)
/* MXFP4 MoE on Hopper moved from the Marlin kernel to OpenAI's Triton
 * kernels (different weight padding). */
#define VLLM_VERSION_MXFP4_TRITON VLLM_VERSION(0, 11, 0)

/* vLLM's default --gpu-memory-utilization: 0.92 from 0.21.0, which
 * profiles CUDA graph memory into the budget and raised the default to
 * make up for it (vllm-project/vllm PR #38284, "Enable CUDAGraph memory
 * profiling by default"; vllm/config/cache.py CacheConfig
 * gpu_memory_utilization = 0.92), 0.9 before. */
#define VLLM_GPU_UTIL_DEFAULT     0.92
#define VLLM_GPU_UTIL_DEFAULT_OLD 0.90

/* The --gpu-memory-utilization settings s run vLLM with: the one given,
 * else the default of s's release. */
double vllm_gpu_util(const struct settings *s);

/* The dtype vLLM stores model a's KV cache in under s's --kv-cache-dtype
 * ("bf16", "fp8", "f32" or "fp8_ds_mla"): "auto" is the model's dtype
 * (bf16) except where vLLM picks its own format for a sparse-MLA cache
 * (DeepSeek V3.2's auto, and DeepSeek V4's auto and fp8, are fp8_ds_mla).
 * The one rule the byte counts and the settings labels read. */
const char *vllm_kv_dtype(const struct model_arch *a, const struct settings *s);

/* Whether s asks vLLM for --kv-cache-dtype auto (any cache type other
 * than an explicit fp8 or f32). */
bool vllm_kv_is_auto(const struct settings *s);

/* Label of s's vLLM KV setting for model a, written to buf (n bytes):
 * "auto (bf16)", "auto (fp8_ds_mla)", "fp8", "fp8 (fp8_ds_mla)". */
const char *vllm_kv_label(const struct model_arch *a, const struct settings *s, char *buf,
                          size_t n);

/* KV cache block (CacheConfig's default block_size), tokens. */
#define VLLM_BLOCK_TOKENS 16

/* "GPU KV cache size" is max concurrency x max_model_len from 0.20.1
 * (vllm-project/vllm PR #40694, after issue #40691 on 0.19.0; 0.20.1 logs
 * print it, a 0.20.1rc1 build still the old num_blocks / groups x block). */
#define VLLM_VERSION_KV_TOKENS_BY_CONCURRENCY VLLM_VERSION(0, 20, 1)

/* vLLM's automatic prefix caching (--enable-prefix-caching /
 * --no-enable-prefix-caching): the release's default, on or off.  With it
 * a hybrid model's mamba layers run in "align" mode and keep two state
 * pages a request, without it one. */
enum vllm_prefix_caching { VLLM_PREFIX_DEFAULT = 0, VLLM_PREFIX_ON, VLLM_PREFIX_OFF };

/* Hybrid (mamba) models get prefix caching by default, in "align" mode,
 * from this release: vllm-project/vllm PR #50991 ("[Mamba] enable prefix
 * cache by default"), merged 2026-08-04, after 0.26.0 (in use on
 * 2026-08-05, issue #51198) and before 0.28.0 (2026-08-26); before it
 * hybrids kept prefix caching opt-in. */
#define VLLM_VERSION_HYBRID_PREFIX_CACHING VLLM_VERSION(0, 27, 0)

/* Whether s runs vLLM with prefix caching for a hybrid model. */
bool vllm_hybrid_prefix_caching(const struct settings *s);

/* What a layer's cache page holds in vLLM's KV cache manager
 * (vllm_terms.kv_sliding): the spec kinds of kv_cache_interface.py. */
enum vllm_kv_kind {
	VLLM_KV_FULL = 0, /* FullAttentionSpec / MLAAttentionSpec */
	VLLM_KV_SLIDING,  /* SlidingWindowSpec */
	VLLM_KV_CHUNKED,  /* ChunkedLocalAttentionSpec */
	VLLM_KV_STATE,    /* MambaSpec: a recurrent state per request */
};

/* Parse "0.19", "0.19.1" or "v0.19.1" into *out; false when the text is not
 * a release within VLLM_VERSION_MIN..VLLM_VERSION_MAX. */
bool vllm_version_parse(const char *text, uint32_t *out);

/* "0.19.1" (three numbers always) into buf; returns buf. */
const char *vllm_version_format(uint32_t version, char *buf, size_t n);

/* vLLM's scheduler defaults for `vllm serve` (OPENAI_API_SERVER usage
 * context).  large_gpu: at least 70 GiB and not an A100 (vLLM's own test).
 * V1: 8192 batched tokens and 1024 sequences on large GPUs, 2048 and 256
 * on others; V0 (before 0.8): no chunked prefill, so the whole
 * max-model-len (at least 2048) and 256 sequences. */
uint32_t vllm_default_batched_tokens(uint32_t version, bool large_gpu, uint64_t max_model_len);
uint32_t vllm_default_max_num_seqs(uint32_t version, bool large_gpu);

/* Fill e->vllm_terms (and the weights and KV fields of e) for a vLLM
 * checkpoint format.  Called by estimate_run() after the generic weight
 * loop, with the type it gave each tensor (m->tensors.n entries).
 * Allocation-free. */
void vllm_estimate(const struct model *m, const enum qtype *types, const struct settings *s,
                   struct estimate *e);

/* One GPU of a vLLM deployment.  All sizes bytes, per GPU. */
struct vllm_rank {
	uint32_t tp, pp, stage;      /* tensor-parallel size, pipeline size, this GPU's stage */
	uint32_t batched_tokens;     /* max_num_batched_tokens in effect */
	uint32_t max_num_seqs;       /* max_num_seqs in effect */
	uint64_t torch_bytes;        /* device memory as torch reports it */
	uint64_t budget_bytes;       /* torch_bytes x gpu_memory_utilization */
	uint64_t weights_bytes;      /* "Model loading took" */
	uint64_t activation_bytes;   /* torch peak increase of the profiling run */
	uint64_t nontorch_bytes;     /* non-torch increase (NCCL, all-reduce, cuBLAS) */
	uint64_t graphs_bytes;       /* CUDA graph pool */
	bool graphs_in_budget;       /* subtracted from the KV budget (vLLM >= 0.21) */
	int64_t kv_budget_bytes;     /* "Available KV cache memory"; negative: no start */
	uint64_t kv_token_bytes;     /* KV bytes of one token, every attention layer here */
	uint64_t kv_request_bytes;   /* KV one request of max_model_len needs here */
	uint64_t kv_capacity_tokens; /* "GPU KV cache size" */
	uint64_t kv_num_blocks;      /* KV cache blocks of the shared pool */
	uint32_t kv_block_tokens;    /* attention block (raised beside mamba states) */
	double max_concurrency;      /* requests of max_model_len the KV budget holds */
	bool fits;                   /* kv_budget >= kv_request (vLLM starts) */
	uint64_t max_model_len_fit;  /* when it does not fit: the longest request that
	                              * would (vLLM's "estimated maximum model length") */
};

/* The numbers of GPU `rank` (0-based; stage = rank / tp) of a deployment
 * of tp x pp GPUs whose device memory torch reports as torch_bytes;
 * large_gpu as for the defaults.  e must come from a vLLM estimate. */
void vllm_rank(const struct estimate *e, uint64_t torch_bytes, bool large_gpu, uint32_t tp,
               uint32_t pp, uint32_t rank, struct vllm_rank *out);

#endif
