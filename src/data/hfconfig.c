/*
 * hfconfig.c - Hugging Face config keys to struct model_arch.
 *
 * Layer patterns follow llama.cpp's loaders: Gemma 2 slides on even layers,
 * Gemma 3 on il % p < p - 1 (sliding_window_pattern, default 6), Cohere 2
 * on il % 4 < 3, Llama 4 chunks on il % 4 < 3; an explicit layer_types list
 * overrides any pattern.  Families whose llama.cpp arch ignores the window
 * (Mistral's sliding_window) keep full attention, as llama.cpp does.
 */
#include "hfconfig.h"
#include "hfconfig_internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const hfconfig_known_keys[] = {
    "model_type",
    "num_hidden_layers",
    "hidden_size",
    "intermediate_size",
    "num_attention_heads",
    "num_key_value_heads",
    "head_dim",
    "vocab_size",
    "max_position_embeddings",
    "tie_word_embeddings",
    "rope_scaling_type",
    "torch_dtype",
    "num_experts",
    "num_local_experts",
    "n_routed_experts",
    "num_experts_per_tok",
    "moe_intermediate_size",
    "n_shared_experts",
    "shared_expert_intermediate_size",
    "shared_intermediate_size",
    "first_k_dense_replace",
    "topk_method",
    "num_nextn_predict_layers",
    "q_lora_rank",
    "kv_lora_rank",
    "qk_rope_head_dim",
    "qk_nope_head_dim",
    "v_head_dim",
    "sliding_window",
    "sliding_window_pattern",
    "layer_types",
    "attention_chunk_size",
    "mamba_d_conv",
    "mamba_d_state",
    "mamba_n_groups",
    "mamba_n_heads",
    "mamba_d_head",
    "mamba_expand",
    "full_attention_interval",
    "linear_num_key_heads",
    "linear_num_value_heads",
    "linear_key_head_dim",
    "linear_value_head_dim",
    "linear_conv_kernel_dim",
    "interleave_moe_layer_step",
    "intermediate_size_mlp",
    "mtp_num_hidden_layers",
    "hybrid_override_pattern",
    "layers_block_type",
    "mamba_num_heads",
    "mamba_head_dim",
    "ssm_state_size",
    "n_groups",
    "conv_kernel",
    "moe_shared_expert_intermediate_size",
    "moe_latent_size",
    /* gemma4 (hfconfig_attn.c) */
    "global_head_dim",
    "num_global_key_value_heads",
    "attention_k_eq_v",
    "hidden_size_per_layer_input",
    "num_kv_shared_layers",
    "use_double_wide_mlp",
    "enable_moe_block",
    "top_k_experts",
    "final_logit_softcapping",
    "partial_rotary_factor",
    "conv_L_cache",
    "block_ff_dim",
    "block_auto_adjust_ff_dim",
    "block_ffn_dim_multiplier",
    "block_multiple_of",
    "num_dense_layers",
    "tie_embedding",
    /* deepseek32, glm-dsa (hfconfig_attn.c) */
    "index_n_heads",
    "index_head_dim",
    "index_topk",
    "index_topk_freq",
    "index_skip_topk_offset",
    /* minimax_m3 (hfconfig_attn.c; sparse_* also inside sparse_attention_config) */
    "dense_intermediate_size",
    "sparse_index_dim",
    "sparse_num_index_heads",
    "sparse_block_size",
    "sparse_topk_blocks",
    /* gemma3n (hfconfig_attn.c) */
    "altup_num_inputs",
    "laurel_rank",
    /* hunyuan-moe, bailingmoe2, afmoe, cohere2moe, glm4moe */
    "moe_topk",
    "num_shared_expert",
    "num_shared_experts",
    "global_attn_every_n_layers",
    "use_qk_norm",
    /* deepseek4, falcon-h1 (hfconfig_hybrid.c) */
    "o_lora_rank",
    "o_groups",
    "hc_mult",
    "num_hash_layers",
    "compress_ratios",
    "mamba_d_ssm",
    "mamba_rms_norm",
    /* ernie4_5(_moe), exaone4, mimo2, step35 (hfconfig_attn.c) */
    "moe_num_experts",
    "moe_k",
    "moe_num_shared_experts",
    "moe_layer_start_index",
    "moe_layer_interval",
    "swa_num_attention_heads",
    "swa_num_key_value_heads",
    "swa_head_dim",
    "swa_v_head_dim",
    "hybrid_layer_pattern",
    "moe_layer_freq",
    "add_swa_attention_sink_bias",
    "add_full_attention_sink_bias",
    "num_attention_groups",
    "attention_other_setting.num_attention_heads",
    "attention_other_setting.num_attention_groups",
    "moe_top_k",
    "share_expert_dim",
    "moe_layers_enum",
    "use_moe_router_bias",
    "use_head_wise_attn_gate",
    /* kimi_linear (Kimi-Linear, Kimi K3; hfconfig_hybrid.c) */
    "num_experts_per_token",
    "linear_attn_config.full_attn_layers",
    "linear_attn_config.num_heads",
    "linear_attn_config.head_dim",
    "linear_attn_config.short_conv_kernel_size",
    "routed_expert_hidden_size",
    "attn_res_block_size",
    "mla_use_nope",
    NULL,
};

