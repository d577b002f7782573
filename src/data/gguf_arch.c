/*
 * gguf_arch.c - the architecture of a GGUF model from its metadata.
 *
 * Data layer.  Reads the keys llama.cpp's loader reads (src/llama-model.cpp,
 * load_hparams: "<arch>.block_count", "<arch>.attention.head_count_kv", ...)
 * into struct model_arch.  A few facts are not keys but tensors: whether
 * output.weight exists (tied embeddings), rope_freqs.weight, exp_probs_b
 * and which blocks hold routed experts; those are read from the tensor
 * infos, as llama.cpp's loader decides them from the file too.
 */
#include "gguf.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* How a layout tells its recurrent layers apart. */
enum rec_rule {
	RR_NONE,       /* no recurrent layers */
	RR_KV_ZERO,    /* head_count_kv[il] == 0 (granitehybrid, lfm2, nemotron_h) */
	RR_INTERVAL,   /* attention.recurrent_layers, else every full_attention_interval-th
	                  layer attends (default 4; qwen3next, qwen35) */
	RR_KV_FF_ZERO, /* head_count_kv[il] == 0 and feed_forward_length[il] == 0
	                  (nemotron_h: MLP blocks have no KV either) */
	RR_ALL_HYBRID, /* every layer attends and keeps a state (falcon-h1) */
	RR_ALL,        /* every layer is recurrent (rwkv: no attention) */
};

/* How a family's local layers attend and where its pattern starts (0 is
 * the plain case, so a row may say false). */
enum swa_layout {
	SL_PLAIN = 0,       /* sliding window; il % p < p - 1 slides */
	SL_CHUNKED = 1,     /* chunked local attention (Llama 4), same pattern */
	SL_DENSE_FIRST = 2, /* set_swa_pattern(p, true): il % p == 0 attends fully
	                       (cohere2moe) */
};

/* One value of general.architecture that vramcalc can model. */
struct arch_row {
	const char *name;        /* general.architecture */
	enum arch_family family; /* tensor layout */
	uint32_t swa_period;     /* llama.cpp's set_swa_pattern(p); 0: no SWA */
	uint32_t swa_default;    /* window when the key is absent, tokens */
	enum recurrent_kind rec; /* state kind of the recurrent layers */
	enum rec_rule rec_rule;  /* which layers are recurrent */
	enum swa_layout swa;     /* chunked or dense-first local layers */
};

static const struct arch_row arch_rows[] = {
    {"llama", AF_LLAMA, 0, 0, RK_NONE, RR_NONE, false},
    {"granite", AF_LLAMA, 0, 0, RK_NONE, RR_NONE, false},
    {"granitemoe", AF_LLAMA, 0, 0, RK_NONE, RR_NONE, false},
    {"qwen2", AF_QWEN2, 0, 0, RK_NONE, RR_NONE, false},
    {"qwen3", AF_QWEN3, 0, 0, RK_NONE, RR_NONE, false},
    {"qwen3moe", AF_QWEN3, 0, 0, RK_NONE, RR_NONE, false},
    {"deepseek2", AF_DEEPSEEK2, 0, 0, RK_NONE, RR_NONE, false},
    {"gemma2", AF_GEMMA2, 2, 4096, RK_NONE, RR_NONE, false},
    {"gemma3", AF_GEMMA3, 6, 0, RK_NONE, RR_NONE, false},
    {"gpt-oss", AF_GPTOSS, 2, 0, RK_NONE, RR_NONE, false},
    {"granitehybrid", AF_GRANITEHYBRID, 0, 0, RK_MAMBA2, RR_KV_ZERO, false},
    {"phi3", AF_PHI3, 0, 0, RK_NONE, RR_NONE, false},
    {"cohere2", AF_COHERE2, 4, 0, RK_NONE, RR_NONE, false},
    {"olmo2", AF_OLMO2, 4, 0, RK_NONE, RR_NONE, false}, /* SWA only with sliding_window (OLMo 3) */
    {"qwen3next", AF_QWEN3NEXT, 0, 0, RK_GATED_DELTANET, RR_INTERVAL, false},
    {"llama4", AF_LLAMA, 4, 8192, RK_NONE, RR_NONE, SL_CHUNKED},
    {"qwen35", AF_QWEN35, 0, 0, RK_GATED_DELTANET, RR_INTERVAL, false},
    {"qwen35moe", AF_QWEN35, 0, 0, RK_GATED_DELTANET, RR_INTERVAL, false},
    {"nemotron_h", AF_NEMOTRON_H, 0, 0, RK_MAMBA2, RR_KV_FF_ZERO, false},
    {"nemotron_h_moe", AF_NEMOTRON_H, 0, 0, RK_MAMBA2, RR_KV_FF_ZERO, false},
    {"gemma4", AF_GEMMA4, 6, 0, RK_NONE, RR_NONE, false},
    {"lfm2", AF_LFM2, 0, 0, RK_SHORTCONV, RR_KV_ZERO, false},
    {"lfm2moe", AF_LFM2, 0, 0, RK_SHORTCONV, RR_KV_ZERO, false},
    {"deepseek32", AF_DEEPSEEK32, 0, 0, RK_NONE, RR_NONE, false},
    {"qwen3vl", AF_QWEN3, 0, 0, RK_NONE, RR_NONE, false},
    {"qwen3vlmoe", AF_QWEN3, 0, 0, RK_NONE, RR_NONE, false},
    {"mistral3", AF_LLAMA, 0, 0, RK_NONE, RR_NONE, false},
    {"seed_oss", AF_QWEN2, 0, 0, RK_NONE, RR_NONE, false}, /* ffn_norm named post_attention_norm */
    {"glm-dsa", AF_DEEPSEEK32, 0, 0, RK_NONE, RR_NONE, false},
    {"minimax-m2", AF_MINIMAX_M2, 0, 0, RK_NONE, RR_NONE, false},
    {"minimax-m3", AF_MINIMAX_M3, 0, 0, RK_NONE, RR_NONE, false},
    {"gemma3n", AF_GEMMA3N, 5, 0, RK_NONE, RR_NONE, false},
    {"mistral4", AF_DEEPSEEK2, 0, 0, RK_NONE, RR_NONE, false}, /* deepseek2's loader */
    {"glm4moe", AF_GLM4MOE, 0, 0, RK_NONE, RR_NONE, false},
    {"hunyuan-moe", AF_QWEN3, 0, 0, RK_NONE, RR_NONE, false}, /* qwen3's tensors, all MoE */
    {"hy_v3", AF_QWEN3, 0, 0, RK_NONE, RR_NONE, false},       /* qwen3's tensors, dense lead */
    {"bailingmoe2", AF_BAILINGMOE2, 0, 0, RK_NONE, RR_NONE, false},
    {"afmoe", AF_AFMOE, 4, 0, RK_NONE, RR_NONE, false}, /* SWA only with sliding_window */
    {"apertus", AF_APERTUS, 0, 0, RK_NONE, RR_NONE, false},
    {"cohere2moe", AF_COHERE2, 4, 0, RK_NONE, RR_NONE, SL_DENSE_FIRST},
    {"deepseek4", AF_DEEPSEEK4, 0, 0, RK_NONE, RR_NONE, false},
    {"falcon-h1", AF_FALCON_H1, 0, 0, RK_MAMBA2, RR_ALL_HYBRID, false},
    {"ernie4_5", AF_LLAMA, 0, 0, RK_NONE, RR_NONE, false},
    {"ernie4_5-moe", AF_LLAMA, 0, 0, RK_NONE, RR_NONE, false},
    {"exaone4", AF_EXAONE4, 4, 4096, RK_NONE, RR_NONE, false}, /* see swa_applies */
    /* period 1: the layers come from sliding_window_pattern alone */
    {"mimo2", AF_MIMO2, 1, 0, RK_NONE, RR_NONE, false},
    {"step35", AF_STEP35, 1, 0, RK_NONE, RR_NONE, false},
    {"kimi-linear", AF_KIMI, 0, 0, RK_KDA, RR_KV_ZERO, false},
    {"kimi-k3", AF_KIMI, 0, 0, RK_KDA, RR_KV_ZERO, false},
};

