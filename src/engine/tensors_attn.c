/*
 * tensors_attn.c - weight tensors of the 2026 attention families whose
 * layers differ by type (gemma4, ...), in the order convert_hf_to_gguf
 * writes them.
 *
 * Names and shapes follow llama.cpp's loaders (src/models/<arch>.cpp,
 * load_arch_tensors) of 2026-09-28; each family is checked tensor by tensor
 * against a synthetic model llama.cpp loaded (tests/data/truth2026).
 */
#include <stdio.h>

#include "tensors.h"

static bool slides(const struct model_arch *a, uint32_t il)
{
	return a->layer_kind[il] == LK_ATTN_SWA || a->layer_kind[il] == LK_ATTN_CHUNKED;
}

/* Gemma 4 (src/models/gemma4.cpp): q/k norms of the layer's head width, a
 * scalar layer output scale, K used as V on full layers when k_eq_v, one
 * shared rope_freqs for the full layers, per-layer embeddings (E models),
 * and on MoE layers a dense MLP beside the routed experts. */
static void build_gemma4(struct tensor_builder *b, const struct model_arch *a)
{
	const uint64_t E = a->n_embd, H = a->n_head, P = a->n_embd_per_layer;

	M2(b, "token_embd.weight", E, a->n_vocab);
	if (P) {
		M2(b, "per_layer_token_embd.weight", P * a->n_layer, a->n_vocab);
		M2(b, "per_layer_model_proj.weight", E, P * a->n_layer);
		V1(b, "per_layer_proj_norm.weight", P);
	}
	V1(b, "rope_freqs.weight", a->head_dim_k / 2);
	V1(b, "output_norm.weight", E);
	if (!a->tied_embeddings)
		M2(b, "output.weight", E, a->n_vocab);
	for (uint32_t il = 0; il < a->n_layer; il++) {
		const uint64_t d = arch_layer_head_dim_k(a, il), hkv = a->layer_head_kv[il];
		const uint64_t ff = arch_layer_ff(a, il);
		b->layer = (int)il;
		V1(b, "attn_norm.weight", E);
		M2(b, "attn_q.weight", E, d * H);
		M2(b, "attn_k.weight", E, d * hkv);
		if (slides(a, il) || !a->k_eq_v)
			M2(b, "attn_v.weight", E, d * hkv);
		M2(b, "attn_output.weight", d * H, E);
		V1(b, "attn_q_norm.weight", d);
		V1(b, "attn_k_norm.weight", d);
		V1(b, "post_attention_norm.weight", E);
		V1(b, "layer_output_scale.weight", 1);
		V1(b, "ffn_norm.weight", E);
		M2(b, "ffn_gate.weight", E, ff);
		M2(b, "ffn_up.weight", E, ff);
		M2(b, "ffn_down.weight", ff, E);
		V1(b, "post_ffw_norm.weight", E);
		if (P) {
			M2(b, "inp_gate.weight", E, P);
			M2(b, "proj.weight", P, E);
			V1(b, "post_norm.weight", E);
		}
		if (!a->layer_moe[il])
			continue;
		const uint64_t X = a->n_expert, F = a->n_ff_exp;
		M2(b, "ffn_gate_inp.weight", E, X);
		V1(b, "ffn_gate_inp.scale", E);
		V1(b, "pre_ffw_norm_2.weight", E);
		V1(b, "post_ffw_norm_1.weight", E);
		V1(b, "post_ffw_norm_2.weight", E);
		M3(b, "ffn_gate_exps.weight", E, F, X);
		M3(b, "ffn_up_exps.weight", E, F, X);
		M3(b, "ffn_down_exps.weight", F, E, X);
		V1(b, "ffn_down_exps.scale", X);
	}
}