bool hfconfig_key_known(const char *key)
{
	for (const char *const *k = hfconfig_known_keys; *k; k++)
		if (strcasecmp(*k, key) == 0) /* iniparser lowercases keys */
			return true;
	return false;
}

/* model_type -> tensor layout family */
struct type_row {
	const char *model_type;
	enum arch_family family;
};

static const struct type_row type_table[] = {
    {"llama", AF_LLAMA},
    {"mistral", AF_LLAMA},
    {"mixtral", AF_LLAMA},
    {"granite", AF_LLAMA},
    {"smollm3", AF_LLAMA},
    {"llama4_text", AF_LLAMA},
    {"qwen2", AF_QWEN2},
    {"qwen2_moe", AF_QWEN2},
    {"qwen3", AF_QWEN3},
    {"qwen3_moe", AF_QWEN3},
    {"minimax_m2", AF_MINIMAX_M2},
    {"minimax_m3", AF_MINIMAX_M3},
    {"deepseek_v2", AF_DEEPSEEK2},
    {"deepseek_v3", AF_DEEPSEEK2},
    {"kimi_k2", AF_DEEPSEEK2},
    {"gemma2", AF_GEMMA2},
    {"gemma3", AF_GEMMA3},
    {"gemma3_text", AF_GEMMA3},
    {"gpt_oss", AF_GPTOSS},
    {"granitemoehybrid", AF_GRANITEHYBRID},
    {"phi3", AF_PHI3},
    {"cohere2", AF_COHERE2},
    {"cohere", AF_COHERE2},
    {"olmo2", AF_OLMO2},
    {"qwen3_next", AF_QWEN3NEXT},
    {"qwen3_5_text", AF_QWEN35},
    {"qwen3_5", AF_QWEN35},
    {"qwen3_5_moe_text", AF_QWEN35},
    {"qwen3_5_moe", AF_QWEN35},
    {"nemotron_h", AF_NEMOTRON_H},
    {"gemma4_text", AF_GEMMA4},
    {"gemma4", AF_GEMMA4},
    {"lfm2", AF_LFM2},
    {"lfm2_moe", AF_LFM2},
    {"deepseek_v32", AF_DEEPSEEK32},
    {"qwen3_vl_text", AF_QWEN3},
    {"qwen3_vl", AF_QWEN3},
    {"qwen3_vl_moe_text", AF_QWEN3},
    {"qwen3_vl_moe", AF_QWEN3},
    {"olmo3", AF_OLMO2},
    {"seed_oss", AF_QWEN2},
    {"glm4_moe_lite", AF_DEEPSEEK2},
    {"ministral3", AF_LLAMA},
    {"mistral3", AF_LLAMA},
    {"glm_moe_dsa", AF_DEEPSEEK32},
    {"gemma3n_text", AF_GEMMA3N},
    {"gemma3n", AF_GEMMA3N},
    {"mistral4", AF_DEEPSEEK2},
    {"glm4_moe", AF_GLM4MOE},
    {"hunyuan_v1_moe", AF_QWEN3},
    {"hy_v3", AF_QWEN3}, /* Hy3: qwen3's tensors, dense lead, bias, shared */
    {"bailing_moe_v2", AF_BAILINGMOE2},
    {"afmoe", AF_AFMOE},
    {"apertus", AF_APERTUS},
    {"cohere2_moe", AF_COHERE2},
    {"deepseek_v4", AF_DEEPSEEK4},
    {"falcon_h1", AF_FALCON_H1},
    {"ernie4_5", AF_LLAMA},
    {"ernie4_5_moe", AF_LLAMA},
    {"exaone4", AF_EXAONE4},
    {"mimo_v2_flash", AF_MIMO2},
    {"mimo_v2", AF_MIMO2},
    {"step3p5", AF_STEP35},
    {"step3p7", AF_STEP35},
    {"kimi_linear", AF_KIMI},
};

#define N_TYPES (sizeof(type_table) / sizeof(type_table[0]))

bool hfconfig_model_type_family(const char *model_type, enum arch_family *family)
{
	for (size_t i = 0; i < N_TYPES; i++)
		if (!strcmp(type_table[i].model_type, model_type)) {
			if (family)
				*family = type_table[i].family;
			return true;
		}
	return false;
}

size_t hfconfig_model_types(enum arch_family family, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < N_TYPES; i++)
		if (type_table[i].family == family && n < max)
			out[n++] = type_table[i].model_type;
	return n;
}