#define N_ROWS (sizeof(arch_rows) / sizeof(arch_rows[0]))

/* What the readers below share. */
struct ctx {
	const struct gguf_info *g;
	const char *arch; /* general.architecture, the key prefix */
	char *err;
	size_t errlen;
};

static bool afail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool afail(struct ctx *c, const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->errlen)
		snprintf(c->err, c->errlen, "%s: %s", c->g->path ? c->g->path : "(gguf)", msg);
	return false;
}

/* The entry "<arch>.<suffix>", its full key written into key. */
static const struct gguf_kv *akv(struct ctx *c, const char *suffix, char *key, size_t keylen)
{
	snprintf(key, keylen, "%s.%s", c->arch, suffix);
	return gguf_find(c->g, key);
}

/* Value i of kv as a uint32, or a message naming key. */
static bool to_u32(struct ctx *c, const char *key, const struct gguf_kv *kv, uint64_t i,
                   uint32_t *out)
{
	enum gguf_type t = kv->type == GGUF_ARRAY ? kv->elem_type : kv->type;
	uint64_t v;
	if (kv->type == GGUF_ARRAY && !kv->arr)
		return afail(
		    c, "metadata '%s': %s array of %" PRIu64 " values is not a per-layer list", key,
		    gguf_type_name(t), kv->n);
	if (t == GGUF_BOOL || !gguf_kv_uint(kv, i, &v)) {
		if (t == GGUF_INT8 || t == GGUF_INT16 || t == GGUF_INT32 || t == GGUF_INT64) {
			const union gguf_num *n = kv->type == GGUF_ARRAY ? &kv->arr[i] : &kv->num;
			return afail(c, "metadata '%s': %" PRId64 " is negative", key, n->i);
		}
		return afail(c, "metadata '%s': expected an unsigned integer, got %s", key,
		             gguf_type_name(t));
	}
	if (v > UINT32_MAX)
		return afail(c, "metadata '%s': %" PRIu64 " does not fit in 32 bits", key, v);
	*out = (uint32_t)v;
	return true;
}

/* A single number "<arch>.<suffix>".  When absent: an error if required,
 * else *out is left alone. */
static bool get_u32(struct ctx *c, const char *suffix, bool required, uint32_t *out)
{
	char key[160];
	const struct gguf_kv *kv = akv(c, suffix, key, sizeof(key));
	if (!kv)
		return required ? afail(c, "metadata key '%s' is missing", key) : true;
	if (kv->type == GGUF_ARRAY)
		return afail(c, "metadata '%s': expected one number, got an array of %" PRIu64, key,
		             kv->n);
	return to_u32(c, key, kv, 0, out);
}

/* A per-layer number: one value for all layers or an array of n_layer.
 * vals (ARCH_MAX_LAYERS entries) is left alone when the key is absent;
 * *found tells which. */
static bool get_layers(struct ctx *c, const char *suffix, bool required, uint32_t n_layer,
                       uint32_t *vals, bool *found)
{
	char key[160];
	const struct gguf_kv *kv = akv(c, suffix, key, sizeof(key));
	*found = kv != NULL;
	if (!kv)
		return required ? afail(c, "metadata key '%s' is missing", key) : true;
	if (kv->type != GGUF_ARRAY) {
		uint32_t v;
		if (!to_u32(c, key, kv, 0, &v))
			return false;
		for (uint32_t il = 0; il < n_layer; il++)
			vals[il] = v;
		return true;
	}
	if (kv->n != n_layer)
		return afail(c, "metadata '%s': %" PRIu64 " values for %" PRIu32 " layers", key,
		             kv->n, n_layer);
	for (uint32_t il = 0; il < n_layer; il++)
		if (!to_u32(c, key, kv, il, &vals[il]))
			return false;
	return true;
}

