/*
 * estimate.c - weights, KV cache, recurrent state, compute buffers and
 * placement, following llama.cpp's accounting.
 *
 * Exact parts (checked byte for byte against tests/data/truth): tensor
 * bytes per file type, context padding, KV cells and bytes (full, sliding
 * window, MLA latent, recurrent state), the output buffer.  Estimated
 * parts: the compute buffer (a model of ggml-alloc's peak, calibrated on
 * the same data) and the per-GPU runtime overhead.
 */
#include "estimate.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allocsim.h"
#include "recipe.h"
#include "satmath.h"
#include "vllm.h"

static const char *const offload_names[OFFLOAD_COUNT] = {
    [OFFLOAD_GPU] = "gpu",
    [OFFLOAD_CPU_MOE] = "cpu-moe",
    [OFFLOAD_N_CPU_MOE] = "n-cpu-moe",
    [OFFLOAD_EXPERT_FRACTION] = "expert-share",
    [OFFLOAD_NGL] = "ngl",
    [OFFLOAD_CPU] = "cpu",
};

static const char *const tool_names[TOOL_COUNT] = {
    [TOOL_CLI] = "cli",
    [TOOL_SERVER] = "server",
};

const char *llama_tool_name(enum llama_tool t)
{
	return (t >= 0 && t < TOOL_COUNT) ? tool_names[t] : "?";
}

const char *offload_mode_name(enum offload_mode m)
{
	return (m >= 0 && m < OFFLOAD_COUNT) ? offload_names[m] : "?";
}

const char *offload_label(const struct settings *s, bool exact, char *buf, size_t n)
{
	switch (s->offload) {
	case OFFLOAD_N_CPU_MOE:
	case OFFLOAD_NGL:
		snprintf(buf, n, "%s=%u", offload_mode_name(s->offload), s->offload_layers);
		break;
	case OFFLOAD_EXPERT_FRACTION:
		snprintf(buf, n, exact ? "%s=%.17g" : "%s=%.2f", offload_mode_name(s->offload),
		         s->expert_gpu_share);
		break;
	default:
		snprintf(buf, n, "%s", offload_mode_name(s->offload));
		break;
	}
	return buf;
}

void estimate_settings_default(struct settings *s)
{
	memset(s, 0, sizeof(*s));
	s->ftype = FT_Q4_K_M;
	s->ctx_tokens = 4096;
	s->n_seq = 1;
	s->kv_k = KV_F16;
	s->kv_v = KV_F16;
	s->n_ubatch = 512;
	s->gpu_util = VLLM_GPU_UTIL_DEFAULT;
	s->gpu_util_given = false;
	s->flash_attn = true;
	s->kv_unified = false;
	s->swa_full = false;
	s->offload = OFFLOAD_GPU;
	s->offload_layers = 0;
	s->expert_gpu_share = 1.0;
	s->vllm_version = VLLM_VERSION_CURRENT;
	s->batched_tokens = 0;
	s->pp_size = 1;
	s->text_only = false;
	s->backend = LLAMA_BACKEND_CUDA;
	s->op_offload = true;
	s->main_gpu = 0;
	s->n_gpus = 1;
	s->tool = TOOL_CLI;
	s->llama_build = 0;
	s->new_gen = false;
	s->backend_auto = true;
}

/* Does the settings' llama.cpp build predate build b?  (0 = current.) */
static bool build_before(const struct settings *s, uint32_t b)
{
	return s->llama_build != 0 && s->llama_build < b;
}

bool model_prepare(struct model *m)
{
	tensors_init(&m->tensors);
	tensors_init(&m->mtp_draft);
	if (!tensors_build(&m->arch, &m->tensors))
		goto fail;
	m->params_total = tensors_params_total(&m->tensors, &m->arch);
	m->params_active = tensors_params_active(&m->tensors, &m->arch);
	return true;
fail:
	model_release(m);
	return false;
}

bool model_prepare_from_tensors(struct model *m)
{
	m->params_total = tensors_params_total(&m->tensors, &m->arch);
	m->params_active = tensors_params_active(&m->tensors, &m->arch);
	return true;
}

void model_release(struct model *m)
{
	tensors_free(&m->tensors);
	tensors_free(&m->mtp_draft);
}

bool estimate_scratch_init(struct estimate_scratch *x, size_t n_tensors)
{
	memset(x, 0, sizeof(*x));
	size_t n = n_tensors ? n_tensors : 1;
	x->types = malloc(n * sizeof(*x->types));
	if (!x->types)
		return false;
	x->cap = n;
	return true;
}

void estimate_scratch_free(struct estimate_scratch *x)
{
	free(x->types);
	memset(x, 0, sizeof(*x));
}

/* Assign the type of each of m's tensors under s into x and record what
 * they are for.  Returns the tensors that needed a shape fallback. */
static uint32_t assign_types(const struct model *m, struct estimate_scratch *x,
                             const struct settings *s)
{
	const struct tensor_list *l = &m->tensors;
	uint32_t fallback = 0;
	assert(x->types && x->cap >= l->n);
	if (s->file_types) {
		for (size_t i = 0; i < l->n; i++)
			x->types[i] = l->v[i].src_type;
	} else {
		fallback = recipe_assign(s->ftype, &m->arch, l, x->types);
	}
	x->model = m;
	x->ftype = s->ftype;
	x->file_types = s->file_types;
	return fallback;
}

const enum qtype *estimate_scratch_types(const struct model *m, struct estimate_scratch *x,
                                         const struct settings *s)
{
	if (x->model != m || x->ftype != s->ftype || x->file_types != s->file_types)
		assign_types(m, x, s);
	return x->types;
}

static uint64_t pad256(uint64_t n)
{
	return (n + 255) / 256 * 256;
}

void estimate_context_cells(uint64_t ctx_tokens, uint32_t n_seq, bool kv_unified, uint64_t *n_ctx,
                            uint64_t *n_ctx_seq, uint32_t *n_stream)
{
	assert(ctx_tokens > 0 && n_seq > 0);
	uint64_t c = pad256(ctx_tokens);
	if (n_seq > 1 && !kv_unified) {
		uint64_t per = pad256(c / n_seq);
		*n_ctx_seq = per;
		*n_stream = n_seq;
		*n_ctx = per * n_seq;
	} else {
		*n_ctx_seq = c;
		*n_stream = 1;
		*n_ctx = c;
	}
}

/* Widest V row of any layer: llama.cpp stores V transposed without flash
 * attention, and then pads every layer's V to that width when the widths
 * differ by layer ([TAG_V_CACHE_VARIABLE] in llama-kv-cache.cpp). */
static uint64_t v_width_max(const struct model_arch *a)
{
	uint64_t w = 0;
	for (uint32_t il = 0; il < a->n_layer; il++) {
		uint64_t v = (uint64_t)a->layer_head_kv[il] * arch_layer_head_dim_v(a, il);
		if (a->layer_kind[il] != LK_RECURRENT && v > w)
			w = v;
	}
	return w;
}

/* K and V row bytes of one attention layer (one cell); v_trans: V stored
 * transposed (llama.cpp without flash attention). */
static void kv_rows(const struct model_arch *a, uint32_t il, const struct settings *s, bool v_trans,
                    uint64_t *k_row, uint64_t *v_row)
{
	if (arch_is_mla(a)) {
		/* The latent (kv_lora_rank + rope) is cached as K; V is a view of it. */
		*k_row = kvtype_row_bytes(s->kv_k, (uint64_t)a->kv_lora_rank + a->qk_rope_dim);
		*v_row = 0;
		return;
	}
	uint64_t hkv = a->layer_head_kv[il];
	*k_row = kvtype_row_bytes(s->kv_k, sat_mul(hkv, arch_layer_head_dim_k(a, il)));
	*v_row = kvtype_row_bytes(s->kv_v, v_trans ? v_width_max(a)
	                                           : sat_mul(hkv, arch_layer_head_dim_v(a, il)));
}

/* Cells per stream of the sliding-window cache (llama_kv_cache_iswa). */
static uint64_t swa_cells(const struct model_arch *a, const struct settings *s, uint64_t n_ctx_seq)
{
	if (s->swa_full)
		return n_ctx_seq;
	uint64_t want = sat_add(sat_mul(a->n_swa, s->kv_unified ? s->n_seq : 1), s->n_ubatch);
	return pad256(want < n_ctx_seq ? want : n_ctx_seq);
}

/* Recurrent-state snapshots per sequence the main context keeps beside
 * the state when drafting with the MTP blocks: common_init_from_params
 * sets n_rs_seq to the draft length (need_n_rs_seq) and llama.cpp keeps
 * it for the architectures that can roll back (llama_context clamps it to
 * 0 elsewhere); llama_memory_recurrent and the DSV4 compressor state then
 * hold (1 + n_rs_seq) rows per sequence.  Measured: +N x the state. */
static uint64_t spec_rs_snapshots(const struct model_arch *a, const struct settings *s)
{
	return s->spec_draft && a->n_mtp && arch_rs_rollback(a) ? s->spec_draft : 0;
}

/* Cells per stream of a DeepSeek V4 compressed cache: one row per ratio
 * tokens, padded to 256 (llama_kv_cache_dsv4, dsv4_comp_size). */
static uint64_t dsv4_comp_cells(uint64_t n_ctx_seq, uint32_t ratio)
{
	uint64_t rows = (n_ctx_seq + ratio - 1) / ratio;
	return pad256(rows ? rows : 1);
}