static void trim_copy(char *dst, size_t n, const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		s++;
		len -= 2;
	}
	if (len >= n)
		len = n - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* layer_types: one kind per layer, comma-separated; extra entries for the
 * num_nextn_predict_layers MTP blocks (Step-3.5 lists them) are ignored. */
static void read_layer_types(struct hfconfig_reader *r, struct model_arch *a, const char *v,
                             uint32_t n_extra)
{
	uint32_t il = 0;
	const char *p = v;
	while (*p && r->ok) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char item[48];
		trim_copy(item, sizeof(item), p, len);
		if (il >= a->n_layer && il < a->n_layer + n_extra) {
			il++;
			p = comma ? comma + 1 : p + len;
			continue;
		}
		if (il >= a->n_layer) {
			char what[96];
			snprintf(what, sizeof(what), "has more entries than num_hidden_layers (%u)",
			         a->n_layer);
			hfconfig_fail(r, "layer_types", what, item);
			return;
		}
		if (!strcmp(item, "sliding_attention"))
			a->layer_kind[il] = LK_ATTN_SWA;
		else if (!strcmp(item, "chunked_attention"))
			a->layer_kind[il] = LK_ATTN_CHUNKED;
		else if (!strcmp(item, "full_attention") || !strcmp(item, "attention"))
			a->layer_kind[il] = LK_ATTN_FULL;
		else if (!strcmp(item, "mamba") || !strcmp(item, "linear_attention") ||
		         !strcmp(item, "conv"))
			a->layer_kind[il] = LK_RECURRENT;
		else {
			hfconfig_fail(r, "layer_types", "unknown layer type", item);
			return;
		}
		il++;
		p = comma ? comma + 1 : p + len;
	}
	if (r->ok && il != a->n_layer && il != a->n_layer + n_extra) {
		char what[96];
		snprintf(what, sizeof(what), "has %u entries for %u layers", il, a->n_layer);
		hfconfig_fail(r, "layer_types", what, NULL);
	}
}

/* Nemotron-H: the block kinds from hybrid_override_pattern (M Mamba-2,
 * '*' attention, '-' relu^2 MLP, E MoE) or layers_block_type (mamba,
 * attention, mlp, moe); one mixer per block; Mamba-2 sizes from mamba_*,
 * ssm_state_size, n_groups and conv_kernel; MoE with a shared expert of
 * moe_shared_expert_intermediate_size, optionally at moe_latent_size. */
static void read_nemotron_h(struct hfconfig_reader *r, struct model_arch *a)
{
	const char *v = hfconfig_read_value(r, "hybrid_override_pattern");
	char kinds[ARCH_MAX_LAYERS + 1];
	uint32_t n = 0;
	if (v) {
		for (; *v && r->ok; v++) {
			if (*v == ' ' || *v == '"')
				continue;
			if (!strchr("M*-E", *v) || n >= a->n_layer) {
				char what[96];
				snprintf(
				    what, sizeof(what),
				    "expected %u of M (Mamba-2), * (attention), - (MLP), E (MoE)",
				    a->n_layer);
				hfconfig_fail(r, "hybrid_override_pattern", what,
				              hfconfig_read_value(r, "hybrid_override_pattern"));
				return;
			}
			kinds[n++] = *v;
		}
	} else if ((v = hfconfig_read_value(r, "layers_block_type"))) {
		static const struct {
			const char *name;
			char kind;
		} names[] = {{"mamba", 'M'}, {"attention", '*'}, {"mlp", '-'}, {"moe", 'E'}};
		const char *p = v;
		while (*p && r->ok) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);
			char item[48];
			char k = 0;
			trim_copy(item, sizeof(item), p, len);
			for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
				if (!strcmp(item, names[i].name))
					k = names[i].kind;
			if (!k || n >= a->n_layer) {
				hfconfig_fail(r, "layers_block_type",
				              k ? "has more entries than num_hidden_layers"
				                : "unknown block type",
				              item);
				return;
			}
			kinds[n++] = k;
			p = comma ? comma + 1 : p + len;
		}
	} else {
		hfconfig_fail(r, "hybrid_override_pattern", "missing (required for nemotron_h)",
		              NULL);
		return;
	}
	if (r->ok && n != a->n_layer) {
		char what[96];
		snprintf(what, sizeof(what), "has %u blocks for %u layers", n, a->n_layer);
		hfconfig_fail(r, "hybrid_override_pattern", what, NULL);
		return;
	}
	bool moe = a->n_expert > 0;
	for (uint32_t il = 0; il < n; il++) {
		a->layer_kind[il] = kinds[il] == 'M' ? LK_RECURRENT : LK_ATTN_FULL;
		a->layer_head_kv[il] = kinds[il] == '*' ? (uint16_t)a->n_head_kv : 0;
		a->layer_moe[il] = kinds[il] == 'E' && moe;
		if (kinds[il] == 'E' && !moe)
			hfconfig_fail(r, "hybrid_override_pattern",
			              "E (MoE) blocks but no n_routed_experts", NULL);
	}
	a->rec_kind = RK_MAMBA2;
	a->ssm_d_conv = hfconfig_read_u32(r, "conv_kernel", true, 0, 64);
	a->ssm_d_state = hfconfig_read_u32(r, "ssm_state_size", true, 0, 65536);
	a->ssm_n_group = hfconfig_read_u32(r, "n_groups", true, 0, 4096);
	a->ssm_n_head = hfconfig_read_u32(r, "mamba_num_heads", true, 0, 65536);
	a->ssm_d_inner = a->ssm_n_head * hfconfig_read_u32(r, "mamba_head_dim", true, 0, 65536);
	if (moe) {
		a->n_ff_shexp =
		    hfconfig_read_u32(r, "moe_shared_expert_intermediate_size", true, 0, 1u << 22);
		a->n_expert_shared = a->n_ff_shexp ? 1 : 0;
		a->moe_latent = hfconfig_read_u32(r, "moe_latent_size", false, 0, 1u << 20);
		a->expert_bias = true; /* e_score_correction_bias */
		a->n_ff = a->n_ff_exp; /* llama.cpp's feed_forward_length of MoE blocks */
		snprintf(a->gguf_arch, sizeof(a->gguf_arch), "nemotron_h_moe");
	}
}