static uint32_t max_of(const uint32_t *v, uint32_t n)
{
	uint32_t m = 0;
	for (uint32_t i = 0; i < n; i++)
		m = v[i] > m ? v[i] : m;
	return m;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Block index of a "blk.N.*" tensor name, or -1. */
static long block_of(const char *name)
{
	if (strncmp(name, "blk.", 4) != 0)
		return -1;
	long il = 0;
	const char *p = name + 4;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		il = il * 10 + (*p - '0');
		if (il > 1000000)
			return -1;
	}
	return *p == '.' ? il : -1;
}

/* A width read from the first tensor whose name ends in suffix: ne[dim],
 * or 0 when there is none. */
static uint32_t width_from_tensor(const struct gguf_info *g, const char *suffix, unsigned dim)
{
	for (size_t i = 0; i < g->n_tensors; i++)
		if (ends_with(g->tensors[i].name, suffix) && g->tensors[i].ne[dim] <= UINT32_MAX)
			return (uint32_t)g->tensors[i].ne[dim];
	return 0;
}

/* The general.architecture string made safe to print. */
static void shown_name(char *dst, size_t len, const char *s)
{
	size_t o = 0;
	for (; *s && o + 4 < len; s++)
		dst[o++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	if (*s)
		dst[o++] = '.', dst[o++] = '.', dst[o++] = '.';
	dst[o] = '\0';
}

/* Experts: counts from keys, widths from keys or else from tensor shapes. */
static bool read_experts(struct ctx *c, struct model_arch *a)
{
	if (!get_u32(c, "expert_count", false, &a->n_expert) ||
	    !get_u32(c, "expert_used_count", false, &a->n_expert_used) ||
	    !get_u32(c, "expert_feed_forward_length", false, &a->n_ff_exp) ||
	    !get_u32(c, "expert_shared_count", false, &a->n_expert_shared) ||
	    !get_u32(c, "expert_shared_feed_forward_length", false, &a->n_ff_shexp) ||
	    !get_u32(c, "leading_dense_block_count", false, &a->n_dense_lead) ||
	    !get_u32(c, "moe_latent_size", false, &a->moe_latent))
		return false;
	if (a->n_expert == 0)
		return true;
	if (!a->n_ff_exp)
		a->n_ff_exp = width_from_tensor(c->g, "ffn_up_exps.weight", 1);
	if (!a->n_ff_exp)
		a->n_ff_exp = width_from_tensor(c->g, "ffn_down_exps.weight", 0);
	if (!a->n_ff_exp) /* granitehybrid: the experts use feed_forward_length */
		a->n_ff_exp = a->n_ff;
	if (!a->n_ff_shexp)
		a->n_ff_shexp = width_from_tensor(c->g, "ffn_up_shexp.weight", 1);
	if (!a->n_ff_shexp)
		a->n_ff_shexp = width_from_tensor(c->g, "ffn_down_shexp.weight", 0);
	if (!a->n_ff_shexp && c->g->n_tensors == 0) /* metadata without tensor infos */
		a->n_ff_shexp = a->n_expert_shared * a->n_ff_exp;
	if (a->n_ff_shexp && !a->n_expert_shared)
		a->n_expert_shared = 1;
	return true;
}

/* Multi-head latent attention (deepseek2 and its relatives). */
static bool read_mla(struct ctx *c, struct model_arch *a, uint32_t key_len, uint32_t value_len)
{
	uint32_t rope = 0, k_mla = key_len, v_mla = value_len;
	char key[160];
	if (!get_u32(c, "attention.q_lora_rank", false, &a->q_lora_rank) ||
	    !get_u32(c, "rope.dimension_count", true, &rope) ||
	    !get_u32(c, "attention.key_length_mla", false, &k_mla) ||
	    !get_u32(c, "attention.value_length_mla", false, &v_mla))
		return false;
	if (k_mla <= rope) {
		akv(c, "attention.key_length_mla", key, sizeof(key));
		return afail(
		    c, "metadata '%s': %" PRIu32 " must exceed rope.dimension_count (%" PRIu32 ")",
		    key, k_mla, rope);
	}
	a->qk_rope_dim = rope;
	a->qk_nope_dim = k_mla - rope;
	a->v_head_dim = v_mla;
	/* Describe the heads as config.json does (the GGUF's head_count_kv = 1
	 * and 576/512 widths describe the cache, which the engine derives from
	 * the ranks), so a GGUF and a config.json of one model agree. */
	a->head_dim_k = k_mla;
	a->head_dim_v = v_mla;
	a->n_head_kv = a->n_head;
	return true;
}

/* A per-layer list of flags (bool or number, nonzero = set) of at least
 * n_layer values (MTP blocks may follow): flags[il] for il < n_layer. */
static bool read_layer_flags(struct ctx *c, const char *key, const struct gguf_kv *kv,
                             uint32_t n_layer, uint8_t *flags)
{
	if (kv->type != GGUF_ARRAY || kv->n < n_layer || kv->n > ARCH_MAX_LAYERS)
		return afail(c, "metadata '%s': %" PRIu64 " values for %" PRIu32 " layers", key,
		             kv->type == GGUF_ARRAY ? kv->n : 1, n_layer);
	for (uint32_t il = 0; il < n_layer; il++) {
		uint32_t on;
		if (kv->elem_type == GGUF_BOOL && kv->arr)
			on = (uint32_t)kv->arr[il].u;
		else if (!to_u32(c, key, kv, il, &on))
			return false;
		flags[il] = on != 0;
	}
	return true;
}

/* llama.cpp's exaone4 slides only in the 64-layer 32B (load_arch_hparams
 * switches on n_layer); the 30-layer 1.2B runs full attention whatever its
 * GGUF says. */
static bool swa_applies(const char *arch, uint32_t n_layer)
{
	return strcmp(arch, "exaone4") != 0 || n_layer == 64;
}

/* Sliding-window layers: llama.cpp's fixed pattern for the family (layer
 * il slides when il % p < p - 1), or the sliding_window_pattern key (a
 * period, or one flag per layer). */
static bool read_swa(struct ctx *c, const struct arch_row *row, struct model_arch *a)
{
	uint32_t n_swa = row->swa_default, period = row->swa_period;
	char key[160];
	if (!row->swa_period || !swa_applies(c->arch, a->n_layer))
		return true;
	if (!get_u32(c, "attention.sliding_window", false, &n_swa))
		return false;
	if (n_swa == 0)
		return true;
	a->n_swa = n_swa;
	const struct gguf_kv *kv = akv(c, "attention.sliding_window_pattern", key, sizeof(key));
	if (kv && kv->type == GGUF_ARRAY) {
		/* one flag per block, MTP blocks included: theirs tell the
		 * draft context's cache (--spec mtp) which blocks slide */
		uint8_t on[ARCH_MAX_LAYERS];
		uint32_t n = kv->n >= arch_n_blocks(a) ? arch_n_blocks(a) : a->n_layer;
		if (!read_layer_flags(c, key, kv, n, on))
			return false;
		for (uint32_t il = 0; il < n; il++)
			if (on[il])
				a->layer_kind[il] = LK_ATTN_SWA;
		return true;
	}
	if (kv && !to_u32(c, key, kv, 0, &period))
		return false;
	for (uint32_t il = 0; il < a->n_layer && period > 0; il++)
		if (row->swa == SL_DENSE_FIRST ? il % period != 0 : il % period < period - 1)
			a->layer_kind[il] = LK_ATTN_SWA;
	return true;
}

static bool read_ssm(struct ctx *c, struct model_arch *a)
{
	return get_u32(c, "ssm.conv_kernel", false, &a->ssm_d_conv) &&
	       get_u32(c, "ssm.state_size", false, &a->ssm_d_state) &&
	       get_u32(c, "ssm.inner_size", false, &a->ssm_d_inner) &&
	       get_u32(c, "ssm.group_count", false, &a->ssm_n_group) &&
	       get_u32(c, "ssm.time_step_rank", false, &a->ssm_n_head);
}

/* n_vocab: <arch>.vocab_size, else the length of tokenizer.ggml.tokens,
 * else the rows of token_embd.weight. */
static bool read_vocab(struct ctx *c, struct model_arch *a)
{
	if (!get_u32(c, "vocab_size", false, &a->n_vocab))
		return false;
	if (a->n_vocab)
		return true;
	const struct gguf_kv *tok = gguf_find(c->g, "tokenizer.ggml.tokens");
	if (tok && tok->type == GGUF_ARRAY) {
		if (tok->n > UINT32_MAX)
			return afail(c, "metadata 'tokenizer.ggml.tokens': %" PRIu64 " tokens",
			             tok->n);
		a->n_vocab = (uint32_t)tok->n;
		return true;
	}
	a->n_vocab = width_from_tensor(c->g, "token_embd.weight", 1);
	if (!a->n_vocab)
		return afail(
		    c,
		    "no vocabulary size: neither '%s.vocab_size' nor tokenizer.ggml.tokens "
		    "nor token_embd.weight",
		    c->arch);
	return true;
}

/* True when "<arch>.<suffix>" is present. */
static bool has_key(struct ctx *c, const char *suffix)
{
	char key[160];
	return akv(c, suffix, key, sizeof(key)) != NULL;
}

/* An architecture without an engine layout: the row llama.cpp's standard
 * metadata describes.  SWA comes only from sliding_window_pattern (without
 * it every layer is taken as full attention, which can only overestimate);
 * recurrent layers from attention.recurrent_layers, full_attention_interval
 * or head_count_kv == 0 (every layer for RWKV), their state kind from the
 * keys present (wkv.head_size, shortconv.l_cache, kda.head_dim, else
 * ssm.*; Mamba-1 files have no ssm.group_count).  Fails with one line naming
 * every standard key that is missing. */
static bool generic_row(struct ctx *c, struct arch_row *row)
{
	static const char *const required[] = {"block_count", "embedding_length", "context_length",
	                                       "attention.head_count", NULL};
	static const char *const ssm_required[] = {"ssm.conv_kernel", "ssm.state_size",
	                                           "ssm.inner_size", NULL};
	char missing[512] = "", key[160];
	memset(row, 0, sizeof(*row));
	row->name = c->arch;
	row->family = AF_LLAMA;
	if (has_key(c, "wkv.head_size"))
		row->rec = RK_RWKV;
	else if (has_key(c, "shortconv.l_cache"))
		row->rec = RK_SHORTCONV;
	else if (has_key(c, "kda.head_dim"))
		row->rec = RK_KDA;
	else if (has_key(c, "ssm.state_size") || has_key(c, "ssm.conv_kernel") ||
	         has_key(c, "ssm.inner_size"))
		row->rec = RK_MAMBA2;
	if (row->rec == RK_RWKV)
		row->rec_rule = RR_ALL;
	else if (row->rec != RK_NONE)
		row->rec_rule = has_key(c, "attention.recurrent_layers") ||
		                        has_key(c, "full_attention_interval")
		                    ? RR_INTERVAL
		                    : RR_KV_ZERO;
	for (const char *const *k = required; *k; k++)
		if (!has_key(c, *k)) {
			akv(c, *k, key, sizeof(key));
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
			         "%s%s", *missing ? ", " : "", key);
		}
	for (const char *const *k = ssm_required; row->rec == RK_MAMBA2 && *k; k++)
		if (!has_key(c, *k)) {
			akv(c, *k, key, sizeof(key));
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
			         "%s%s", *missing ? ", " : "", key);
		}
	if (row->rec == RK_KDA && !has_key(c, "ssm.conv_kernel"))
		snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
		         "%s%s.ssm.conv_kernel", *missing ? ", " : "", c->arch);
	if (*missing) {
		char shown[64];
		shown_name(shown, sizeof(shown), c->arch);
		return afail(c,
		             "architecture '%s' has no engine layout and lacks the standard "
		             "metadata llama.cpp writes: %s",
		             shown, missing);
	}
	return true;
}