/* DeepSeek V4's memory (llama_kv_cache_dsv4): every layer caches its
 * K-only head for the sliding window; CSA layers (ratio 4) add one
 * compressed row per 4 tokens and the indexer's key per 4 tokens, HCA
 * layers (ratio 128) one row per 128 tokens; each compressor keeps an f32
 * state (kv and score) of its ring.  Every cache keeps one stream per
 * sequence, even when a unified cache is asked for.  A file's MTP block
 * is cached too, although the main context never runs it: the window and
 * compressed caches clear n_layer_nextn and filter by the ratio alone
 * (measured: one window layer more for the ratio-0 block real files
 * carry); the compressor states stop at n_layer() (measured on a ratio-4
 * MTP block: its compressed rows and indexer keys, no state). */
static void estimate_kv_dsv4(const struct model_arch *a, const struct settings *s,
                             struct estimate *out)
{
	uint64_t seq = out->n_ctx_seq, streams = s->n_seq;
	uint64_t window = s->swa_full ? seq : sat_add(a->n_swa, s->n_ubatch);
	uint64_t raw_cells = s->swa_full ? seq : pad256(window < seq ? window : seq);
	uint64_t k_row = kvtype_row_bytes(s->kv_k, a->head_dim_k);
	uint64_t idx_row = kvtype_row_bytes(s->kv_k, a->idx_head_dim);
	uint64_t csa = dsv4_comp_cells(seq, 4), hca = dsv4_comp_cells(seq, 128);
	/* compressor state: 2 tensors (kv, score) x f32 x width x ring rows */
	uint64_t csa_state = 2ull * 4 * (2ull * a->head_dim_k) * 8;
	uint64_t hca_state = 2ull * 4 * a->head_dim_k * 128;
	uint64_t idx_state = 2ull * 4 * (2ull * a->idx_head_dim) * 8;

	out->n_stream = (uint32_t)streams;
	out->kv_cells_swa = raw_cells;
	out->comp_cells_csa = csa;
	out->comp_cells_hca = hca;
	out->idx_cells = csa;
	for (uint32_t il = 0; il < arch_n_blocks(a); il++) {
		uint64_t raw = sat_mul3(k_row, raw_cells, streams), comp = 0, st = 0, idx = 0;
		out->kv_layers_swa++;
		out->swa_k_bytes = sat_add(out->swa_k_bytes, raw);
		if (a->layer_compress[il] == 4) {
			out->comp_layers_csa++;
			out->idx_layers++;
			comp = sat_mul3(k_row, csa, streams);
			idx = sat_mul3(idx_row, csa, streams);
			st = sat_mul(sat_add(csa_state, idx_state), streams);
		} else if (a->layer_compress[il] == 128) {
			out->comp_layers_hca++;
			comp = sat_mul3(k_row, hca, streams);
			st = sat_mul(hca_state, streams);
		}
		if (il >= a->n_layer)
			st = 0;
		uint64_t snap = sat_mul(st, spec_rs_snapshots(a, s));
		out->spec_state_bytes = sat_add(out->spec_state_bytes, snap);
		st = sat_add(st, snap);
		out->comp_bytes = sat_add(out->comp_bytes, comp);
		out->idx_bytes = sat_add(out->idx_bytes, idx);
		out->comp_state_bytes = sat_add(out->comp_state_bytes, st);
		out->layer_kv_bytes[il] = sat_add(sat_add(raw, comp), sat_add(idx, st));
	}
}

void estimate_kv(const struct model_arch *a, const struct settings *s, struct estimate *out)
{
	estimate_context_cells(s->ctx_tokens, s->n_seq, s->kv_unified, &out->n_ctx, &out->n_ctx_seq,
	                       &out->n_stream);
	out->k_bytes = out->v_bytes = out->swa_k_bytes = out->swa_v_bytes = 0;
	out->r_bytes = out->s_bytes = out->idx_bytes = 0;
	out->spec_state_bytes = 0;
	out->kv_layers = out->kv_layers_swa = out->rs_layers = out->idx_layers = 0;
	out->kv_cells_swa = 0;
	out->idx_cells = out->n_ctx_seq;
	out->comp_bytes = out->comp_state_bytes = 0;
	out->comp_layers_csa = out->comp_layers_hca = 0;
	out->comp_cells_csa = out->comp_cells_hca = 0;
	if (a->family == AF_DEEPSEEK4) {
		estimate_kv_dsv4(a, s, out);
		goto total;
	}

	uint64_t full_cells = sat_mul(out->n_ctx_seq, out->n_stream);
	/* DSA indexer keys: one MQA key per token, typed like K (llama_kv_cache_dsa);
	 * MSA's index cache is a whole second KV cache of one head per layer:
	 * K of the index width and V of the main cache's head width
	 * (llama_kv_cache_msa) */
	uint64_t idx_row = a->idx_head_dim ? kvtype_row_bytes(s->kv_k, a->idx_head_dim) : 0;
	if (idx_row && a->msa_block)
		idx_row = sat_add(idx_row, kvtype_row_bytes(s->kv_v, a->head_dim_v));
	uint64_t local_cells = swa_cells(a, s, out->n_ctx_seq);
	bool v_trans = !(s->flash_attn || kvtype_get(s->kv_v)->quantized);
	/* Recurrent state: f32, one cell per sequence, independent of context. */
	uint64_t r_row, s_row;
	arch_rs_elems(a, &r_row, &s_row);
	r_row = sat_mul(r_row, 4);
	s_row = sat_mul(s_row, 4);
	uint64_t rs_cells = s->n_seq;
	uint64_t rs_snap = sat_mul(rs_cells, spec_rs_snapshots(a, s));
	rs_cells = sat_add(rs_cells, rs_snap);

	/* MTP blocks: no cache in the main context (its filter stops at
	 * n_layer()) */
	for (uint32_t il = a->n_layer; il < arch_n_blocks(a); il++)
		out->layer_kv_bytes[il] = 0;
	for (uint32_t il = 0; il < a->n_layer; il++) {
		out->layer_kv_bytes[il] = 0;
		uint64_t state = 0;
		if (arch_layer_has_state(a, il)) {
			out->rs_layers++;
			out->r_bytes = sat_add(out->r_bytes, sat_mul(r_row, rs_cells));
			out->s_bytes = sat_add(out->s_bytes, sat_mul(s_row, rs_cells));
			state = sat_mul(sat_add(r_row, s_row), rs_cells);
			out->spec_state_bytes =
			    sat_add(out->spec_state_bytes, sat_mul(sat_add(r_row, s_row), rs_snap));
			out->layer_kv_bytes[il] = state;
		}
		if (!arch_layer_has_kv(a, il))
			continue;
		uint64_t k_row, v_row, k, v;
		kv_rows(a, il, s, v_trans, &k_row, &v_row);
		if (a->layer_kind[il] == LK_ATTN_SWA || a->layer_kind[il] == LK_ATTN_CHUNKED) {
			out->kv_layers_swa++;
			out->kv_cells_swa = local_cells;
			k = sat_mul3(k_row, local_cells, out->n_stream);
			v = sat_mul3(v_row, local_cells, out->n_stream);
			out->swa_k_bytes = sat_add(out->swa_k_bytes, k);
			out->swa_v_bytes = sat_add(out->swa_v_bytes, v);
		} else {
			out->kv_layers++;
			k = sat_mul(k_row, full_cells);
			v = sat_mul(v_row, full_cells);
			out->k_bytes = sat_add(out->k_bytes, k);
			out->v_bytes = sat_add(out->v_bytes, v);
		}
		out->layer_kv_bytes[il] = sat_add(state, sat_add(k, v));
		if (idx_row && a->layer_idx[il]) {
			uint64_t x = sat_mul(idx_row, full_cells);
			out->idx_layers++;
			out->idx_bytes = sat_add(out->idx_bytes, x);
			out->layer_kv_bytes[il] = sat_add(out->layer_kv_bytes[il], x);
		}
	}
total:
	out->kv_bytes = sat_add(sat_add(sat_add(out->k_bytes, out->v_bytes),
	                                sat_add(out->swa_k_bytes, out->swa_v_bytes)),
	                        sat_add(sat_add(out->r_bytes, out->s_bytes), out->idx_bytes));
	out->kv_bytes = sat_add(out->kv_bytes, sat_add(out->comp_bytes, out->comp_state_bytes));
}

/*
 * Compute buffer model.  llama.cpp reserves the worst-case graph for
 * n_tokens = min(n_ctx, n_ubatch) with every KV cell visible; the buffer is
 * ggml-alloc's peak, which is the largest of these phases, each linear in
 * the ubatch:
 *   output phase:    f32 logits [n_vocab x n_tokens] plus the normed input
 *                    and router logits; where allocsim.c describes the last
 *                    layer (flash attention), its node-by-node simulation of
 *                    ggml-alloc instead (output_phase_simulated);
 *   attention phase: with flash attention an f16 mask [n_kv x n_tokens] and
 *                    per-token activations; without it the f32 KQ scores
 *                    [n_kv x n_tokens x n_head], an f32 mask and activations;
 *   FFN phase:       every mask, 4 hidden states and the FFN's intermediates
 *                    (ffn_phase_bytes).
 * n_kv is the largest cache a layer attends over (the full-context cache, or
 * the sliding window when every layer slides).  MLA adds the absorbed query
 * and latent outputs per head, and without flash attention a transposed f16
 * copy of the latent; recurrent layers one layer's state.  Per-token constants were fitted on
 * tests/data/truth/runs.csv; `make check` prints the error per case.
 */
/* The terms of llama.cpp's worst-case graph that the compute buffers are
 * made of.  Bytes for the whole reserved ubatch unless said otherwise. */
