/*
 * tensors_hybrid.c - weight tensors of the 2026 families whose layers mix
 * cache kinds: DeepSeek V4 (sliding window plus compressed caches),
 * Falcon-H1 (attention and Mamba-2 in one block) and Kimi (KDA beside MLA).
 *
 * Names and shapes follow llama.cpp's loaders (src/models/<arch>.cpp,
 * load_arch_tensors) of 2026-09-28; each family is checked tensor by tensor
 * against a synthetic model llama.cpp loaded (tests/data/truth2026).
 */
#include "tensors.h"

/* DeepSeek V4 (src/models/deepseek4.cpp): a q LoRA, one K-only head of
 * head_dim_k (attn_kv), the grouped low-rank output (attn_output_a holds
 * o_groups blocks of o_lora_rank), attention sinks, hyper-connection mixes
 * around attention and FFN, a compressor on CSA (ratio 4, two overlapping
 * halves) and HCA (ratio 128) layers, the lightning indexer with its own
 * compressor on CSA layers; routed experts with one shared expert, the
 * first n_hash_layers routed by a token-id table (I32, kept as stored)
 * instead of a correction bias. */
static void build_deepseek4(struct tensor_builder *b, const struct model_arch *a)
{
	const uint64_t E = a->n_embd, H = a->n_head, D = a->head_dim_k, Q = a->q_lora_rank;
	const uint64_t hc = a->hc_mult, hc_dim = hc * E, mix = (2 + hc) * hc;
	const uint64_t og = a->o_groups, olr = a->o_lora_rank;
	const uint64_t ik = a->idx_head_dim, ih = a->idx_n_head;

	M2(b, "token_embd.weight", E, a->n_vocab);
	V1(b, "output_norm.weight", E);
	M2(b, "output.weight", E, a->n_vocab);
	M2(b, "output_hc_fn.weight", hc_dim, hc);
	V1(b, "output_hc_base.weight", hc);
	V1(b, "output_hc_scale.weight", 1);
	for (uint32_t il = 0; il < a->n_layer; il++) {
		const uint64_t ratio = a->layer_compress[il];
		b->layer = (int)il;
		V1(b, "attn_norm.weight", E);
		V1(b, "attn_sinks.weight", H);
		M2(b, "attn_q_a.weight", E, Q);
		V1(b, "attn_q_a_norm.weight", Q);
		M2(b, "attn_q_b.weight", Q, H * D);
		M2(b, "attn_kv.weight", E, D);
		V1(b, "attn_kv_a_norm.weight", D);
		M2(b, "attn_output_a.weight", og ? H * D / og : 0, olr * og);
		M2(b, "attn_output_b.weight", og * olr, E);
		M2(b, "hc_attn_fn.weight", hc_dim, mix);
		V1(b, "hc_attn_base.weight", mix);
		V1(b, "hc_attn_scale.weight", 3);
		M2(b, "hc_ffn_fn.weight", hc_dim, mix);
		V1(b, "hc_ffn_base.weight", mix);
		V1(b, "hc_ffn_scale.weight", 3);
		if (ratio) {
			const uint64_t coff = ratio == 4 ? 2 : 1;
			M2(b, "attn_compressor_kv.weight", E, coff * D);
			M2(b, "attn_compressor_gate.weight", E, coff * D);
			M2(b, "attn_compressor_ape.weight", coff * D, ratio);
			V1(b, "attn_compressor_norm.weight", D);
		}
		if (ratio == 4) {
			M2(b, "indexer.proj.weight", E, ih);
			M2(b, "indexer.attn_q_b.weight", Q, ih * ik);
			M2(b, "indexer_compressor_kv.weight", E, 2 * ik);
			M2(b, "indexer_compressor_gate.weight", E, 2 * ik);
			M2(b, "indexer_compressor_ape.weight", 2 * ik, 4);
			V1(b, "indexer_compressor_norm.weight", ik);
		}
		const uint64_t X = a->n_expert, F = a->n_ff_exp;
		M2(b, "ffn_gate_inp.weight", E, X);
		if (il < a->n_hash_layers)
			M2(b, "ffn_gate_tid2eid.weight", a->n_expert_used, a->n_vocab);
		else
			V1(b, "exp_probs_b.bias", X);
		V1(b, "ffn_norm.weight", E);
		M3(b, "ffn_gate_exps.weight", E, F, X);
		M3(b, "ffn_down_exps.weight", F, E, X);
		M3(b, "ffn_up_exps.weight", E, F, X);
		M2(b, "ffn_gate_shexp.weight", E, a->n_ff_shexp);
		M2(b, "ffn_down_shexp.weight", a->n_ff_shexp, E);
		M2(b, "ffn_up_shexp.weight", E, a->n_ff_shexp);
	}
}

