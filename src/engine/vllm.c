/*
 * vllm.c - vLLM's memory accounting: checkpoint footprint as vLLM loads it,
 * the profiling run's activation peak, non-torch and CUDA graph memory,
 * and the KV budget, capacity and concurrency of each GPU.
 *
 * What is vLLM's own rule and what is fitted:
 *  - budget = torch-visible memory x gpu_memory_utilization; KV budget =
 *    budget - weights - torch peak increase - non-torch increase, minus the
 *    CUDA graph estimate from 0.21 (gpu_worker.py); capacity = whole
 *    16-token blocks of every attention layer's page; vLLM starts only
 *    when the budget holds one request of max_model_len (kv_cache_utils.py
 *    check_enough_kv_cache_memory).  Rules.
 *  - weights: the checkpoint's tensors split by TP except vectors, routers
 *    and MLA down-projections; pipeline stages take contiguous layers the
 *    way get_pp_indices() does; RoPE keeps a bf16 cos/sin cache of
 *    max_position_embeddings x rotary width on every rank; MXFP4 experts
 *    are padded for their kernel (mxfp4.py).  Rules.
 *  - activation: the peak of profile_run is the larger of the forward pass
 *    (MLP intermediates of max_num_batched_tokens, split by TP) and the
 *    sampler warm-up (logits of min(max_num_seqs, batched tokens) rows in
 *    bf16 + f32 logits, probabilities and log-probabilities = 14 bytes per
 *    vocabulary entry, not split by TP), plus the hidden states and the
 *    fused-MoE workspace that live through both.  The shape is vLLM's; the
 *    constant VLLM_ACT_BASE_BYTES and the 3 bytes per hidden unit of
 *    hidden states are fitted on the 0.19 logs of tests/data/vllm.
 *  - non-torch and CUDA graph memory: fitted on the same logs (0.25 GiB
 *    on one GPU, 2.1 GiB with tensor parallelism; graphs 0.25 GiB + 20 MiB
 *    per layer).
 */
#include "vllm.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tensors.h"

#define GIB (1ull << 30)
#define MIB (1ull << 20)

/* Fitted constants (see the file comment). */
#define VLLM_ACT_BASE_BYTES     (92ull * MIB) /* buffers alive through profile_run */
#define VLLM_ACT_HIDDEN_BYTES   3ull          /* per batched token and hidden unit */
#define VLLM_SAMPLER_ELEM_BYTES 14ull         /* bf16 + 3 x f32 per logit */
#define VLLM_NONTORCH_ONE_BYTES (256ull * MIB)
#define VLLM_NONTORCH_TP_BYTES  (2150ull * MIB) /* NCCL + custom all-reduce */
#define VLLM_GRAPHS_BASE_BYTES  (256ull * MIB)
#define VLLM_GRAPHS_LAYER_BYTES (20ull * MIB)

/* vLLM's rules for the cache kinds beside plain KV (sources at each use). */
#define VLLM_DS_MLA_TOKEN_BYTES 656u /* fp8_ds_mla: one sparse-MLA latent */
#define VLLM_DSA_QUANT_BLOCK    128u /* indexer keys per f32 scale */
#define VLLM_SPARSE_MLA_BLOCK   64u  /* FlashMLA sparse kernel block */
#define VLLM_MSA_BLOCK          128u /* MiniMax M3 sparse attention pages */
#define VLLM_HYBRID_ALIGN       16u  /* attention block multiple beside mamba */
/* DeepSeek V4 (vllm/models/deepseek_v4/: attention, compressor.py,
 * sparse_swa.py): 256-token blocks of compressed entries, a 64-token block
 * for the window cache, 4- and 8-token blocks for the f32 compressor
 * states of the CSA (ratio 4, window 8) and HCA (ratio 128, window 128)
 * layers. */
#define VLLM_V4_MLA_BLOCK  256u
#define VLLM_V4_SWA_BLOCK  64u
#define VLLM_V4_C4_BLOCK   4u
#define VLLM_V4_C128_BLOCK 8u
#define VLLM_V4_FP8_ENTRY  584u
#define VLLM_V4_BF16_ENTRY 1024u
#define VLLM_V4_PAGE_ALIGN 576u

bool vllm_version_parse(const char *text, uint32_t *out)
{
	unsigned long part[3] = {0, 0, 0};
	const char *p = text;
	if (*p == 'v' || *p == 'V')
		p++;
	int n = 0;
	while (n < 3) {
		char *end;
		if (*p < '0' || *p > '9')
			return false;
		part[n++] = strtoul(p, &end, 10);
		p = end;
		if (*p != '.')
			break;
		p++;
	}
	if (*p || n < 2 || part[1] > 99 || part[2] > 99 || part[0] > 9)
		return false;
	uint32_t v = VLLM_VERSION(part[0], part[1], part[2]);
	if (v < VLLM_VERSION_MIN || v > VLLM_VERSION_MAX)
		return false;
	*out = v;
	return true;
}

const char *vllm_version_format(uint32_t version, char *buf, size_t n)
{
	snprintf(buf, n, "%u.%u.%u", version / 10000u, version / 100u % 100u, version % 100u);
	return buf;
}

uint32_t vllm_default_batched_tokens(uint32_t version, bool large_gpu, uint64_t max_model_len)
{
	if (version < VLLM_VERSION_V1) {
		uint64_t t = max_model_len > 2048 ? max_model_len : 2048;
		return t > UINT32_MAX ? UINT32_MAX : (uint32_t)t;
	}
	return large_gpu ? 8192 : 2048;
}

uint32_t vllm_default_max_num_seqs(uint32_t version, bool large_gpu)
{
	if (version < VLLM_VERSION_V1)
		return 256;
	return large_gpu ? 1024 : 256;
}

static uint64_t round_up(uint64_t x, uint64_t m)
{
	return (x + m - 1) / m * m;
}

/* Is tensor t held whole by every tensor-parallel rank?  Vectors (norms,
 * biases), MoE routers and MLA's latent down-projections. */
static bool replicated(const struct tensor_info *t)
{
	return t->n_dims == 1 || strstr(t->name, "ffn_gate_inp") ||
	       strstr(t->name, "attn_kv_a_mqa") || strstr(t->name, "attn_q_a.") ||
	       strstr(t->name, "_norm");
}