struct graph_terms {
	uint64_t n_tok;       /* tokens of the reserved ubatch: min(n_ubatch, n_ctx) */
	uint64_t n_out;       /* logits rows reserved (n_outputs_max) */
	uint64_t n_kv;        /* cells the largest mask covers */
	uint64_t n_kv_full;   /* cells of the full-attention mask (0: no such layer) */
	uint64_t n_kv_swa;    /* cells of the sliding-window mask (0: no such layer) */
	bool flash;           /* flash attention (quantized V forces it) */
	bool legacy_mask;     /* before b9360 flash attention cast an f32 mask to f16 */
	uint64_t out_phase;   /* output layer: logits and the last hidden states */
	uint64_t attn_phase;  /* one attention layer at its peak, its mask included */
	uint64_t ffn_phase;   /* one FFN block at its peak, the masks still held */
	uint64_t cast_phase;  /* legacy flash attention: f32 mask copy beside its f16 cast */
	uint64_t fixed;       /* batch-independent part (MLA without flash attention) */
	uint64_t state_phase; /* recurrent layers: one layer's state per sequence */
	uint64_t mask_dev;    /* masks as a device holds them through the layers */
	uint64_t mask_host;   /* masks as the host builds them (graph inputs) */
	uint64_t ffn_act;     /* activations live around one FFN matmul */
	uint64_t hidden;      /* one f32 hidden state [n_embd x n_tok] */
};

static uint64_t max2(uint64_t x, uint64_t y)
{
	return x > y ? x : y;
}

/* The FFN phase: ggml-alloc places a block's FFN above the graph inputs
 * (the input embedding and every mask, live until the last layer that
 * reads them), the residual stream and two hidden states' worth of holes
 * the attention block leaves below it (4 hidden states in all).  The f32 gate and
 * up outputs and their product are live together; the down projection's
 * output then reuses the hole gate and up leave if it fits there, and
 * otherwise lands above the product.  A dense FFN's output (n_embd wide)
 * always fits; a MoE block's (n_expert_used x n_embd) does not when
 * n_embd > 2 x n_ff_exp (ERNIE 4.5 300B: 8192 > 2 x 3584).  Traced with a
 * copy of ggml-alloc.c instrumented to print the tensors live at the peak
 * (llama.cpp 2026-09-28): EXAONE 4.0 32B at 131072 cells, ERNIE 4.5 300B. */
static uint64_t ffn_phase_bytes(const struct model_arch *a, const struct graph_terms *g)
{
	uint64_t E = a->n_embd, worst = 0;
	/* Apertus (xIELU) and Nemotron-H (relu^2) have no gate: the up
	 * projection, activated in place, is live beside the down output. */
	bool gated = a->family != AF_APERTUS && a->family != AF_NEMOTRON_H;
	for (uint32_t il = 0; il < a->n_layer; il++) {
		uint64_t act, down;
		if (a->layer_moe[il]) {
			uint64_t w = a->moe_latent ? a->moe_latent : E;
			act = sat_mul3(4, a->n_expert_used, a->n_ff_exp);
			down = sat_mul3(4, a->n_expert_used, w);
		} else {
			act = sat_mul(4, arch_layer_ff(a, il));
			down = 4 * E;
		}
		uint64_t peak = !gated           ? sat_add(act, down)
		                : down > 2 * act ? sat_add(sat_mul(3, act), down)
		                                 : sat_mul(3, act);
		worst = max2(worst, peak);
	}
	uint64_t per_tok = sat_add(16 * E, worst);
	return sat_add(g->mask_dev, sat_mul(per_tok, g->n_tok));
}

/* The output phase of a model whose last layer runs a shared expert after
 * its routed experts, both on the block's normed input (llama.cpp's
 * build_moe_ffn, then build_ffn): that input stays live through the routed
 * experts.  When their down outputs (n_expert_used x n_embd) fit in the
 * hole the gate and up outputs leave, with one hidden state to spare,
 * ggml-alloc puts the sum of the routed outputs right above them; the last
 * hidden state keeps that address (the residual add, output norm and scale
 * run in place) and the logits go above it.  Below the down outputs lie
 * the input embedding and the normed input, and either the mask and the
 * residual stream (a mask smaller than one hidden state: the FFN stays
 * above it) or nothing more (the FFN moved into the hole of the mask the
 * last layer freed).  Traced with an instrumented copy of ggml-alloc.c on
 * ERNIE 4.5 21B-A3B (4096 to 262144 cells; was -16 %); it also makes
 * Llama 4 Scout exact.  Not for a gateless FFN (Nemotron-H: no gate + up
 * hole) or a parallel block (Cohere 2: attention and FFN share the normed
 * input). */
static uint64_t routed_sum_out_phase(const struct model_arch *a, const struct graph_terms *g)
{
	if (a->n_layer == 0)
		return 0;
	uint32_t last = a->n_layer - 1;
	bool sequential_gated = a->family != AF_NEMOTRON_H && a->family != AF_APERTUS &&
	                        a->family != AF_COHERE2 &&
	                        a->family != AF_QWEN3; /* Hunyuan: shared expert first */
	if (!a->layer_moe[last] || !a->n_ff_shexp || a->moe_latent || !sequential_gated)
		return 0;
	uint64_t E = a->n_embd, n = a->n_expert_used;
	uint64_t hole = sat_mul3(2, n, a->n_ff_exp), down = sat_mul(n, E);
	if (down > hole || hole - down < E)
		return 0;
	uint64_t below = g->mask_dev >= g->hidden ? sat_mul(n + 3, g->hidden)
	                                          : sat_add(g->mask_dev, sat_mul(n + 4, g->hidden));
	return sat_add(sat_mul3(4, a->n_vocab, g->n_out), below);
}

/* The output phase from allocsim (the last layer and output head run
 * through a model of ggml-alloc) where it describes the architecture's last
 * layer, else the closed form already in g. */
static uint64_t output_phase_simulated(const struct model_arch *a, const struct settings *s,
                                       const struct graph_terms *g)
{
	struct allocsim_request r = {
	    .n_tok = g->n_tok, .n_out = g->n_out, .mask_bytes = g->mask_dev, .flash = g->flash};
	/* llama_kv_cache rotates a quantized cache whose head width is a
	 * multiple of 64: K by the largest power of two from 128 that divides
	 * the head (64 when none does), V by 64 */
	/* (a model without attention has no head to rotate: head width 0) */
	if (kvtype_get(s->kv_k)->quantized && a->head_dim_k && a->head_dim_k % 64 == 0) {
		r.k_rot = 64;
		while (a->head_dim_k % (r.k_rot * 2) == 0)
			r.k_rot *= 2;
	}
	if (kvtype_get(s->kv_v)->quantized && a->head_dim_v && a->head_dim_v % 64 == 0)
		r.v_rot = 64;
	/* builds before b9360 cast an f32 mask on the device: another graph */
	uint64_t peak = g->legacy_mask ? 0 : allocsim_output_peak_bytes(a, &r);
	return peak ? sat_add(peak, g->fixed) : g->out_phase;
}

/* The output phase with llama.cpp's attention rotation (attn_rot_v): with a
 * quantized V cache whose head width is a multiple of 64, V and the
 * attention output are multiplied by a Hadamard matrix (llama-graph.cpp,
 * build_attn).  In the last layer the rotated output (an f32 tensor as
 * wide as the query) is allocated when the last attention has freed the
 * mask, and ggml-alloc's best fit puts it at the bottom of the mask's
 * hole; the attention projection, and with it the residual stream, then
 * land higher.  The FFN's normed input takes the slot above the residual
 * copy and its output reuses that slot, so the last hidden state, and the
 * logits above it, sit one hidden state higher than without the rotation.
 * Traced with an instrumented copy of ggml-alloc.c on Falcon-H1 0.5B,
 * 1.5B-Deep, 3B and 7B at 32768 cells and Granite 4.1 3B at 131072 with a
 * q8_0 V cache: each exactly one hidden state (a q8_0 K cache alone, whose
 * rotation touches only Q and K, moves nothing).  Falcon-H1 1.5B moves 6.3
 * hidden states (the residual copy splits the hole, the up projection no
 * longer fits beside the gate and the FFN output takes its slot: -13 %
 * with the rule, -16 % without); Falcon-H1 34B, whose Mamba2 intermediates
 * fill the bottom of the hole first, and a few dense models (Ministral 3
 * 3B / 14B, OLMo 3, Seed-OSS) do not move, so the rule puts them 2 to 4 %
 * high.  Not for a MoE last layer, where the measured runs do not move.
 * allocsim replaces this closed form where it simulates the last layer
 * (the rotation is one of its nodes there). */
static uint64_t attn_rot_out_bytes(const struct model_arch *a, const struct settings *s,
                                   const struct graph_terms *g)
{
	if (a->n_layer == 0 || !kvtype_get(s->kv_v)->quantized || a->head_dim_v % 64)
		return 0;
	uint32_t last = a->n_layer - 1;
	if (a->layer_kind[last] == LK_RECURRENT || !a->layer_head_kv[last] || a->layer_moe[last])
		return 0;
	return g->hidden;
}