/* Which layers are recurrent, by the row's rule.  n_layer excludes the
 * trailing MTP blocks, which always attend. */
static bool read_recurrent_layers(struct ctx *c, const struct arch_row *row, struct model_arch *a,
                                  const uint32_t *head_kv, const uint32_t *ff)
{
	char key[160];
	if (row->rec_rule == RR_ALL_HYBRID) {
		for (uint32_t il = 0; il < a->n_layer; il++)
			a->layer_kind[il] = LK_HYBRID;
		return true;
	}
	if (row->rec_rule == RR_ALL) {
		for (uint32_t il = 0; il < a->n_layer; il++)
			a->layer_kind[il] = LK_RECURRENT;
		return true;
	}
	if (row->rec_rule == RR_KV_FF_ZERO) {
		for (uint32_t il = 0; il < a->n_layer; il++)
			if (head_kv[il] == 0 && ff[il] == 0)
				a->layer_kind[il] = LK_RECURRENT;
		return true;
	}
	if (row->rec_rule == RR_KV_ZERO) {
		for (uint32_t il = 0; il < a->n_layer; il++)
			if (head_kv[il] == 0)
				a->layer_kind[il] = LK_RECURRENT;
		return true;
	}
	if (row->rec_rule != RR_INTERVAL)
		return true;
	const struct gguf_kv *kv = akv(c, "attention.recurrent_layers", key, sizeof(key));
	if (kv && kv->type == GGUF_ARRAY) {
		uint8_t on[ARCH_MAX_LAYERS];
		if (!read_layer_flags(c, key, kv, a->n_layer, on))
			return false;
		for (uint32_t il = 0; il < a->n_layer; il++)
			if (on[il])
				a->layer_kind[il] = LK_RECURRENT;
		return true;
	}
	uint32_t period = 4;
	if (!get_u32(c, "full_attention_interval", false, &period))
		return false;
	if (period == 0) {
		akv(c, "full_attention_interval", key, sizeof(key));
		return afail(c, "metadata '%s': must be positive", key);
	}
	for (uint32_t il = 0; il < a->n_layer; il++)
		if ((il + 1) % period != 0)
			a->layer_kind[il] = LK_RECURRENT;
	return true;
}