/* LFM2: short-convolution state of conv_L_cache; the dense FFN width as
 * the converter writes it (block_ff_dim, with block_auto_adjust_ff_dim: two
 * thirds, times block_ffn_dim_multiplier, rounded up to block_multiple_of);
 * lfm2_moe: num_dense_layers dense blocks, then routed experts with a
 * correction bias. */
static void read_lfm2(struct hfconfig_reader *r, struct model_arch *a, bool moe)
{
	a->rec_kind = RK_SHORTCONV;
	/* a profile's keys come lowercased from iniparser */
	a->ssm_d_conv = hfconfig_read_value(r, "conv_L_cache")
	                    ? hfconfig_read_u32(r, "conv_L_cache", true, 0, 64)
	                    : hfconfig_read_u32(r, "conv_l_cache", true, 0, 64);
	if (moe) {
		snprintf(a->gguf_arch, sizeof(a->gguf_arch), "lfm2moe");
		a->n_dense_lead =
		    hfconfig_read_u32(r, "num_dense_layers", false, 0, ARCH_MAX_LAYERS);
		a->expert_bias = true;
		for (uint32_t il = 0; il < a->n_layer; il++)
			a->layer_moe[il] = il >= a->n_dense_lead;
		return;
	}
	for (uint32_t il = 0; il < a->n_layer; il++)
		a->layer_moe[il] = 0;
	uint32_t ff = hfconfig_read_u32(r, "block_ff_dim", false, a->n_ff, 1u << 22);
	if (hfconfig_read_bool(r, "block_auto_adjust_ff_dim", false)) {
		uint64_t f = 2ull * ff / 3;
		const char *m = hfconfig_read_value(r, "block_ffn_dim_multiplier");
		if (m) {
			char *end;
			double x = strtod(m, &end);
			if (end == m || *end || !(x > 0 && x < 64)) {
				hfconfig_fail(r, "block_ffn_dim_multiplier",
				              "not a positive number below 64", m);
				return;
			}
			f = (uint64_t)(x * (double)f);
		}
		uint64_t mult = hfconfig_read_u32(r, "block_multiple_of", false, 1, 65536);
		if (mult == 0)
			mult = 1;
		f = (f + mult - 1) / mult * mult;
		ff = f > (1u << 22) ? (1u << 22) : (uint32_t)f;
	}
	a->n_ff = ff;
}

/* The keys every architecture needs, for the unknown model_type message. */
static const char *const required_keys[] = {
    "num_hidden_layers",       "hidden_size",         "vocab_size",
    "max_position_embeddings", "num_attention_heads", NULL,
};

/* An unknown model_type: say which required keys the config has and
 * lacks (is it a language model at all?), how to proceed, and which
 * model_types are known. */
static void unknown_type(struct hfconfig_reader *r, const char *model_type)
{
	char have[256] = "", lack[256] = "", known[512] = "", at[640];
	for (const char *const *k = required_keys; *k; k++) {
		char *dst = hfconfig_read_value(r, *k) ? have : lack;
		size_t o = strlen(dst);
		snprintf(dst + o, 256 - o, "%s%s", o ? ", " : "", *k);
	}
	for (size_t i = 0; i < N_TYPES; i++) {
		size_t o = strlen(known);
		snprintf(known + o, sizeof(known) - o, "%s%s", i ? ", " : "",
		         type_table[i].model_type);
	}
	snprintf(r->err, r->errlen,
	         "%s model_type: not a supported architecture: '%s'; required keys present: %s; "
	         "missing: %s (a profile may name a known layout with [model] arch); known "
	         "model_types: %s",
	         hfconfig_where(r->src, "model_type", at, sizeof(at)), model_type,
	         *have ? have : "none", *lack ? lack : "none", known);
	r->ok = false;
}