/* Extra bytes vLLM's MXFP4 MoE kernels pad a routed-expert tensor to.
 * Before 0.11 (Marlin on Hopper) the hidden width is rounded up to 256
 * and the expert width to 128; from 0.11 (OpenAI's Triton kernels) the
 * reduction dimension (ne[0]) to 256. */
static uint64_t mxfp4_pad_bytes(const struct model_arch *a, const struct tensor_info *t,
                                enum qtype ty, uint32_t version, uint64_t bytes)
{
	if (ty != QT_V_MXFP4 || !t->routed_expert || t->n_dims < 2)
		return 0;
	uint64_t ne0 = t->ne[0], ne1 = t->ne[1];
	uint64_t p0, p1;
	(void)a;
	if (version < VLLM_VERSION_MXFP4_TRITON) {
		/* gate/up: ne0 hidden, ne1 expert width; down: the other way */
		bool down = t->cat == TC_FFN_DOWN;
		p0 = round_up(ne0, down ? 128 : 256);
		p1 = round_up(ne1, down ? 256 : 128);
	} else {
		p0 = round_up(ne0, 256);
		p1 = ne1;
	}
	if (p0 == ne0 && p1 == ne1)
		return 0;
	double grow = (double)(p0 * p1) / (double)(ne0 * ne1);
	return (uint64_t)((double)bytes * (grow - 1.0) + 0.5);
}

bool vllm_kv_is_auto(const struct settings *s)
{
	return s->kv_k != KV_FP8 && s->kv_k != KV_F32;
}

const char *vllm_kv_dtype(const struct model_arch *a, const struct settings *s)
{
	bool fp8 = s->kv_k == KV_FP8, f32 = s->kv_k == KV_F32;
	if (a->family == AF_DEEPSEEK4)
		/* FlashMLA: auto and fp8 become fp8_ds_mla (PR #45091) */
		return s->kv_k == KV_BF16 || f32 ? "bf16" : "fp8_ds_mla";
	if (a->family == AF_DEEPSEEK32 && arch_is_mla(a)) {
		/* Sparse MLA: fp8 is fp8_ds_mla; DeepSeek V3.2 also turns
		 * "auto" into it, GLM-5's "auto" stays bf16 (see below) */
		bool glm = !strcmp(a->gguf_arch, "glm-dsa");
		if (fp8 || (!glm && s->kv_k != KV_BF16 && !f32))
			return "fp8_ds_mla";
	}
	return fp8 ? "fp8" : f32 ? "f32" : "bf16";
}

const char *vllm_kv_label(const struct model_arch *a, const struct settings *s, char *buf, size_t n)
{
	const char *dt = vllm_kv_dtype(a, s);
	const char *asked = kvtype_get(s->kv_k)->name;
	if (vllm_kv_is_auto(s))
		snprintf(buf, n, "auto (%s)", dt);
	else if (strcmp(dt, asked))
		snprintf(buf, n, "%s (%s)", asked, dt);
	else
		snprintf(buf, n, "%s", dt);
	return buf;
}

/* KV bytes per token and head of attention layer il under the settings'
 * cache type (vLLM's "auto" is the model dtype, bf16). */
static uint32_t kv_head_token_bytes(const struct model_arch *a, const struct settings *s,
                                    uint32_t il, uint16_t *heads)
{
	enum kvtype k = s->kv_k == KV_FP8 || s->kv_k == KV_F32 ? s->kv_k : KV_BF16;
	if (arch_is_mla(a)) {
		/* one latent (kv_lora_rank + rope) per token, replicated over ranks */
		*heads = 1;
		/* Sparse MLA (DeepSeek V3.2, GLM-5): fp8 is fp8_ds_mla, 512 fp8
		 * latent + 4 f32 scales + 64 bf16 rope = 656 bytes
		 * (kv_cache_interface.py MLAAttentionSpec).  DeepSeek V3.2 also
		 * turns "auto" into it (vllm/model_executor/models/config.py
		 * DeepseekV32ForCausalLM, PR #25988); GLM-5's "auto" stays bf16
		 * (PR #53138, 2026-08, proposes fp8 for its quantized checkpoints:
		 * open). */
		if (a->family == AF_DEEPSEEK32 && !strcmp(vllm_kv_dtype(a, s), "fp8_ds_mla"))
			return VLLM_DS_MLA_TOKEN_BYTES;
		return (uint32_t)kvtype_row_bytes(k, (uint64_t)a->kv_lora_rank + a->qk_rope_dim);
	}
	uint32_t hkv = a->layer_head_kv[il];
	*heads = (uint16_t)hkv;
	if (!hkv)
		return 0;
	return (uint32_t)(kvtype_row_bytes(k, arch_layer_head_dim_k(a, il)) +
	                  kvtype_row_bytes(k, arch_layer_head_dim_v(a, il)));
}

/* Bytes per token of the index cache beside layer il's KV, every rank
 * holding it whole.  DSA (DeepSeek V3.2, GLM-5): DeepseekV32IndexerCache
 * is an MLAAttentionSpec of one uint8 head of index_head_dim fp8 values
 * plus one f32 scale per 128 (132 bytes for 128), whatever the KV cache
 * type (vllm/model_executor/models/deepseek_v2.py).  MiniMax M3 (MSA): one
 * index key of idx_head_dim per token on the sparse layers, written in bf16
 * beside the KV (MiniMaxM3SparseAttention; no index value). */
static uint32_t idx_token_bytes(const struct model_arch *a, uint32_t il)
{
	if (!a->idx_head_dim || !a->layer_idx[il])
		return 0;
	if (a->msa_block)
		return 2u * a->idx_head_dim;
	return a->idx_head_dim + a->idx_head_dim / VLLM_DSA_QUANT_BLOCK * 4u;
}

/* The bytes of one recurrent layer's state per sequence at tensor-parallel
 * size 1, as vLLM keeps it (MambaStateShapeCalculator and
 * MambaStateDtypeCalculator, vllm/model_executor/layers/mamba/mamba_utils.py):
 * the same element counts as llama.cpp's, the convolution state in the
 * model dtype (bf16) and the SSM / delta-rule state in the model dtype
 * too, except where the model asks for f32: KDA's recurrent state
 * (kda_state_dtype), Qwen3.5's gated DeltaNet state and Nemotron-H's SSM
 * state (their configs' mamba_ssm_dtype float32).  Checked against real
 * logs: Qwen3.6-35B-A3B's 2,096-token attention block at fp8 KV equals its
 * f32-state page exactly; Qwen3-Next-80B's 544 at TP 2 its bf16-state page. */