/* Recurrent state sizes by kind (llama.cpp's n_embd_r / n_embd_s read
 * these keys). */
static bool read_state(struct ctx *c, struct model_arch *a)
{
	if (a->rec_kind == RK_SHORTCONV)
		return get_u32(c, "shortconv.l_cache", true, &a->ssm_d_conv);
	if (a->rec_kind == RK_RWKV) {
		a->ssm_d_conv = 2; /* llama_hparams' token_shift_count default */
		return get_u32(c, "wkv.head_size", true, &a->ssm_d_state) &&
		       get_u32(c, "token_shift_count", false, &a->ssm_d_conv);
	}
	if (a->rec_kind == RK_KDA) {
		a->ssm_n_head = a->n_head;
		return get_u32(c, "ssm.conv_kernel", true, &a->ssm_d_conv) &&
		       get_u32(c, "kda.head_dim", true, &a->ssm_d_state);
	}
	return read_ssm(c, a);
}

/* block_count minus the trailing MTP (NextN) blocks: llama.cpp's n_layer(). */
static bool read_nextn(struct ctx *c, uint32_t n_layer_all, uint32_t *nextn)
{
	char key[160];
	*nextn = 0;
	if (!get_u32(c, "nextn_predict_layers", false, nextn))
		return false;
	if (*nextn >= n_layer_all) {
		akv(c, "nextn_predict_layers", key, sizeof(key));
		return afail(c, "metadata '%s': %" PRIu32 " of %" PRIu32 " blocks", key, *nextn,
		             n_layer_all);
	}
	/* deepseek4 runs every block as trunk when the file declares MTP blocks
	 * without carrying the first one's eh_proj (load_arch_hparams' probe) */
	if (*nextn && !strcmp(c->arch, "deepseek4")) {
		snprintf(key, sizeof(key), "blk.%" PRIu32 ".nextn.eh_proj.weight",
		         n_layer_all - *nextn);
		if (!gguf_find_tensor(c->g, key))
			*nextn = 0;
	}
	return true;
}

/* The DSA lightning indexer (deepseek32, glm-dsa): heads, key width and
 * which layers own one: attention.indexer.types, else every layer, except
 * GLM-5.2 (glm-dsa with a native context of 2^20 or more), whose default is
 * llama.cpp's GLM_5_2_DEFAULT_INDEXER_TYPES (layers 0, 1, then every 4th
 * from 2). */
static bool read_indexer(struct ctx *c, struct model_arch *a)
{
	char key[160];
	if (!get_u32(c, "attention.indexer.head_count", true, &a->idx_n_head) ||
	    !get_u32(c, "attention.indexer.key_length", true, &a->idx_head_dim))
		return false;
	a->idx_top_k = 2048;
	if (!get_u32(c, "attention.indexer.top_k", false, &a->idx_top_k))
		return false;
	bool glm52 = !strcmp(c->arch, "glm-dsa") && a->n_ctx_train >= 1048576;
	for (uint32_t il = 0; il < a->n_layer; il++)
		a->layer_idx[il] = !glm52 || il < 2 || (il - 2) % 4 == 0;
	const struct gguf_kv *kv = akv(c, "attention.indexer.types", key, sizeof(key));
	return !kv || read_layer_flags(c, key, kv, a->n_layer, a->layer_idx);
}

/* MiniMax sparse attention (minimax-m3): one index head of key_length
 * per layer on the MoE layers (llama.cpp's filter_idx: il >=
 * leading_dense_block_count), top_k blocks of block_size tokens. */