static void apply_pattern(struct model_arch *a, uint32_t period, enum layer_kind local)
{
	for (uint32_t il = 0; il < a->n_layer; il++)
		if (period > 1 && il % period < period - 1)
			a->layer_kind[il] = (uint8_t)local;
}

bool hfconfig_to_arch(const struct config_source *src, const char *family_override,
                      struct model_arch *a, char *err, size_t errlen)
{
	struct hfconfig_reader r;
	hfconfig_reader_start(&r, src, err, errlen);
	char model_type[48] = "";
	memset(a, 0, sizeof(*a));

	const char *mt = hfconfig_read_value(&r, "model_type");
	if (mt)
		snprintf(model_type, sizeof(model_type), "%s", mt);
	if (family_override && *family_override) {
		if (!arch_family_find(family_override, &a->family)) {
			snprintf(err, errlen, "%s arch: unknown tensor layout family: '%s'",
			         src->where, family_override);
			return false;
		}
	} else if (!*model_type) {
		hfconfig_fail(&r, "model_type", "missing (required)", NULL);
		return false;
	} else {
		if (!hfconfig_model_type_family(model_type, &a->family)) {
			unknown_type(&r, model_type);
			return false;
		}
	}
	snprintf(a->gguf_arch, sizeof(a->gguf_arch), "%s", arch_family_name(a->family));

	a->n_layer = hfconfig_read_u32(&r, "num_hidden_layers", true, 0, ARCH_MAX_LAYERS);
	/* MTP blocks: counted where convert_hf_to_gguf (2026-09-28) writes them
	 * by default (block_count + nextn_predict_layers), as a GGUF of the
	 * model then has them: llama.cpp loads almost none of their weights,
	 * but llama-quantize and -ngl count the blocks.  The deepseek2
	 * converter drops them (DeepSeek V3, Kimi K2), except GLM-4.7-Flash's
	 * (glm4_moe_lite); Hy3 (hy_v3, qwen3's layout) writes its block;
	 * deepseek_v4 writes its MTP block only into a separate draft file
	 * (--mtp). */
	static const enum arch_family mtp_written[] = {
	    AF_QWEN35, AF_NEMOTRON_H, AF_GLM4MOE, AF_BAILINGMOE2, AF_COHERE2, AF_DEEPSEEK32};
	a->n_mtp = hfconfig_read_u32(&r, "num_nextn_predict_layers", false, 0, ARCH_MAX_LAYERS);
	if (!a->n_mtp)
		a->n_mtp =
		    hfconfig_read_u32(&r, "mtp_num_hidden_layers", false, 0, ARCH_MAX_LAYERS);
	bool written = !strcmp(model_type, "hy_v3") || !strcmp(model_type, "glm4_moe_lite");
	for (size_t i = 0; i < sizeof(mtp_written) / sizeof(mtp_written[0]); i++)
		written |= a->family == mtp_written[i];
	if (!written)
		a->n_mtp = 0;
	a->n_embd = hfconfig_read_u32(&r, "hidden_size", true, 0, 1u << 20);
	a->n_vocab = hfconfig_read_u32(&r, "vocab_size", true, 0, 1u << 24);
	a->n_ctx_train = hfconfig_read_u32(&r, "max_position_embeddings", true, 0, UINT32_MAX);
	a->n_head = hfconfig_read_u32(&r, "num_attention_heads", true, 0, 4096);
	a->n_head_kv = hfconfig_read_u32(&r, "num_key_value_heads", false, a->n_head, 4096);
	uint32_t hd_def = a->n_head ? a->n_embd / a->n_head : 0;
	a->head_dim_k = a->head_dim_v = hfconfig_read_u32(&r, "head_dim", false, hd_def, 4096);
	a->n_ff = hfconfig_read_u32(&r, "intermediate_size", false, 0, 1u << 22);
	bool gemma = a->family == AF_GEMMA2 || a->family == AF_GEMMA3 || a->family == AF_GEMMA4 ||
	             a->family == AF_GEMMA3N;
	/* LFM2 ties unless told otherwise, under its own key name */
	bool tied_default =
	    gemma || (a->family == AF_LFM2 && hfconfig_read_bool(&r, "tie_embedding", true));
	a->tied_embeddings = hfconfig_read_bool(&r, "tie_word_embeddings", tied_default);
	const char *rs = hfconfig_read_value(&r, "rope_scaling_type");
	/* llama3 rope factors: a rope_freqs tensor in these layouts */
	a->rope_freqs = (a->family == AF_LLAMA || a->family == AF_APERTUS ||
	                 a->family == AF_EXAONE4 || a->family == AF_STEP35) &&
	                rs && !strcmp(rs, "llama3");
	/* Hunyuan-A13B: its NTK-alpha ("dynamic") rope reaches 256K while the
	 * config says 32768; convert_hf_to_gguf writes context_length 262144 */
	if (!strcmp(model_type, "hunyuan_v1_moe") && rs && !strcmp(rs, "dynamic"))
		a->n_ctx_train = 262144;