static uint64_t state_bytes(const struct model_arch *a)
{
	uint64_t r, st;
	arch_rs_elems(a, &r, &st);
	bool f32 = a->rec_kind == RK_KDA || a->family == AF_QWEN35 || a->family == AF_NEMOTRON_H;
	return r * 2 + st * (f32 ? 4 : 2);
}

/* Bytes MTP speculative decoding adds to one layer's recurrent state with
 * spec draft tokens: a gated DeltaNet keeps spec more rows of its
 * convolution history (bf16), kernel - 1 + spec in all
 * (MambaStateShapeCalculator.gated_delta_net_state_shape, num_spec). */
static uint64_t state_spec_bytes(const struct model_arch *a, uint32_t spec)
{
	uint64_t r, st;
	arch_rs_elems(a, &r, &st);
	uint64_t rows = a->ssm_d_conv ? a->ssm_d_conv - 1 : 0;
	if (a->rec_kind != RK_GATED_DELTANET || !rows)
		return 0;
	return (uint64_t)spec * (r / rows) * 2;
}

/* Tokens of KV a sliding layer keeps for one request: the window - 1 plus
 * the batched tokens, never more than the request, in blocks, plus one
 * block (SlidingWindowSpec.max_memory_usage_bytes). */
static uint64_t sliding_tokens(uint32_t window, uint32_t batched, uint64_t request, uint64_t blk)
{
	uint64_t t = (uint64_t)window + batched - 1;
	if (t > request)
		t = request;
	return (t + blk - 1) / blk * blk + blk;
}

static void v4_layout(const struct vllm_terms *t, uint32_t l0, uint32_t nl, uint32_t batched,
                      uint64_t mml, int64_t kv, struct vllm_rank *out, uint64_t parts[3]);

bool vllm_hybrid_prefix_caching(const struct settings *s)
{
	if (s->prefix_caching != VLLM_PREFIX_DEFAULT)
		return s->prefix_caching == VLLM_PREFIX_ON;
	uint32_t v = s->vllm_version ? s->vllm_version : VLLM_VERSION_CURRENT;
	return v >= VLLM_VERSION_HYBRID_PREFIX_CACHING;
}

double vllm_gpu_util(const struct settings *s)
{
	if (s->gpu_util_given && s->gpu_util > 0 && s->gpu_util <= 1)
		return s->gpu_util;
	uint32_t v = s->vllm_version ? s->vllm_version : VLLM_VERSION_CURRENT;
	return v >= VLLM_VERSION_GRAPHS_IN_BUDGET ? VLLM_GPU_UTIL_DEFAULT
	                                          : VLLM_GPU_UTIL_DEFAULT_OLD;
}

/* The MTP layers' attention cache with speculative decoding on
 * (t->n_mtp_kv layers after the model's, indices n_layer on): vLLM gives
 * each draft layer a full-attention spec of the target's shape (Qwen3.5,
 * GLM-4.5 and DeepSeek's MTP blocks are full-attention decoder layers), so
 * they copy the last full-attention layer's page; a model with none gets
 * no draft cache. */
static void vllm_mtp_kv(const struct model_arch *a, struct vllm_terms *t, uint64_t request,
                        struct estimate *e)
{
	uint32_t src = a->n_layer;
	for (uint32_t il = 0; il < a->n_layer; il++)
		if (t->kv_heads[il] && t->kv_sliding[il] == VLLM_KV_FULL)
			src = il;
	if (src == a->n_layer) {
		t->n_mtp_kv = 0;
		return;
	}
	uint64_t row = (uint64_t)t->kv_head_token_bytes[src] * t->kv_heads[src];
	uint64_t k_part = arch_is_mla(a) ? row : row / 2;
	for (uint32_t k = 0; k < t->n_mtp_kv; k++) {
		uint32_t il = a->n_layer + k;
		t->kv_head_token_bytes[il] = t->kv_head_token_bytes[src];
		t->kv_heads[il] = t->kv_heads[src];
		t->kv_sliding[il] = VLLM_KV_FULL;
		t->kv_idx_token_bytes[il] = t->kv_idx_token_bytes[src];
		t->state_seq_bytes[il] = 0;
		uint64_t idx = (uint64_t)t->kv_idx_token_bytes[src] * request;
		e->layer_kv_bytes[il] = row * request + idx;
		e->kv_layers++;
		e->k_bytes += k_part * request;
		e->v_bytes += (row - k_part) * request;
		e->idx_bytes += idx;
	}
}

void vllm_estimate(const struct model *m, const enum qtype *types, const struct settings *s,
                   struct estimate *e)
{
	const struct model_arch *a = &m->arch;
	const struct tensor_list *l = &m->tensors;
	struct vllm_terms *t = &e->vllm_terms;
	memset(t, 0, sizeof(*t));
	t->version = s->vllm_version ? s->vllm_version : VLLM_VERSION_CURRENT;
	t->max_model_len = s->ctx_tokens;
	t->max_num_seqs = s->n_seq;
	t->batched_tokens = s->batched_tokens;
	t->pp_size = s->pp_size ? s->pp_size : 1;
	t->n_layer = a->n_layer;
	t->n_swa = a->n_swa;

