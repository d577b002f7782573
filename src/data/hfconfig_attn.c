/*
 * hfconfig_attn.c - config.json keys of the 2026 attention families whose
 * layers differ by type (gemma4, ...), applied after the common mapping in
 * hfconfig.c has read the shared keys.
 *
 * Gemma 4 (Gemma4TextConfig): head_dim and num_key_value_heads describe
 * the sliding layers, global_head_dim and num_global_key_value_heads the
 * full-attention ones; attention_k_eq_v drops v_proj on full layers;
 * hidden_size_per_layer_input is the per-layer embedding width of the E
 * models, whose last num_kv_shared_layers layers reuse an earlier KV
 * cache and, with use_double_wide_mlp, have twice the MLP width (as
 * convert_hf_to_gguf writes feed_forward_length).
 */
#include "hfconfig.h"
#include "hfconfig_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void gemma4(struct hfconfig_reader *r, struct model_arch *a)
{
	uint32_t swa_dim = a->head_dim_k, swa_kv = a->n_head_kv;
	uint32_t full_dim = hfconfig_read_u32(r, "global_head_dim", false, swa_dim, 4096);
	uint32_t full_kv = hfconfig_read_u32(r, "num_global_key_value_heads", false, swa_kv, 4096);
	a->head_dim_k = a->head_dim_v = full_dim;
	a->head_dim_k_swa = a->head_dim_v_swa = full_dim != swa_dim ? swa_dim : 0;
	a->k_eq_v = hfconfig_read_bool(r, "attention_k_eq_v", false);
	a->n_embd_per_layer = hfconfig_read_u32(r, "hidden_size_per_layer_input", false, 0, 65536);
	uint32_t shared = hfconfig_read_u32(r, "num_kv_shared_layers", false, 0, ARCH_MAX_LAYERS);
	if (r->ok && shared >= a->n_layer && shared) {
		hfconfig_fail(r, "num_kv_shared_layers", "leaves no layer with a KV cache",
		              hfconfig_read_value(r, "num_kv_shared_layers"));
		return;
	}
	a->n_layer_kv = shared ? a->n_layer - shared : 0;
	bool wide = hfconfig_read_bool(r, "use_double_wide_mlp", false);
	if (!hfconfig_read_bool(r, "enable_moe_block", a->n_expert > 0)) {
		a->n_expert = a->n_expert_used = a->n_ff_exp = 0;
		memset(a->layer_moe, 0, sizeof(a->layer_moe));
	}
	a->n_head_kv = swa_kv > full_kv ? swa_kv : full_kv;
	for (uint32_t il = 0; il < a->n_layer; il++) {
		bool slides = a->layer_kind[il] == LK_ATTN_SWA;
		a->layer_head_kv[il] = (uint16_t)(slides ? swa_kv : full_kv);
		a->layer_ff[il] = wide && shared && il >= a->n_layer - shared ? 2 * a->n_ff : 0;
	}
}

/* DeepSeek V3.2 / GLM-5 (DSA): index_n_heads x index_head_dim indexer on
 * every layer, or with index_topk_freq (GLM-5.2) an own indexer only on the
 * first index_skip_topk_offset layers and then on every freq-th one (as
 * llama.cpp's GLM_5_2_DEFAULT_INDEXER_TYPES); GLM's router has the
 * correction bias. */
static void dsa(struct hfconfig_reader *r, struct model_arch *a, bool glm)
{
	a->idx_n_head = hfconfig_read_u32(r, "index_n_heads", false, 0, 4096);
	a->idx_head_dim = hfconfig_read_u32(r, "index_head_dim", false, 0, 4096);
	a->idx_top_k = hfconfig_read_u32(r, "index_topk", false, 2048, UINT32_MAX);
	if (r->ok && (!a->idx_n_head || !a->idx_head_dim || !a->q_lora_rank)) {
		hfconfig_fail(r, "index_head_dim",
		              "a DSA model needs index_n_heads, index_head_dim and q_lora_rank",
		              hfconfig_read_value(r, "index_head_dim"));
		return;
	}
	uint32_t freq = hfconfig_read_u32(r, "index_topk_freq", false, 1, ARCH_MAX_LAYERS);
	uint32_t off = hfconfig_read_u32(r, "index_skip_topk_offset", false, 0, ARCH_MAX_LAYERS);
	for (uint32_t il = 0; il < a->n_layer; il++)
		a->layer_idx[il] = freq <= 1 || il < off || (il + 1 - off) % freq == 0;
	if (glm) {
		a->expert_bias = a->n_expert > 0;
		snprintf(a->gguf_arch, sizeof(a->gguf_arch), "glm-dsa");
	}
}