/* DeepSeek V3.2 / GLM-5 (src/models/deepseek32.cpp, glm-dsa.cpp): the
 * deepseek2 MLA block with a q LoRA, plus the lightning indexer's weights
 * on the layers that own an indexer (GLM-5.2's "shared" layers reuse the
 * previous one's top-k and carry none); dense lead layers, then routed
 * experts with a correction bias and shared experts.  The MTP block is
 * not loaded by llama.cpp by default and not listed. */
static void build_deepseek32(struct tensor_builder *b, const struct model_arch *a)
{
	const uint64_t E = a->n_embd, H = a->n_head;
	const uint64_t qk = (uint64_t)a->qk_nope_dim + a->qk_rope_dim;
	const uint64_t ik = a->idx_head_dim, ih = a->idx_n_head;

	M2(b, "token_embd.weight", E, a->n_vocab);
	V1(b, "output_norm.weight", E);
	if (!a->tied_embeddings)
		M2(b, "output.weight", E, a->n_vocab);
	for (uint32_t il = 0; il < a->n_layer; il++) {
		b->layer = (int)il;
		V1(b, "attn_norm.weight", E);
		if (a->q_lora_rank)
			V1(b, "attn_q_a_norm.weight", a->q_lora_rank);
		V1(b, "attn_kv_a_norm.weight", a->kv_lora_rank);
		if (a->q_lora_rank) {
			M2(b, "attn_q_a.weight", E, a->q_lora_rank);
			M2(b, "attn_q_b.weight", a->q_lora_rank, H * qk);
		} else {
			M2(b, "attn_q.weight", E, H * qk);
		}
		M2(b, "attn_kv_a_mqa.weight", E, (uint64_t)a->kv_lora_rank + a->qk_rope_dim);
		M3(b, "attn_k_b.weight", a->qk_nope_dim, a->kv_lora_rank, H);
		M3(b, "attn_v_b.weight", a->kv_lora_rank, a->v_head_dim, H);
		M2(b, "attn_output.weight", H * a->v_head_dim, E);
		V1(b, "ffn_norm.weight", E);
		if (a->layer_idx[il] && ik) {
			V1(b, "indexer.k_norm.weight", ik);
			V1(b, "indexer.k_norm.bias", ik);
			M2(b, "indexer.proj.weight", E, ih);
			M2(b, "indexer.attn_k.weight", E, ik);
			M2(b, "indexer.attn_q_b.weight", a->q_lora_rank, ih * ik);
		}
		if (!a->layer_moe[il]) {
			M2(b, "ffn_gate.weight", E, a->n_ff);
			M2(b, "ffn_up.weight", E, a->n_ff);
			M2(b, "ffn_down.weight", a->n_ff, E);
			continue;
		}
		const uint64_t X = a->n_expert, F = a->n_ff_exp;
		M2(b, "ffn_gate_inp.weight", E, X);
		if (a->expert_bias)
			V1(b, "exp_probs_b.bias", X);
		M3(b, "ffn_gate_exps.weight", E, F, X);
		M3(b, "ffn_up_exps.weight", E, F, X);
		M3(b, "ffn_down_exps.weight", F, E, X);
		if (a->n_ff_shexp) {
			M2(b, "ffn_gate_shexp.weight", E, a->n_ff_shexp);
			M2(b, "ffn_up_shexp.weight", E, a->n_ff_shexp);
			M2(b, "ffn_down_shexp.weight", a->n_ff_shexp, E);
		}
	}
}

bool tensors_family_has_builder(enum arch_family f)
{
	return f == AF_GEMMA4 || f == AF_DEEPSEEK32;
}

bool tensors_build_family(const struct model_arch *a, struct tensor_list *l)
{
	struct tensor_builder b = {l, -1, true};
	l->n = 0;
	switch (a->family) {
	case AF_GEMMA4:
		build_gemma4(&b, a);
		break;
	case AF_DEEPSEEK32:
		build_deepseek32(&b, a);
		break;
	default:
		return false;
	}
	return b.ok;
}