	/* Weights as vLLM loads them. */
	bool tied = true;
	uint64_t pad_total = 0;
	e->tp_replicated_bytes = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct tensor_info *ti = &l->v[i];
		uint64_t b = tensor_bytes(ti, types[i]);
		uint64_t pad = mxfp4_pad_bytes(a, ti, types[i], t->version, b);
		pad_total += pad;
		b += pad;
		if (ti->cat == TC_OUTPUT)
			tied = false;
		if (ti->layer == TENSOR_LAYER_INPUT) {
			t->embed_bytes += b;
		} else if (ti->layer == TENSOR_LAYER_OUTPUT || ti->layer < 0) {
			t->head_bytes += b;
		} else if ((uint32_t)ti->layer < a->n_layer) {
			if (replicated(ti)) {
				t->layer_repl_bytes[ti->layer] += b;
				e->tp_replicated_bytes += b;
			} else {
				t->layer_split_bytes[ti->layer] += b;
			}
		}
	}
	(void)tied;
	t->pad_bytes = pad_total;
	t->vision_bytes = s->text_only ? 0 : a->vision_params * 2; /* bf16 */
	uint64_t rot = arch_is_mla(a) ? a->qk_rope_dim : a->head_dim_k;
	/* Gemma 3's local and global layers use different bases: two caches */
	uint64_t caches = a->family == AF_GEMMA3 ? 2 : 1;
	t->rope_bytes = caches * a->n_ctx_train * rot * 2;
	e->weights_bytes += pad_total + t->vision_bytes + t->rope_bytes;
	e->weights_gpu_bytes = e->weights_bytes;
	e->weights_host_bytes = 0;
	e->weights_bpw =
	    m->params_total ? 8.0 * (double)e->weights_bytes / (double)m->params_total : 0.0;

	/* KV layout, and one request's KV (the estimate's KV cache). */
	t->kv_block_tokens = VLLM_BLOCK_TOKENS;
	if (a->family == AF_DEEPSEEK32)
		t->kv_block_tokens = VLLM_SPARSE_MLA_BLOCK;
	else if (a->msa_block)
		t->kv_block_tokens = VLLM_MSA_BLOCK;
	/* with prefix caching mamba layers run in "align" mode: two state pages
	 * a request, else one (MambaSpec.max_memory_usage_bytes) */
	t->state_align = vllm_hybrid_prefix_caching(s);
	/* the attention backend's kernel block: 16 (FlashAttention, FlashInfer),
	 * 64 for MLA (FlashMLA) (platforms/interface.py _align_hybrid_block_size) */
	t->kv_hybrid_align = arch_is_mla(a) ? VLLM_SPARSE_MLA_BLOCK : VLLM_HYBRID_ALIGN;
	if (a->rec_kind == RK_MAMBA2 && a->ssm_n_group) {
		t->state_groups = a->ssm_n_group;
		t->state_group_bytes =
		    2ull * a->ssm_d_state * (a->ssm_d_conv ? a->ssm_d_conv - 1 : 0) * 2;
	} else {
		t->state_groups = 0;
		t->state_group_bytes = 0;
	}
	t->kv_memory_bytes = s->kv_cache_memory;
	t->v4 = a->family == AF_DEEPSEEK4;
	if (t->v4) {
		/* FlashMLA: "auto" and fp8 become fp8_ds_mla (PR #45091): 448 fp8
		 * + 64 bf16 RoPE values + 8 scale bytes = 584 an entry, pages
		 * aligned to 576 bytes; bf16 stores 1024 with no alignment */
		bool bf16 = strcmp(vllm_kv_dtype(a, s), "fp8_ds_mla") != 0;
		t->v4_entry_bytes = bf16 ? VLLM_V4_BF16_ENTRY : VLLM_V4_FP8_ENTRY;
		t->v4_align = bf16 ? 1 : VLLM_V4_PAGE_ALIGN;
		t->v4_head_dim = a->head_dim_k;
		t->v4_idx_dim = a->idx_head_dim;
		t->kv_block_tokens = VLLM_V4_MLA_BLOCK;
		for (uint32_t il = 0; il < a->n_layer; il++)
			t->kv_compress[il] = a->layer_compress[il];
	}
	uint64_t blk = t->kv_block_tokens;
	uint64_t request = round_up(s->ctx_tokens, blk);
	uint32_t batched = s->batched_tokens
	                       ? s->batched_tokens
	                       : vllm_default_batched_tokens(t->version, true, s->ctx_tokens);
	uint64_t local = sliding_tokens(a->n_swa, batched, s->ctx_tokens, blk);
	uint64_t r_elems, s_elems;
	arch_rs_elems(a, &r_elems, &s_elems);
	/* MTP speculative decoding: longer convolution histories, and the MTP
	 * layers' attention cache (below) */
	t->spec_tokens = s->spec_tokens;
	t->n_mtp_kv = s->spec_tokens ? a->n_mtp : 0;
	uint64_t spec_conv = state_spec_bytes(a, s->spec_tokens);
	uint64_t state = state_bytes(a) + spec_conv;
	e->n_ctx = request;
	e->n_ctx_seq = request;
	e->n_stream = 1;
	e->k_bytes = e->v_bytes = e->swa_k_bytes = e->swa_v_bytes = 0;
	e->r_bytes = e->s_bytes = 0;
	e->idx_bytes = 0;
	e->idx_layers = 0;
	e->idx_cells = 0;
	e->kv_layers = e->kv_layers_swa = e->rs_layers = 0;
	e->kv_cells_swa = 0;
	for (uint32_t il = 0; il < a->n_layer; il++) {
		e->layer_kv_bytes[il] = 0;
		t->kv_idx_token_bytes[il] = 0;
		if (arch_layer_has_state(a, il)) {
			t->state_seq_bytes[il] = state;
			e->rs_layers++;
			e->r_bytes += r_elems * 2 + spec_conv;
			e->s_bytes += state - r_elems * 2 - spec_conv;
			e->layer_kv_bytes[il] = state;
			if (a->layer_kind[il] == LK_RECURRENT)
				continue;
		}
		if (!arch_layer_has_kv(a, il))
			continue;
		uint16_t heads;
		uint32_t per_head = kv_head_token_bytes(a, s, il, &heads);
		t->kv_head_token_bytes[il] = per_head;
		t->kv_heads[il] = heads;
		uint8_t kind = a->layer_kind[il] == LK_ATTN_SWA       ? VLLM_KV_SLIDING
		               : a->layer_kind[il] == LK_ATTN_CHUNKED ? VLLM_KV_CHUNKED
		                                                      : VLLM_KV_FULL;
		t->kv_sliding[il] = kind;
		uint64_t tokens = kind == VLLM_KV_SLIDING ? local
		                  : kind == VLLM_KV_CHUNKED
		                      ? round_up(s->ctx_tokens < (uint64_t)a->n_swa + batched
		                                     ? s->ctx_tokens
		                                     : (uint64_t)a->n_swa + batched,
		                                 blk)
		                      : request;
		uint64_t row = (uint64_t)per_head * heads;
		/* K and V halves as the report lists them (MLA: one latent, K) */
		uint64_t k_part = arch_is_mla(a) ? row : row / 2;
		if (kind != VLLM_KV_FULL) {
			e->kv_layers_swa++;
			e->kv_cells_swa = tokens;
			e->swa_k_bytes += k_part * tokens;
			e->swa_v_bytes += (row - k_part) * tokens;
		} else {
			e->kv_layers++;
			e->k_bytes += k_part * tokens;
			e->v_bytes += (row - k_part) * tokens;
		}
		uint32_t idx = idx_token_bytes(a, il);
		t->kv_idx_token_bytes[il] = (uint16_t)idx;
		if (idx) {
			e->idx_layers++;
			e->idx_cells = request;
			e->idx_bytes += (uint64_t)idx * request;
		}
		e->layer_kv_bytes[il] += row * tokens + (uint64_t)idx * request;
	}
	vllm_mtp_kv(a, t, request, e);
	if (t->v4) {
		/* one request as vLLM sizes it: latents and indexer keys, window
		 * pages and compressor states, each in the packed layout's pages */
		struct vllm_rank r;
		uint64_t parts[3];
		memset(&r, 0, sizeof(r));
		v4_layout(t, 0, a->n_layer, batched, s->ctx_tokens, 0, &r, parts);
		e->k_bytes = e->v_bytes = e->swa_v_bytes = e->idx_bytes = 0;
		e->idx_layers = e->kv_layers = 0;
		e->comp_bytes = parts[0];
		e->swa_k_bytes = parts[1];
		e->comp_state_bytes = parts[2];
		e->comp_layers_csa = e->comp_layers_hca = 0;
		for (uint32_t il = 0; il < a->n_layer; il++) {
			e->comp_layers_csa += a->layer_compress[il] == 4;
			e->comp_layers_hca += a->layer_compress[il] == 128;
		}
		e->comp_cells_csa = request / 4;
		e->comp_cells_hca = request / 128;
		e->kv_layers_swa = a->n_layer;
		e->kv_cells_swa = local;
	}
	e->kv_bytes = e->k_bytes + e->v_bytes + e->swa_k_bytes + e->swa_v_bytes + e->r_bytes +
	              e->s_bytes + e->idx_bytes;
	if (t->v4)
		e->kv_bytes += e->comp_bytes + e->comp_state_bytes;
	e->kv_gpu_bytes = e->kv_bytes;
	e->kv_host_bytes = 0;
	e->kv_heads = arch_is_mla(a) ? 0 : a->n_head_kv;

	/* Activation terms of the profiling run. */
	uint64_t ff = a->n_ff;
	if (a->n_ff_shexp > ff)
		ff = a->n_ff_shexp;
	t->fwd_split_token_bytes = 6ull * ff; /* gate+up and activation, bf16 */
	t->fwd_fixed_token_bytes = VLLM_ACT_HIDDEN_BYTES * a->n_embd;
	if (a->n_expert) {
		uint64_t k = a->n_expert_used;
		t->moe_split_token_bytes = k * 6ull * a->n_ff_exp;
		t->moe_fixed_token_bytes = k * 2ull * a->n_embd;
	}
	t->sampler_row_bytes = VLLM_SAMPLER_ELEM_BYTES * a->n_vocab;

	/* The estimate's buffers: one GPU with the default scheduler limits. */
	struct vllm_rank r;
	vllm_rank(e, 0, true, 1, 1, 0, &r);
	e->compute_bytes = r.activation_bytes;
	e->compute_split_bytes = r.activation_bytes;
	e->compute_host_bytes = 0;
	e->output_bytes = 0;
	e->overhead_bytes = r.nontorch_bytes + (r.graphs_in_budget ? r.graphs_bytes : 0);
}

