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

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What the readers below share. */
struct rd {
	const struct config_source *src;
	char *err;
	size_t errlen;
	bool ok;
	char buf[2048]; /* a per-layer list: hybrid_layer_pattern, moe_layers_enum */
};

static const char *value(struct rd *r, const char *key)
{
	const char *v = r->src->get(r->src->ctx, key, r->buf, sizeof(r->buf));
	if (v && (*v == '\0' || !strcasecmp(v, "null") || !strcasecmp(v, "none")))
		return NULL;
	return v;
}

static void fail(struct rd *r, const char *key, const char *what, const char *v)
{
	if (!r->ok)
		return;
	r->ok = false;
	char at[640];
	snprintf(r->err, r->errlen, "%s %s: %s: '%s'", hfconfig_where(r->src, key, at, sizeof(at)),
	         key, what, v ? v : "");
}

/* A whole number in 0..max; def when absent. */
static uint32_t num(struct rd *r, const char *key, uint32_t def, uint32_t max)
{
	const char *v = value(r, key);
	if (!v)
		return def;
	while (isspace((unsigned char)*v))
		v++;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (*v == '-' || end == v || *end || errno == ERANGE) {
		fail(r, key, "not a whole number", v);
		return def;
	}
	if (n > max) {
		fail(r, key, "too large", v);
		return def;
	}
	return (uint32_t)n;
}

static bool flag(struct rd *r, const char *key, bool def)
{
	const char *v = value(r, key);
	if (!v)
		return def;
	if (!strcasecmp(v, "true") || !strcmp(v, "1"))
		return true;
	if (!strcasecmp(v, "false") || !strcmp(v, "0"))
		return false;
	fail(r, key, "not a boolean (true/false)", v);
	return def;
}