/* Falcon-H1 (src/models/falcon-h1.cpp): every block holds a Mamba-2 mixer
 * (conv bias; the grouped norm unless mamba_rms_norm is off) and
 * GQA attention side by side, then a SwiGLU MLP; the FFN norm is stored
 * without the ".weight" suffix, as the converter's tensor map names it. */
static void build_falcon_h1(struct tensor_builder *b, const struct model_arch *a)
{
	const uint64_t E = a->n_embd, H = a->n_head, D = a->head_dim_k;
	const uint64_t di = a->ssm_d_inner, nh = a->ssm_n_head, ng = a->ssm_n_group;
	const uint64_t conv = di + 2 * ng * a->ssm_d_state;

	tensors_build_embd_out(b, a);
	for (uint32_t il = 0; il < a->n_layer; il++) {
		const uint64_t kv = (uint64_t)a->layer_head_kv[il] * D;
		b->layer = (int)il;
		M2(b, "ssm_in.weight", E, di + conv + nh);
		M2(b, "ssm_conv1d.weight", a->ssm_d_conv, conv);
		V1(b, "ssm_conv1d.bias", conv);
		V1(b, "ssm_dt.bias", nh);
		M2(b, "ssm_a", 1, nh);
		M2(b, "ssm_d", 1, nh);
		if (!a->ssm_norm_absent)
			M2(b, "ssm_norm.weight", ng ? di / ng : 0, ng);
		M2(b, "ssm_out.weight", di, E);
		M2(b, "attn_q.weight", E, H * D);
		M2(b, "attn_k.weight", E, kv);
		M2(b, "attn_v.weight", E, kv);
		M2(b, "attn_output.weight", H * D, E);
		V1(b, "attn_norm.weight", E);
		V1(b, "ffn_norm", E);
		M2(b, "ffn_gate.weight", E, a->n_ff);
		M2(b, "ffn_down.weight", a->n_ff, E);
		M2(b, "ffn_up.weight", E, a->n_ff);
	}
}

/* Kimi-Linear and Kimi K3 (src/models/kimi-linear.cpp, kimi-k3.cpp): KDA
 * layers (q/k/v projections with their short convolutions, a low-rank
 * forget gate f_a/f_b, beta, A, dt bias, the output gate: low rank g_a/g_b
 * on Kimi-Linear, full rank on K3, a head norm) and MLA layers (NoPE; a q
 * LoRA and a sigmoid output gate on K3); a dense lead, then routed experts
 * with a correction bias and shared experts, on K3 at a latent width
 * between two projections.  K3 adds the attention-residual scores. */
