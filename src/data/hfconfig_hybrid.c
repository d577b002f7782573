/*
 * hfconfig_hybrid.c - config.json keys of the 2026 families whose layers
 * mix cache kinds (deepseek4, falcon-h1, kimi), applied after the common
 * mapping in hfconfig.c has read the shared keys.
 *
 * DeepSeek V4 (DeepseekV4Config): one K-only head of head_dim, q_lora_rank,
 * the grouped output projection (o_groups x o_lora_rank), hc_mult
 * hyper-connection streams, num_hash_layers token-id-routed lead layers,
 * the indexer (index_*), a sliding_window on every layer and one
 * compress_ratios entry per layer (the list's extra entry is the MTP
 * layer's, which convert_hf_to_gguf does not export).
 *
 * Falcon-H1 (FalconH1Config): every layer runs attention and a Mamba-2
 * mixer of mamba_n_heads x mamba_d_head (mamba_d_ssm), mamba_d_state,
 * mamba_n_groups and mamba_d_conv side by side.
 */
#include "hfconfig.h"
#include "hfconfig_internal.h"

#include <stdio.h>
#include <string.h>

static void deepseek4(struct hfconfig_reader *r, struct model_arch *a)
{
	uint32_t ratios[ARCH_MAX_LAYERS + 8];
	snprintf(a->gguf_arch, sizeof(a->gguf_arch), "deepseek4");
	a->q_lora_rank = hfconfig_read_u32(r, "q_lora_rank", true, 0, 65536);
	a->o_lora_rank = hfconfig_read_u32(r, "o_lora_rank", true, 0, 65536);
	a->o_groups = hfconfig_read_u32(r, "o_groups", true, 0, 4096);
	a->hc_mult = hfconfig_read_u32(r, "hc_mult", true, 0, 64);
	a->n_hash_layers = hfconfig_read_u32(r, "num_hash_layers", false, 0, ARCH_MAX_LAYERS);
	a->idx_n_head = hfconfig_read_u32(r, "index_n_heads", true, 0, 4096);
	a->idx_head_dim = hfconfig_read_u32(r, "index_head_dim", true, 0, 4096);
	a->idx_top_k = hfconfig_read_u32(r, "index_topk", false, 512, UINT32_MAX);
	if (!r->ok)
		return;
	if (!a->n_swa) {
		hfconfig_fail(r, "sliding_window", "missing (required for deepseek_v4)", "");
		return;
	}
	if (!a->o_groups || a->n_head % a->o_groups) {
		hfconfig_fail(r, "o_groups", "must divide num_attention_heads",
		              hfconfig_read_value(r, "o_groups"));
		return;
	}
	uint32_t n =
	    hfconfig_read_u32_list(r, "compress_ratios", 1024, ratios, ARCH_MAX_LAYERS + 8);
	if (r->ok && n < a->n_layer) {
		hfconfig_fail(r, "compress_ratios", "fewer entries than num_hidden_layers",
		              hfconfig_read_value(r, "compress_ratios"));
		return;
	}
	for (uint32_t il = 0; il < a->n_layer && r->ok; il++) {
		if (ratios[il] != 0 && ratios[il] != 4 && ratios[il] != 128) {
			hfconfig_fail(r, "compress_ratios",
			              "ratios must be 0, 4 or 128 (llama.cpp's)",
			              hfconfig_read_value(r, "compress_ratios"));
			return;
		}
		a->layer_compress[il] = (uint8_t)ratios[il];
		a->layer_kind[il] = LK_ATTN_SWA;
		a->layer_head_kv[il] = 1;
	}
	a->n_head_kv = 1;
	a->head_dim_v = a->head_dim_k;
	a->tied_embeddings = false;
	a->expert_bias = a->n_expert > 0;
	a->n_dense_lead = 0;
}