static void gemma4(struct rd *r, struct model_arch *a)
{
	uint32_t swa_dim = a->head_dim_k, swa_kv = a->n_head_kv;
	uint32_t full_dim = num(r, "global_head_dim", swa_dim, 4096);
	uint32_t full_kv = num(r, "num_global_key_value_heads", swa_kv, 4096);
	a->head_dim_k = a->head_dim_v = full_dim;
	a->head_dim_k_swa = a->head_dim_v_swa = full_dim != swa_dim ? swa_dim : 0;
	a->k_eq_v = flag(r, "attention_k_eq_v", false);
	a->n_embd_per_layer = num(r, "hidden_size_per_layer_input", 0, 65536);
	uint32_t shared = num(r, "num_kv_shared_layers", 0, ARCH_MAX_LAYERS);
	if (r->ok && shared >= a->n_layer && shared) {
		fail(r, "num_kv_shared_layers", "leaves no layer with a KV cache",
		     value(r, "num_kv_shared_layers"));
		return;
	}
	a->n_layer_kv = shared ? a->n_layer - shared : 0;
	bool wide = flag(r, "use_double_wide_mlp", false);
	if (!flag(r, "enable_moe_block", a->n_expert > 0)) {
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
static void dsa(struct rd *r, struct model_arch *a, bool glm)
{
	a->idx_n_head = num(r, "index_n_heads", 0, 4096);
	a->idx_head_dim = num(r, "index_head_dim", 0, 4096);
	a->idx_top_k = num(r, "index_topk", 2048, UINT32_MAX);
	if (r->ok && (!a->idx_n_head || !a->idx_head_dim || !a->q_lora_rank)) {
		fail(r, "index_head_dim",
		     "a DSA model needs index_n_heads, index_head_dim and q_lora_rank",
		     value(r, "index_head_dim"));
		return;
	}
	uint32_t freq = num(r, "index_topk_freq", 1, ARCH_MAX_LAYERS);
	uint32_t off = num(r, "index_skip_topk_offset", 0, ARCH_MAX_LAYERS);
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
static void minimax_m3(struct rd *r, struct model_arch *a)
{
	a->n_ff = num(r, "dense_intermediate_size", a->n_ff, 1u << 22);
	a->idx_n_head = num(r, "sparse_num_index_heads", 0, 4096);
	a->idx_head_dim = num(r, "sparse_index_dim", 0, 4096);
	a->idx_top_k = num(r, "sparse_topk_blocks", 16, UINT32_MAX);
	a->msa_block = num(r, "sparse_block_size", 0, 1u << 20);
	if (r->ok && (!a->idx_n_head || !a->idx_head_dim || !a->msa_block)) {
		fail(r, "sparse_index_dim",
		     "MiniMax M3 needs sparse_num_index_heads, sparse_index_dim and "
		     "sparse_block_size",
		     value(r, "sparse_index_dim"));
		return;
	}
	for (uint32_t il = 0; il < a->n_layer; il++)
		a->layer_idx[il] = il >= a->n_dense_lead;
}

/* Gemma 3n (Gemma3nTextConfig): AltUp predictions and Laurel rank, the
 * per-layer embedding width and the KV-shared tail (num_kv_shared_layers;
 * llama.cpp reads it as n_layer_kv_from_start = 20 for both released
 * sizes). */
static void gemma3n(struct rd *r, struct model_arch *a)
{
	a->n_altup = num(r, "altup_num_inputs", 4, 64);
	a->laurel_rank = num(r, "laurel_rank", 64, 65536);
	a->n_embd_per_layer = num(r, "hidden_size_per_layer_input", 256, 65536);
	uint32_t shared = num(r, "num_kv_shared_layers", 0, ARCH_MAX_LAYERS);
	if (r->ok && (a->n_altup < 2 || (shared && shared >= a->n_layer))) {
		fail(r, a->n_altup < 2 ? "altup_num_inputs" : "num_kv_shared_layers",
		     a->n_altup < 2 ? "must be at least 2" : "leaves no layer with a KV cache",
		     value(r, a->n_altup < 2 ? "altup_num_inputs" : "num_kv_shared_layers"));
		return;
	}
	a->n_layer_kv = shared ? a->n_layer - shared : 0;
}

/* The model_type, copied (value() reuses r->buf). */
static void model_type(struct rd *r, char *mt, size_t n)
{
	const char *v = value(r, "model_type");
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
static void ernie(struct rd *r, struct model_arch *a)
{
	uint32_t x = num(r, "moe_num_experts", 0, 4096);
	snprintf(a->gguf_arch, sizeof(a->gguf_arch), "%s", x ? "ernie4_5-moe" : "ernie4_5");
	if (!x)
		return;
	a->n_expert = x;
	a->n_expert_used = num(r, "moe_k", 0, 4096);
	a->n_ff_exp = num(r, "moe_intermediate_size", a->n_ff, 1u << 22);
	a->n_expert_shared = num(r, "moe_num_shared_experts", 0, 64);
	a->n_ff_shexp = a->n_expert_shared * a->n_ff_exp;
	a->n_dense_lead = num(r, "moe_layer_start_index", 0, ARCH_MAX_LAYERS);
	uint32_t step = num(r, "moe_layer_interval", 1, ARCH_MAX_LAYERS);
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
static void mimo2(struct rd *r, struct model_arch *a)
{
	snprintf(a->gguf_arch, sizeof(a->gguf_arch), "mimo2");
	/* convert_hf_to_gguf appends the 3 MTP blocks every MiMo-V2 ships
	 * (MimoV2Model._n_nextn; the config does not say) */
	a->n_mtp = 3;
	uint32_t full_kv = a->n_head_kv, swa_kv = num(r, "swa_num_key_value_heads", full_kv, 4096);
	a->head_dim_v = num(r, "v_head_dim", a->head_dim_k, 4096);
	uint32_t swa_k = num(r, "swa_head_dim", a->head_dim_k, 4096);
	uint32_t swa_v = num(r, "swa_v_head_dim", a->head_dim_v, 4096);
	a->head_dim_k_swa = swa_k != a->head_dim_k ? swa_k : 0;
	a->head_dim_v_swa = swa_v != a->head_dim_v ? swa_v : 0;
	if (num(r, "swa_num_attention_heads", a->n_head, 4096) != a->n_head)
		fail(r, "swa_num_attention_heads",
		     "must equal num_attention_heads (as llama.cpp's "
		     "converter requires)",
		     value(r, "swa_num_attention_heads"));
	const char *v = value(r, "hybrid_layer_pattern");
	if (v) {
		uint32_t il = 0, k;
		while (r->ok && next_index(&v, &k)) {
			if (il < a->n_layer)
				a->layer_kind[il] = k ? LK_ATTN_SWA : LK_ATTN_FULL;
			il++;
		}
		if (r->ok && il != a->n_layer)
			fail(r, "hybrid_layer_pattern",
			     "needs one 0 (full) or 1 (sliding) per layer",
			     value(r, "hybrid_layer_pattern"));
	}
	if ((v = value(r, "moe_layer_freq")) && strchr(v, ',') && a->n_expert) {
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
			fail(r, "moe_layer_freq", "needs one 0 (dense) or 1 (MoE) per layer",
			     value(r, "moe_layer_freq"));
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
static void step35(struct rd *r, struct model_arch *a, bool has_layer_types)
{
	snprintf(a->gguf_arch, sizeof(a->gguf_arch), "step35");
	a->n_mtp = num(r, "num_nextn_predict_layers", 0, 16);
	uint32_t kv_full = num(r, "num_attention_groups", a->n_head_kv, 4096);
	uint32_t kv_swa = num(r, "attention_other_setting.num_attention_groups", kv_full, 4096);
	a->n_head_kv = kv_full > kv_swa ? kv_full : kv_swa;
	uint32_t hs = num(r, "attention_other_setting.num_attention_heads", a->n_head, 4096);
	a->n_head_swa = hs != a->n_head ? hs : 0;
	if (!has_layer_types && a->n_swa)
		for (uint32_t il = 0; il < a->n_layer; il++)
			a->layer_kind[il] = il % 4 ? LK_ATTN_SWA : LK_ATTN_FULL;
	if (!a->n_expert) {
		a->n_expert = num(r, "moe_num_experts", 0, 4096);
		a->n_expert_used = num(r, "moe_top_k", 0, 4096);
		a->n_ff_exp = num(r, "moe_intermediate_size", 0, 1u << 22);
		a->n_ff_shexp = num(r, "share_expert_dim", 0, 1u << 22);
		a->n_expert_shared = a->n_ff_shexp ? 1 : 0;
		a->expert_bias = flag(r, "use_moe_router_bias", true);
	}
	const char *v = value(r, "moe_layers_enum");
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
	struct rd r = {.src = src, .err = err, .errlen = errlen, .ok = true};
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
		step35(&r, a, value(&r, "layer_types") != NULL);
	return r.ok;
}
