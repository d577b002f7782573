/*
 * profile_save.c - a model architecture back to a profile's [config] keys,
 * and the atomic write of a profile file.
 *
 * The [config] writer does not re-implement the mapping's rules per
 * model_type (which keys a family reads, which patterns it applies); it
 * writes the plain keys, tries the candidate model_types with the layer
 * pattern spelled compactly (sliding_window_pattern,
 * full_attention_interval, interleave_moe_layer_step) and then as an
 * explicit layer_types list, and keeps the first text that
 * hfconfig_to_arch() maps back to the same architecture.
 */
#include "profile_save.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "hfconfig.h"
#include "json.h"
#include "tensors.h"

bool profile_id_check(const char *id, char *err, size_t errlen)
{
	size_t n = strlen(id);
	bool ok = n >= 1 && n <= PROFILE_ID_MAX && id[0] != '.' && id[0] != '-';
	for (const char *p = id; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		     *p == '_' || *p == '-';
	char shown[80];
	if (!ok) {
		json_show(shown, sizeof(shown), id);
		snprintf(err, errlen,
		         "profile id '%s': use 1 to %d lowercase letters, digits, '.', '_' or '-', "
		         "not starting with '.' or '-'",
		         shown, PROFILE_ID_MAX);
		return false;
	}
	/* -m would take these for file names */
	static const char *const suffixes[] = {".ini", ".gguf", ".json", ".safetensors"};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t m = strlen(suffixes[i]);
		if (n > m && !strcmp(id + n - m, suffixes[i])) {
			json_show(shown, sizeof(shown), id);
			snprintf(err, errlen,
			         "profile id '%s': ends in %s, which -m reads as a file", shown,
			         suffixes[i]);
			return false;
		}
	}
	return true;
}

/* ---- equivalence ---- */

#define FIELD(f)                                                                                   \
	{                                                                                          \
#f, offsetof(struct model_arch, f), sizeof(((struct model_arch *)0)->f)            \
	}

static const struct {
	const char *name;
	size_t off, size;
} scalar_fields[] = {
    FIELD(family),         FIELD(n_layer),        FIELD(n_embd),          FIELD(n_vocab),
    FIELD(n_ctx_train),    FIELD(n_head),         FIELD(n_head_kv),       FIELD(head_dim_k),
    FIELD(head_dim_v),     FIELD(n_ff),           FIELD(tied_embeddings), FIELD(rope_freqs),
    FIELD(n_expert),       FIELD(n_expert_used),  FIELD(n_ff_exp),        FIELD(n_expert_shared),
    FIELD(n_ff_shexp),     FIELD(n_dense_lead),   FIELD(expert_bias),     FIELD(q_lora_rank),
    FIELD(kv_lora_rank),   FIELD(qk_nope_dim),    FIELD(qk_rope_dim),     FIELD(v_head_dim),
    FIELD(n_swa),          FIELD(rec_kind),       FIELD(ssm_d_conv),      FIELD(ssm_d_state),
    FIELD(ssm_d_inner),    FIELD(ssm_n_group),    FIELD(ssm_n_head),      FIELD(moe_latent),
    FIELD(head_dim_k_swa), FIELD(head_dim_v_swa), FIELD(n_layer_kv),      FIELD(n_embd_per_layer),
    FIELD(k_eq_v),         FIELD(idx_n_head),     FIELD(idx_head_dim),    FIELD(idx_top_k),
    FIELD(n_deepstack),    FIELD(msa_block),      FIELD(n_altup),         FIELD(laurel_rank),
    FIELD(qk_norm),        FIELD(o_lora_rank),    FIELD(o_groups),        FIELD(hc_mult),
    FIELD(n_hash_layers),  FIELD(qk_norm),        FIELD(n_head_swa),      FIELD(attn_res_block),
    FIELD(kda_full_gate),
};

