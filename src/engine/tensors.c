/*
 * tensors.c - derive the weight tensors of an architecture.
 *
 * Names and shapes follow llama.cpp's loaders (src/models/<arch>.cpp) and
 * what convert_hf_to_gguf writes; they are checked tensor by tensor against
 * the synthetic models in tests/data/truth/models.
 */
#include "tensors.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "satmath.h"

void tensors_init(struct tensor_list *l)
{
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

void tensors_free(struct tensor_list *l)
{
	free(l->v);
	tensors_init(l);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static enum tensor_cat category_of(const char *name)
{
	if (strcmp(name, "output.weight") == 0)
		return TC_OUTPUT;
	if (strcmp(name, "token_embd.weight") == 0 ||
	    strcmp(name, "per_layer_token_embd.weight") == 0)
		return TC_TOKEN_EMBD;
	if (strstr(name, "attn_qkv.weight"))
		return TC_ATTN_QKV;
	if (strstr(name, "attn_kv_b.weight"))
		return TC_ATTN_KV_B;
	if (strstr(name, "attn_v.weight"))
		return TC_ATTN_V;
	if (strstr(name, "attn_k.weight"))
		return TC_ATTN_K;
	if (strstr(name, "attn_q.weight"))
		return TC_ATTN_Q;
	if (strstr(name, "attn_output.weight"))
		return TC_ATTN_OUTPUT;
	if (strstr(name, "ffn_up"))
		return TC_FFN_UP;
	if (strstr(name, "ffn_gate"))
		return TC_FFN_GATE;
	if (strstr(name, "ffn_down"))
		return TC_FFN_DOWN;
	return TC_OTHER;
}

/* Names llama-quantize never quantizes even though they are matrices. */
static const char *const keep_type_names[] = {
    "ffn_gate_inp.weight",
    "ffn_gate_inp_shexp.weight",
    "ssm_conv1d",
    "position_embd",
    "token_types",
    "shortconv.conv.weight",
    "attn_rel_b",
    "per_layer_model_proj",
    "altup",
    "laurel",
    "indexer.k_proj.weight",
    "indexer.q_proj.weight",
    "ffn_gate_tid2eid.weight",
    NULL,
};

/* Matrices llama-quantize leaves alone that the converter still writes in
 * the model's float type (F16 in an F16 export), not F32 (Gemma 3n / 4). */
static const char *const kept_f16_names[] = {
    "per_layer_model_proj",
    "altup",
    "laurel",
    NULL,
};

static bool kept_f16(const struct tensor_info *t)
{
	for (const char *const *k = kept_f16_names; *k && t->n_dims >= 2; k++)
		if (strstr(t->name, *k))
			return true;
	return false;
}

void tensor_classify(struct tensor_info *t)
{
	const char *name = t->name;
	t->cat = category_of(name);
	t->routed_expert = strstr(name, "_exps") != NULL;
	t->quantizable =
	    t->n_dims >= 2 && has_suffix(name, "weight") && !strstr(name, "_norm.weight");
	for (const char *const *k = keep_type_names; *k && t->quantizable; k++)
		if (strstr(name, *k))
			t->quantizable = false;
	if (strncmp(name, "blk.", 4) == 0)
		t->layer = (int16_t)atoi(name + 4);
	else if (t->cat == TC_TOKEN_EMBD)
		t->layer = TENSOR_LAYER_INPUT;
	else
		t->layer = TENSOR_LAYER_OUTPUT;
}

bool tensors_append(struct tensor_list *l, const struct tensor_info *t)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct tensor_info *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return false;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *t;
	return true;
}

bool tensors_add(struct tensor_list *l, const char *name, int layer, uint8_t n_dims, uint64_t ne0,
                 uint64_t ne1, uint64_t ne2, enum qtype src_type)
{
	assert(n_dims >= 1 && n_dims <= 3);
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct tensor_info *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return false;
		l->v = v;
		l->cap = cap;
	}
	struct tensor_info *t = &l->v[l->n];
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->n_dims = n_dims;
	t->ne[0] = ne0;
	t->ne[1] = n_dims > 1 ? ne1 : 1;
	t->ne[2] = n_dims > 2 ? ne2 : 1;
	t->ne[3] = 1;
	tensor_classify(t);
	(void)layer;
	/* The converter's rule: what llama-quantize would leave alone is F32
	 * (MiniMax M3's indexer projections too: MiniMaxM3Model forces F32). */
	t->src_type = src_type != QT_COUNT              ? src_type
	              : strstr(name, "tid2eid")         ? QT_I32 /* token -> expert ids */
	              : (t->quantizable || kept_f16(t)) ? QT_F16
	                                                : QT_F32;
	l->n++;
	return true;
}