/* One kind of KV cache page on a rank: the layers whose specs vLLM
 * would merge (same kind, bytes a token and window). */
struct page_kind {
	uint8_t kind;         /* VLLM_KV_FULL, _SLIDING, _CHUNKED or _STATE */
	uint64_t token_bytes; /* attention: bytes a token; state: the state */
	uint32_t layers;
	uint64_t block; /* tokens a block */
	uint64_t page;  /* bytes a block */
};

#define VLLM_MAX_PAGE_KINDS 8

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/* Blocks one request of max_model_len tokens takes of kind k
 * (the spec's max_memory_usage_bytes over its page). */
static uint64_t kind_blocks(const struct vllm_terms *t, const struct page_kind *k, uint32_t batched,
                            uint64_t mml)
{
	switch (k->kind) {
	case VLLM_KV_STATE:
		/* MambaSpec.max_memory_usage_bytes: one page ("align": two) plus
		 * one a draft token (num_speculative_blocks) */
		return (t->state_align ? 2 : 1) + t->spec_tokens;
	case VLLM_KV_SLIDING: {
		uint64_t n = (uint64_t)t->n_swa + batched - 1;
		return cdiv(n < mml ? n : mml, k->block) + 1;
	}
	case VLLM_KV_CHUNKED: {
		uint64_t n = (uint64_t)t->n_swa + batched;
		return cdiv(n < mml ? n : mml, k->block);
	}
	default:
		return cdiv(mml, k->block);
	}
}

/* x rounded up to a multiple of m. */
static uint64_t align_up(uint64_t x, uint64_t m)
{
	return m > 1 ? (x + m - 1) / m * m : x;
}

/* The d in [lo, max(v)] that pads the counts v up to multiples of d the
 * least, the larger on a tie (kv_cache_utils.py _approximate_gcd). */
static uint64_t approx_gcd(const uint64_t *v, int n, uint64_t lo)
{
	uint64_t hi = lo, best = lo, best_pad = UINT64_MAX;
	for (int i = 0; i < n; i++)
		if (v[i] > hi)
			hi = v[i];
	for (uint64_t d = lo ? lo : 1; d <= hi; d++) {
		uint64_t pad = 0;
		for (int i = 0; i < n; i++)
			pad += v[i] % d ? d - v[i] % d : 0;
		if (pad <= best_pad) {
			best_pad = pad;
			best = d;
		}
	}
	return best;
}

/* The smallest of the pages mla[3] (0: none) that holds x bytes, else x. */
static uint64_t pad_to_page(const uint64_t mla[3], uint64_t x)
{
	uint64_t best = 0;
	for (int i = 0; i < 3; i++)
		if (mla[i] >= x && (!best || mla[i] < best))
			best = mla[i];
	return best ? best : x;
}