/* Clear what the engine does not read for this model. */
static void normalize(struct model_arch *a)
{
	bool dense = false, rec = false;
	memset(a->gguf_arch, 0, sizeof(a->gguf_arch));
	for (uint32_t il = 0; il < a->n_layer && il < ARCH_MAX_LAYERS; il++) {
		dense |= !a->n_expert || !a->layer_moe[il];
		rec |= arch_layer_has_state(a, il);
	}
	if (!dense)
		a->n_ff = 0;
	if (!a->n_expert) {
		a->n_expert_used = a->n_ff_exp = a->n_expert_shared = a->n_ff_shexp = 0;
		a->n_dense_lead = 0;
		a->expert_bias = false;
	}
	if (arch_is_mla(a)) {
		/* A GGUF states the MQA form of MLA (key_length = kv_lora_rank +
		 * rope); config.json the per-head one.  The tensors and the cache
		 * come from the MLA ranks either way. */
		a->head_dim_k = a->qk_nope_dim + a->qk_rope_dim;
		a->head_dim_v = a->v_head_dim;
	}
	if (tensors_family_has_builder(a->family))
		a->rope_freqs = false; /* the family's builder decides */
	if (!rec) {
		a->rec_kind = RK_NONE;
		a->ssm_d_conv = a->ssm_d_state = a->ssm_d_inner = a->ssm_n_group = a->ssm_n_head =
		    0;
	}
}

bool profile_arch_equivalent(const struct model_arch *x, const struct model_arch *y, char *what,
                             size_t n)
{
	struct model_arch a = *x, b = *y;
	normalize(&a);
	normalize(&b);
	for (size_t i = 0; i < sizeof(scalar_fields) / sizeof(scalar_fields[0]); i++)
		if (memcmp((const char *)&a + scalar_fields[i].off,
		           (const char *)&b + scalar_fields[i].off, scalar_fields[i].size)) {
			snprintf(what, n, "%s", scalar_fields[i].name);
			return false;
		}
	for (uint32_t il = 0; il < ARCH_MAX_LAYERS; il++) {
		const char *f = a.layer_kind[il] != b.layer_kind[il]           ? "layer_kind"
		                : a.layer_moe[il] != b.layer_moe[il]           ? "layer_moe"
		                : a.layer_head_kv[il] != b.layer_head_kv[il]   ? "layer_head_kv"
		                : a.layer_ff[il] != b.layer_ff[il]             ? "layer_ff"
		                : a.layer_idx[il] != b.layer_idx[il]           ? "layer_idx"
		                : a.layer_compress[il] != b.layer_compress[il] ? "layer_compress"
		                                                               : NULL;
		if (f) {
			snprintf(what, n, "%s[%u]", f, il);
			return false;
		}
	}
	return true;
}

/* ---- [config] writer ---- */

/* Text being built; overflow is sticky. */
struct out {
	char *buf;
	size_t n, o;
	bool overflow, long_line;
};