void tensors_build_add(struct tensor_builder *b, const char *suffix, uint8_t n_dims, uint64_t ne0,
                       uint64_t ne1, uint64_t ne2)
{
	char name[48];
	if (b->layer >= 0)
		snprintf(name, sizeof(name), "blk.%d.%s", b->layer, suffix);
	else
		snprintf(name, sizeof(name), "%s", suffix);
	if (b->ok && !tensors_add(b->l, name, b->layer, n_dims, ne0, ne1, ne2, QT_COUNT))
		b->ok = false;
}

/* Qwen3-Next and Qwen3.5: gated DeltaNet beside gated attention (the query
 * carries the output gate), post-attention norm, no ffn_norm. */
static bool is_qwen_hybrid(const struct model_arch *a)
{
	return a->family == AF_QWEN3NEXT || a->family == AF_QWEN35;
}

static void build_attention(struct tensor_builder *b, const struct model_arch *a, uint32_t il)
{
	const uint64_t E = a->n_embd;
	const uint64_t H = a->n_head;
	const uint64_t Hkv = a->layer_head_kv[il];

	if (arch_is_mla(a)) {
		uint64_t qk = a->qk_nope_dim + a->qk_rope_dim;
		if (a->q_lora_rank) {
			M2(b, "attn_q_a.weight", E, a->q_lora_rank);
			V1(b, "attn_q_a_norm.weight", a->q_lora_rank);
			M2(b, "attn_q_b.weight", a->q_lora_rank, H * qk);
		} else {
			M2(b, "attn_q.weight", E, H * qk);
		}
		M2(b, "attn_kv_a_mqa.weight", E, a->kv_lora_rank + a->qk_rope_dim);
		V1(b, "attn_kv_a_norm.weight", a->kv_lora_rank);
		M3(b, "attn_k_b.weight", a->qk_nope_dim, a->kv_lora_rank, H);
		M3(b, "attn_v_b.weight", a->kv_lora_rank, a->v_head_dim, H);
		M2(b, "attn_output.weight", H * a->v_head_dim, E);
		return;
	}

	const uint64_t q = H * a->head_dim_k * (is_qwen_hybrid(a) ? 2 : 1);
	const uint64_t k = Hkv * a->head_dim_k;
	const uint64_t v = Hkv * a->head_dim_v;
	const uint64_t o = H * a->head_dim_v;
	if (a->family == AF_PHI3 || a->family == AF_BAILINGMOE2) {
		M2(b, "attn_qkv.weight", E, q + k + v);
	} else {
		M2(b, "attn_q.weight", E, q);
		M2(b, "attn_k.weight", E, k);
		M2(b, "attn_v.weight", E, v);
	}
	M2(b, "attn_output.weight", o, E);

	switch (a->family) {
	case AF_GLM4MOE:
		V1(b, "attn_q.bias", q);
		V1(b, "attn_k.bias", k);
		V1(b, "attn_v.bias", v);
		if (a->qk_norm) {
			V1(b, "attn_q_norm.weight", a->head_dim_k);
			V1(b, "attn_k_norm.weight", a->head_dim_k);
		}
		break;
	case AF_AFMOE:
		M2(b, "attn_gate.weight", E, q);
		V1(b, "attn_q_norm.weight", a->head_dim_k);
		V1(b, "attn_k_norm.weight", a->head_dim_k);
		break;
	case AF_QWEN2:
		V1(b, "attn_q.bias", q);
		V1(b, "attn_k.bias", k);
		V1(b, "attn_v.bias", v);
		break;
	case AF_QWEN3:
	case AF_GEMMA3:
	case AF_QWEN3NEXT:
	case AF_QWEN35:
	case AF_BAILINGMOE2:
	case AF_APERTUS:
	case AF_EXAONE4:
		V1(b, "attn_q_norm.weight", a->head_dim_k);
		V1(b, "attn_k_norm.weight", a->head_dim_k);
		break;
	case AF_OLMO2:
		V1(b, "attn_q_norm.weight", q);
		V1(b, "attn_k_norm.weight", k);
		break;
	case AF_GPTOSS:
		V1(b, "attn_q.bias", q);
		V1(b, "attn_k.bias", k);
		V1(b, "attn_v.bias", v);
		V1(b, "attn_output.bias", E);
		V1(b, "attn_sinks.weight", H);
		break;
	case AF_MIMO2: /* add_swa_attention_sink_bias */
		if (a->layer_kind[il] == LK_ATTN_SWA)
			V1(b, "attn_sinks.weight", H);
		break;
	default:
		break;
	}
}