	/* Mixture of experts */
	a->n_expert = hfconfig_read_u32(&r, "num_experts", false, 0, 4096);
	if (!a->n_expert)
		a->n_expert = hfconfig_read_u32(&r, "num_local_experts", false, 0, 4096);
	if (!a->n_expert)
		a->n_expert = hfconfig_read_u32(&r, "n_routed_experts", false, 0, 4096);
	if (a->n_expert) {
		/* gemma4 says top_k_experts, hunyuan moe_topk (one per layer) */
		const char *used_key = hfconfig_read_value(&r, "num_experts_per_tok")
		                           ? "num_experts_per_tok"
		                       : hfconfig_read_value(&r, "moe_topk") ? "moe_topk"
		                       : hfconfig_read_value(&r, "num_experts_per_token") /* Kimi */
		                           ? "num_experts_per_token"
		                           : "top_k_experts";
		a->n_expert_used = hfconfig_read_u32(&r, used_key, true, 0, 4096);
		a->n_ff_exp =
		    hfconfig_read_u32(&r, "moe_intermediate_size", false, a->n_ff, 1u << 22);
		/* n_shared_experts; Ling, Trinity and Cohere say num_shared_experts,
		 * Hunyuan num_shared_expert (one per layer) */
		const char *shared_key =
		    hfconfig_read_value(&r, "n_shared_experts")     ? "n_shared_experts"
		    : hfconfig_read_value(&r, "num_shared_experts") ? "num_shared_experts"
		                                                    : "num_shared_expert";
		a->n_expert_shared = hfconfig_read_u32(&r, shared_key, false, 0, 64);
		uint32_t sh =
		    hfconfig_read_u32(&r, "shared_expert_intermediate_size", false, 0, 1u << 22);
		if (!sh)
			sh = hfconfig_read_u32(&r, "shared_intermediate_size", false, 0, 1u << 22);
		if (!sh)
			sh = hfconfig_read_u32(&r, "moe_shared_expert_intermediate_size", false, 0,
			                       1u << 22);
		if (!sh && !strcmp(model_type, "hunyuan_v1_moe")) /* intermediate_size wide */
			sh = a->n_ff;
		if (!sh)
			sh = a->n_expert_shared * a->n_ff_exp;
		a->n_ff_shexp = sh;
		if (sh && !a->n_expert_shared)
			a->n_expert_shared = 1;
		a->n_dense_lead =
		    hfconfig_read_u32(&r, "first_k_dense_replace", false, 0, ARCH_MAX_LAYERS);
		if (a->family == AF_AFMOE)
			a->n_dense_lead = hfconfig_read_u32(&r, "num_dense_layers", false,
			                                    a->n_dense_lead, ARCH_MAX_LAYERS);
		const char *tk = hfconfig_read_value(&r, "topk_method");
		/* sigmoid routers with a correction bias (e_score_correction_bias,
		 * expert_bias) */
		a->expert_bias =
		    (tk && !strcmp(tk, "noaux_tc")) || !strcmp(model_type, "glm4_moe") ||
		    !strcmp(model_type, "glm4_moe_lite") || !strcmp(model_type, "minimax_m2") ||
		    !strcmp(model_type, "minimax_m3") || a->family == AF_BAILINGMOE2 ||
		    a->family == AF_AFMOE || !strcmp(model_type, "hy_v3");
		if (a->family == AF_GRANITEHYBRID || !strcmp(model_type, "mixtral") ||
		    a->family == AF_GPTOSS)
			a->n_ff = 0;
		if (!strcmp(model_type, "llama4_text")) {
			/* every MoE layer has one shared expert as wide as a routed one;
			 * dense layers use intermediate_size_mlp */
			a->n_ff_shexp = a->n_ff_exp;
			a->n_expert_shared = 1;
			a->n_ff = hfconfig_read_u32(&r, "intermediate_size_mlp", false, a->n_ff,
			                            1u << 22);
		}
	}
	uint32_t moe_step =
	    hfconfig_read_u32(&r, "interleave_moe_layer_step", false, 1, ARCH_MAX_LAYERS);
	if (a->family == AF_QWEN35 && a->n_expert) /* llama.cpp names the MoE variant apart */
		snprintf(a->gguf_arch, sizeof(a->gguf_arch), "qwen35moe");