/* DeepSeek V4's cache as vLLM packs it (kv_cache_utils.py
 * group_and_unify_kv_cache_specs, _get_kv_cache_groups_uniform_groups,
 * _get_kv_cache_config_packed, _max_memory_usage_bytes_from_groups).
 * Pages (bytes of one block): a CSA layer's compressed latents (256 / 4
 * entries) and indexer keys (64 x 132), an HCA layer's latents (256 / 128
 * entries), every layer's window cache (64 tokens), and the f32
 * compressor states (CSA: 4 tokens of 2 x 2 x 512, and of 2 x 2 x 128 for
 * the indexer's; HCA: 8 tokens of 2 x 512), each rounded up to 576 bytes;
 * the window and state pages are padded to the smallest latent or indexer
 * page that holds them.  Groups: all latent and indexer layers; the window
 * layers, the CSA states and the HCA states, each split into groups of
 * "layer tuples" (their count padded to a common divisor).  One block id
 * indexes a page of every slot, so num_blocks = kv / the bytes of all
 * slots; a request takes each group's blocks: cdiv(len, 256) latent, and
 * the window ones cdiv(min(window - 1 + batched, len), block) + 1.  out
 * gets the blocks, the per-request need, and parts[] the need of the
 * latent, window and state groups. */
static void v4_layout(const struct vllm_terms *t, uint32_t l0, uint32_t nl, uint32_t batched,
                      uint64_t mml, int64_t kv, struct vllm_rank *out, uint64_t parts[3])
{
	uint64_t al = t->v4_align, e = t->v4_entry_bytes;
	uint64_t n4 = 0, n128 = 0;
	for (uint32_t il = l0; il < l0 + nl; il++) {
		n4 += t->kv_compress[il] == 4;
		n128 += t->kv_compress[il] == 128;
	}
	uint64_t blk = VLLM_V4_MLA_BLOCK;
	uint64_t p_c4 = align_up(blk / 4 * e, al);
	uint64_t p_idx =
	    align_up(blk / 4 * (t->v4_idx_dim + t->v4_idx_dim / VLLM_DSA_QUANT_BLOCK * 4), al);
	uint64_t p_c128 = align_up(blk / 128 * e, al);
	uint64_t p_swa = align_up(VLLM_V4_SWA_BLOCK * e, al);
	uint64_t p_s4 = align_up(VLLM_V4_C4_BLOCK * 2 * 2 * t->v4_head_dim * 4, al);
	uint64_t p_s4i = align_up(VLLM_V4_C4_BLOCK * 2 * 2 * t->v4_idx_dim * 4, al);
	uint64_t p_s128 = align_up(VLLM_V4_C128_BLOCK * 2 * t->v4_head_dim * 4, al);
	/* the latent group's page sizes, largest first; others pad up to one */
	uint64_t mla[3] = {n4 ? p_c4 : 0, n4 ? p_idx : 0, n128 ? p_c128 : 0};
	uint64_t q_swa = pad_to_page(mla, p_swa), q_s4 = pad_to_page(mla, p_s4),
	         q_s4i = pad_to_page(mla, p_s4i), q_s128 = pad_to_page(mla, p_s128);
	uint64_t tuples_mla = n4 > n128 ? n4 : n128;
	uint64_t counts[4] = {tuples_mla, nl, n4, n128};
	uint64_t tup = approx_gcd(counts, 4, tuples_mla ? tuples_mla : 1);
	uint64_t g_swa = cdiv(nl, tup), g_s4 = cdiv(n4, tup), g_s128 = cdiv(n128, tup);
	/* slots of each page size: the most layers of that size in one group */
	struct {
		uint64_t page, slots;
	} b[8];
	int nb = 0;
	uint64_t sizes[7][2] = {{p_c4, n4},
	                        {p_idx, n4},
	                        {p_c128, n128},
	                        {q_swa, nl < tup ? nl : tup},
	                        {q_s4, n4 < tup ? n4 : tup},
	                        {q_s4i, n4 < tup ? n4 : tup},
	                        {q_s128, n128 < tup ? n128 : tup}};
	/* within one group, pages of equal size take separate slots */
	int group_of[7] = {0, 0, 0, 1, 2, 2, 3};
	for (int g = 0; g < 4; g++) {
		uint64_t seen[7] = {0};
		uint64_t cnt[7] = {0};
		int ns = 0;
		for (int i = 0; i < 7; i++) {
			if (group_of[i] != g || !sizes[i][1])
				continue;
			int j = 0;
			while (j < ns && seen[j] != sizes[i][0])
				j++;
			if (j == ns)
				seen[ns++] = sizes[i][0];
			cnt[j] += sizes[i][1];
		}
		for (int j = 0; j < ns; j++) {
			int k = 0;
			while (k < nb && b[k].page != seen[j])
				k++;
			if (k == nb) {
				b[nb].page = seen[j];
				b[nb].slots = 0;
				nb++;
			}
			if (cnt[j] > b[k].slots)
				b[k].slots = cnt[j];
		}
	}
	uint64_t block_bytes = 0;
	for (int k = 0; k < nb; k++)
		block_bytes += b[k].page * b[k].slots;
	/* blocks of one request per group */
	uint64_t w = (uint64_t)t->n_swa + batched - 1;
	uint64_t pg_mla = cdiv(mml, blk);
	uint64_t pg_swa = cdiv(w < mml ? w : mml, VLLM_V4_SWA_BLOCK) + 1;
	uint64_t w4 = 8 + (uint64_t)batched - 1, w128 = 128 + (uint64_t)batched - 1;
	uint64_t pg_s4 = cdiv(w4 < mml ? w4 : mml, VLLM_V4_C4_BLOCK) + 1;
	uint64_t pg_s128 = cdiv(w128 < mml ? w128 : mml, VLLM_V4_C128_BLOCK) + 1;
	uint64_t per_request =
	    (tuples_mla ? pg_mla : 0) + g_swa * pg_swa + g_s4 * pg_s4 + g_s128 * pg_s128;
	uint64_t tuple_bytes = mla[0] + mla[1] + mla[2];
	parts[0] = tup * tuple_bytes * (tuples_mla ? pg_mla : 0);
	parts[1] = tup * tuple_bytes * g_swa * pg_swa;
	parts[2] = tup * tuple_bytes * (g_s4 * pg_s4 + g_s128 * pg_s128);
	uint64_t needed = parts[0] + parts[1] + parts[2];
	uint64_t avail = kv > 0 ? (uint64_t)kv : 0;
	uint64_t blocks = block_bytes ? avail / block_bytes : 0;
	out->kv_token_bytes = tuples_mla ? tuple_bytes * tup / blk : 0;
	out->kv_block_tokens = (uint32_t)blk;
	out->kv_request_bytes = needed;
	out->kv_num_blocks = blocks;
	out->max_concurrency = per_request ? (double)blocks / (double)per_request : 0;
	out->kv_capacity_tokens = (uint64_t)(out->max_concurrency * (double)mml);
	out->fits = kv > 0 && avail >= needed;
}