/* MiniMax M3 (MiniMaxM3SparseForCausalLM): the dense lead layers' MLP is
 * dense_intermediate_size wide; sparse_attention_config's index heads,
 * index width, block size and top-k blocks describe MSA, whose index cache
 * llama.cpp keeps on every layer after the dense lead. */
static void minimax_m3(struct hfconfig_reader *r, struct model_arch *a)
{
	a->n_ff = hfconfig_read_u32(r, "dense_intermediate_size", false, a->n_ff, 1u << 22);
	a->idx_n_head = hfconfig_read_u32(r, "sparse_num_index_heads", false, 0, 4096);
	a->idx_head_dim = hfconfig_read_u32(r, "sparse_index_dim", false, 0, 4096);
	a->idx_top_k = hfconfig_read_u32(r, "sparse_topk_blocks", false, 16, UINT32_MAX);
	a->msa_block = hfconfig_read_u32(r, "sparse_block_size", false, 0, 1u << 20);
	if (r->ok && (!a->idx_n_head || !a->idx_head_dim || !a->msa_block)) {
		hfconfig_fail(r, "sparse_index_dim",
		              "MiniMax M3 needs sparse_num_index_heads, sparse_index_dim and "
		              "sparse_block_size",
		              hfconfig_read_value(r, "sparse_index_dim"));
		return;
	}
	for (uint32_t il = 0; il < a->n_layer; il++)
		a->layer_idx[il] = il >= a->n_dense_lead;
}

/* Gemma 3n (Gemma3nTextConfig): AltUp predictions and Laurel rank, the
 * per-layer embedding width and the KV-shared tail (num_kv_shared_layers;
 * llama.cpp reads it as n_layer_kv_from_start = 20 for both released
 * sizes). */
static void gemma3n(struct hfconfig_reader *r, struct model_arch *a)
{
	a->n_altup = hfconfig_read_u32(r, "altup_num_inputs", false, 4, 64);
	a->laurel_rank = hfconfig_read_u32(r, "laurel_rank", false, 64, 65536);
	a->n_embd_per_layer =
	    hfconfig_read_u32(r, "hidden_size_per_layer_input", false, 256, 65536);
	uint32_t shared = hfconfig_read_u32(r, "num_kv_shared_layers", false, 0, ARCH_MAX_LAYERS);
	if (r->ok && (a->n_altup < 2 || (shared && shared >= a->n_layer))) {
		hfconfig_fail(r, a->n_altup < 2 ? "altup_num_inputs" : "num_kv_shared_layers",
		              a->n_altup < 2 ? "must be at least 2"
		                             : "leaves no layer with a KV cache",
		              hfconfig_read_value(r, a->n_altup < 2 ? "altup_num_inputs"
		                                                    : "num_kv_shared_layers"));
		return;
	}
	a->n_layer_kv = shared ? a->n_layer - shared : 0;
}

/* The model_type, copied (hfconfig_read_value() reuses r->buf). */
static void model_type(struct hfconfig_reader *r, char *mt, size_t n)
{
	const char *v = hfconfig_read_value(r, "model_type");
	snprintf(mt, n, "%s", v ? v : "");
}

/* One whole number of a comma-separated list at *p (advanced past it and
 * its comma); false at the end or on anything else. */
static bool next_index(const char **p, uint32_t *out)
{
	while (**p == ' ' || **p == ',')
		(*p)++;
	if (**p < '0' || **p > '9')
		return false;
	unsigned long v = strtoul(*p, (char **)p, 10);
	*out = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	return true;
}

/* ERNIE 4.5 (Ernie4_5_MoeConfig): moe_num_experts routed experts of
 * moe_intermediate_size from moe_layer_start_index on (every
 * moe_layer_interval-th layer), moe_k per token, moe_num_shared_experts
 * shared ones; the router's e_score_correction_bias is exp_probs_b. */
