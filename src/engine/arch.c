/*
 * arch.c - helpers and invariants of struct model_arch.
 */
#include "arch.h"

#include <stdio.h>
#include <string.h>

static const char *const family_names[AF_COUNT] = {
    [AF_LLAMA] = "llama",
    [AF_QWEN2] = "qwen2",
    [AF_QWEN3] = "qwen3",
    [AF_GEMMA2] = "gemma2",
    [AF_GEMMA3] = "gemma3",
    [AF_DEEPSEEK2] = "deepseek2",
    [AF_GPTOSS] = "gpt-oss",
    [AF_GRANITEHYBRID] = "granitehybrid",
    [AF_PHI3] = "phi3",
    [AF_COHERE2] = "cohere2",
    [AF_OLMO2] = "olmo2",
    [AF_QWEN3NEXT] = "qwen3next",
    [AF_QWEN35] = "qwen35",
    [AF_NEMOTRON_H] = "nemotron_h",
    [AF_GEMMA4] = "gemma4",
    [AF_LFM2] = "lfm2",
    [AF_DEEPSEEK32] = "deepseek32",
    [AF_MINIMAX_M2] = "minimax-m2",
    [AF_MINIMAX_M3] = "minimax-m3",
    [AF_GEMMA3N] = "gemma3n",
    [AF_GLM4MOE] = "glm4moe",
    [AF_BAILINGMOE2] = "bailingmoe2",
    [AF_AFMOE] = "afmoe",
    [AF_APERTUS] = "apertus",
    [AF_DEEPSEEK4] = "deepseek4",
    [AF_FALCON_H1] = "falcon-h1",
    [AF_KIMI] = "kimi",
    [AF_EXAONE4] = "exaone4",
    [AF_MIMO2] = "mimo2",
    [AF_STEP35] = "step35",
};

const char *arch_family_name(enum arch_family f)
{
	return (f >= 0 && f < AF_COUNT) ? family_names[f] : "?";
}

bool arch_family_find(const char *name, enum arch_family *out)
{
	for (int i = 0; i < AF_COUNT; i++) {
		if (strcmp(family_names[i], name) == 0) {
			*out = (enum arch_family)i;
			return true;
		}
	}
	return false;
}

const char *arch_rec_kind_name(const struct model_arch *a)
{
	switch (a->rec_kind) {
	case RK_MAMBA2:
		return a->ssm_n_group ? "Mamba-2" : "Mamba-1";
	case RK_GATED_DELTANET:
		return "gated DeltaNet";
	case RK_SHORTCONV:
		return "short convolution";
	case RK_KDA:
		return "Kimi delta attention";
	case RK_RWKV:
		return "RWKV";
	case RK_NONE:
	default:
		return "none";
	}
}

bool arch_is_mla(const struct model_arch *a)
{
	return a->kv_lora_rank > 0;
}

uint32_t arch_q_dim(const struct model_arch *a)
{
	if (arch_is_mla(a))
		return a->n_head * (a->qk_nope_dim + a->qk_rope_dim);
	return a->n_head * a->head_dim_k;
}

void arch_rs_elems(const struct model_arch *a, uint64_t *r, uint64_t *s)
{
	uint64_t conv = a->ssm_d_conv ? a->ssm_d_conv - 1 : 0;
	switch (a->rec_kind) {
	case RK_SHORTCONV:
		*r = conv * a->n_embd;
		*s = 0;
		return;
	case RK_KDA:
		/* q, k and v each keep a conv history; one state per head */
		*r = 3 * conv * a->ssm_n_head * a->ssm_d_state;
		*s = (uint64_t)a->ssm_d_state * a->ssm_d_state * a->ssm_n_head;
		return;
	case RK_RWKV:
		/* token-shift rows, then one head_size x head_size state per head */
		*r = (uint64_t)a->ssm_d_conv * a->n_embd;
		*s = (uint64_t)a->n_embd * a->ssm_d_state;
		return;
	case RK_MAMBA2:
	case RK_GATED_DELTANET:
		*r = conv * ((uint64_t)a->ssm_d_inner + 2ull * a->ssm_n_group * a->ssm_d_state);
		*s = (uint64_t)a->ssm_d_state * a->ssm_d_inner;
		return;
	case RK_NONE:
	default:
		*r = *s = 0;
		return;
	}
}

bool arch_layer_has_kv(const struct model_arch *a, uint32_t il)
{
	if (a->n_layer_kv && il >= a->n_layer_kv)
		return false;
	return a->layer_kind[il] != LK_RECURRENT && a->layer_head_kv[il] > 0;
}

bool arch_layer_has_state(const struct model_arch *a, uint32_t il)
{
	return a->layer_kind[il] == LK_RECURRENT || a->layer_kind[il] == LK_HYBRID;
}

static bool layer_slides(const struct model_arch *a, uint32_t il)
{
	return a->layer_kind[il] == LK_ATTN_SWA || a->layer_kind[il] == LK_ATTN_CHUNKED;
}