static void graph_terms_make(const struct model_arch *a, const struct settings *s,
                             uint64_t n_ctx_seq, struct graph_terms *g)
{
	memset(g, 0, sizeof(*g));
	uint64_t n_tok = s->n_ubatch < n_ctx_seq ? s->n_ubatch : n_ctx_seq;
	uint64_t E = a->n_embd, V = a->n_vocab, H = a->n_head;
	g->n_tok = n_tok;
	g->n_out = n_tok;
	/* llama-server asks for one output per slot (server_output_limits); the
	 * library's default is every token of the batch. */
	if (s->tool == TOOL_SERVER && !build_before(s, LLAMA_BUILD_OUTPUTS_MAX))
		g->n_out = s->n_seq < n_tok ? s->n_seq : n_tok;
	g->flash = s->flash_attn || kvtype_get(s->kv_v)->quantized;
	g->legacy_mask = g->flash && build_before(s, LLAMA_BUILD_F16_MASK);

	for (uint32_t il = 0; il < a->n_layer; il++) {
		if (!arch_layer_has_kv(a, il))
			continue;
		bool local =
		    a->layer_kind[il] == LK_ATTN_SWA || a->layer_kind[il] == LK_ATTN_CHUNKED;
		uint64_t cells = local && !s->swa_full ? swa_cells(a, s, n_ctx_seq) : n_ctx_seq;
		if (local)
			g->n_kv_swa = cells;
		else
			g->n_kv_full = cells;
		if (cells > g->n_kv)
			g->n_kv = cells;
	}
	/* A model without attention (pure Mamba, RWKV) builds no mask and no
	 * attention, so -fa changes nothing: its mixer's activations measure as
	 * the flash form below (tests/data/truth2026 mamba2-codestral-7b, equal
	 * with -fa on and off). */
	if (g->n_kv == 0) {
		g->flash = true;
		g->legacy_mask = false;
	}
	uint64_t n_kv = g->n_kv;
	uint64_t q = arch_q_dim(a);
	uint64_t kvw = sat_mul(a->n_head_kv, a->head_dim_k);

	uint64_t mla = 0;
	if (arch_is_mla(a))
		mla = sat_mul3(6, H, (uint64_t)a->kv_lora_rank + a->qk_rope_dim);

	/* deepseek2's MLA with flash attention (llama.cpp 2026-09-28) keeps
	 * about 24 x n_embd per token beside the logits instead of the
	 * absorbed query (fitted on tests/data/truth2026 mistral4 and Mistral
	 * Large 3, checked on truth's DeepSeek-V2-Lite). */
	bool mla_flash = a->family == AF_DEEPSEEK2 && g->flash;
	uint64_t out_tok =
	    sat_add(sat_add(8 * E + 4, 4 * (uint64_t)a->n_expert), mla_flash ? 24 * E : mla);
	if (a->family == AF_GPTOSS)
		out_tok = sat_add(out_tok, 4 * E);
	/* Qwen3-VL's deepstack input (1 + n_deepstack embeddings per token)
	 * stays allocated through the graph: twice its f32 width per token
	 * (measured, tests/data/truth2026 qwen3vl-8b). */
	uint64_t deepstack = sat_mul3(8, E, a->n_deepstack);
	out_tok = sat_add(out_tok, deepstack);
	/* Layers that reuse an earlier layer's cache (Gemma 3n / 4 E models)
	 * keep the KQ mask alive into the output phase (measured: +2 bytes per
	 * cell and token, tests/data/truth2026 gemma4-e2b / e4b). */
	if (a->n_layer_kv && a->family == AF_GEMMA4) /* not Gemma 3n: measured flat */
		out_tok = sat_add(out_tok, sat_mul(g->flash ? 2 : 4, n_kv));
	/* The widest expert activation (f32, every selected expert's rows). */
	uint64_t moe_act = sat_mul3(4, a->n_expert_used, a->n_ff_exp);
	/* MiniMax M3: three such activations (swigluoai's gate, up and product)
	 * and the f16 mask stay live beside the logits (fitted on
	 * tests/data/truth2026 minimax-m3). */
	if (a->family == AF_MINIMAX_M3)
		out_tok = sat_add(out_tok, sat_add(sat_mul(3, moe_act), sat_mul(2, n_kv)));
	/* Hunyuan (qwen3's layout with a shared expert, which runs before the
	 * routed ones): the last layer's routed down-projection outputs
	 * (n_expert_used x n_embd f32 per token) stay live beside the logits,
	 * plus about 10 x n_embd (measured, tests/data/truth2026 hunyuan-a13b:
	 * exact in n_expert_used, fitted in n_embd). */
	if (a->family == AF_QWEN3 && a->n_expert && a->n_ff_shexp && !a->expert_bias)
		out_tok = sat_add(out_tok, sat_mul(E, 4 * (uint64_t)a->n_expert_used + 10));
	/* Hy3 (hy_v3: the same layout with a router bias; the routed experts
	 * run first and the shared one after): about four f32 hidden states
	 * (16 x n_embd per token) beside the logits (fitted on
	 * tests/data/truth2026 hy3: +5 % at 4K cells, +9 % at 32K, -3 % at
	 * 128K where the allocator keeps more). */
	if (a->family == AF_QWEN3 && a->n_expert && a->n_ff_shexp && a->expert_bias)
		out_tok = sat_add(out_tok, 16 * E);
	/* Cohere 2 MoE: the full-attention layers' mask stays live beside the
	 * logits (measured: 2 bytes per full-attention cell and token with flash
	 * attention, tests/data/truth2026 cohere2moe-command-a-plus). */
	if (a->family == AF_COHERE2 && a->n_expert)
		out_tok = sat_add(out_tok, sat_mul(g->flash ? 2 : 4, g->n_kv_full));
	g->out_phase = sat_add(sat_mul3(4, V, g->n_out), sat_mul(out_tok, n_tok));

	uint64_t attn_tok;
	if (g->flash) {
		/* The widest expert activation is live while the mask is: MoE
		 * blocks sit between attention blocks. */
		/* DSA: the lightning indexer's f32 scores and the f32 top-k mask
		 * replace the f16 mask (8 bytes per cell and token), plus a
		 * per-token constant that grows once the context exceeds the top-k
		 * (fitted on tests/data/truth2026 deepseek32 / glm-dsa). */
		uint64_t mask = sat_mul(2, n_kv);
		if (a->idx_head_dim)
			mask = sat_add(sat_mul(8, n_kv), n_kv > a->idx_top_k ? 425000 : 150000);
		/* Per token beside the mask: about 58 x n_embd (fitted across the
		 * families); Apertus (an up/down MLP without gate) measures 37 x
		 * n_embd at both 4096 and 8192 wide (tests/data/truth2026 apertus-8b,
		 * apertus-70b). */
		uint64_t attn_e = a->family == AF_APERTUS ? 37 : 58;
		/* Nemotron-H blocks hold one mixer each: an attention block has
		 * no FFN, and the expert activations of the MoE blocks around
		 * it are freed before it runs, their hole reused by its
		 * tensors (traced, tests/data/truth2026 nemotron3-ultra: the
		 * attention blocks reach 72 MB at 4096 cells, the first MoE
		 * block's down projection sets the 411 MB peak). */
		uint64_t attn_moe = a->family == AF_NEMOTRON_H ? 0 : moe_act;
		attn_tok =
		    sat_add(sat_add(mask, attn_e * E), sat_add(sat_add(mla, attn_moe), deepstack));
		/* deepseek2's MLA: per token 9.25 x n_embd and 10 bytes per head
		 * and latent element (the absorbed query and the attention output
		 * in f32, an f16 copy) beside the mask (same fit as above) */
		if (mla_flash)
			attn_tok = sat_add(
			    sat_add(mask, 37 * E / 4),
			    sat_add(sat_mul3(10, H, (uint64_t)a->kv_lora_rank + a->qk_rope_dim),
			            moe_act));
		/* MSA (MiniMax M3), which llama.cpp runs only with flash attention
		 * and per-sequence streams: the index heads' f32 scores over every
		 * cell (twice per head, and their sum) beside the f16 mask, and
		 * fewer per-token activations (fitted on tests/data/truth2026
		 * minimax-m3: 38 bytes per cell and token with 4 index heads). */
		if (a->msa_block && (s->n_seq == 1 || !s->kv_unified))
			attn_tok = sat_add(sat_mul(2 + 4 * (2 * (uint64_t)a->idx_n_head + 1), n_kv),
			                   27 * E);
	} else {
		attn_tok = sat_add(sat_add(sat_mul3(4, H, n_kv), sat_mul(4, n_kv)),
		                   sat_add(sat_mul(4, 2 * E + 2 * q + 2 * kvw), mla));
		if (arch_is_mla(a))
			g->fixed = sat_mul3(2, a->kv_lora_rank, n_kv);
	}
	if (a->family == AF_DEEPSEEK4) {
		/* DeepSeek V4 attends over the window and the compressed rows: per
		 * token 131 x n_embd (the hyper-connection streams and the
		 * compressors' inputs) plus, with flash attention, 5 bytes per
		 * CSA row and byte of a K element (scores, top-k mask and the K
		 * rows read at the K type), without it the f32 scores of every
		 * head over window and CSA rows (fitted on tests/data/truth2026
		 * deepseek4-flash: 4K..256K cells, ubatch 128..2048, f16/q8_0 K). */
		uint64_t csa = dsv4_comp_cells(n_ctx_seq, 4);
		uint64_t win = s->swa_full ? n_ctx_seq : sat_add(a->n_swa, s->n_ubatch);
		uint64_t raw = s->swa_full ? n_ctx_seq : pad256(win < n_ctx_seq ? win : n_ctx_seq);
		attn_tok = g->flash ? sat_add(sat_mul(131, E), 5 * kvtype_row_bytes(s->kv_k, csa))
		                    : sat_add(sat_mul(131, E), sat_mul3(4, H + 1, csa + raw));
		g->fixed = 0;
	}
	g->attn_phase = sat_add(sat_mul(attn_tok, n_tok), g->fixed);
	g->out_phase = sat_add(g->out_phase, g->fixed);
	/* Masks: f16 for flash attention (built f16 from b9360, cast from f32
	 * on the device before), f32 otherwise; one per cache kind. */
	uint64_t cells = g->n_kv_full + g->n_kv_swa;
	g->mask_dev = sat_mul3(g->flash ? 2 : 4, cells, n_tok);
	g->mask_host = sat_mul3(g->flash && !g->legacy_mask ? 2 : 4, cells, n_tok);
	/* Legacy: the f32 mask copied to the device and its f16 cast, computed
	 * when the first layer's attention needs it, beside that layer's Q (and
	 * its pre-rope copy), K and V and the residual stream. */
	if (g->legacy_mask)
		g->cast_phase =
		    sat_mul(sat_add(sat_mul(6, n_kv), sat_mul(8, sat_add(q + kvw, E))), n_tok);
	g->hidden = sat_mul3(4, E, n_tok);
	g->out_phase = sat_add(g->out_phase, attn_rot_out_bytes(a, s, g));
	g->out_phase = max2(g->out_phase, routed_sum_out_phase(a, g));
	g->out_phase = output_phase_simulated(a, s, g);

	/* Around one FFN matmul: gate, up and activation outputs, the matmul's
	 * output and the residual stream in and out. */
	uint64_t ff = a->n_ff, ff_out = E;
	if (a->n_expert) {
		ff = sat_mul(a->n_expert_used, a->n_ff_exp);
		ff_out = sat_mul(a->n_expert_used, E);
	}
	g->ffn_act = sat_mul3(4, sat_add(sat_mul(3, ff), sat_add(ff_out, 2 * E)), n_tok);

	g->ffn_phase = ffn_phase_bytes(a, g);

	/* Recurrent layers read and write one layer's state per sequence
	 * whatever the batch: a phase that wins only for tiny ubatches. */
	for (uint32_t il = 0; il < a->n_layer; il++) {
		if (!arch_layer_has_state(a, il))
			continue;
		uint64_t r, st;
		arch_rs_elems(a, &r, &st);
		g->state_phase = sat_mul3(4, s->n_seq, sat_add(r, st));
		break;
	}
}