	/* Multi-head latent attention */
	a->kv_lora_rank = hfconfig_read_u32(&r, "kv_lora_rank", false, 0, 65536);
	if (a->kv_lora_rank) {
		a->q_lora_rank = hfconfig_read_u32(&r, "q_lora_rank", false, 0, 65536);
		a->qk_rope_dim = hfconfig_read_u32(&r, "qk_rope_head_dim", true, 0, 4096);
		a->qk_nope_dim = hfconfig_read_u32(&r, "qk_nope_head_dim", true, 0, 4096);
		a->v_head_dim = hfconfig_read_u32(&r, "v_head_dim", true, 0, 4096);
		a->head_dim_k = a->qk_nope_dim + a->qk_rope_dim;
		a->head_dim_v = a->v_head_dim;
	}
	if (!r.ok)
		return false;

	arch_fill_uniform_layers(a);
	if (a->n_expert && moe_step > 1) /* Llama 4: MoE on every step-th layer */
		for (uint32_t il = 0; il < a->n_layer; il++)
			a->layer_moe[il] = (il + 1) % moe_step == 0;

	/* Sliding window and layer pattern */
	uint32_t window = hfconfig_read_u32(&r, "sliding_window", false, 0, UINT32_MAX);
	uint32_t chunk = hfconfig_read_u32(&r, "attention_chunk_size", false, 0, UINT32_MAX);
	bool swa_family = gemma || a->family == AF_GPTOSS || a->family == AF_COHERE2 ||
	                  a->family == AF_OLMO2 || /* OLMo 3: olmo2 with sliding_window */
	                  a->family == AF_AFMOE || a->family == AF_EXAONE4 ||
	                  a->family == AF_MIMO2 || a->family == AF_STEP35;
	/* hfconfig_read_value() reuses one buffer: read the numbers before the lists */
	uint32_t nextn =
	    hfconfig_read_u32(&r, "num_nextn_predict_layers", false, 0, ARCH_MAX_LAYERS);
	char swp[8] = "";
	const char *v = hfconfig_read_value(&r, "sliding_window_pattern");
	snprintf(swp, sizeof(swp), "%s", v ? v : "");
	const char *lt = hfconfig_read_value(&r, "layer_types");
	if (lt) {
		read_layer_types(&r, a, lt, nextn);
		if (!swa_family) /* llama.cpp runs these archs with full attention */
			for (uint32_t il = 0; il < a->n_layer; il++)
				if (a->layer_kind[il] == LK_ATTN_SWA)
					a->layer_kind[il] = LK_ATTN_FULL;
	} else if (swa_family && window && (*swp == 'L' || *swp == 'G')) {
		/* EXAONE 4's "LLLG": layer il slides when letter il % len is L */
		const char *pat = hfconfig_read_value(&r, "sliding_window_pattern");
		size_t n = strlen(pat);
		for (uint32_t il = 0; il < a->n_layer; il++)
			if (pat[il % n] == 'L')
				a->layer_kind[il] = LK_ATTN_SWA;
	} else if (swa_family && window && a->family != AF_MIMO2) {
		uint32_t def = a->family == AF_GEMMA2                             ? 2
		               : a->family == AF_GEMMA3 || a->family == AF_GEMMA4 ? 6
		               : a->family == AF_GEMMA3N                          ? 5
		                                                                  : 4;
		uint32_t p = hfconfig_read_u32(&r, "sliding_window_pattern", false, def, 1024);
		if (a->family == AF_AFMOE)
			p = hfconfig_read_u32(&r, "global_attn_every_n_layers", false, p, 1024);
		if (a->family == AF_GPTOSS)
			p = 2;
		apply_pattern(a, p, LK_ATTN_SWA);
	} else if (!strcmp(model_type, "llama4_text") && chunk) {
		apply_pattern(a, 4, LK_ATTN_CHUNKED);
	} else if (a->family == AF_QWEN3NEXT || a->family == AF_QWEN35) {
		/* every full_attention_interval-th layer attends, the rest are
		 * gated DeltaNet */
		uint32_t p = hfconfig_read_u32(&r, "full_attention_interval", true, 4, 1024);
		apply_pattern(a, p, LK_RECURRENT);
	}
	a->n_swa = chunk && !strcmp(model_type, "llama4_text") ? chunk : window;

	if (a->family == AF_NEMOTRON_H)
		read_nemotron_h(&r, a);
	if (a->family == AF_LFM2)
		read_lfm2(&r, a, a->n_expert > 0);