static bool read_msa(struct ctx *c, struct model_arch *a)
{
	if (!get_u32(c, "attention.indexer.head_count", true, &a->idx_n_head) ||
	    !get_u32(c, "attention.indexer.key_length", true, &a->idx_head_dim) ||
	    !get_u32(c, "attention.indexer.top_k", true, &a->idx_top_k) ||
	    !get_u32(c, "attention.indexer.block_size", true, &a->msa_block))
		return false;
	if (!a->msa_block) {
		char key[160];
		akv(c, "attention.indexer.block_size", key, sizeof(key));
		return afail(c, "metadata '%s': must be positive", key);
	}
	for (uint32_t il = 0; il < a->n_layer; il++)
		a->layer_idx[il] = il >= a->n_dense_lead;
	return true;
}

/* DeepSeek V4: the q LoRA rank, the grouped output projection, the
 * hyper-connection streams, the hash-routed lead, the indexer, the window
 * (every layer slides) and one compression ratio per block, MTP blocks
 * included (attention.compress_ratios, 0, 4 or 128; llama.cpp refuses a
 * list shorter than block_count; a config's list also names the MTP
 * block a trunk-only file leaves out). */
static bool read_deepseek4(struct ctx *c, struct model_arch *a)
{
	char key[160];
	if (!get_u32(c, "attention.q_lora_rank", true, &a->q_lora_rank) ||
	    !get_u32(c, "attention.output_group_count", true, &a->o_groups) ||
	    !get_u32(c, "attention.output_lora_rank", true, &a->o_lora_rank) ||
	    !get_u32(c, "hyper_connection.count", true, &a->hc_mult) ||
	    !get_u32(c, "hash_layer_count", false, &a->n_hash_layers) ||
	    !get_u32(c, "attention.indexer.head_count", true, &a->idx_n_head) ||
	    !get_u32(c, "attention.indexer.key_length", true, &a->idx_head_dim) ||
	    !get_u32(c, "attention.indexer.top_k", false, &a->idx_top_k) ||
	    !get_u32(c, "attention.sliding_window", true, &a->n_swa))
		return false;
	const uint32_t n_all = a->n_layer + a->n_mtp;
	const struct gguf_kv *kv = akv(c, "attention.compress_ratios", key, sizeof(key));
	if (!kv || kv->type != GGUF_ARRAY || kv->n < n_all)
		return afail(c, "metadata '%s': expected one ratio per block (%" PRIu32 ")", key,
		             n_all);
	for (uint32_t il = 0; il < n_all; il++) {
		uint32_t r;
		if (!to_u32(c, key, kv, il, &r))
			return false;
		if (r != 0 && r != 4 && r != 128)
			return afail(c,
			             "metadata '%s': ratio %" PRIu32 " in block %" PRIu32
			             " (llama.cpp knows 0, 4 and 128)",
			             key, r, il);
		a->layer_compress[il] = (uint8_t)r;
		a->layer_kind[il] = LK_ATTN_SWA;
		a->layer_head_kv[il] = 1;
	}
	return true;
}

/* Shapes by layer type (gemma4, ...): the sliding layers' head widths,
 * the shared-KV tail, per-layer embeddings and FFN widths, and whether
 * full layers use K as V (no attn_v tensor in any full layer). */
static bool read_layer_shapes(struct ctx *c, struct model_arch *a, const uint32_t *ff,
                              const uint32_t *head)
{
	uint32_t shared = 0;
	if (!get_u32(c, "attention.key_length_swa", false, &a->head_dim_k_swa) ||
	    !get_u32(c, "attention.value_length_swa", false, &a->head_dim_v_swa) ||
	    !get_u32(c, "attention.shared_kv_layers", false, &shared) ||
	    !get_u32(c, "embedding_length_per_layer_input", false, &a->n_embd_per_layer))
		return false;
	if (shared >= a->n_layer) {
		char key[160];
		akv(c, "attention.shared_kv_layers", key, sizeof(key));
		return afail(c, "metadata '%s': %" PRIu32 " of %" PRIu32 " layers", key, shared,
		             a->n_layer);
	}
	a->n_layer_kv = shared ? a->n_layer - shared : 0;
	if (a->family == AF_GEMMA3N) {
		/* llama.cpp's gemma3n fixes n_layer_kv_from_start = 20 and the
		 * AltUp / Laurel sizes (llama_hparams defaults), whatever the keys */
		a->n_layer_kv = a->n_layer > 20 ? 20 : 0;
		a->n_altup = 4;
		a->laurel_rank = 64;
	}
	/* Query heads by layer type (step35's head_count array): n_head is the
	 * full layers', n_head_swa the sliding layers' when each kind has one
	 * count and the two differ (else n_head stays the widest). */
	uint32_t h_full = 0, h_swa = 0;
	bool uniform = true;
	for (uint32_t il = 0; il < a->n_layer; il++) {
		if (a->layer_kind[il] == LK_RECURRENT || !head[il])
			continue;
		uint32_t *h = a->layer_kind[il] == LK_ATTN_SWA ? &h_swa : &h_full;
		uniform &= !*h || *h == head[il];
		*h = head[il];
	}
	if (uniform && h_full && h_swa && h_full != h_swa) {
		a->n_head = h_full;
		a->n_head_swa = h_swa;
	}
	if (a->family == AF_DEEPSEEK32 && !read_indexer(c, a))
		return false;
	if (a->family == AF_MINIMAX_M3 && !read_msa(c, a))
		return false;
	if (a->family == AF_DEEPSEEK4 && !read_deepseek4(c, a))
		return false;
	if (a->family == AF_KIMI) {
		/* Kimi K3: attention residuals, the latent expert width and the
		 * full-rank KDA gate (a tensor, not a key) */
		if (!get_u32(c, "attn_res.block_size", false, &a->attn_res_block) ||
		    !get_u32(c, "expert_latent_length", false, &a->moe_latent))
			return false;
		for (size_t i = 0; i < c->g->n_tensors; i++)
			if (ends_with(c->g->tensors[i].name, ".ssm_g.weight"))
				a->kda_full_gate = true;
	}
	if (!get_u32(c, "n_deepstack_layers", false, &a->n_deepstack))
		return false;
	/* A per-layer FFN width (gemma4's double-wide KV-shared layers): the
	 * first layer's is the model's, the others differ from it. */
	if (tensors_family_has_builder(a->family) && ff[0]) {
		a->n_ff = ff[0];
		for (uint32_t il = 0; il < a->n_layer; il++)
			a->layer_ff[il] = ff[il] != ff[0] ? ff[il] : 0;
	}
	if (a->family == AF_GEMMA4 && c->g->n_tensors) {
		bool full_v = false;
		for (size_t i = 0; i < c->g->n_tensors; i++) {
			long il = block_of(c->g->tensors[i].name);
			if (il >= 0 && il < (long)a->n_layer && a->layer_kind[il] == LK_ATTN_FULL &&
			    ends_with(c->g->tensors[i].name, ".attn_v.weight"))
				full_v = true;
		}
		a->k_eq_v = !full_v;
	}
	return true;
}