/* Both compute figures: the device holding the output layer (logits phase
 * included) and, in *split, a device holding only repeating layers. */
static uint64_t compute_phases(const struct model_arch *a, const struct settings *s,
                               uint64_t n_ctx_seq, uint64_t *split)
{
	struct graph_terms g;
	graph_terms_make(a, s, n_ctx_seq, &g);
	uint64_t layers = max2(max2(max2(g.attn_phase, g.ffn_phase), g.cast_phase), g.state_phase);
	if (split)
		*split = layers;
	return max2(layers, g.out_phase);
}

uint64_t estimate_compute(const struct model_arch *a, const struct settings *s, uint64_t n_ctx_seq)
{
	return compute_phases(a, s, n_ctx_seq, NULL);
}

/* The parts of an estimate that grow with the inputs must stay within
 * BYTES_LIMIT (satmath.h), and so must its total, GPU and host sums.  The
 * KV cache, compute buffer and weights (bounded by the parameter count at
 * 8 bytes each) are checked first, each with a message naming its inputs;
 * then the estimate itself runs (on the caller's scratch) and its sums
 * are checked: one computation of the total, estimate_run()'s.  Since every
 * sum saturates, a total within the limit means nothing wrapped. */
static bool check_bytes(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                        const struct settings *base_s, const struct estimate *base,
                        struct estimate *out, char *err, size_t errlen)
{
	const struct model_arch *a = &m->arch;
	struct estimate e;
	bool vllm = ftype_get(s->ftype)->engine == FT_VLLM && !s->file_types;
	uint64_t compute;
	if (vllm) {
		/* vLLM: one request of ctx tokens in every layer (at least what
		 * vllm_estimate() keeps); the profiling run's MLP intermediates
		 * over at most ctx batched tokens and the sampler's rows */
		struct settings one = *s;
		one.n_seq = 1;
		one.kv_unified = true;
		one.swa_full = true;
		estimate_kv(a, &one, &e);
		uint64_t T = s->batched_tokens ? s->batched_tokens
		                               : (s->ctx_tokens > 8192 ? s->ctx_tokens : 8192);
		uint64_t ff = a->n_ff > a->n_ff_shexp ? a->n_ff : a->n_ff_shexp;
		compute = sat_add(sat_mul3(T, 6, sat_add(ff, a->n_embd)),
		                  sat_mul3(s->n_seq, 14, a->n_vocab));
	} else {
		estimate_kv(a, s, &e);
		compute = compute_phases(a, s, e.n_ctx_seq, NULL);
	}
	uint64_t weights = sat_mul(m->params_total, 8);
	if (e.kv_bytes > BYTES_LIMIT) {
		snprintf(err, errlen,
		         "KV cache: context %llu tokens x %u sequences over %u layers (%s K, %s V, "
		         "%u KV heads x %u) exceeds " BYTES_LIMIT_TEXT
		         "; lower --context or --batch",
		         (unsigned long long)s->ctx_tokens, s->n_seq,
		         e.kv_layers + e.kv_layers_swa + e.rs_layers, kvtype_get(s->kv_k)->name,
		         kvtype_get(s->kv_v)->name, a->n_head_kv, a->head_dim_k);
		return false;
	}
	if (compute > BYTES_LIMIT) {
		snprintf(err, errlen,
		         "compute buffer: ubatch %u over %llu context cells (vocabulary %u, hidden "
		         "%u) exceeds " BYTES_LIMIT_TEXT "; lower --ubatch or --context",
		         s->n_ubatch, (unsigned long long)e.n_ctx_seq, a->n_vocab, a->n_embd);
		return false;
	}
	if (weights > BYTES_LIMIT) {
		snprintf(err, errlen,
		         "weights: %llu parameters (%u layers, hidden %u, FFN %u, vocabulary %u) "
		         "at up to 8 bytes each exceed " BYTES_LIMIT_TEXT,
		         (unsigned long long)m->params_total, a->n_layer, a->n_embd, a->n_ff,
		         a->n_vocab);
		return false;
	}
	/* Each part is bounded; now the sums the report shows, as
	 * estimate_run() adds them (host compute, output and overhead too). */
	struct estimate *t = out ? out : &e;
	estimate_run_from(m, x, s, base_s, base, t);
	if (t->total_bytes > BYTES_LIMIT || t->gpu_bytes > BYTES_LIMIT ||
	    t->host_bytes > BYTES_LIMIT) {
		snprintf(
		    err, errlen,
		    "estimate: weights %llu, KV cache %llu, compute %llu (GPU) + %llu (host), "
		    "output %llu and overhead %llu bytes together exceed " BYTES_LIMIT_TEXT
		    "; lower --context or --batch",
		    (unsigned long long)t->weights_bytes, (unsigned long long)t->kv_bytes,
		    (unsigned long long)t->compute_bytes, (unsigned long long)t->compute_host_bytes,
		    (unsigned long long)t->output_bytes, (unsigned long long)t->overhead_bytes);
		return false;
	}
	return true;
}

static bool check(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                  const struct settings *base_s, const struct estimate *base, struct estimate *out,
                  char *err, size_t errlen)
{
	const struct ftype_info *fi = ftype_get(s->ftype);
	if (s->ctx_tokens == 0 || s->ctx_tokens > SETTINGS_CTX_MAX) {
		snprintf(err, errlen, "context: %llu tokens is outside 1..%llu",
		         (unsigned long long)s->ctx_tokens, (unsigned long long)SETTINGS_CTX_MAX);
		return false;
	}
	if (s->n_seq == 0 || s->n_seq > SETTINGS_SEQ_MAX) {
		snprintf(err, errlen, "batch: %u sequences is outside 1..%u", s->n_seq,
		         SETTINGS_SEQ_MAX);
		return false;
	}
	if (s->n_ubatch == 0 || s->n_ubatch > SETTINGS_UBATCH_MAX) {
		snprintf(err, errlen, "ubatch: %u is outside 1..%u", s->n_ubatch,
		         SETTINGS_UBATCH_MAX);
		return false;
	}
	if (fi->engine == FT_LLAMACPP &&
	    (!kvtype_get(s->kv_k)->llamacpp || !kvtype_get(s->kv_v)->llamacpp)) {
		snprintf(err, errlen,
		         "kv type: %s is not a llama.cpp cache type (use f16, q8_0, ...)",
		         !kvtype_get(s->kv_k)->llamacpp ? kvtype_get(s->kv_k)->name
		                                        : kvtype_get(s->kv_v)->name);
		return false;
	}
	if (fi->engine == FT_VLLM && (!kvtype_get(s->kv_k)->vllm || !kvtype_get(s->kv_v)->vllm)) {
		snprintf(err, errlen, "kv type: %s is not a vLLM cache type (use auto/bf16, fp8)",
		         !kvtype_get(s->kv_k)->vllm ? kvtype_get(s->kv_k)->name
		                                    : kvtype_get(s->kv_v)->name);
		return false;
	}
	if (fi->engine == FT_VLLM && !s->file_types && s->offload != OFFLOAD_GPU) {
		snprintf(err, errlen,
		         "offload: vLLM keeps the model on the GPU; %s is a llama.cpp mode (use a "
		         "llama.cpp quant such as Q4_K_M)",
		         offload_mode_name(s->offload));
		return false;
	}
	if (!(s->gpu_util >= ESTIMATE_GPU_UTIL_MIN && s->gpu_util <= 1.0)) {
		snprintf(err, errlen, "gpu memory utilization: %g is outside 0.01..1", s->gpu_util);
		return false;
	}
	if (kvtype_get(s->kv_v)->quantized && !s->flash_attn && fi->engine == FT_LLAMACPP) {
		snprintf(
		    err, errlen,
		    "kv type: a quantized V cache (%s) needs flash attention; llama.cpp refuses "
		    "--flash-attn off with it",
		    kvtype_get(s->kv_v)->name);
		return false;
	}
	if ((arch_is_mla(&m->arch) ||
	     (m->arch.family == AF_DEEPSEEK4 && fi->engine == FT_LLAMACPP)) &&
	    s->kv_k != s->kv_v) {
		snprintf(err, errlen,
		         "kv type: %s models cache K only, so K and V types must "
		         "match (got %s and %s)",
		         arch_is_mla(&m->arch) ? "MLA" : "DeepSeek V4", kvtype_get(s->kv_k)->name,
		         kvtype_get(s->kv_v)->name);
		return false;
	}
	if ((s->offload == OFFLOAD_CPU_MOE || s->offload == OFFLOAD_N_CPU_MOE ||
	     s->offload == OFFLOAD_EXPERT_FRACTION) &&
	    m->arch.n_expert == 0) {
		snprintf(err, errlen, "offload: %s moves experts, but this model has none",
		         offload_mode_name(s->offload));
		return false;
	}
	if (s->offload == OFFLOAD_N_CPU_MOE && s->offload_layers > m->arch.n_layer) {
		snprintf(err, errlen, "offload: n-cpu-moe %u exceeds the model's %u layers",
		         s->offload_layers, m->arch.n_layer);
		return false;
	}
	if (s->offload == OFFLOAD_NGL && s->offload_layers > arch_ngl_layers(&m->arch)) {
		snprintf(err, errlen, "offload: ngl %u exceeds the model's %u layers + output",
		         s->offload_layers, arch_n_blocks(&m->arch));
		return false;
	}
	if (s->offload == OFFLOAD_EXPERT_FRACTION &&
	    !(s->expert_gpu_share >= 0.0 && s->expert_gpu_share <= 1.0)) {
		snprintf(err, errlen, "offload: expert share %g is outside 0..1",
		         s->expert_gpu_share);
		return false;
	}
	return check_bytes(m, x, s, base_s, base, out, err, errlen);
}