static void build_mamba2(struct tensor_builder *b, const struct model_arch *a)
{
	const uint64_t E = a->n_embd;
	const uint64_t d_inner = a->ssm_d_inner;
	const uint64_t conv_dim = d_inner + 2ull * a->ssm_n_group * a->ssm_d_state;
	const uint64_t n_head = a->ssm_n_head;

	M2(b, "ssm_in.weight", E, 2 * d_inner + 2ull * a->ssm_n_group * a->ssm_d_state + n_head);
	M2(b, "ssm_conv1d.weight", a->ssm_d_conv, conv_dim);
	V1(b, "ssm_conv1d.bias", conv_dim);
	V1(b, "ssm_dt.bias", n_head);
	M2(b, "ssm_a", 1, n_head);
	M2(b, "ssm_d", 1, n_head);
	M2(b, "ssm_norm.weight", a->ssm_n_group ? d_inner / a->ssm_n_group : 0, a->ssm_n_group);
	M2(b, "ssm_out.weight", d_inner, E);
}

/* Gated DeltaNet (Qwen3-Next, Qwen3.5): ssm_d_state = key head dim, ssm_n_group =
 * key heads, ssm_n_head = value heads, ssm_d_inner = value width. */
static void build_delta_net(struct tensor_builder *b, const struct model_arch *a)
{
	const uint64_t E = a->n_embd;
	const uint64_t key_dim = (uint64_t)a->ssm_d_state * a->ssm_n_group;
	const uint64_t value_dim = a->ssm_d_inner;
	const uint64_t n_v_heads = a->ssm_n_head;

	M2(b, "attn_qkv.weight", E, 2 * key_dim + value_dim);
	M2(b, "attn_gate.weight", E, value_dim);
	M2(b, "ssm_conv1d.weight", a->ssm_d_conv, 2 * key_dim + value_dim);
	V1(b, "ssm_dt.bias", n_v_heads);
	V1(b, "ssm_a", n_v_heads);
	if (a->family == AF_QWEN35) {
		M2(b, "ssm_beta.weight", E, n_v_heads);
		M2(b, "ssm_alpha.weight", E, n_v_heads);
	} else {
		M2(b, "ssm_beta_alpha.weight", E, 2 * n_v_heads);
	}
	V1(b, "ssm_norm.weight", value_dim / n_v_heads);
	M2(b, "ssm_out.weight", value_dim, E);
}

static void build_moe_ffn(struct tensor_builder *b, const struct model_arch *a);

void tensors_build_embd_out(struct tensor_builder *b, const struct model_arch *a)
{
	M2(b, "token_embd.weight", a->n_embd, a->n_vocab);
	V1(b, "output_norm.weight", a->n_embd);
	if (!a->tied_embeddings)
		M2(b, "output.weight", a->n_embd, a->n_vocab);
}

void tensors_build_ffn(struct tensor_builder *b, const struct model_arch *a, uint32_t il)
{
	const uint64_t E = a->n_embd;

	if (!a->layer_moe[il]) {
		if (a->family == AF_PHI3) {
			M2(b, "ffn_up.weight", E, 2ull * a->n_ff);
		} else if (a->family == AF_APERTUS) { /* xIELU: no gate */
			M2(b, "ffn_up.weight", E, a->n_ff);
		} else {
			M2(b, "ffn_gate.weight", E, a->n_ff);
			M2(b, "ffn_up.weight", E, a->n_ff);
		}
		M2(b, "ffn_down.weight", a->n_ff, E);
		return;
	}

	build_moe_ffn(b, a);
}