uint32_t arch_layer_head_dim_k(const struct model_arch *a, uint32_t il)
{
	return layer_slides(a, il) && a->head_dim_k_swa ? a->head_dim_k_swa : a->head_dim_k;
}

uint32_t arch_layer_head_dim_v(const struct model_arch *a, uint32_t il)
{
	return layer_slides(a, il) && a->head_dim_v_swa ? a->head_dim_v_swa : a->head_dim_v;
}

uint32_t arch_layer_n_head(const struct model_arch *a, uint32_t il)
{
	return layer_slides(a, il) && a->n_head_swa ? a->n_head_swa : a->n_head;
}

uint32_t arch_layer_ff(const struct model_arch *a, uint32_t il)
{
	return a->layer_ff[il] ? a->layer_ff[il] : a->n_ff;
}

uint32_t arch_n_blocks(const struct model_arch *a)
{
	return a->n_layer + a->n_mtp;
}

bool arch_rs_rollback(const struct model_arch *a)
{
	static const char *const rollback[] = {"qwen35",         "qwen35moe", "nemotron_h",
	                                       "nemotron_h_moe", "lfm2",      "lfm2moe",
	                                       "kimi-k3",        "deepseek4", NULL};
	for (const char *const *n = rollback; *n; n++)
		if (!strcmp(a->gguf_arch, *n))
			return true;
	return false;
}

uint32_t arch_ngl_layers(const struct model_arch *a)
{
	return arch_n_blocks(a) + 1;
}

void arch_fill_uniform_layers(struct model_arch *a)
{
	uint32_t hkv = arch_is_mla(a) ? 1 : a->n_head_kv;
	for (uint32_t il = 0; il < ARCH_MAX_LAYERS; il++) {
		bool in = il < a->n_layer;
		a->layer_kind[il] = LK_ATTN_FULL;
		a->layer_moe[il] = in && a->n_expert > 0 && il >= a->n_dense_lead;
		a->layer_head_kv[il] = in ? (uint16_t)hkv : 0;
	}
}

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		snprintf(err, errlen, __VA_ARGS__);                                                \
		return false;                                                                      \
	} while (0)