bool estimate_check(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                    char *err, size_t errlen)
{
	return check(m, x, s, NULL, NULL, NULL, err, errlen);
}

bool estimate_check_run(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                        struct estimate *out, char *err, size_t errlen)
{
	return check(m, x, s, NULL, NULL, out, err, errlen);
}

bool estimate_check_run_from(const struct model *m, struct estimate_scratch *x,
                             const struct settings *s, const struct settings *base_s,
                             const struct estimate *base, struct estimate *out, char *err,
                             size_t errlen)
{
	return check(m, x, s, base_s, base, out, err, errlen);
}

/* Is block il (TENSOR_LAYER_OUTPUT = the output layer) on the GPU?  -ngl N
 * counts the output layer as one more layer: from b7460 it is offloaded
 * first, before that only when N exceeds the repeating layers.  The
 * layers counted are every block of the file, MTP blocks included
 * (n_layer_all), although the MTP blocks hold almost nothing. */
static bool layer_on_gpu(const struct model_arch *a, const struct settings *s, int il)
{
	if (s->offload == OFFLOAD_CPU || s->backend == LLAMA_BACKEND_CPU)
		return false;
	if (il == TENSOR_LAYER_INPUT)
		return false;
	if (s->offload != OFFLOAD_NGL)
		return true;
	uint64_t N = s->offload_layers, blocks = arch_n_blocks(a);
	if (build_before(s, LLAMA_BUILD_OUTPUT_FIRST)) {
		if (il == TENSOR_LAYER_OUTPUT)
			return N > blocks;
		return (uint64_t)il + N >= blocks;
	}
	uint64_t idx = il == TENSOR_LAYER_OUTPUT ? blocks : (uint64_t)il;
	uint64_t total = arch_ngl_layers(a);
	uint64_t start = N >= total ? 0 : total - N;
	return idx >= start;
}

/* Index into layer_gpu_bytes: blocks 0..n_blocks-1 (MTP blocks
 * included), the output layer n_blocks.  (The input layer never reaches
 * the GPU.) */
static uint32_t layer_slot(const struct model_arch *a, int layer)
{
	/* A tensor outside the blocks (or one a hostile file numbers past
	 * block_count) is counted with the output slot, never out of bounds. */
	uint32_t blocks = arch_n_blocks(a);
	return layer >= 0 && (uint32_t)layer < blocks ? (uint32_t)layer : blocks;
}

/* Bytes of tensor t that sit in host memory although its layer is on the
 * GPU (routed experts moved by the offload mode). */
static uint64_t expert_host_bytes(const struct settings *s, const struct tensor_info *t,
                                  uint64_t bytes)
{
	if (!t->routed_expert)
		return 0;
	switch (s->offload) {
	case OFFLOAD_CPU_MOE:
		return bytes;
	case OFFLOAD_N_CPU_MOE:
		return t->layer >= 0 && (uint32_t)t->layer < s->offload_layers ? bytes : 0;
	case OFFLOAD_EXPERT_FRACTION:
		return bytes - (uint64_t)((double)bytes * s->expert_gpu_share);
	default:
		return 0;
	}
}

uint64_t estimate_tensor_host_bytes(const struct model_arch *a, const struct settings *s,
                                    const struct tensor_info *t, uint64_t bytes)
{
	return layer_on_gpu(a, s, t->layer) ? expert_host_bytes(s, t, bytes) : bytes;
}

/*
 * Compute buffers and where they live, following ggml's scheduler:
 * - a device holding the output layer peaks at the largest of the logits,
 *   an attention layer and an FFN block; a device with only repeating
 *   layers at the larger of the latter two;
 * - op offload: an op whose weight sits in host memory runs on the first
 *   GPU (the main GPU) when its batch reaches 32 tokens; the weight is
 *   copied into that GPU's compute buffer at the start of its own split and
 *   freed after it, so the buffer peaks at one copy of the largest such
 *   weight plus what is live beside it (the mask and one FFN's
 *   activations; for the output matrix, the logits);
 * - the CPU's buffer (pinned host memory with a GPU) holds the graph
 *   inputs (token embeddings, positions, masks) and whatever the CPU runs;
 * - pipeline parallelism: with several GPUs, every layer offloaded and no
 *   tensor overrides, the scheduler keeps ESTIMATE_SCHED_MAX_COPIES copies
 *   of every split input, never freed.
 */
static void buffers_place(const struct model_arch *a, const struct settings *s,
                          uint64_t host_matrix, uint64_t host_output, struct estimate *out)
{
	struct graph_terms g;
	graph_terms_make(a, s, out->n_ctx_seq, &g);
	uint64_t layers = max2(max2(g.attn_phase, g.cast_phase), g.state_phase);
	uint64_t whole = max2(layers, g.out_phase);
	out->n_tokens = (uint32_t)g.n_tok;
	out->n_outputs = (uint32_t)g.n_out;
	out->output_on_gpu = layer_on_gpu(a, s, TENSOR_LAYER_OUTPUT);

	bool gpu = backend_get(s->backend)->gpu;
	uint32_t gpu_layers = 0;
	for (uint32_t il = 0; il < a->n_layer; il++)
		gpu_layers += layer_on_gpu(a, s, (int)il);
	bool cpu_layers = gpu_layers < a->n_layer;

	/* Op offload to the main GPU. */
	uint64_t offload = 0;
	if (gpu && s->op_offload) {
		uint64_t mask = gpu_layers ? g.mask_dev : 0;
		if (host_matrix && g.n_tok >= ESTIMATE_OP_OFFLOAD_MIN_BATCH) {
			offload = sat_add(sat_add(host_matrix, mask), g.ffn_act);
			out->offload_weight_bytes = host_matrix;
		}
		if (host_output && g.n_out >= ESTIMATE_OP_OFFLOAD_MIN_BATCH) {
			uint64_t o = sat_add(host_output,
			                     sat_mul3(4, sat_add(a->n_vocab, a->n_embd), g.n_out));
			if (o > offload) {
				offload = o;
				out->offload_weight_bytes = host_output;
			}
		}
	}
	out->compute_offload_bytes = offload;

	/* Device buffers. */
	uint64_t own = out->output_on_gpu ? whole : gpu_layers ? layers : 0;
	out->compute_split_bytes = gpu_layers ? layers : 0;
	out->compute_output_bytes = gpu && out->output_on_gpu ? whole : 0;
	out->compute_bytes = gpu ? max2(own, offload) : 0;

	/* Host buffer: inputs, plus the CPU's share of the work. */
	uint64_t inputs = sat_add(g.mask_host, 8 * g.n_tok + 4 * g.n_out);
	uint64_t cpu_work = 0;
	if (!gpu) {
		cpu_work = whole;
	} else {
		/* A CPU layer's ops follow its weights to the main GPU for big
		 * batches; its attention follows them (the scheduler expands the
		 * GPU's assignment over ops without weights). */
		bool big = s->op_offload && g.n_tok >= ESTIMATE_OP_OFFLOAD_MIN_BATCH;
		if (cpu_layers && !big)
			cpu_work =
			    g.flash ? sat_mul3(58, a->n_embd, g.n_tok)
			            : sat_add(layers - (layers > g.mask_dev ? g.mask_dev : layers),
			                      g.fixed);
		bool out_offloaded = s->op_offload && g.n_out >= ESTIMATE_OP_OFFLOAD_MIN_BATCH;
		if (!out->output_on_gpu && !out_offloaded)
			cpu_work = max2(cpu_work, g.out_phase);
	}

	/* Pipeline parallelism (llama_context: several devices, every layer on
	 * them, layer split, no tensor overrides). */
	bool overrides = s->offload == OFFLOAD_CPU_MOE || s->offload == OFFLOAD_N_CPU_MOE ||
	                 s->offload == OFFLOAD_EXPERT_FRACTION;
	bool all_layers = gpu_layers == a->n_layer && out->output_on_gpu;
	out->pp_copies = gpu && all_layers && !overrides ? ESTIMATE_SCHED_MAX_COPIES : 1;
	out->compute_pp_input_bytes = sat_add(sat_add(g.mask_dev, g.hidden), 8 * g.n_tok);
	uint32_t copies = s->n_gpus > 1 ? out->pp_copies : 1;

	if (gpu)
		out->compute_host_bytes =
		    sat_add(sat_add(g.hidden, sat_mul(copies, inputs)), cpu_work);
	else
		out->compute_host_bytes = whole;
	out->overhead_bytes = gpu ? backend_overhead_bytes(s->backend, s->new_gen) : 0;
}