/* Routed experts (router, optional bias) and the shared expert. */
static void build_moe_ffn(struct tensor_builder *b, const struct model_arch *a)
{
	const uint64_t E = a->n_embd;
	const uint64_t X = a->n_expert;
	const uint64_t F = a->n_ff_exp;
	M2(b, "ffn_gate_inp.weight", E, X);
	if (a->family == AF_GPTOSS)
		V1(b, "ffn_gate_inp.bias", X);
	if (a->expert_bias)
		V1(b, "exp_probs_b.bias", X);
	M3(b, "ffn_gate_exps.weight", E, F, X);
	M3(b, "ffn_up_exps.weight", E, F, X);
	M3(b, "ffn_down_exps.weight", F, E, X);
	if (a->family == AF_GPTOSS) {
		M2(b, "ffn_gate_exps.bias", F, X);
		M2(b, "ffn_up_exps.bias", F, X);
		M2(b, "ffn_down_exps.bias", E, X);
	}
	if (a->n_ff_shexp) {
		if (is_qwen_hybrid(a))
			V1(b, "ffn_gate_inp_shexp.weight", E);
		M2(b, "ffn_gate_shexp.weight", E, a->n_ff_shexp);
		M2(b, "ffn_up_shexp.weight", E, a->n_ff_shexp);
		M2(b, "ffn_down_shexp.weight", a->n_ff_shexp, E);
	}
}

static void build_layer(struct tensor_builder *b, const struct model_arch *a, uint32_t il)
{
	const uint64_t E = a->n_embd;
	/* OLMo 2 and EXAONE 4 norm only after attention and FFN */
	bool post_only = a->family == AF_OLMO2 || a->family == AF_EXAONE4;
	bool post_norms =
	    a->family == AF_GEMMA2 || a->family == AF_GEMMA3 || post_only || a->family == AF_AFMOE;

	if (!post_only)
		V1(b, "attn_norm.weight", E);
	if (a->layer_kind[il] == LK_RECURRENT && a->rec_kind == RK_GATED_DELTANET)
		build_delta_net(b, a);
	else if (a->layer_kind[il] == LK_RECURRENT)
		build_mamba2(b, a);
	else
		build_attention(b, a, il);

	/* glm4moe's only FFN norm carries the post-attention name */
	if (post_norms || a->family == AF_GPTOSS || a->family == AF_GLM4MOE || is_qwen_hybrid(a))
		V1(b, "post_attention_norm.weight", E);
	if (post_norms)
		V1(b, "post_ffw_norm.weight", E);
	if (a->family != AF_GPTOSS && a->family != AF_COHERE2 && !post_only &&
	    a->family != AF_GLM4MOE && !is_qwen_hybrid(a))
		V1(b, "ffn_norm.weight", E);
	tensors_build_ffn(b, a, il);
}

/* Nemotron-H: every block has one mixer after its norm: a Mamba-2 layer, an
 * attention layer (no q/k norms), a relu^2 MLP (up and down, no gate) or an
 * MoE of up/down experts with a shared expert, the experts optionally at a
 * latent width between two projections (Nemotron 3 Super, Ultra). */
static void build_layer_nemotron_h(struct tensor_builder *b, const struct model_arch *a,
                                   uint32_t il)
{
	const uint64_t E = a->n_embd;
	V1(b, "attn_norm.weight", E);
	if (a->layer_kind[il] == LK_RECURRENT) {
		build_mamba2(b, a);
		return;
	}
	if (a->layer_head_kv[il] > 0) {
		build_attention(b, a, il);
		return;
	}
	if (!a->layer_moe[il]) {
		M2(b, "ffn_down.weight", a->n_ff, E);
		M2(b, "ffn_up.weight", E, a->n_ff);
		return;
	}
	const uint64_t X = a->n_expert, F = a->n_ff_exp;
	const uint64_t W = a->moe_latent ? a->moe_latent : E;
	M2(b, "ffn_gate_inp.weight", E, X);
	V1(b, "exp_probs_b.bias", X);
	if (a->moe_latent) {
		M2(b, "ffn_latent_down.weight", E, W);
		M2(b, "ffn_latent_up.weight", W, E);
	}
	M3(b, "ffn_down_exps.weight", F, W, X);
	M3(b, "ffn_up_exps.weight", W, F, X);
	M2(b, "ffn_down_shexp.weight", a->n_ff_shexp, E);
	M2(b, "ffn_up_shexp.weight", E, a->n_ff_shexp);
}

/* LFM2: ffn_norm and the FFN (SwiGLU, or routed experts with a correction
 * bias after the dense lead), then attn_norm and either GQA with per-head
 * q/k norms (query and output n_embd wide) or a gated short convolution. */