static void falcon_h1(struct hfconfig_reader *r, struct model_arch *a)
{
	snprintf(a->gguf_arch, sizeof(a->gguf_arch), "falcon-h1");
	a->rec_kind = RK_MAMBA2;
	a->ssm_d_conv = hfconfig_read_u32(r, "mamba_d_conv", false, 4, 64);
	a->ssm_d_state = hfconfig_read_u32(r, "mamba_d_state", true, 0, 65536);
	a->ssm_n_group = hfconfig_read_u32(r, "mamba_n_groups", false, 1, 4096);
	a->ssm_n_head = hfconfig_read_u32(r, "mamba_n_heads", true, 0, 65536);
	uint32_t d_head = hfconfig_read_u32(r, "mamba_d_head", false, 0, 65536);
	uint32_t d_ssm = hfconfig_read_u32(r, "mamba_d_ssm", false, 0, 1u << 22);
	a->ssm_d_inner = d_ssm ? d_ssm : a->ssm_n_head * d_head;
	a->ssm_norm_absent = !hfconfig_read_bool(r, "mamba_rms_norm", true);
	if (r->ok && !a->ssm_d_inner)
		hfconfig_fail(r, "mamba_d_ssm", "missing, and no mamba_d_head to derive it", "");
	for (uint32_t il = 0; il < a->n_layer; il++)
		a->layer_kind[il] = LK_HYBRID;
}

/* Kimi-Linear / Kimi K3 (KimiLinearConfig, K3's text_config): KDA layers
 * everywhere except linear_attn_config.full_attn_layers (1-based), which
 * are MLA; KDA heads and head width from linear_attn_config; K3
 * (attn_res_block_size) adds attention residuals, the full-rank KDA gate
 * and routed_expert_hidden_size as the latent expert width. */
static void kimi(struct hfconfig_reader *r, struct model_arch *a)
{
	uint32_t full[ARCH_MAX_LAYERS];
	a->attn_res_block = hfconfig_read_u32(r, "attn_res_block_size", false, 0, 1u << 20);
	a->kda_full_gate = a->attn_res_block > 0;
	snprintf(a->gguf_arch, sizeof(a->gguf_arch), a->kda_full_gate ? "kimi-k3" : "kimi-linear");
	a->rec_kind = RK_KDA;
	a->ssm_n_head =
	    hfconfig_read_u32(r, "linear_attn_config.num_heads", false, a->n_head, 4096);
	a->ssm_d_state = hfconfig_read_u32(r, "linear_attn_config.head_dim", true, 0, 4096);
	a->ssm_d_conv =
	    hfconfig_read_u32(r, "linear_attn_config.short_conv_kernel_size", false, 4, 64);
	a->moe_latent = hfconfig_read_u32(r, "routed_expert_hidden_size", false, 0, 1u << 20);
	uint32_t n = hfconfig_read_u32_list(r, "linear_attn_config.full_attn_layers",
	                                    ARCH_MAX_LAYERS, full, ARCH_MAX_LAYERS);
	if (!r->ok)
		return;
	if (!a->kv_lora_rank) {
		hfconfig_fail(r, "kv_lora_rank", "missing (Kimi's attention layers are MLA)", "");
		return;
	}
	if (a->ssm_n_head != a->n_head) {
		hfconfig_fail(r, "linear_attn_config.num_heads",
		              "llama.cpp runs KDA with num_attention_heads heads",
		              hfconfig_read_value(r, "linear_attn_config.num_heads"));
		return;
	}
	for (uint32_t il = 0; il < a->n_layer; il++) {
		a->layer_kind[il] = LK_RECURRENT;
		a->layer_head_kv[il] = 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (full[i] < 1 || full[i] > a->n_layer) {
			hfconfig_fail(
			    r, "linear_attn_config.full_attn_layers",
			    "layer numbers run from 1 to num_hidden_layers",
			    hfconfig_read_value(r, "linear_attn_config.full_attn_layers"));
			return;
		}
		a->layer_kind[full[i] - 1] = LK_ATTN_FULL;
		a->layer_head_kv[full[i] - 1] = 1;
	}
	a->expert_bias = a->n_expert > 0;
	a->tied_embeddings = false;
}

bool hfconfig_hybrid_finish(const struct config_source *src, struct model_arch *a, char *err,
                            size_t errlen)
{
	struct hfconfig_reader r = {.src = src, .err = err, .errlen = errlen, .ok = true};
	if (a->family == AF_DEEPSEEK4)
		deepseek4(&r, a);
	else if (a->family == AF_FALCON_H1)
		falcon_h1(&r, a);
	else if (a->family == AF_KIMI)
		kimi(&r, a);
	return r.ok;
}
