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
 * experts with a correction bias and shared experts.  Of an MTP block
 * (n_mtp) the loader skips everything but the correction bias, which it
 * creates without its skip flag: that one is listed. */
static void build_deepseek32(struct tensor_builder *b, const struct model_arch *a)
{
	const uint64_t E = a->n_embd, H = a->n_head;
	const uint64_t qk = (uint64_t)a->qk_nope_dim + a->qk_rope_dim;
	const uint64_t ik = a->idx_head_dim, ih = a->idx_n_head;

	tensors_build_embd_out(b, a);
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
		tensors_build_ffn(b, a, il);
	}
	for (uint32_t il = a->n_layer; il < a->n_layer + a->n_mtp; il++) {
		b->layer = (int)il;
		if (a->expert_bias)
			V1(b, "exp_probs_b.bias", a->n_expert);
	}
}

/* MiniMax M2 / M3 (src/models/minimax-m2.cpp, minimax-m3.cpp): GQA whose
 * q/k norms span all heads (M2) or one head (M3), routed experts with a
 * correction bias; M3 adds dense lead layers, a shared expert and, on the
 * MoE layers, the MSA indexer's projections and norms. */
static void build_minimax(struct tensor_builder *b, const struct model_arch *a)
{
	const uint64_t E = a->n_embd, H = a->n_head, D = a->head_dim_k;
	const bool m3 = a->family == AF_MINIMAX_M3;

	tensors_build_embd_out(b, a);
	for (uint32_t il = 0; il < a->n_layer; il++) {
		const uint64_t kv = (uint64_t)a->layer_head_kv[il] * D;
		b->layer = (int)il;
		M2(b, "attn_q.weight", E, H * D);
		M2(b, "attn_k.weight", E, kv);
		M2(b, "attn_v.weight", E, kv);
		M2(b, "attn_output.weight", H * D, E);
		V1(b, "attn_norm.weight", E);
		V1(b, "attn_q_norm.weight", m3 ? D : H * D);
		V1(b, "attn_k_norm.weight", m3 ? D : kv);
		V1(b, "ffn_norm.weight", E);
		if (!a->layer_moe[il]) {
			M2(b, "ffn_gate.weight", E, a->n_ff);
			M2(b, "ffn_down.weight", a->n_ff, E);
			M2(b, "ffn_up.weight", E, a->n_ff);
			continue;
		}
		const uint64_t X = a->n_expert, F = a->n_ff_exp;
		M2(b, "ffn_gate_inp.weight", E, X);
		M3(b, "ffn_gate_exps.weight", E, F, X);
		M3(b, "ffn_down_exps.weight", F, E, X);
		M3(b, "ffn_up_exps.weight", E, F, X);
		V1(b, "exp_probs_b.bias", X);
		if (a->n_ff_shexp) {
			M2(b, "ffn_gate_shexp.weight", E, a->n_ff_shexp);
			M2(b, "ffn_down_shexp.weight", a->n_ff_shexp, E);
			M2(b, "ffn_up_shexp.weight", E, a->n_ff_shexp);
		}
		if (a->layer_idx[il] && a->idx_head_dim) {
			const uint64_t ik = a->idx_head_dim;
			M2(b, "indexer.q_proj.weight", E, a->idx_n_head * ik);
			M2(b, "indexer.k_proj.weight", E, ik);
			V1(b, "indexer.q_norm.weight", ik);
			V1(b, "indexer.k_norm.weight", ik);
		}
	}
}

/* Gemma 3n (src/models/gemma3n.cpp): Gemma 3 attention and MLP blocks, the
 * per-layer embeddings, AltUp's projections of the n_altup predictions
 * and, per layer, AltUp's coefficients and router and the Laurel low-rank
 * residual.  The tied output is created before token_embd. */