static void put(struct out *w, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void put(struct out *w, const char *key, const char *fmt, ...)
{
	char val[PROFILE_LINE_MAX + 64];
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (len < 0 || strlen(key) + 3 + (size_t)len > PROFILE_LINE_MAX) {
		w->long_line = true;
		return;
	}
	int m = snprintf(w->buf + w->o, w->n - w->o, "%s = %s\n", key, val);
	if (m < 0 || (size_t)m >= w->n - w->o) {
		w->overflow = true;
		return;
	}
	w->o += (size_t)m;
}

static void raw(struct out *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void raw(struct out *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(w->buf + w->o, w->n - w->o, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= w->n - w->o)
		w->overflow = true;
	else
		w->o += (size_t)m;
}

/* Smallest period p >= 2 with kind[il] == local exactly when
 * il % p < p - 1, or 0. */
static uint32_t find_period(const struct model_arch *a, enum layer_kind local)
{
	for (uint32_t p = 2; p <= a->n_layer + 1 && p <= 1024; p++) {
		bool match = true;
		for (uint32_t il = 0; il < a->n_layer && match; il++)
			match = (a->layer_kind[il] == local) == (il % p < p - 1);
		if (match)
			return p;
	}
	return 0;
}

/* Step s >= 2 with routed experts exactly on layers (il + 1) % s == 0. */
static uint32_t find_moe_step(const struct model_arch *a)
{
	for (uint32_t s = 2; s <= a->n_layer; s++) {
		bool match = true;
		for (uint32_t il = 0; il < a->n_layer && match; il++)
			match = a->layer_moe[il] == ((il + 1) % s == 0);
		if (match)
			return s;
	}
	return 0;
}

static const char *layer_name(const struct model_arch *a, uint8_t kind)
{
	switch (kind) {
	case LK_ATTN_SWA:
		return "sliding_attention";
	case LK_ATTN_CHUNKED:
		return "chunked_attention";
	case LK_RECURRENT:
		return a->family == AF_GRANITEHYBRID ? "mamba"
		       : a->family == AF_LFM2        ? "conv"
		                                     : "linear_attention";
	default:
		return a->family == AF_GRANITEHYBRID ? "attention" : "full_attention";
	}
}

/* Nemotron-H's own keys: the block pattern, Mamba-2 sizes and the MoE
 * shared-expert and latent widths. */
static void write_nemotron_h(struct out *w, const struct model_arch *a)
{
	char codes[ARCH_MAX_LAYERS + 1];
	uint32_t n = 0;
	for (uint32_t il = 0; il < a->n_layer && il < ARCH_MAX_LAYERS; il++)
		codes[n++] = a->layer_kind[il] == LK_RECURRENT ? 'M'
		             : a->layer_head_kv[il] > 0        ? '*'
		             : a->layer_moe[il]                ? 'E'
		                                               : '-';
	codes[n] = '\0';
	put(w, "hybrid_override_pattern", "%s", codes);
	put(w, "conv_kernel", "%u", a->ssm_d_conv);
	put(w, "ssm_state_size", "%u", a->ssm_d_state);
	put(w, "n_groups", "%u", a->ssm_n_group);
	put(w, "mamba_num_heads", "%u", a->ssm_n_head);
	if (a->ssm_n_head)
		put(w, "mamba_head_dim", "%u", a->ssm_d_inner / a->ssm_n_head);
	if (a->n_expert)
		put(w, "moe_shared_expert_intermediate_size", "%u", a->n_ff_shexp);
	if (a->moe_latent)
		put(w, "moe_latent_size", "%u", a->moe_latent);
}

/* KV heads of the first layer of kind k (0: none). */
static uint32_t heads_of_kind(const struct model_arch *a, enum layer_kind k)
{
	for (uint32_t il = 0; il < a->n_layer; il++)
		if (a->layer_kind[il] == k)
			return a->layer_head_kv[il];
	return 0;
}

/* Gemma 4's keys: head_dim and num_key_value_heads describe the sliding
 * layers, the global_* keys the full ones; the per-layer embeddings, the
 * KV-shared tail and its double-wide MLP. */
static void put_gemma4(struct out *w, const struct model_arch *a)
{
	uint32_t swa = heads_of_kind(a, LK_ATTN_SWA), full = heads_of_kind(a, LK_ATTN_FULL);
	put(w, "num_key_value_heads", "%u", swa ? swa : full);
	if (full && swa && full != swa)
		put(w, "num_global_key_value_heads", "%u", full);
	put(w, "head_dim", "%u", a->head_dim_k_swa ? a->head_dim_k_swa : a->head_dim_k);
	if (a->head_dim_k_swa)
		put(w, "global_head_dim", "%u", a->head_dim_k);
	if (a->k_eq_v)
		put(w, "attention_k_eq_v", "true");
	if (a->n_embd_per_layer)
		put(w, "hidden_size_per_layer_input", "%u", a->n_embd_per_layer);
	if (a->n_layer_kv)
		put(w, "num_kv_shared_layers", "%u", a->n_layer - a->n_layer_kv);
	if (a->n_layer_kv && a->layer_ff[a->n_layer - 1])
		put(w, "use_double_wide_mlp", "true");
}

/* MiMo-V2's keys: num_key_value_heads, head_dim and v_head_dim describe
 * the full layers, the swa_* keys the sliding ones; the layer kinds as
 * hybrid_layer_pattern (1 = sliding). */
static void put_mimo2(struct out *w, const struct model_arch *a)
{
	uint32_t swa = heads_of_kind(a, LK_ATTN_SWA), full = heads_of_kind(a, LK_ATTN_FULL);
	put(w, "num_key_value_heads", "%u", full ? full : swa);
	if (swa)
		put(w, "swa_num_key_value_heads", "%u", swa);
	put(w, "head_dim", "%u", a->head_dim_k);
	put(w, "v_head_dim", "%u", a->head_dim_v);
	if (a->head_dim_k_swa)
		put(w, "swa_head_dim", "%u", a->head_dim_k_swa);
	if (a->head_dim_v_swa)
		put(w, "swa_v_head_dim", "%u", a->head_dim_v_swa);
	char pat[2 * ARCH_MAX_LAYERS + 1];
	size_t o = 0;
	for (uint32_t il = 0; il < a->n_layer && il < ARCH_MAX_LAYERS; il++)
		o += (size_t)snprintf(pat + o, sizeof(pat) - o, "%s%d", il ? "," : "",
		                      a->layer_kind[il] == LK_ATTN_SWA);
	put(w, "hybrid_layer_pattern", "%s", pat);
}

/* The DSA indexer's keys; its layer pattern as index_topk_freq and
 * index_skip_topk_offset when not every layer owns one. */
static void put_dsa(struct out *w, const struct model_arch *a)
{
	put(w, "index_n_heads", "%u", a->idx_n_head);
	put(w, "index_head_dim", "%u", a->idx_head_dim);
	put(w, "index_topk", "%u", a->idx_top_k);
	bool all = true;
	for (uint32_t il = 0; il < a->n_layer; il++)
		all &= a->layer_idx[il] != 0;
	for (uint32_t f = 2; !all && f <= 16; f++)
		for (uint32_t off = 0; off <= 16; off++) {
			bool match = true;
			for (uint32_t il = 0; il < a->n_layer && match; il++)
				match = (a->layer_idx[il] != 0) ==
				        (il < off || (il + 1 - off) % f == 0);
			if (match) {
				put(w, "index_topk_freq", "%u", f);
				put(w, "index_skip_topk_offset", "%u", off);
				return;
			}
		}
}

/* MiniMax M3's sparse attention keys (llama.cpp's MSA index cache sits on
 * every layer after the dense lead, which first_k_dense_replace says). */
static void put_msa(struct out *w, const struct model_arch *a)
{
	put(w, "sparse_num_index_heads", "%u", a->idx_n_head);
	put(w, "sparse_index_dim", "%u", a->idx_head_dim);
	put(w, "sparse_topk_blocks", "%u", a->idx_top_k);
	put(w, "sparse_block_size", "%u", a->msa_block);
}

/* Gemma 3n's per-layer embeddings, AltUp, Laurel and KV-shared tail. */
static void put_gemma3n(struct out *w, const struct model_arch *a)
{
	put(w, "hidden_size_per_layer_input", "%u", a->n_embd_per_layer);
	put(w, "altup_num_inputs", "%u", a->n_altup);
	put(w, "laurel_rank", "%u", a->laurel_rank);
	if (a->n_layer_kv)
		put(w, "num_kv_shared_layers", "%u", a->n_layer - a->n_layer_kv);
}

/* DeepSeek V4's keys: the q LoRA, the grouped output projection, the
 * hyper-connections, the hash-routed lead, the indexer and one compression
 * ratio per layer. */
static void put_deepseek4(struct out *w, const struct model_arch *a)
{
	char list[PROFILE_LINE_MAX + 64];
	size_t o = 0;
	put(w, "q_lora_rank", "%u", a->q_lora_rank);
	put(w, "o_lora_rank", "%u", a->o_lora_rank);
	put(w, "o_groups", "%u", a->o_groups);
	put(w, "hc_mult", "%u", a->hc_mult);
	put(w, "num_hash_layers", "%u", a->n_hash_layers);
	put(w, "index_n_heads", "%u", a->idx_n_head);
	put(w, "index_head_dim", "%u", a->idx_head_dim);
	put(w, "index_topk", "%u", a->idx_top_k);
	for (uint32_t il = 0; il < a->n_layer && o < sizeof(list); il++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%u", il ? "," : "",
		                      a->layer_compress[il]);
	if (o >= sizeof(list))
		w->long_line = true;
	else
		put(w, "compress_ratios", "%s", list);
}

/* Kimi's keys: the KDA heads of linear_attn_config, its MLA layers
 * (1-based), and K3's attention residuals and latent expert width. */
static void put_kimi(struct out *w, const struct model_arch *a)
{
	char list[PROFILE_LINE_MAX + 64];
	size_t o = 0;
	put(w, "linear_attn_config.num_heads", "%u", a->ssm_n_head);
	put(w, "linear_attn_config.head_dim", "%u", a->ssm_d_state);
	put(w, "linear_attn_config.short_conv_kernel_size", "%u", a->ssm_d_conv);
	for (uint32_t il = 0; il < a->n_layer && o < sizeof(list); il++)
		if (a->layer_kind[il] != LK_RECURRENT)
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%u", o ? "," : "",
			                      il + 1);
	if (o >= sizeof(list))
		w->long_line = true;
	else
		put(w, "linear_attn_config.full_attn_layers", "%s", list);
	if (a->attn_res_block)
		put(w, "attn_res_block_size", "%u", a->attn_res_block);
	if (a->moe_latent)
		put(w, "routed_expert_hidden_size", "%u", a->moe_latent);
}

/* One attempt: the keys for model_type mt; the per-layer pattern as a
 * period key (list == false) or as layer_types (list == true). */
static void write_config(struct out *w, const struct model_arch *a, const char *mt, bool list)
{
	bool mla = arch_is_mla(a), llama4 = !strcmp(mt, "llama4_text");
	put(w, "model_type", "%s", mt);
	put(w, "num_hidden_layers", "%u", a->n_layer);
	put(w, "hidden_size", "%u", a->n_embd);
	if (a->n_ff)
		put(w, "intermediate_size", "%u", a->n_ff);
	put(w, "num_attention_heads", "%u", a->n_head);
	if (a->family == AF_GEMMA4) {
		put_gemma4(w, a);
	} else if (a->family == AF_MIMO2) {
		put_mimo2(w, a);
	} else {
		put(w, "num_key_value_heads", "%u", a->n_head_kv);
		if (!mla)
			put(w, "head_dim", "%u", a->head_dim_k);
	}
	put(w, "vocab_size", "%u", a->n_vocab);
	put(w, "max_position_embeddings", "%u", a->n_ctx_train);
	put(w, "tie_word_embeddings", "%s", a->tied_embeddings ? "true" : "false");
	if (a->rope_freqs)
		put(w, "rope_scaling_type", "llama3");

	if (a->n_expert) {
		put(w, "num_experts", "%u", a->n_expert);
		put(w, "num_experts_per_tok", "%u", a->n_expert_used);
		put(w, "moe_intermediate_size", "%u", a->n_ff_exp);
		if (a->n_expert_shared)
			put(w, "n_shared_experts", "%u", a->n_expert_shared);
		if (a->n_ff_shexp)
			put(w, "shared_expert_intermediate_size", "%u", a->n_ff_shexp);
		if (a->n_dense_lead)
			put(w, "first_k_dense_replace", "%u", a->n_dense_lead);
		if (a->expert_bias)
			put(w, "topk_method", "noaux_tc");
		if (llama4)
			put(w, "intermediate_size_mlp", "%u", a->n_ff);
		uint32_t step = find_moe_step(a);
		if (step)
			put(w, "interleave_moe_layer_step", "%u", step);
	}
	if (mla) {
		if (a->q_lora_rank)
			put(w, "q_lora_rank", "%u", a->q_lora_rank);
		put(w, "kv_lora_rank", "%u", a->kv_lora_rank);
		put(w, "qk_rope_head_dim", "%u", a->qk_rope_dim);
		put(w, "qk_nope_head_dim", "%u", a->qk_nope_dim);
		put(w, "v_head_dim", "%u", a->v_head_dim);
	}
	if (a->n_swa)
		put(w, llama4 ? "attention_chunk_size" : "sliding_window", "%u", a->n_swa);

	if (list) {
		char types[PROFILE_LINE_MAX + 64];
		size_t o = 0;
		for (uint32_t il = 0; il < a->n_layer && o < sizeof(types); il++)
			o += (size_t)snprintf(types + o, sizeof(types) - o, "%s%s", il ? "," : "",
			                      layer_name(a, a->layer_kind[il]));
		if (o >= sizeof(types))
			w->long_line = true;
		else
			put(w, "layer_types", "%s", types);
	} else {
		uint32_t swa = find_period(a, LK_ATTN_SWA), rec = find_period(a, LK_RECURRENT);
		if (swa)
			put(w, "sliding_window_pattern", "%u", swa);
		if (rec)
			put(w, "full_attention_interval", "%u", rec);
	}

	if (a->family == AF_DEEPSEEK32)
		put_dsa(w, a);
	if (a->family == AF_MINIMAX_M3)
		put_msa(w, a);
	if (a->family == AF_GEMMA3N)
		put_gemma3n(w, a);
	if (a->qk_norm)
		put(w, "use_qk_norm", "true");
	if (a->n_mtp)
		put(w, "num_nextn_predict_layers", "%u", a->n_mtp);
	if (a->family == AF_DEEPSEEK4)
		put_deepseek4(w, a);
	if (a->n_head_swa)
		put(w, "attention_other_setting.num_attention_heads", "%u", a->n_head_swa);
	if (a->family == AF_KIMI)
		put_kimi(w, a);
	if (a->family == AF_NEMOTRON_H) {
		write_nemotron_h(w, a);
	} else if (a->family == AF_LFM2) {
		put(w, "conv_L_cache", "%u", a->ssm_d_conv);
		if (a->n_expert)
			put(w, "num_dense_layers", "%u", a->n_dense_lead);
	} else if (a->rec_kind == RK_MAMBA2) {
		put(w, "mamba_d_conv", "%u", a->ssm_d_conv);
		put(w, "mamba_d_state", "%u", a->ssm_d_state);
		put(w, "mamba_n_groups", "%u", a->ssm_n_group);
		put(w, "mamba_n_heads", "%u", a->ssm_n_head);
		if (a->ssm_n_head && a->ssm_d_inner % a->ssm_n_head == 0)
			put(w, "mamba_d_head", "%u", a->ssm_d_inner / a->ssm_n_head);
		else if (a->n_embd)
			put(w, "mamba_expand", "%u", a->ssm_d_inner / a->n_embd);
		if (a->ssm_norm_absent)
			put(w, "mamba_rms_norm", "%s", "false");
	} else if (a->rec_kind == RK_GATED_DELTANET) {
		put(w, "linear_conv_kernel_dim", "%u", a->ssm_d_conv);
		put(w, "linear_key_head_dim", "%u", a->ssm_d_state);
		put(w, "linear_num_key_heads", "%u", a->ssm_n_group);
		put(w, "linear_num_value_heads", "%u", a->ssm_n_head);
		if (a->ssm_n_head)
			put(w, "linear_value_head_dim", "%u", a->ssm_d_inner / a->ssm_n_head);
	}
}

/* config_source over "key = value" lines written by write_config. */
static const char *text_get(void *ctx, const char *key, char *buf, size_t buflen)
{
	const char *p = ctx;
	size_t klen = strlen(key);
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > klen + 3 && !strncmp(p, key, klen) && !strncmp(p + klen, " = ", 3)) {
			size_t vlen = len - klen - 3;
			if (vlen >= buflen)
				vlen = buflen - 1;
			memcpy(buf, p + klen + 3, vlen);
			buf[vlen] = '\0';
			return buf;
		}
		p += len + (eol ? 1 : 0);
	}
	return NULL;
}