static void build_kimi(struct tensor_builder *b, const struct model_arch *a)
{
	const uint64_t E = a->n_embd, H = a->n_head, dk = a->ssm_d_state, di = dk * H;
	const uint64_t qk = (uint64_t)a->qk_nope_dim + a->qk_rope_dim, Q = a->q_lora_rank;
	const bool k3 = a->kda_full_gate;

	M2(b, "token_embd.weight", E, a->n_vocab);
	V1(b, "output_norm.weight", E);
	M2(b, "output.weight", E, a->n_vocab);
	if (a->attn_res_block)
		V1(b, "output_res_score.weight", E);
	for (uint32_t il = 0; il < a->n_layer; il++) {
		b->layer = (int)il;
		V1(b, "attn_norm.weight", E);
		V1(b, "ffn_norm.weight", E);
		if (a->attn_res_block) {
			V1(b, "attn_res_score.weight", E);
			V1(b, "ffn_res_score.weight", E);
		}
		if (a->layer_kind[il] == LK_RECURRENT) {
			M3(b, "ssm_conv1d_q.weight", a->ssm_d_conv, 1, di);
			M3(b, "ssm_conv1d_k.weight", a->ssm_d_conv, 1, di);
			M3(b, "ssm_conv1d_v.weight", a->ssm_d_conv, 1, di);
			M2(b, "attn_q.weight", E, di);
			M2(b, "attn_k.weight", E, di);
			M2(b, "attn_v.weight", E, di);
			M2(b, "ssm_f_a.weight", E, dk);
			M2(b, "ssm_f_b.weight", dk, di);
			M2(b, "ssm_beta.weight", E, H);
			if (k3) {
				V1(b, "ssm_a", H);
			} else {
				M2(b, "ssm_a", 1, H);
			}
			V1(b, "ssm_dt.bias", di);
			if (k3) {
				M2(b, "ssm_g.weight", E, di);
			} else {
				M2(b, "ssm_g_a.weight", E, dk);
				M2(b, "ssm_g_b.weight", dk, di);
			}
			V1(b, "ssm_norm.weight", dk);
			M2(b, "attn_output.weight", di, E);
		} else {
			if (Q) {
				V1(b, "attn_q_a_norm.weight", Q);
				M2(b, "attn_q_a.weight", E, Q);
				M2(b, "attn_q_b.weight", Q, H * qk);
			} else {
				M2(b, "attn_q.weight", E, H * qk);
			}
			V1(b, "attn_kv_a_norm.weight", a->kv_lora_rank);
			M2(b, "attn_kv_a_mqa.weight", E,
			   (uint64_t)a->kv_lora_rank + a->qk_rope_dim);
			M3(b, "attn_k_b.weight", a->qk_nope_dim, a->kv_lora_rank, H);
			M3(b, "attn_v_b.weight", a->kv_lora_rank, a->v_head_dim, H);
			if (k3)
				M2(b, "attn_gate.weight", E, H * a->v_head_dim);
			M2(b, "attn_output.weight", H * a->v_head_dim, E);
		}
		if (!a->layer_moe[il]) {
			M2(b, "ffn_gate.weight", E, a->n_ff);
			M2(b, "ffn_down.weight", a->n_ff, E);
			M2(b, "ffn_up.weight", E, a->n_ff);
			continue;
		}
		const uint64_t X = a->n_expert, F = a->n_ff_exp;
		const uint64_t W = a->moe_latent ? a->moe_latent : E;
		M2(b, "ffn_gate_inp.weight", E, X);
		V1(b, "exp_probs_b.bias", X);
		M3(b, "ffn_gate_exps.weight", W, F, X);
		M3(b, "ffn_down_exps.weight", F, W, X);
		M3(b, "ffn_up_exps.weight", W, F, X);
		if (a->moe_latent) {
			M2(b, "ffn_routed_down.weight", E, W);
			M2(b, "ffn_routed_up.weight", W, E);
			V1(b, "ffn_routed_norm.weight", W);
		}
		M2(b, "ffn_gate_shexp.weight", E, a->n_ff_shexp);
		M2(b, "ffn_down_shexp.weight", a->n_ff_shexp, E);
		M2(b, "ffn_up_shexp.weight", E, a->n_ff_shexp);
	}
}

bool tensors_hybrid_has_builder(enum arch_family f)
{
	return f == AF_DEEPSEEK4 || f == AF_FALCON_H1 || f == AF_KIMI;
}

bool tensors_hybrid_build(const struct model_arch *a, struct tensor_builder *b)
{
	switch (a->family) {
	case AF_DEEPSEEK4:
		build_deepseek4(b, a);
		return true;
	case AF_FALCON_H1:
		build_falcon_h1(b, a);
		return true;
	case AF_KIMI:
		build_kimi(b, a);
		return true;
	default:
		return false;
	}
}