bool arch_validate(const struct model_arch *a, char *err, size_t errlen)
{
	if (a->n_layer == 0 || a->n_layer > ARCH_MAX_LAYERS)
		FAIL("num_hidden_layers: %u is outside 1..%d", a->n_layer, ARCH_MAX_LAYERS);
	if (a->n_mtp > 16)
		FAIL("num_nextn_predict_layers: %u MTP blocks is above 16", a->n_mtp);
	if (arch_n_blocks(a) > ARCH_MAX_LAYERS)
		FAIL("num_hidden_layers + num_nextn_predict_layers: %u blocks is above %d",
		     arch_n_blocks(a), ARCH_MAX_LAYERS);
	if (a->n_embd == 0 || a->n_embd > (1u << 20))
		FAIL("hidden_size: %u is outside 1..1048576", a->n_embd);
	if (a->n_vocab == 0 || a->n_vocab > (1u << 24))
		FAIL("vocab_size: %u is outside 1..16777216", a->n_vocab);
	/* A model of recurrent layers only (a generic Mamba or RWKV GGUF: head
	 * count 0) has no attention to check. */
	bool any_attn = false;
	for (uint32_t il = 0; il < a->n_layer; il++)
		any_attn |= a->layer_kind[il] != LK_RECURRENT;
	if ((any_attn && a->n_head == 0) || a->n_head > 4096)
		FAIL("num_attention_heads: %u is outside 1..4096", a->n_head);
	if (a->n_ctx_train == 0)
		FAIL("max_position_embeddings: must be positive");
	if (!any_attn) {
		/* no attention: nothing below applies */
	} else if (arch_is_mla(a)) {
		if (!a->qk_nope_dim || !a->qk_rope_dim || !a->v_head_dim)
			FAIL("MLA needs qk_nope_head_dim, qk_rope_head_dim and v_head_dim");
	} else {
		if (a->n_head_kv == 0 || a->n_head_kv > a->n_head)
			FAIL("num_key_value_heads: %u is outside 1..num_attention_heads (%u)",
			     a->n_head_kv, a->n_head);
		if (a->n_head % a->n_head_kv != 0)
			FAIL("num_key_value_heads: %u does not divide num_attention_heads (%u)",
			     a->n_head_kv, a->n_head);
		if (a->head_dim_k == 0 || a->head_dim_v == 0 || a->head_dim_k > 4096 ||
		    a->head_dim_v > 4096)
			FAIL("head_dim: must be 1..4096 (got k %u, v %u)", a->head_dim_k,
			     a->head_dim_v);
	}
	/* Upper bounds on the widths the tensor shapes multiply, far above any
	 * real model, so that a shape and the query width fit in 32 bits. */
	const struct {
		const char *key;
		uint32_t value, max;
	} widths[] = {
	    {"intermediate_size", a->n_ff, 1u << 24},
	    {"moe_intermediate_size", a->n_ff_exp, 1u << 24},
	    {"shared_expert_intermediate_size", a->n_ff_shexp, 1u << 24},
	    {"q_lora_rank", a->q_lora_rank, 1u << 16},
	    {"kv_lora_rank", a->kv_lora_rank, 1u << 16},
	    {"qk_nope_head_dim", a->qk_nope_dim, 1u << 16},
	    {"qk_rope_head_dim", a->qk_rope_dim, 1u << 16},
	    {"v_head_dim", a->v_head_dim, 1u << 16},
	    {"mamba_d_conv", a->ssm_d_conv, 1u << 10},
	    {"mamba_d_state", a->ssm_d_state, 1u << 20},
	    {"mamba_d_inner", a->ssm_d_inner, 1u << 24},
	    {"mamba_n_groups", a->ssm_n_group, 1u << 20},
	    {"mamba_n_heads", a->ssm_n_head, 1u << 20},
	};
	for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++)
		if (widths[i].value > widths[i].max)
			FAIL("%s: %u is above %u", widths[i].key, widths[i].value, widths[i].max);
	bool any_dense = false, any_moe = false, any_rec = false;
	for (uint32_t il = 0; il < a->n_layer; il++) {
		any_dense |= !a->layer_moe[il];
		any_moe |= a->layer_moe[il] != 0;
		any_rec |= arch_layer_has_state(a, il);
		if ((a->layer_kind[il] == LK_ATTN_SWA || a->layer_kind[il] == LK_ATTN_CHUNKED) &&
		    a->n_swa == 0)
			FAIL("sliding_window: layer %u is sliding but the window is 0", il);
	}
	/* a generic GGUF's tensors come from its file, whatever its FFN keys say */
	if (any_dense && a->n_ff == 0 && !a->generic)
		FAIL("intermediate_size: must be positive for dense layers");
	if (any_moe) {
		if (a->n_expert == 0 || a->n_expert > 4096)
			FAIL("num_experts: %u is outside 1..4096", a->n_expert);
		if (a->n_expert_used == 0 || a->n_expert_used > a->n_expert)
			FAIL("num_experts_per_tok: %u is outside 1..num_experts (%u)",
			     a->n_expert_used, a->n_expert);
		if (a->n_ff_exp == 0)
			FAIL("moe_intermediate_size: must be positive for an MoE model");
	}
	if (a->n_layer_kv > a->n_layer)
		FAIL("num_kv_shared_layers: leaves %u of %u layers with a cache", a->n_layer_kv,
		     a->n_layer);
	if (a->n_head_swa > 4096 || (a->n_head_swa && a->n_head_kv && a->n_head_swa % a->n_head_kv))
		FAIL("attention_other_setting.num_attention_heads: %u sliding-layer query heads "
		     "is above 4096 or not a multiple of the KV heads (%u)",
		     a->n_head_swa, a->n_head_kv);
	if (a->head_dim_k_swa > 4096 || a->head_dim_v_swa > 4096)
		FAIL("head_dim: sliding layers' width must be 0..4096 (got k %u, v %u)",
		     a->head_dim_k_swa, a->head_dim_v_swa);
	if (a->n_dense_lead > a->n_layer)
		FAIL("first_k_dense_replace: %u exceeds num_hidden_layers (%u)", a->n_dense_lead,
		     a->n_layer);
	if (any_rec && a->rec_kind == RK_SHORTCONV) {
		if (!a->ssm_d_conv)
			FAIL("conv_L_cache: recurrent short-convolution layers need the cache "
			     "length");
	} else if (any_rec && a->rec_kind == RK_KDA) {
		if (!a->ssm_d_conv || !a->ssm_d_state || !a->ssm_n_head)
			FAIL("kda: recurrent layers need the conv kernel, head dim and heads");
	} else if (any_rec && a->rec_kind == RK_RWKV) {
		if (!a->ssm_d_conv || !a->ssm_d_state)
			FAIL("wkv: recurrent RWKV layers need the token shift count and head size");
	} else if (any_rec) {
		/* a generic GGUF may be Mamba-1 (jamba, mamba: no groups, llama.cpp's
		 * n_embd_r() then counts 0 of them); a layout needs them all */
		bool mamba1 = a->generic && a->ssm_n_group == 0;
		if (a->rec_kind == RK_NONE)
			FAIL("layer_types: recurrent layers but no recurrent state kind");
		if (!a->ssm_d_conv || !a->ssm_d_state || !a->ssm_d_inner ||
		    (!mamba1 && (!a->ssm_n_group || !a->ssm_n_head)))
			FAIL(
			    "mamba_*: recurrent layers need d_conv, d_state, n_groups, n_heads and "
			    "the inner width");
		if (!mamba1 && a->ssm_d_inner % a->ssm_n_group != 0)
			FAIL("mamba_n_groups: %u does not divide the inner width %u",
			     a->ssm_n_group, a->ssm_d_inner);
	}
	return true;
}