bool gguf_arch(const struct gguf_info *g, struct model_arch *a, char *err, size_t errlen)
{
	struct ctx c = {g, NULL, err, errlen};
	uint32_t head[ARCH_MAX_LAYERS], head_kv[ARCH_MAX_LAYERS], ff[ARCH_MAX_LAYERS];
	bool found;
	memset(a, 0, sizeof(*a));

	const struct gguf_kv *kv = gguf_find(g, "general.architecture");
	if (!kv)
		return afail(&c, "metadata key 'general.architecture' is missing");
	if (kv->type != GGUF_STRING || !kv->str)
		return afail(&c, "metadata 'general.architecture': expected a string, got %s",
		             gguf_type_name(kv->type));
	c.arch = kv->str;
	if (!strcmp(c.arch, "clip"))
		return afail(&c,
		             "a multimodal projector (mmproj: general.architecture 'clip'), not "
		             "a language model: name the text model with -m and this file with "
		             "--mmproj");
	const struct arch_row *row = NULL;
	struct arch_row generic;
	for (size_t i = 0; i < N_ROWS && !row; i++)
		if (strcmp(arch_rows[i].name, kv->str) == 0)
			row = &arch_rows[i];
	if (!row) {
		if (!generic_row(&c, &generic))
			return false;
		row = &generic;
		a->generic = true;
	}
	a->family = row->family;
	shown_name(a->gguf_arch, sizeof(a->gguf_arch), kv->str);

	/* Sizes every model has. */
	char key[160];
	uint32_t n_layer_all, nextn;
	if (!get_u32(&c, "block_count", true, &n_layer_all))
		return false;
	if (n_layer_all == 0 || n_layer_all > ARCH_MAX_LAYERS) {
		akv(&c, "block_count", key, sizeof(key));
		return afail(&c, "metadata '%s': %" PRIu32 " layers is outside 1..%d", key,
		             n_layer_all, ARCH_MAX_LAYERS);
	}
	if (!read_nextn(&c, n_layer_all, &nextn))
		return false;
	/* The MTP blocks are neither loaded nor cached by default (the main
	 * context's cache filter stops at llama.cpp's n_layer()). */
	a->n_layer = n_layer_all - nextn;
	a->n_mtp = nextn;
	a->mtp_ffn_kept = nextn && !strcmp(c.arch, "hy_v3");
	const uint32_t L = a->n_layer;
	if (!get_u32(&c, "embedding_length", true, &a->n_embd) ||
	    !get_u32(&c, "context_length", true, &a->n_ctx_train) ||
	    !get_layers(&c, "attention.head_count", true, n_layer_all, head, &found))
		return false;
	a->n_head = max_of(head, L);
	for (uint32_t il = 0; il < n_layer_all; il++)
		head_kv[il] = head[il];
	memset(ff, 0, sizeof(ff));
	if (!get_layers(&c, "attention.head_count_kv", false, n_layer_all, head_kv, &found) ||
	    !get_layers(&c, "feed_forward_length", false, n_layer_all, ff, &found))
		return false;
	a->n_ff = max_of(ff, L);
	if (!a->n_ff) /* the dense FFN width, when only the tensors say it */
		a->n_ff = width_from_tensor(g, ".ffn_up.weight", 1);
	a->n_head_kv = max_of(head_kv, L);
	uint32_t key_len = a->n_head ? a->n_embd / a->n_head : 0;
	if (!get_u32(&c, "attention.key_length", false, &key_len))
		return false;
	uint32_t value_len = key_len;
	if (!get_u32(&c, "attention.value_length", false, &value_len))
		return false;
	a->head_dim_k = key_len;
	a->head_dim_v = value_len;
	if (!read_vocab(&c, a) || !read_experts(&c, a))
		return false;

	/* Attention variants and recurrent state. */
	if (!get_u32(&c, "attention.kv_lora_rank", false, &a->kv_lora_rank))
		return false;
	if (a->kv_lora_rank && !read_mla(&c, a, key_len, value_len))
		return false;
	a->rec_kind = row->rec;
	if (!read_state(&c, a))
		return false;

	/* Facts the tensor list decides. */
	a->tied_embeddings = gguf_find_tensor(g, "output.weight") == NULL;
	a->rope_freqs = gguf_find_tensor(g, "rope_freqs.weight") != NULL;
	a->ssm_norm_absent =
	    a->family == AF_FALCON_H1 && gguf_find_tensor(g, "blk.0.ssm_norm.weight") == NULL;
	for (size_t i = 0; i < g->n_tensors; i++) {
		if (strstr(g->tensors[i].name, "exp_probs_b"))
			a->expert_bias = true;
		if (a->family == AF_GLM4MOE && ends_with(g->tensors[i].name, ".attn_q_norm.weight"))
			a->qk_norm = true;
	}

	/* Per-layer arrays. */
	arch_fill_uniform_layers(a);
	for (uint32_t il = 0; il < L; il++) {
		if (head_kv[il] > UINT16_MAX) {
			akv(&c, "attention.head_count_kv", key, sizeof(key));
			return afail(&c, "metadata '%s': %" PRIu32 " KV heads in layer %" PRIu32,
			             key, head_kv[il], il);
		}
		if (!arch_is_mla(a))
			a->layer_head_kv[il] = (uint16_t)head_kv[il];
	}
	if (!read_recurrent_layers(&c, row, a, head_kv, ff))
		return false;
	for (uint32_t il = 0; il < L; il++)
		if (a->layer_kind[il] == LK_RECURRENT)
			a->layer_head_kv[il] = 0;
	if (a->generic) {
		/* only an explicit pattern: a window alone may be ignored by the arch */
		struct arch_row swa = *row;
		if (has_key(&c, "attention.sliding_window_pattern"))
			swa.swa_period = 1; /* overridden by the key */
		if (!read_swa(&c, &swa, a))
			return false;
	} else if (!read_swa(&c, row, a)) {
		return false;
	}
	for (uint32_t il = 0; il < L && row->swa == SL_CHUNKED; il++)
		if (a->layer_kind[il] == LK_ATTN_SWA)
			a->layer_kind[il] = LK_ATTN_CHUNKED;
	if (!read_layer_shapes(&c, a, ff, head))
		return false;
	if (a->n_expert) {
		uint8_t moe[ARCH_MAX_LAYERS] = {0};
		bool any = false;
		for (size_t i = 0; i < g->n_tensors; i++) {
			const char *name = g->tensors[i].name;
			long il = block_of(name);
			if (il >= 0 && il < (long)L &&
			    (strstr(name, ".ffn_gate_inp.") || strstr(name, "_exps.")))
				moe[il] = 1, any = true;
		}
		if (any)
			memcpy(a->layer_moe, moe, sizeof(moe));
		/* a dense lead the metadata does not state (mimo2's layer 0) */
		for (uint32_t il = 0; any && !a->n_dense_lead && il < L && !moe[il]; il++)
			if (il + 1 < L && moe[il + 1])
				a->n_dense_lead = il + 1;
	}

	char why[256];
	if (!arch_validate(a, why, sizeof(why)))
		return afail(&c, "architecture '%s' from the metadata does not check out: %s",
		             a->gguf_arch, why);
	return true;
}