/* Recurrent state bytes of layer il on one of tp ranks: heads and widths
 * split, Mamba-2 groups split when tp divides them, else one whole group
 * a rank (MambaStateShapeCalculator.mamba2_state_shape,
 * extra_groups_for_head_shards). */
static uint64_t rank_state_bytes(const struct vllm_terms *t, uint32_t il, uint32_t tp)
{
	uint64_t st = t->state_seq_bytes[il];
	if (!st || tp == 1)
		return st;
	uint64_t groups = t->state_group_bytes * t->state_groups;
	uint64_t per_rank = t->state_groups % tp == 0 ? groups / tp : t->state_group_bytes;
	return (st - groups) / tp + per_rank;
}

/* The KV cache of layers [l0, l0 + nl) on one rank of tp with KV budget kv,
 * as vLLM lays it out (vllm/v1/core/kv_cache_utils.py get_kv_cache_groups,
 * get_kv_cache_config_from_groups, get_max_concurrency_for_kv_cache_config):
 *  - all layers full attention (different page sizes allowed: MLA and the
 *    DSA indexer, MSA's index keys): one group; a block holds every
 *    layer's page, num_blocks = kv / sum of pages;
 *  - otherwise (sliding window, chunked, mamba): the attention block is
 *    raised to a multiple of 16 whose page holds a mamba state, the state
 *    page padded to it (platforms' hybrid block alignment); smaller pages
 *    take a proportionally larger block; layers of a kind split into groups
 *    of the smallest kind's count (or the largest's when within 1.5x);
 *    num_blocks = kv / (page x group size);
 *  - a request takes each group's blocks: full cdiv(max_model_len, block),
 *    sliding cdiv(min(window - 1 + batched, len), block) + 1, chunked
 *    cdiv(min(chunk + batched, len), block), mamba 2 ("align" mode);
 *  - max concurrency = num_blocks / blocks of a request; "GPU KV cache
 *    size" = concurrency x max_model_len from 0.20.1 (PR #40694), before
 *    num_blocks / groups x the smallest block. */
static void vllm_kv_layout(const struct vllm_terms *t, uint32_t tp, uint32_t l0, uint32_t nl,
                           uint32_t batched, uint64_t mml, int64_t kv, struct vllm_rank *out)
{
	if (t->v4) {
		uint64_t parts[3];
		v4_layout(t, l0, nl, batched, mml, kv, out, parts);
		return;
	}
	struct page_kind k[VLLM_MAX_PAGE_KINDS];
	uint32_t nk = 0;
	bool uniform = true; /* full attention only */
	uint64_t state = 0, attn_token = 0;
	for (uint32_t il = l0; il < l0 + nl; il++) {
		uint64_t st = rank_state_bytes(t, il, tp);
		uint64_t row = 0;
		if (t->kv_heads[il]) {
			uint64_t heads = t->kv_heads[il] / tp ? t->kv_heads[il] / tp : 1;
			row = heads * t->kv_head_token_bytes[il] + t->kv_idx_token_bytes[il];
			out->kv_token_bytes += row;
		}
		uint8_t kinds[2] = {t->kv_sliding[il], VLLM_KV_STATE};
		uint64_t sizes[2] = {row, st};
		for (int j = 0; j < 2; j++) {
			if (!sizes[j])
				continue;
			if (kinds[j] != VLLM_KV_FULL)
				uniform = false;
			if (kinds[j] == VLLM_KV_STATE)
				state = sizes[j];
			else if (kinds[j] == VLLM_KV_FULL && !attn_token)
				attn_token = sizes[j];
			uint32_t i = 0;
			while (i < nk && (k[i].kind != kinds[j] || k[i].token_bytes != sizes[j]))
				i++;
			if (i == nk) {
				if (nk == VLLM_MAX_PAGE_KINDS) {
					i = nk - 1; /* more kinds than any model has: merge */
				} else {
					k[nk].kind = kinds[j];
					k[nk].token_bytes = sizes[j];
					k[nk].layers = 0;
					nk++;
				}
			}
			k[i].layers++;
		}
	}
	if (!nk)
		return;
	uint64_t avail = kv > 0 ? (uint64_t)kv : 0;
	uint64_t blk = t->kv_block_tokens ? t->kv_block_tokens : VLLM_BLOCK_TOKENS;
	uint64_t blocks, per_request, needed, old_tokens;
	if (uniform) {
		uint64_t sum = 0;
		for (uint32_t i = 0; i < nk; i++)
			sum += k[i].token_bytes * k[i].layers;
		blocks = avail / (sum * blk);
		per_request = cdiv(mml, blk);
		needed = per_request * blk * sum;
		old_tokens = blocks * blk;
	} else {
		/* the attention block a mamba state page fits in */
		if (state && attn_token) {
			uint64_t al = t->kv_hybrid_align > blk ? t->kv_hybrid_align : blk;
			uint64_t b = al * cdiv(state, al * attn_token);
			if (b > blk)
				blk = b;
		}
		uint64_t page = 0;
		for (uint32_t i = 0; i < nk; i++) {
			k[i].block = k[i].kind == VLLM_KV_STATE ? blk : blk;
			k[i].page = k[i].kind == VLLM_KV_STATE ? state : blk * k[i].token_bytes;
			if (k[i].page > page)
				page = k[i].page;
		}
		uint32_t lo = UINT32_MAX, hi = 0;
		for (uint32_t i = 0; i < nk; i++) {
			/* smaller pages: a larger block when it divides, else padding */
			if (k[i].kind != VLLM_KV_STATE && k[i].page < page && page % k[i].page == 0)
				k[i].block *= page / k[i].page;
			k[i].page = page;
			if (k[i].layers < lo)
				lo = k[i].layers;
			if (k[i].layers > hi)
				hi = k[i].layers;
		}
		uint32_t group = 2 * hi < 3 * lo ? hi : lo;
		uint64_t groups = 0, min_block = UINT64_MAX;
		per_request = 0;
		for (uint32_t i = 0; i < nk; i++) {
			uint64_t g = cdiv(k[i].layers, group);
			groups += g;
			per_request += g * kind_blocks(t, &k[i], batched, mml);
			if (k[i].block < min_block)
				min_block = k[i].block;
		}
		blocks = avail / (page * group);
		needed = (uint64_t)group * page * per_request;
		old_tokens = blocks / groups * min_block;
	}
	out->kv_block_tokens = (uint32_t)blk;
	out->kv_request_bytes = needed;
	out->kv_num_blocks = blocks;
	out->max_concurrency = (double)blocks / (double)per_request;
	out->kv_capacity_tokens = t->version >= VLLM_VERSION_KV_TOKENS_BY_CONCURRENCY
	                              ? (uint64_t)(out->max_concurrency * (double)mml)
	                              : old_tokens;
	out->fits = kv > 0 && avail >= needed;
}