/* The weights of m under s: each tensor's type (into x), its bytes and
 * where they live (the weights fields of out, the weights part of
 * layer_gpu_bytes, host_matrix_bytes and host_output_bytes). */
/*
 * Speculative decoding with the model's own MTP blocks (llama-server
 * --spec-type draft-mtp), as the llama.cpp of 2026-09-28 sets it up
 * (common_init_from_params, common_speculative_init_result): the model
 * loads with load_mtp (the MTP tensors its default load skips), the main
 * context keeps n_rs_seq state snapshots (spec_rs_snapshots), and a second
 * context of type MTP runs on the same weights with the main context's
 * n_ctx, the draft KV types (-ctkd/-ctvd, f16 unless given), no snapshots
 * and one output per sequence.  Its memory (llama_model::create_memory
 * for LLAMA_CONTEXT_TYPE_MTP) is a plain KV cache over the MTP blocks
 * alone: the hybrid Qwen3.5 / Nemotron wrappers and DSA's indexer are left
 * out (dense MLA keeps its latent), DeepSeek V4 keeps an iswa window
 * cache (K and V rows).  Its compute buffer is the MTP graph's: one
 * block's layer phases and n_seq logits rows.
 */

/* The MTP blocks as a model of their own: n_mtp attention blocks of the
 * trunk's full-attention shape (sliding where the file says so), no
 * recurrent state, no indexer, the trunk's MoE (Step-3.5, MiMo-V2 and
 * Nemotron give theirs a dense MLP). */
static void spec_draft_arch(const struct model_arch *a, struct model_arch *d)
{
	*d = *a;
	d->n_layer = a->n_mtp;
	d->n_mtp = 0;
	d->rec_kind = RK_NONE;
	d->idx_head_dim = d->idx_n_head = d->msa_block = 0;
	d->n_dense_lead = d->n_layer_kv = d->n_embd_per_layer = d->n_deepstack = 0;
	d->n_hash_layers = 0;
	bool moe = a->n_expert > 0 && a->family != AF_STEP35 && a->family != AF_MIMO2 &&
	           a->family != AF_NEMOTRON_H;
	if (!moe)
		d->n_expert = d->n_expert_used = 0;
	uint16_t hkv = arch_is_mla(a) ? 1 : (uint16_t)a->n_head_kv;
	for (uint32_t k = 0; k < ARCH_MAX_LAYERS; k++) {
		uint32_t il = a->n_layer + k;
		bool mtp = k < a->n_mtp && il < ARCH_MAX_LAYERS;
		/* Step-3.5's MTP blocks slide (its GGUF's pattern says so for every
		 * block; a config or profile describes the trunk only) */
		bool swa = mtp && (a->layer_kind[il] == LK_ATTN_SWA ||
		                   (a->family == AF_STEP35 && a->n_swa > 0));
		d->layer_kind[k] = swa ? LK_ATTN_SWA : LK_ATTN_FULL;
		d->layer_head_kv[k] = mtp ? (a->layer_head_kv[il] ? a->layer_head_kv[il] : hkv) : 0;
		d->layer_moe[k] = mtp && moe;
		d->layer_ff[k] = mtp ? a->layer_ff[il] : 0;
		d->layer_idx[k] = 0;
		d->layer_compress[k] = 0;
	}
}

/* The draft context's settings: f16 cache, one output per sequence
 * (common_base_params_to_speculative: n_outputs_max = n_parallel). */
static void spec_draft_settings(const struct settings *s, struct settings *d)
{
	*d = *s;
	d->kv_k = d->kv_v = KV_F16;
	d->tool = TOOL_SERVER;
	d->spec_draft = 0;
}

/* The draft context's cache, placed with its MTP block, and its compute
 * buffer (added to the device's by the caller). */
static void spec_draft_place(const struct model_arch *a, const struct settings *s,
                             struct estimate *out)
{
	out->spec_kv_bytes = out->spec_compute_bytes = 0;
	if (!s->spec_draft || !a->n_mtp)
		return;
	struct model_arch d;
	struct settings ds;
	spec_draft_arch(a, &d);
	spec_draft_settings(s, &ds);
	uint64_t n_ctx, n_ctx_seq;
	uint32_t n_stream;
	estimate_context_cells(s->ctx_tokens, s->n_seq, s->kv_unified, &n_ctx, &n_ctx_seq,
	                       &n_stream);
	uint64_t local = swa_cells(&d, &ds, n_ctx_seq);
	for (uint32_t k = 0; k < a->n_mtp; k++) {
		uint64_t k_row, v_row;
		kv_rows(&d, k, &ds, !ds.flash_attn, &k_row, &v_row);
		uint64_t cells = d.layer_kind[k] == LK_ATTN_SWA ? local : n_ctx_seq;
		uint64_t b = sat_mul3(sat_add(k_row, v_row), cells, n_stream);
		uint32_t il = a->n_layer + k;
		out->layer_kv_bytes[il] = sat_add(out->layer_kv_bytes[il], b);
		out->spec_kv_bytes = sat_add(out->spec_kv_bytes, b);
	}
	out->kv_bytes = sat_add(out->kv_bytes, out->spec_kv_bytes);
	out->spec_compute_bytes = estimate_compute(&d, &ds, n_ctx_seq);
}

/* The MTP tensors a draft-mtp load adds, placed with their block: a
 * GGUF's skipped tensors as stored (exact); otherwise (config.json,
 * profile, a GGUF re-typed by -q) each block estimated as the last trunk
 * block plus its eh_proj [2 n_embd x n_embd] at that block's bytes per
 * weight, less what the default load already keeps. */
static void spec_weights_place(const struct model *m, const enum qtype *types,
                               const struct settings *s, struct estimate *out)
{
	const struct model_arch *a = &m->arch;
	out->spec_weights_bytes = 0;
	out->spec_weights_exact = false;
	if (!s->spec_draft || !a->n_mtp ||
	    (ftype_get(s->ftype)->engine == FT_VLLM && !s->file_types))
		return;
	uint64_t per_block[ARCH_MAX_LAYERS] = {0};
	if (m->mtp_draft.n && s->file_types) {
		for (size_t i = 0; i < m->mtp_draft.n; i++) {
			const struct tensor_info *t = &m->mtp_draft.v[i];
			uint32_t slot = layer_slot(a, t->layer);
			if (slot >= a->n_layer && slot < arch_n_blocks(a))
				per_block[slot - a->n_layer] =
				    sat_add(per_block[slot - a->n_layer],
				            tensor_buffer_bytes(t, t->src_type));
		}
		out->spec_weights_exact = true;
	} else {
		/* Where the default load keeps the block's FFN (Step-3.5's dense
		 * MLP, Hy3's experts), the draft load adds its attention only;
		 * DeepSeek V3.2 and GLM-4.7-Flash checkpoints give the block its
		 * own embedding and head (nextn.embed_tokens, shared_head_head). */
		bool ffn_kept = a->family == AF_STEP35 || a->mtp_ffn_kept;
		bool own_head =
		    !strcmp(a->gguf_arch, "deepseek2") || !strcmp(a->gguf_arch, "deepseek32");
		uint64_t last = 0, elems = 0, head = 0;
		for (size_t i = 0; i < m->tensors.n; i++) {
			const struct tensor_info *t = &m->tensors.v[i];
			uint64_t b = tensor_buffer_bytes(t, types[i]);
			if (t->layer == (int)a->n_layer - 1 &&
			    (!ffn_kept || strstr(t->name, ".attn_"))) {
				last = sat_add(last, b);
				elems = sat_add(elems, tensor_elems(t));
			}
			if (own_head && (t->cat == TC_TOKEN_EMBD || t->cat == TC_OUTPUT))
				head = sat_add(head, b);
		}
		uint64_t eh = 2ull * a->n_embd * a->n_embd;
		uint64_t blk =
		    elems ? sat_add(last, (uint64_t)((double)last / (double)elems * (double)eh))
		          : 0;
		uint64_t all = sat_mul(sat_add(blk, head), a->n_mtp);
		if (!ffn_kept)
			all = all > out->mtp_weights_bytes ? all - out->mtp_weights_bytes : 0;
		for (uint32_t k = 0; k < a->n_mtp; k++)
			per_block[k] = all / a->n_mtp;
	}
	for (uint32_t k = 0; k < a->n_mtp; k++) {
		uint32_t il = a->n_layer + k;
		uint64_t b = per_block[k];
		out->spec_weights_bytes = sat_add(out->spec_weights_bytes, b);
		out->weights_bytes = sat_add(out->weights_bytes, b);
		if (layer_on_gpu(a, s, (int)il)) {
			out->weights_gpu_bytes = sat_add(out->weights_gpu_bytes, b);
			out->layer_gpu_bytes[il] = sat_add(out->layer_gpu_bytes[il], b);
		} else {
			out->weights_host_bytes = sat_add(out->weights_host_bytes, b);
		}
	}
}