bool profile_config_text(const struct model_arch *a, const char *model_type_hint, char *buf,
                         size_t buflen, char *err, size_t errlen)
{
	const char *types[16];
	size_t n = 0;
	enum arch_family fam;
	if (model_type_hint && *model_type_hint &&
	    hfconfig_model_type_family(model_type_hint, &fam) && fam == a->family)
		types[n++] = model_type_hint;
	n += hfconfig_model_types(a->family, types + n, sizeof(types) / sizeof(types[0]) - n);
	char first[PROFILE_ERR_LEN] = "";
	for (size_t t = 0; t < n; t++)
		for (int list = 0; list < 2; list++) {
			struct out w = {buf, buflen, 0, false, false};
			buf[0] = '\0';
			write_config(&w, a, types[t], list);
			if (w.overflow) {
				snprintf(err, errlen, "the [config] text needs more than %zu bytes",
				         buflen);
				return false;
			}
			char why[PROFILE_ERR_LEN] = "", what[48];
			struct model_arch back;
			struct config_source src = {text_get, buf, "[config]", NULL};
			if (w.long_line)
				snprintf(why, sizeof(why),
				         "layer_types for %u layers needs a line longer "
				         "than the %d "
				         "bytes a profile line may have",
				         a->n_layer, PROFILE_LINE_MAX);
			else if (!hfconfig_to_arch(&src, NULL, &back, why, sizeof(why)))
				; /* why says it */
			else if (!profile_arch_equivalent(a, &back, what, sizeof(what)))
				snprintf(why, sizeof(why), "as model_type %s, %s would differ",
				         types[t], what);
			else
				return true;
			/* a list too long for a line is the real obstacle when a
			 * pattern fits no period */
			if (!*first || w.long_line)
				snprintf(first, sizeof(first), "%s", why);
		}
	if (a->generic) /* no layout: nothing a profile could name */
		snprintf(err, errlen,
		         "'%s' has no engine layout (read generically from the GGUF keys), so "
		         "no profile keys describe it: use the GGUF itself with -m",
		         a->gguf_arch);
	else
		snprintf(err, errlen, "this %s architecture cannot be written as profile keys: %s",
		         arch_family_name(a->family),
		         *first ? first : "no model_type for its layout");
	buf[0] = '\0';
	return false;
}