/* First layer and layer count of pipeline stage `stage` of pp, as vLLM's
 * get_pp_indices() splits them: equal parts, the remainder going one each
 * to the stages before the last. */
static void stage_layers(uint32_t n_layer, uint32_t pp, uint32_t stage, uint32_t *first,
                         uint32_t *count)
{
	uint32_t per = n_layer / pp, rem = n_layer % pp;
	uint32_t start = 0;
	for (uint32_t k = 0; k <= stage; k++) {
		uint32_t c = per;
		/* stages pp-2, pp-3, ... pp-1-rem get one more */
		if (pp >= 2 && k + 2 <= pp && k + 1 + rem >= pp)
			c++;
		if (k == stage) {
			*first = start;
			*count = c;
		}
		start += c;
	}
}

void vllm_rank(const struct estimate *e, uint64_t torch_bytes, bool large_gpu, uint32_t tp,
               uint32_t pp, uint32_t rank, struct vllm_rank *out)
{
	const struct vllm_terms *t = &e->vllm_terms;
	assert(tp >= 1 && pp >= 1);
	memset(out, 0, sizeof(*out));
	out->tp = tp;
	out->pp = pp;
	out->stage = rank / tp < pp ? rank / tp : pp - 1;
	out->torch_bytes = torch_bytes;
	out->batched_tokens = t->batched_tokens ? t->batched_tokens
	                                        : vllm_default_batched_tokens(t->version, large_gpu,
	                                                                      t->max_model_len);
	out->max_num_seqs = t->max_num_seqs;
	bool first = out->stage == 0, last = out->stage == pp - 1;

	uint32_t l0 = 0, nl = 0;
	stage_layers(t->n_layer, pp, out->stage, &l0, &nl);

	/* Weights. */
	uint64_t w = t->rope_bytes;
	for (uint32_t il = l0; il < l0 + nl; il++)
		w += t->layer_repl_bytes[il] + t->layer_split_bytes[il] / tp;
	if (first)
		w += (t->embed_bytes + t->vision_bytes) / tp;
	if (last)
		w += t->head_bytes / tp;
	out->weights_bytes = w;

	/* Activation peak of profile_run. */
	uint64_t T = out->batched_tokens;
	uint64_t live = VLLM_ACT_BASE_BYTES + T * t->fwd_fixed_token_bytes +
	                T * (t->moe_split_token_bytes / tp + t->moe_fixed_token_bytes);
	uint64_t forward = live + T * (t->fwd_split_token_bytes / tp);
	uint64_t rows = out->max_num_seqs < T ? out->max_num_seqs : T;
	uint64_t sampler = last ? live + rows * t->sampler_row_bytes : 0;
	out->activation_bytes = forward > sampler ? forward : sampler;

	out->nontorch_bytes = tp * pp > 1 ? VLLM_NONTORCH_TP_BYTES : VLLM_NONTORCH_ONE_BYTES;
	out->graphs_bytes = VLLM_GRAPHS_BASE_BYTES + (uint64_t)nl * VLLM_GRAPHS_LAYER_BYTES;
	out->graphs_in_budget = t->version >= VLLM_VERSION_GRAPHS_IN_BUDGET;

	out->budget_bytes = (uint64_t)((double)torch_bytes * e->budget_share);
	int64_t kv = (int64_t)out->budget_bytes - (int64_t)out->weights_bytes -
	             (int64_t)out->activation_bytes - (int64_t)out->nontorch_bytes;
	if (out->graphs_in_budget)
		kv -= (int64_t)out->graphs_bytes;
	out->kv_budget_bytes = kv;

	if (t->kv_memory_bytes) {
		/* --kv-cache-memory: vLLM skips the budget and takes this */
		kv = (int64_t)t->kv_memory_bytes;
		out->kv_budget_bytes = kv;
	}
	/* the MTP layers (speculative decoding) run after the last stage's */
	uint32_t nl_kv = last ? nl + t->n_mtp_kv : nl;
	vllm_kv_layout(t, tp, l0, nl_kv, out->batched_tokens, t->max_model_len, kv, out);
	/* vLLM's hint when one request does not fit: the longest that does
	 * (kv_cache_utils.py estimate_max_model_len, a binary search) */
	if (kv > 0 && !out->fits && t->max_model_len > 1) {
		uint64_t lo = 1, hi = t->max_model_len - 1, best = 0;
		while (lo <= hi) {
			uint64_t mid = lo + (hi - lo) / 2;
			struct vllm_rank probe;
			memset(&probe, 0, sizeof(probe));
			vllm_kv_layout(t, tp, l0, nl_kv, out->batched_tokens, mid, kv, &probe);
			if (probe.fits) {
				best = mid;
				lo = mid + 1;
			} else {
				hi = mid - 1;
			}
		}
		out->max_model_len_fit = best;
	}
}