static void ernie(struct hfconfig_reader *r, struct model_arch *a)
{
	uint32_t x = hfconfig_read_u32(r, "moe_num_experts", false, 0, 4096);
	snprintf(a->gguf_arch, sizeof(a->gguf_arch), "%s", x ? "ernie4_5-moe" : "ernie4_5");
	if (!x)
		return;
	a->n_expert = x;
	a->n_expert_used = hfconfig_read_u32(r, "moe_k", false, 0, 4096);
	a->n_ff_exp = hfconfig_read_u32(r, "moe_intermediate_size", false, a->n_ff, 1u << 22);
	a->n_expert_shared = hfconfig_read_u32(r, "moe_num_shared_experts", false, 0, 64);
	a->n_ff_shexp = a->n_expert_shared * a->n_ff_exp;
	a->n_dense_lead = hfconfig_read_u32(r, "moe_layer_start_index", false, 0, ARCH_MAX_LAYERS);
	uint32_t step = hfconfig_read_u32(r, "moe_layer_interval", false, 1, ARCH_MAX_LAYERS);
	a->expert_bias = true;
	for (uint32_t il = 0; il < a->n_layer; il++)
		a->layer_moe[il] = il >= a->n_dense_lead && (step <= 1 || (il + 1) % step == 0);
}

/* EXAONE 4: llama.cpp slides only in the 64-layer model (the 32B); the
 * 1.2B runs every layer with full attention whatever its config says. */
static void exaone4(struct model_arch *a)
{
	if (a->n_layer == 64)
		return;
	a->n_swa = 0;
	for (uint32_t il = 0; il < a->n_layer; il++)
		a->layer_kind[il] = LK_ATTN_FULL;
}

/* MiMo-V2 (MiMoV2FlashConfig): hybrid_layer_pattern 1 = sliding layer;
 * num_key_value_heads / head_dim / v_head_dim describe the full layers,
 * the swa_* keys the sliding ones; moe_layer_freq 0 = dense layer. */
static void mimo2(struct hfconfig_reader *r, struct model_arch *a)
{
	snprintf(a->gguf_arch, sizeof(a->gguf_arch), "mimo2");
	/* convert_hf_to_gguf appends the 3 MTP blocks every MiMo-V2 ships
	 * (MimoV2Model._n_nextn; the config does not say) */
	a->n_mtp = 3;
	uint32_t full_kv = a->n_head_kv,
	         swa_kv = hfconfig_read_u32(r, "swa_num_key_value_heads", false, full_kv, 4096);
	a->head_dim_v = hfconfig_read_u32(r, "v_head_dim", false, a->head_dim_k, 4096);
	uint32_t swa_k = hfconfig_read_u32(r, "swa_head_dim", false, a->head_dim_k, 4096);
	uint32_t swa_v = hfconfig_read_u32(r, "swa_v_head_dim", false, a->head_dim_v, 4096);
	a->head_dim_k_swa = swa_k != a->head_dim_k ? swa_k : 0;
	a->head_dim_v_swa = swa_v != a->head_dim_v ? swa_v : 0;
	if (hfconfig_read_u32(r, "swa_num_attention_heads", false, a->n_head, 4096) != a->n_head)
		hfconfig_fail(r, "swa_num_attention_heads",
		              "must equal num_attention_heads (as llama.cpp's "
		              "converter requires)",
		              hfconfig_read_value(r, "swa_num_attention_heads"));
	const char *v = hfconfig_read_value(r, "hybrid_layer_pattern");
	if (v) {
		uint32_t il = 0, k;
		while (r->ok && next_index(&v, &k)) {
			if (il < a->n_layer)
				a->layer_kind[il] = k ? LK_ATTN_SWA : LK_ATTN_FULL;
			il++;
		}
		if (r->ok && il != a->n_layer)
			hfconfig_fail(r, "hybrid_layer_pattern",
			              "needs one 0 (full) or 1 (sliding) per layer",
			              hfconfig_read_value(r, "hybrid_layer_pattern"));
	}
	if ((v = hfconfig_read_value(r, "moe_layer_freq")) && strchr(v, ',') && a->n_expert) {
		uint32_t il = 0, k;
		a->n_dense_lead = 0;
		while (r->ok && next_index(&v, &k)) {
			if (il < a->n_layer)
				a->layer_moe[il] = k != 0;
			if (!k && il == a->n_dense_lead)
				a->n_dense_lead++;
			il++;
		}
		if (r->ok && il != a->n_layer)
			hfconfig_fail(r, "moe_layer_freq",
			              "needs one 0 (dense) or 1 (MoE) per layer",
			              hfconfig_read_value(r, "moe_layer_freq"));
	}
	a->n_head_kv = full_kv > swa_kv ? full_kv : swa_kv;
	for (uint32_t il = 0; il < a->n_layer; il++)
		a->layer_head_kv[il] =
		    (uint16_t)(a->layer_kind[il] == LK_ATTN_SWA ? swa_kv : full_kv);
}