static void weights_place(const struct model *m, struct estimate_scratch *x,
                          const struct settings *s, struct estimate *out)
{
	const struct model_arch *a = &m->arch;
	const struct tensor_list *l = &m->tensors;
	const enum qtype *types = x->types;
	/* Weights: the recipe's type per tensor, then placement. */
	out->fallback_tensors = assign_types(m, x, s);
	uint64_t largest_host_matrix = 0, host_output_matrix = 0, embd_bytes = 0;
	bool tied = true;
	for (size_t i = 0; i < l->n; i++) {
		const struct tensor_info *t = &l->v[i];
		enum qtype ty = types[i];
		uint64_t b = tensor_buffer_bytes(t, ty);
		out->weights_bytes = sat_add(out->weights_bytes, b);
		if (t->layer >= 0 && (uint32_t)t->layer >= a->n_layer)
			out->mtp_weights_bytes = sat_add(out->mtp_weights_bytes, b);
		out->type_count[ty]++;
		out->type_bytes[ty] = sat_add(out->type_bytes[ty], b);
		if (t->cat == TC_OUTPUT)
			tied = false;

		uint64_t host = estimate_tensor_host_bytes(a, s, t, b);
		out->weights_host_bytes = sat_add(out->weights_host_bytes, host);
		out->weights_gpu_bytes = sat_add(out->weights_gpu_bytes, b - host);
		if (b > host) {
			uint64_t *slot = &out->layer_gpu_bytes[layer_slot(a, t->layer)];
			*slot = sat_add(*slot, b - host);
		}
		if (t->cat == TC_TOKEN_EMBD)
			embd_bytes = b;
		else if (t->cat == TC_OUTPUT && host)
			host_output_matrix = host;
		else if (host && t->n_dims >= 2 && host > largest_host_matrix)
			largest_host_matrix = host;
	}
	/* A tied output layer on the CPU multiplies by token_embd itself. */
	if (tied && !layer_on_gpu(a, s, TENSOR_LAYER_OUTPUT))
		host_output_matrix = embd_bytes;
	/* A tied output layer loads token_embd again on the output device. */
	if (tied && layer_on_gpu(a, s, TENSOR_LAYER_OUTPUT)) {
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].cat == TC_TOKEN_EMBD) {
				uint64_t b = tensor_buffer_bytes(&l->v[i], types[i]);
				uint32_t o = arch_n_blocks(a);
				out->weights_gpu_bytes = sat_add(out->weights_gpu_bytes, b);
				out->layer_gpu_bytes[o] = sat_add(out->layer_gpu_bytes[o], b);
			}
	}
	spec_weights_place(m, types, s, out);
	out->weights_bpw =
	    m->params_total ? 8.0 * (double)out->weights_bytes / (double)m->params_total : 0.0;
	out->host_matrix_bytes = largest_host_matrix;
	out->host_output_bytes = host_output_matrix;
}

/* Everything after the weights: the KV cache and recurrent state placed
 * with their layers, the buffers, vLLM's accounting and the totals.  out
 * holds the weights (weights_place); types: the tensors' types. */
static void estimate_finish(const struct model *m, const enum qtype *types,
                            const struct settings *s, struct estimate *out)
{
	const struct model_arch *a = &m->arch;
	/* KV cache and recurrent state, placed with their layer. */
	out->vllm = ftype_get(s->ftype)->engine == FT_VLLM && !s->file_types;
	if (!out->vllm)
		estimate_kv(a, s, out);
	out->kv_gpu_bytes = 0;
	out->mtp_kv_bytes = 0;
	for (uint32_t il = a->n_layer; il < arch_n_blocks(a); il++)
		out->mtp_kv_bytes = sat_add(out->mtp_kv_bytes, out->layer_kv_bytes[il]);
	if (!out->vllm)
		spec_draft_place(a, s, out);
	for (uint32_t il = 0; il < arch_n_blocks(a); il++) {
		if (layer_on_gpu(a, s, (int)il)) {
			out->kv_gpu_bytes = sat_add(out->kv_gpu_bytes, out->layer_kv_bytes[il]);
			out->layer_gpu_bytes[il] =
			    sat_add(out->layer_gpu_bytes[il], out->layer_kv_bytes[il]);
		}
	}
	out->kv_host_bytes =
	    out->kv_bytes > out->kv_gpu_bytes ? out->kv_bytes - out->kv_gpu_bytes : 0;

	/* Buffers. */
	out->flash_attn = s->flash_attn || kvtype_get(s->kv_v)->quantized;
	out->n_layer_slots = arch_ngl_layers(a);
	out->output_bytes = sat_mul3(4, a->n_vocab, s->n_seq);
	out->backend = s->backend;
	out->backend_auto = s->backend_auto;
	out->main_gpu = s->main_gpu;
	buffers_place(a, s, out->host_matrix_bytes, out->host_output_bytes, out);
	out->compute_bytes = sat_add(out->compute_bytes, out->spec_compute_bytes);

	out->budget_share = 1.0;
	if (out->vllm) {
		out->budget_share = vllm_gpu_util(s);
		vllm_estimate(m, types, s, out);
	}

	/* The projector: mtmd's clip context takes the first GPU backend
	 * (ggml_backend_init_by_type(GPU)) whatever -ngl says. */
	out->mmproj_bytes = out->vllm ? 0 : s->mmproj_bytes;
	out->mmproj_on_gpu = backend_get(s->backend)->gpu;
	uint64_t mm_gpu = out->mmproj_on_gpu ? out->mmproj_bytes : 0;
	uint64_t mm_host = out->mmproj_bytes - mm_gpu;

	out->gpu_bytes = sat_add(sat_add(sat_add(out->weights_gpu_bytes, out->kv_gpu_bytes),
	                                 sat_add(out->compute_bytes, out->overhead_bytes)),
	                         mm_gpu);
	out->host_bytes = sat_add(sat_add(sat_add(out->weights_host_bytes, out->kv_host_bytes),
	                                  sat_add(out->compute_host_bytes, out->output_bytes)),
	                          mm_host);
	out->total_bytes =
	    sat_add(sat_add(sat_add(sat_add(out->weights_bytes, out->kv_bytes),
	                            sat_add(out->compute_bytes, out->compute_host_bytes)),
	                    sat_add(out->output_bytes, out->overhead_bytes)),
	            out->mmproj_bytes);

	out->weights_exact =
	    (s->file_types || ftype_get(s->ftype)->engine == FT_LLAMACPP) ? EXACT : ESTIMATED;
	out->kv_exact = out->vllm ? ESTIMATED : EXACT;
	out->compute_exact = ESTIMATED;
	out->overhead_exact = ESTIMATED;
}

void estimate_run(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                  struct estimate *out)
{
	memset(out, 0, sizeof(*out));
	weights_place(m, x, s, out);
	estimate_finish(m, x->types, s, out);
}

/* Do a and b place the same weights (of one model)?  The settings the
 * weights read: the types (file type, as stored) and where each tensor
 * lives (offload mode and layers, expert share, CPU backend, the build
 * that changed the output layer's placement). */
static bool weights_same(const struct settings *a, const struct settings *b)
{
	return a->ftype == b->ftype && a->file_types == b->file_types && a->offload == b->offload &&
	       a->offload_layers == b->offload_layers &&
	       a->expert_gpu_share == b->expert_gpu_share && a->backend == b->backend &&
	       a->llama_build == b->llama_build && a->spec_draft == b->spec_draft;
}

/* Take base's weights (base: an estimate of m at base_s, which places the
 * same weights) into out: its layers' GPU bytes without their KV cache.
 * False when base's figures cannot be taken apart (vLLM rewrites its
 * weights; a saturated layer sum). */
static bool weights_take(const struct model *m, const struct settings *base_s,
                         const struct estimate *base, struct estimate *out)
{
	const struct model_arch *a = &m->arch;
	const uint32_t blocks = arch_n_blocks(a); /* MTP blocks included: their slots too */
	if (base->vllm || base->n_layer_slots != arch_ngl_layers(a))
		return false;
	for (uint32_t il = 0; il <= blocks; il++) {
		uint64_t b = base->layer_gpu_bytes[il];
		if (b == UINT64_MAX)
			return false;
		if (il < blocks && layer_on_gpu(a, base_s, (int)il))
			b -= base->layer_kv_bytes[il];
		out->layer_gpu_bytes[il] = b;
	}
	out->weights_bytes = base->weights_bytes;
	out->mtp_weights_bytes = base->mtp_weights_bytes;
	out->spec_weights_bytes = base->spec_weights_bytes;
	out->spec_weights_exact = base->spec_weights_exact;
	out->weights_gpu_bytes = base->weights_gpu_bytes;
	out->weights_host_bytes = base->weights_host_bytes;
	out->weights_bpw = base->weights_bpw;
	out->fallback_tensors = base->fallback_tensors;
	memcpy(out->type_count, base->type_count, sizeof(out->type_count));
	memcpy(out->type_bytes, base->type_bytes, sizeof(out->type_bytes));
	out->host_matrix_bytes = base->host_matrix_bytes;
	out->host_output_bytes = base->host_output_bytes;
	return true;
}

void estimate_run_from(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                       const struct settings *base_s, const struct estimate *base,
                       struct estimate *out)
{
	memset(out, 0, sizeof(*out));
	if (!base || !weights_same(s, base_s) || !weights_take(m, base_s, base, out)) {
		estimate_run(m, x, s, out);
		return;
	}
	estimate_finish(m, x->types, s, out);
}