/* True when llama.cpp's loader keeps MTP-block tensor name in memory
 * although it does not run the block (llama_model_params.load_mtp off):
 * the loaders create these without their skip flag.
 * - step35 (src/models/step35.cpp load_block_mtp): everything but the
 *   attention projections, the two norms and the NextN fusion;
 * - hy_v3 (hy-v3.cpp load_block): the same, its whole FFN included;
 * - deepseek32, glm-dsa: the expert-selection bias (exp_probs_b);
 * - cohere2moe: the NextN block's own embedding, head and head norm.
 * Every other loader skips the whole block. */
static bool mtp_tensor_loaded(const char *arch, const char *name)
{
	static const char *const skipped[] = {
	    ".attn_norm.weight",   ".attn_q.weight",      ".attn_k.weight",
	    ".attn_v.weight",      ".attn_qkv.weight",    ".attn_q.bias",
	    ".attn_k.bias",        ".attn_v.bias",        ".attn_qkv.bias",
	    ".attn_output.weight", ".ffn_norm.weight",    ".nextn.eh_proj.weight",
	    ".nextn.enorm.weight", ".nextn.hnorm.weight", NULL,
	};
	static const char *const hy_v3_skipped[] = {
	    ".attn_q_norm.weight",
	    ".attn_k_norm.weight",
	    NULL,
	};
	static const char *const cohere2moe_kept[] = {
	    ".nextn.embed_tokens.weight",
	    ".nextn.shared_head_head.weight",
	    ".nextn.shared_head_norm.weight",
	    NULL,
	};
	if (!arch)
		return false;
	if (!strcmp(arch, "deepseek32") || !strcmp(arch, "glm-dsa"))
		return ends_with(name, ".exp_probs_b.bias");
	if (!strcmp(arch, "cohere2moe")) {
		for (const char *const *s = cohere2moe_kept; *s; s++)
			if (ends_with(name, *s))
				return true;
		return false;
	}
	bool hy_v3 = !strcmp(arch, "hy_v3");
	if (strcmp(arch, "step35") != 0 && !hy_v3)
		return false;
	for (const char *const *s = skipped; *s; s++)
		if (ends_with(name, *s))
			return false;
	for (const char *const *s = hy_v3_skipped; hy_v3 && *s; s++)
		if (ends_with(name, *s))
			return false;
	return true;
}

bool gguf_model(const struct gguf_info *g, struct model *m, char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	if (!gguf_arch(g, &m->arch, err, errlen))
		return false;
	tensors_init(&m->tensors);
	if (!gguf_tensors(g, &m->tensors)) {
		tensors_free(&m->tensors);
		snprintf(err, errlen, "%s: out of memory for %zu tensors", g->path, g->n_tensors);
		return false;
	}
	/* llama.cpp's loaders skip the MTP blocks' tensors unless asked to load
	 * them (llama_model_params.load_mtp, off by default): they are in the
	 * file but not in the model buffer. */
	const char *arch = gguf_get_str(g, "general.architecture");
	long mtp = m->arch.n_mtp ? (long)m->arch.n_layer : -1; /* the first MTP block */
	size_t keep = 0;
	tensors_init(&m->mtp_draft);
	for (size_t i = 0; i < m->tensors.n; i++) {
		long il = block_of(m->tensors.v[i].name);
		if (mtp >= 0 && il >= mtp && !mtp_tensor_loaded(arch, m->tensors.v[i].name)) {
			/* kept aside: a draft-mtp load (--spec mtp) adds them */
			if (!tensors_append(&m->mtp_draft, &m->tensors.v[i])) {
				tensors_free(&m->tensors);
				tensors_free(&m->mtp_draft);
				snprintf(err, errlen, "%s: out of memory for %zu tensors", g->path,
				         g->n_tensors);
				return false;
			}
			continue;
		}
		m->tensors.v[keep++] = m->tensors.v[i];
	}
	m->tensors.n = keep;
	m->params_total = tensors_params_total(&m->tensors, &m->arch);
	m->params_active = tensors_params_active(&m->tensors, &m->arch);
	return true;
}