/* Step-3.5 (Step3p5Config): num_attention_groups KV heads; the sliding
 * layers' query heads in attention_other_setting; moe_num_experts /
 * moe_top_k / share_expert_dim, routed experts on the layers of
 * moe_layers_enum (the rest lead dense), the router bias with
 * use_moe_router_bias.  The generic keys (num_key_value_heads,
 * num_experts, first_k_dense_replace, ...) are read too.  Without
 * layer_types the published pattern: full attention on every 4th layer
 * from layer 0. */
static void step35(struct hfconfig_reader *r, struct model_arch *a, bool has_layer_types)
{
	snprintf(a->gguf_arch, sizeof(a->gguf_arch), "step35");
	a->n_mtp = hfconfig_read_u32(r, "num_nextn_predict_layers", false, 0, 16);
	uint32_t kv_full = hfconfig_read_u32(r, "num_attention_groups", false, a->n_head_kv, 4096);
	uint32_t kv_swa = hfconfig_read_u32(r, "attention_other_setting.num_attention_groups",
	                                    false, kv_full, 4096);
	a->n_head_kv = kv_full > kv_swa ? kv_full : kv_swa;
	uint32_t hs = hfconfig_read_u32(r, "attention_other_setting.num_attention_heads", false,
	                                a->n_head, 4096);
	a->n_head_swa = hs != a->n_head ? hs : 0;
	if (!has_layer_types && a->n_swa)
		for (uint32_t il = 0; il < a->n_layer; il++)
			a->layer_kind[il] = il % 4 ? LK_ATTN_SWA : LK_ATTN_FULL;
	if (!a->n_expert) {
		a->n_expert = hfconfig_read_u32(r, "moe_num_experts", false, 0, 4096);
		a->n_expert_used = hfconfig_read_u32(r, "moe_top_k", false, 0, 4096);
		a->n_ff_exp = hfconfig_read_u32(r, "moe_intermediate_size", false, 0, 1u << 22);
		a->n_ff_shexp = hfconfig_read_u32(r, "share_expert_dim", false, 0, 1u << 22);
		a->n_expert_shared = a->n_ff_shexp ? 1 : 0;
		a->expert_bias = hfconfig_read_bool(r, "use_moe_router_bias", true);
	}
	const char *v = hfconfig_read_value(r, "moe_layers_enum");
	if (v && a->n_expert) {
		uint32_t k, first = UINT32_MAX;
		while (next_index(&v, &k))
			first = k < first ? k : first;
		if (first < a->n_layer)
			a->n_dense_lead = first;
	}
	for (uint32_t il = 0; il < a->n_layer; il++) {
		a->layer_moe[il] = a->n_expert && il >= a->n_dense_lead;
		a->layer_head_kv[il] =
		    (uint16_t)(a->layer_kind[il] == LK_ATTN_SWA ? kv_swa : kv_full);
	}
}

bool hfconfig_attn_finish(const struct config_source *src, struct model_arch *a, char *err,
                          size_t errlen)
{
	struct hfconfig_reader r = {.src = src, .err = err, .errlen = errlen, .ok = true};
	char mt[48];
	model_type(&r, mt, sizeof(mt));
	if (a->family == AF_GEMMA4)
		gemma4(&r, a);
	else if (a->family == AF_DEEPSEEK32)
		dsa(&r, a, !strcmp(mt, "glm_moe_dsa"));
	else if (a->family == AF_MINIMAX_M3)
		minimax_m3(&r, a);
	else if (a->family == AF_GEMMA3N)
		gemma3n(&r, a);
	else if (!strncmp(mt, "ernie4_5", 8))
		ernie(&r, a);
	else if (a->family == AF_EXAONE4)
		exaone4(a);
	else if (a->family == AF_MIMO2)
		mimo2(&r, a);
	else if (a->family == AF_STEP35)
		step35(&r, a, hfconfig_read_value(&r, "layer_types") != NULL);
	return r.ok;
}