	/* Recurrent layers */
	bool any_rec = false;
	for (uint32_t il = 0; il < a->n_layer; il++)
		any_rec |= a->layer_kind[il] == LK_RECURRENT;
	if (any_rec && a->family == AF_GRANITEHYBRID) {
		a->rec_kind = RK_MAMBA2;
		a->ssm_d_conv = hfconfig_read_u32(&r, "mamba_d_conv", true, 0, 64);
		a->ssm_d_state = hfconfig_read_u32(&r, "mamba_d_state", true, 0, 65536);
		a->ssm_n_group = hfconfig_read_u32(&r, "mamba_n_groups", false, 1, 4096);
		a->ssm_n_head = hfconfig_read_u32(&r, "mamba_n_heads", true, 0, 65536);
		uint32_t d_head = hfconfig_read_u32(&r, "mamba_d_head", false, 0, 65536);
		uint32_t expand = hfconfig_read_u32(&r, "mamba_expand", false, 2, 64);
		a->ssm_d_inner = d_head ? a->ssm_n_head * d_head : expand * a->n_embd;
		/* llama.cpp's granitehybrid loader asserts 2 x n_embd == d_inner */
		if (r.ok && a->ssm_d_inner != 2ull * a->n_embd) {
			char got[96];
			snprintf(
			    got, sizeof(got), "%" PRIu32 " x %" PRIu32 " = %" PRIu32, a->ssm_n_head,
			    d_head ? d_head : a->ssm_d_inner / (a->ssm_n_head ? a->ssm_n_head : 1),
			    a->ssm_d_inner);
			hfconfig_fail(
			    &r, d_head ? "mamba_d_head" : "mamba_expand",
			    "mamba_n_heads x mamba_d_head must be 2 x hidden_size (the only "
			    "expansion llama.cpp's granitehybrid loads)",
			    got);
		}
	} else if (any_rec && (a->family == AF_QWEN3NEXT || a->family == AF_QWEN35)) {
		a->rec_kind = RK_GATED_DELTANET;
		a->ssm_d_conv = hfconfig_read_u32(&r, "linear_conv_kernel_dim", true, 0, 64);
		a->ssm_d_state = hfconfig_read_u32(&r, "linear_key_head_dim", true, 0, 65536);
		a->ssm_n_group = hfconfig_read_u32(&r, "linear_num_key_heads", true, 0, 4096);
		a->ssm_n_head = hfconfig_read_u32(&r, "linear_num_value_heads", true, 0, 4096);
		a->ssm_d_inner =
		    a->ssm_n_head * hfconfig_read_u32(&r, "linear_value_head_dim", true, 0, 65536);
	} else if (any_rec && a->family != AF_NEMOTRON_H && a->family != AF_LFM2) {
		hfconfig_fail(
		    &r, "layer_types",
		    "recurrent layers are supported for granitemoehybrid, qwen3_next and qwen3_5 "
		    "only",
		    model_type);
	}
	for (uint32_t il = 0; il < a->n_layer; il++)
		if (a->layer_kind[il] == LK_RECURRENT)
			a->layer_head_kv[il] = 0;
	if (!r.ok)
		return false;

	/* Qwen3-VL: vision_config.deepstack_visual_indexes has 3 entries in
	 * every published model (n_deepstack_layers in the GGUF) */
	if (!strncmp(model_type, "qwen3_vl", 8)) {
		a->n_deepstack = 3;
		snprintf(a->gguf_arch, sizeof(a->gguf_arch), "%s",
		         a->n_expert ? "qwen3vlmoe" : "qwen3vl");
	}
	/* A granitemoehybrid config whose layer_types list only attention
	 * (Granite 4.0 Micro and the dense nano models) is converted to a plain
	 * granite (or granitemoe) model: the llama layout, no Mamba-2 state. */
	if (a->family == AF_GRANITEHYBRID && !any_rec) {
		a->family = AF_LLAMA;
		snprintf(a->gguf_arch, sizeof(a->gguf_arch), "%s",
		         a->n_expert ? "granitemoe" : "granite");
	}
	/* llama.cpp's arch names where they differ from the family's */
	static const char *const arch_names[][2] = {
	    {"seed_oss", "seed_oss"},
	    {"mistral4", "mistral4"},
	    {"hunyuan_v1_moe", "hunyuan-moe"},
	    {"cohere2_moe", "cohere2moe"},
	    {"llama4_text", "llama4"},
	    {"ministral3", "mistral3"},
	    {"mistral3", "mistral3"},
	    {"hy_v3", "hy_v3"},
	    {"granite", "granite"},
	};
	for (size_t i = 0; i < sizeof(arch_names) / sizeof(arch_names[0]); i++)
		if (!strcmp(model_type, arch_names[i][0]))
			snprintf(a->gguf_arch, sizeof(a->gguf_arch), "%s", arch_names[i][1]);
	a->qk_norm = a->family == AF_GLM4MOE && hfconfig_read_bool(&r, "use_qk_norm", false);
	a->mtp_ffn_kept = !strcmp(model_type, "hy_v3") && a->n_mtp && a->n_expert;
	if (!hfconfig_attn_finish(src, a, err, errlen) ||
	    !hfconfig_hybrid_finish(src, a, err, errlen))
		return false;

	char why[256];
	if (!arch_validate(a, why, sizeof(why))) {
		/* arch_validate's message starts with the key it is about */
		char key[64], at[640];
		size_t n = strcspn(why, ": ");
		snprintf(key, sizeof(key), "%.*s", (int)(n < sizeof(key) ? n : 0), why);
		snprintf(err, errlen, "%s %s", hfconfig_where(src, key, at, sizeof(at)), why);
		return false;
	}
	return true;
}