static void build_layer_lfm2(struct tensor_builder *b, const struct model_arch *a, uint32_t il)
{
	const uint64_t E = a->n_embd;
	V1(b, "ffn_norm.weight", E);
	if (a->layer_moe[il]) {
		const uint64_t X = a->n_expert, F = a->n_ff_exp;
		M2(b, "ffn_gate_inp.weight", E, X);
		M3(b, "ffn_gate_exps.weight", E, F, X);
		M3(b, "ffn_down_exps.weight", F, E, X);
		M3(b, "ffn_up_exps.weight", E, F, X);
		V1(b, "exp_probs_b.bias", X);
	} else {
		M2(b, "ffn_gate.weight", E, a->n_ff);
		M2(b, "ffn_down.weight", a->n_ff, E);
		M2(b, "ffn_up.weight", E, a->n_ff);
	}
	V1(b, "attn_norm.weight", E);
	if (a->layer_kind[il] == LK_RECURRENT) {
		M2(b, "shortconv.conv.weight", a->ssm_d_conv, E);
		M2(b, "shortconv.in_proj.weight", E, 3 * E);
		M2(b, "shortconv.out_proj.weight", E, E);
		return;
	}
	const uint64_t kv = (uint64_t)a->layer_head_kv[il] * a->head_dim_k;
	V1(b, "attn_q_norm.weight", a->head_dim_k);
	V1(b, "attn_k_norm.weight", a->head_dim_k);
	M2(b, "attn_q.weight", E, E);
	M2(b, "attn_k.weight", E, kv);
	M2(b, "attn_v.weight", E, kv);
	M2(b, "attn_output.weight", E, E);
}

bool tensors_build(const struct model_arch *a, struct tensor_list *l)
{
	struct tensor_builder b = {l, -1, true};
	if (tensors_family_has_builder(a->family))
		return tensors_build_family(a, l);
	l->n = 0;

	M2(&b, "token_embd.weight", a->n_embd, a->n_vocab);
	/* LFM2's output norm carries llama.cpp's historical name */
	V1(&b, a->family == AF_LFM2 ? "token_embd_norm.weight" : "output_norm.weight", a->n_embd);
	if (!a->tied_embeddings)
		M2(&b, "output.weight", a->n_embd, a->n_vocab);
	if (a->rope_freqs)
		V1(&b, "rope_freqs.weight", a->head_dim_k / 2);
	for (uint32_t il = 0; il < a->n_layer; il++) {
		b.layer = (int)il;
		if (a->family == AF_NEMOTRON_H)
			build_layer_nemotron_h(&b, a, il);
		else if (a->family == AF_LFM2)
			build_layer_lfm2(&b, a, il);
		else
			build_layer(&b, a, il);
	}
	/* hy_v3 keeps part of each MTP block in memory (src/models/hy-v3.cpp
	 * creates its FFN tensors without the skip flag) */
	for (uint32_t il = a->n_layer; a->mtp_ffn_kept && il < a->n_layer + a->n_mtp; il++) {
		b.layer = (int)il;
		build_moe_ffn(&b, a);
		V1(&b, "nextn.shared_head_norm.weight", a->n_embd);
	}
	return b.ok;
}

uint64_t tensor_elems(const struct tensor_info *t)
{
	return sat_mul(sat_mul3(t->ne[0], t->ne[1], t->ne[2]), t->ne[3]);
}

uint64_t tensor_bytes(const struct tensor_info *t, enum qtype type)
{
	return sat_mul(sat_mul3(qtype_row_bytes(type, t->ne[0]), t->ne[1], t->ne[2]), t->ne[3]);
}

uint64_t tensor_buffer_bytes(const struct tensor_info *t, enum qtype type)
{
	uint64_t b = tensor_bytes(t, type);
	return (b + TENSOR_BUFFER_ALIGN - 1) / TENSOR_BUFFER_ALIGN * TENSOR_BUFFER_ALIGN;
}

/* Tensors of the MTP blocks a loader keeps (step35) are weights but not
 * parameters of the model that runs. */
static bool in_mtp_block(const struct tensor_info *t, const struct model_arch *a)
{
	return t->layer >= 0 && (uint32_t)t->layer >= a->n_layer;
}

uint64_t tensors_params_total(const struct tensor_list *l, const struct model_arch *a)
{
	uint64_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		if (!in_mtp_block(&l->v[i], a))
			n = sat_add(n, tensor_elems(&l->v[i]));
	return n;
}

uint64_t tensors_params_active(const struct tensor_list *l, const struct model_arch *a)
{
	uint64_t n = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct tensor_info *t = &l->v[i];
		uint64_t e = tensor_elems(t);
		if (t->cat == TC_TOKEN_EMBD || in_mtp_block(t, a))
			continue; /* a row lookup, not a matrix product; an MTP block */
		if (t->routed_expert && a->n_expert > 0)
			e = e / a->n_expert * a->n_expert_used;
		n = sat_add(n, e);
	}
	return n;
}