/* ---- the profile file ---- */

bool profile_user_dir(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int len;
	if (xdg && *xdg)
		len = snprintf(buf, n, "%s/vramcalc/profiles", xdg);
	else if (home && *home)
		len = snprintf(buf, n, "%s/.config/vramcalc/profiles", home);
	else
		return false;
	return len > 0 && (size_t)len < n;
}

/* A [model] value: quoted, quotes and control characters replaced (a
 * quoted iniparser value may hold ';' and '#' but not '"'). */
static void put_quoted(struct out *w, const char *key, const char *value)
{
	char shown[300];
	if (!value || !*value)
		return;
	json_show(shown, sizeof(shown), value);
	put(w, key, "\"%s\"", shown);
}

bool profile_save_model(const char *dir, const char *id, const struct model_meta *meta,
                        const struct model_arch *a, const char *model_type_hint, bool replace,
                        char *path_out, size_t pathlen, char *err, size_t errlen)
{
	if (!profile_id_check(id, err, errlen))
		return false;
	char config[16384], text[20480];
	if (!profile_config_text(a, model_type_hint, config, sizeof(config), err, errlen))
		return false;

	struct out w = {text, sizeof(text), 0, false, false};
	char comment[300];
	json_show(comment, sizeof(comment), meta->source[0] ? meta->source : meta->path);
	raw(&w,
	    "; saved by vramcalc --save-profile from %s\n"
	    "; [config] holds Hugging Face config.json keys (see vramcalc(1), FILES)\n"
	    "[model]\n",
	    comment);
	put_quoted(&w, "name", meta->name[0] ? meta->name : id);
	put_quoted(&w, "family", meta->family);
	put_quoted(&w, "hf_repo", meta->hf_repo);
	put_quoted(&w, "native_dtype", meta->native_dtype);
	if (meta->params_total)
		put(&w, "params_total", "%llu", (unsigned long long)meta->params_total);
	if (meta->params_active)
		put(&w, "params_active", "%llu", (unsigned long long)meta->params_active);
	if (meta->params_active && meta->params_active_convention[0] &&
	    strcmp(meta->params_active_convention, "without-embedding"))
		put(&w, "params_active_convention", "%s", meta->params_active_convention);
	put_quoted(&w, "source", meta->source[0] ? meta->source : meta->path);
	raw(&w, "\n[config]\n%s", config);
	if (w.overflow || w.long_line) {
		snprintf(err, errlen, "profile '%s': the profile text is too long", id);
		return false;
	}

	char mdir[1024], path[1100];
	if (snprintf(mdir, sizeof(mdir), "%s/models", dir) >= (int)sizeof(mdir)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return false;
	}
	snprintf(path, sizeof(path), "%s/%s.ini", mdir, id);
	if (!files_make_dirs(mdir, err, errlen))
		return false;
	if (!replace && access(path, F_OK) == 0) {
		snprintf(err, errlen,
		         "%s: a profile with id '%s' exists; choose another id or add --force",
		         path, id);
		return false;
	}
	if (!files_write_atomic(path, text, w.o, replace, err, errlen)) {
		if (errno == EEXIST)
			snprintf(
			    err, errlen,
			    "%s: a profile with id '%s' exists; choose another id or add --force",
			    path, id);
		return false;
	}
	snprintf(path_out, pathlen, "%s", path);
	return true;
}

const char *profile_id_in_use(const struct profile_dirs *dirs, const char *id, char *path, size_t n)
{
	for (int i = 0; i < dirs->n; i++) {
		snprintf(path, n, "%s/models/%s.ini", dirs->dir[i], id);
		if (access(path, F_OK) == 0)
			return dirs->origin[i];
	}
	return NULL;
}