static void build_gemma3n(struct tensor_builder *b, const struct model_arch *a)
{
	const uint64_t E = a->n_embd, H = a->n_head, D = a->head_dim_k;
	const uint64_t P = a->n_embd_per_layer, NA = a->n_altup, R = a->laurel_rank;

	if (!a->tied_embeddings)
		M2(b, "output.weight", E, a->n_vocab);
	M2(b, "token_embd.weight", E, a->n_vocab);
	M3(b, "altup_proj.weight", E, E, NA - 1);
	M3(b, "altup_unembd_proj.weight", E, E, NA - 1);
	M2(b, "per_layer_token_embd.weight", P * a->n_layer, a->n_vocab);
	M2(b, "per_layer_model_proj.weight", E, P * a->n_layer);
	V1(b, "per_layer_proj_norm.weight", P);
	V1(b, "output_norm.weight", E);
	for (uint32_t il = 0; il < a->n_layer; il++) {
		const uint64_t kv = (uint64_t)a->layer_head_kv[il] * D, ff = arch_layer_ff(a, il);
		b->layer = (int)il;
		V1(b, "attn_norm.weight", E);
		M2(b, "attn_q.weight", E, H * D);
		M2(b, "attn_k.weight", E, kv);
		M2(b, "attn_v.weight", E, kv);
		M2(b, "attn_output.weight", H * D, E);
		V1(b, "attn_q_norm.weight", D);
		V1(b, "attn_k_norm.weight", D);
		V1(b, "post_attention_norm.weight", E);
		V1(b, "ffn_norm.weight", E);
		M2(b, "ffn_gate.weight", E, ff);
		M2(b, "ffn_up.weight", E, ff);
		M2(b, "ffn_down.weight", ff, E);
		V1(b, "post_ffw_norm.weight", E);
		M2(b, "inp_gate.weight", E, P);
		M2(b, "proj.weight", P, E);
		V1(b, "post_norm.weight", E);
		M2(b, "altup_correct_coef.weight", NA, NA);
		V1(b, "altup_correct_scale.weight", E);
		M2(b, "altup_predict_coef.weight", NA, NA * NA);
		M2(b, "altup_router.weight", E, NA);
		V1(b, "altup_router_norm.weight", E);
		M2(b, "laurel_l.weight", E, R);
		M2(b, "laurel_r.weight", R, E);
		V1(b, "laurel_post_norm.weight", E);
	}
}

/* Step-3.5 (src/models/step35.cpp): query heads by layer type (sliding
 * layers have more), per-head q/k norms, a head-wise sigmoid gate
 * (attn_gate, one value per query head), one shared llama3 rope_freqs; dense
 * lead layers, then routed experts with a router bias beside a shared
 * expert.  Of the MTP blocks (n_mtp, sliding attention, dense MLP,
 * an own shared head) the loader skips the attention projections, norms
 * and eh_proj but creates the rest without its skip flag: those stay in
 * memory and are listed. */
static void build_step35(struct tensor_builder *b, const struct model_arch *a)
{
	const uint64_t E = a->n_embd, D = a->head_dim_k, Dv = a->head_dim_v;

	tensors_build_embd_out(b, a);
	if (a->rope_freqs)
		V1(b, "rope_freqs.weight", D / 2);
	for (uint32_t il = 0; il < a->n_layer; il++) {
		const uint64_t H = arch_layer_n_head(a, il), hkv = a->layer_head_kv[il];
		b->layer = (int)il;
		V1(b, "attn_norm.weight", E);
		V1(b, "attn_q_norm.weight", D);
		V1(b, "attn_k_norm.weight", D);
		M2(b, "attn_q.weight", E, H * D);
		M2(b, "attn_k.weight", E, hkv * D);
		M2(b, "attn_v.weight", E, hkv * Dv);
		M2(b, "attn_output.weight", H * Dv, E);
		M2(b, "attn_gate.weight", E, H);
		V1(b, "ffn_norm.weight", E);
		tensors_build_ffn(b, a, il);
	}
	const uint64_t Hm = a->n_head_swa ? a->n_head_swa : a->n_head;
	for (uint32_t il = a->n_layer; il < a->n_layer + a->n_mtp; il++) {
		b->layer = (int)il;
		V1(b, "attn_q_norm.weight", D);
		V1(b, "attn_k_norm.weight", D);
		M2(b, "attn_gate.weight", E, Hm);
		M2(b, "ffn_gate.weight", E, a->n_ff);
		M2(b, "ffn_up.weight", E, a->n_ff);
		M2(b, "ffn_down.weight", a->n_ff, E);
		M2(b, "nextn.shared_head_head.weight", E, a->n_vocab);
		V1(b, "nextn.shared_head_norm.weight", E);
	}
}

bool tensors_family_has_builder(enum arch_family f)
{
	return f == AF_GEMMA4 || f == AF_DEEPSEEK32 || f == AF_MINIMAX_M2 || f == AF_MINIMAX_M3 ||
	       f == AF_GEMMA3N || f == AF_STEP35 || tensors_hybrid_has_builder(f);
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
	case AF_MINIMAX_M2:
	case AF_MINIMAX_M3:
		build_minimax(&b, a);
		break;
	case AF_GEMMA3N:
		build_gemma3n(&b, a);
		break;
	case AF_STEP35:
		build_step35(&b, a);
		break;
	default:
		if (!tensors_hybrid_build(a, &b))
			return false;
		break;
	}
	return b.ok;
}
