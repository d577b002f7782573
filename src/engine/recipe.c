/*
 * recipe.c - per-tensor type selection of llama-quantize's file types and of
 * vLLM checkpoint formats.
 *
 * The rules are restated from ../shared/reference/memory-model.md section 2
 * (llama.cpp src/llama-quant.cpp); the branch letters in the comments are
 * the ones used there.  The recipe assumes no importance matrix for the file
 * types that do not require one, and one for those that do.
 */
#include "recipe.h"

#include <assert.h>
#include <stdbool.h>

/* Model-wide facts the rules consult, gathered before any tensor is typed. */
struct recipe_model {
	uint32_t n_layer;        /* n_layer_all */
	uint32_t n_attention_wv; /* attn_v-like tensors in the file */
	uint32_t n_gqa;          /* n_head / n_head_kv of layer 0 as the file gives it */
	uint32_t n_expert;
	bool is_70b; /* LLaMA arch, 80 layers, GQA: LLM_TYPE_70B */
	bool is_falcon;
	bool has_imatrix; /* assumed for file types that require one */
};

/* Running counters, increased in file order. */
struct recipe_counters {
	uint32_t i_attention_wv;
	uint32_t i_ffn_down;
	uint32_t i_ffn_gate;
	uint32_t i_ffn_up;
};

static bool use_more_bits(uint32_t i, uint32_t n)
{
	return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
}

static bool is_attn_v_like(enum tensor_cat c)
{
	return c == TC_ATTN_V || c == TC_ATTN_QKV || c == TC_ATTN_KV_B;
}

static bool divides(enum qtype t, uint64_t ne0)
{
	return ne0 % qtype_get(t)->block_elems == 0;
}

enum qtype recipe_shape_fallback(enum qtype t, uint64_t ne0)
{
	if (divides(t, ne0))
		return t;
	enum qtype f;
	switch (t) {
	case QT_IQ1_S:
	case QT_IQ1_M:
	case QT_IQ2_XXS:
	case QT_IQ2_XS:
	case QT_IQ2_S:
	case QT_IQ3_XXS:
	case QT_IQ3_S:
	case QT_IQ4_XS:
		f = QT_IQ4_NL;
		break;
	case QT_Q2_0:
	case QT_Q2_K:
	case QT_Q3_K:
	case QT_TQ1_0:
	case QT_TQ2_0:
		f = QT_Q4_0;
		break;
	case QT_Q4_K:
		f = QT_Q5_0;
		break;
	case QT_Q5_K:
		f = QT_Q5_1;
		break;
	case QT_Q6_K:
		f = QT_Q8_0;
		break;
	default:
		f = QT_F16;
		break;
	}
	return divides(f, ne0) ? f : QT_F16;
}

static bool ft_in(enum ftype ft, const enum ftype *set, int n)
{
	for (int i = 0; i < n; i++)
		if (set[i] == ft)
			return true;
	return false;
}

/* Branch A: the output tensor, or token_embd when embeddings are tied. */
static enum qtype type_output(enum ftype ft, const struct recipe_model *m, enum qtype def,
                              uint64_t ne0)
{
	static const enum ftype low[] = {FT_IQ2_XXS, FT_IQ2_XS, FT_IQ3_XXS, FT_IQ1_S,
	                                 FT_IQ2_S,   FT_IQ2_M,  FT_IQ1_M};
	if (ft == FT_MXFP4_MOE)
		return QT_Q8_0;
	if (m->is_falcon || !divides(def, ne0))
		return QT_Q8_0;
	if (ft_in(ft, low, 7))
		return QT_Q5_K;
	return def != QT_Q8_0 ? QT_Q6_K : QT_Q8_0;
}

/* Branch C: an untied token embedding. */
static enum qtype type_token_embd(enum ftype ft, enum qtype def)
{
	switch (ft) {
	case FT_IQ2_XXS:
	case FT_IQ2_XS:
	case FT_IQ1_S:
	case FT_IQ1_M:
		return QT_Q2_K;
	case FT_IQ2_S:
	case FT_IQ2_M:
	case FT_IQ3_XXS:
		return QT_IQ3_S;
	case FT_TQ1_0:
	case FT_TQ2_0:
		return QT_Q4_K;
	default:
		return def;
	}
}

/* Branch D: the very-low-bit i-quants. */
static enum qtype type_very_low_bit(enum ftype ft, const struct recipe_model *m,
                                    struct recipe_counters *c, const struct tensor_info *t,
                                    enum qtype def)
{
	bool s_or_m = ft == FT_IQ2_S || ft == FT_IQ2_M;
	bool one_bit = ft == FT_IQ1_S || ft == FT_IQ1_M;
	enum qtype r = def;

	if (is_attn_v_like(t->cat)) {
		if (m->n_gqa >= 4 || m->n_expert >= 4)
			r = QT_Q4_K;
		else
			r = s_or_m ? QT_IQ3_S : QT_Q2_K;
		c->i_attention_wv++;
	} else if (t->cat == TC_ATTN_K && m->n_expert == 8) {
		r = QT_Q4_K;
	} else if (t->cat == TC_FFN_DOWN) {
		if (c->i_ffn_down < m->n_layer / 8)
			r = s_or_m ? QT_IQ3_S : QT_Q2_K;
		c->i_ffn_down++;
	} else if (t->cat == TC_ATTN_OUTPUT) {
		if (m->n_expert == 8)
			r = QT_Q5_K;
		else if (one_bit)
			r = QT_IQ2_XXS;
		else if (s_or_m)
			r = QT_IQ3_S;
	}
	return r;
}

/* Branch E: attn_v, attn_qkv and attn_kv_b. */
static enum qtype type_attn_v(enum ftype ft, const struct recipe_model *m,
                              struct recipe_counters *c, enum qtype def)
{
	uint32_t i = c->i_attention_wv, n = m->n_attention_wv;
	bool gqa4 = m->n_gqa >= 4;
	enum qtype r = def;

	switch (ft) {
	case FT_Q2_K:
		r = gqa4 ? QT_Q4_K : QT_Q3_K;
		break;
	case FT_Q2_K_S:
		if (gqa4)
			r = QT_Q4_K;
		break;
	case FT_IQ3_XXS:
		r = gqa4 ? QT_Q4_K : (m->has_imatrix ? QT_IQ3_XXS : QT_IQ3_S);
		break;
	case FT_IQ3_XS:
	case FT_IQ3_S:
		if (gqa4)
			r = QT_Q4_K;
		break;
	case FT_IQ3_M:
		r = QT_Q4_K;
		break;
	case FT_Q3_K_M:
		r = i < 2 ? QT_Q5_K : QT_Q4_K;
		break;
	case FT_Q3_K_L:
		r = QT_Q5_K;
		break;
	case FT_IQ4_NL:
	case FT_IQ4_XS:
		if (gqa4)
			r = QT_Q5_K;
		break;
	case FT_Q4_K_M:
	case FT_Q5_K_M:
		if (use_more_bits(i, n))
			r = QT_Q6_K;
		break;
	case FT_Q4_K_S:
		if (i < 4)
			r = QT_Q5_K;
		break;
	default:
		break;
	}
	if (m->is_70b && (r == QT_Q3_K || r == QT_Q4_K))
		r = QT_Q5_K;
	if (m->n_expert == 8)
		r = QT_Q8_0;
	c->i_attention_wv++;
	return r;
}

/* Branch H: ffn_down, ffn_down_exps, ffn_down_shexp. */
static enum qtype type_ffn_down(enum ftype ft, const struct recipe_model *m,
                                struct recipe_counters *c, const struct tensor_info *t,
                                enum qtype def)
{
	uint32_t n = m->n_layer;
	uint32_t i = (m->n_expert > 1 && t->layer >= 0) ? (uint32_t)t->layer : c->i_ffn_down;
	enum qtype r = def;
	c->i_ffn_down++;

	switch (ft) {
	case FT_Q2_K:
		return QT_Q3_K;
	case FT_Q2_K_S:
		return i < n / 8 ? QT_Q4_K : r;
	case FT_IQ3_XXS:
		if (!m->has_imatrix)
			return i < n / 8 ? QT_Q4_K : QT_Q3_K;
		return r;
	case FT_Q3_K_M:
		if (i < n / 16)
			return QT_Q5_K;
		return (!m->is_falcon || use_more_bits(i, n)) ? QT_Q4_K : QT_Q3_K;
	case FT_IQ3_M:
		if (i < n / 8 || (m->n_expert == 8 && use_more_bits(i, n)))
			return QT_Q4_K;
		return r;
	case FT_Q3_K_L:
		return m->is_falcon ? QT_Q4_K : QT_Q5_K;
	case FT_Q4_K_M:
		if (!m->is_falcon)
			return use_more_bits(i, n) ? QT_Q6_K : r;
		if (i < n / 16)
			return QT_Q6_K;
		return use_more_bits(i, n) ? QT_Q5_K : r;
	case FT_IQ4_NL:
	case FT_IQ4_XS:
		if (!m->has_imatrix && i < n / 8)
			return QT_Q5_K;
		return r;
	case FT_Q5_K_M:
		return use_more_bits(i, n) ? QT_Q6_K : r;
	case FT_Q4_K_S:
		return (!m->is_falcon && i < n / 8) ? QT_Q5_K : r;
	case FT_Q4_0:
		return (m->has_imatrix && i < n / 8) ? QT_Q4_1 : r;
	case FT_Q5_0:
		return (m->has_imatrix && i < n / 8) ? QT_Q5_1 : r;
	default:
		return r;
	}
}

/* Branch I: attn_output. */
static enum qtype type_attn_output(enum ftype ft, const struct recipe_model *m, enum qtype def)
{
	if (m->is_falcon)
		return ft == FT_Q3_K_L ? QT_Q4_K : def;
	if (m->n_expert == 8) {
		static const enum ftype bump[] = {FT_Q2_K,   FT_IQ3_XS, FT_IQ3_XXS, FT_Q3_K_S,
		                                  FT_Q3_K_M, FT_IQ4_NL, FT_Q4_K_S,  FT_Q4_K_M,
		                                  FT_IQ3_S,  FT_IQ3_M,  FT_IQ4_XS};
		return ft_in(ft, bump, 11) ? QT_Q5_K : def;
	}
	switch (ft) {
	case FT_Q2_K:
		return QT_Q3_K;
	case FT_IQ3_XXS:
		return QT_IQ3_S;
	case FT_Q3_K_M:
		return QT_Q4_K;
	case FT_Q3_K_L:
		return QT_Q5_K;
	case FT_IQ3_M:
		return QT_Q4_K;
	default:
		return def;
	}
}

static enum qtype type_llamacpp(enum ftype ft, const struct recipe_model *m,
                                struct recipe_counters *c, const struct tensor_info *t, bool tied)
{
	enum qtype def = ftype_get(ft)->base;
	static const enum ftype very_low[] = {FT_IQ2_XXS, FT_IQ2_XS, FT_IQ1_S,
	                                      FT_IQ2_S,   FT_IQ2_M,  FT_IQ1_M};

	if (!qtype_get(def)->quantized)
		return def;
	if (t->cat == TC_OUTPUT || (t->cat == TC_TOKEN_EMBD && tied))
		return type_output(ft, m, def, t->ne[0]);
	if (ft == FT_MXFP4_MOE)
		return t->ne[2] > 1 ? QT_MXFP4 : QT_Q8_0;
	if (t->cat == TC_TOKEN_EMBD)
		return type_token_embd(ft, def);
	if (ft_in(ft, very_low, 6))
		return type_very_low_bit(ft, m, c, t, def);

	uint32_t n = m->n_layer;
	switch (t->cat) {
	case TC_ATTN_V:
	case TC_ATTN_QKV:
	case TC_ATTN_KV_B:
		return type_attn_v(ft, m, c, def);
	case TC_ATTN_K:
		if (m->n_expert == 8)
			return QT_Q8_0;
		if (ft == FT_IQ3_XS)
			return QT_IQ3_XXS;
		if (ft == FT_IQ3_XXS)
			return QT_IQ2_S;
		return def;
	case TC_ATTN_Q:
		if (ft == FT_IQ3_XS)
			return QT_IQ3_XXS;
		if (ft == FT_IQ3_XXS)
			return QT_IQ2_S;
		return def;
	case TC_FFN_DOWN:
		return type_ffn_down(ft, m, c, t, def);
	case TC_ATTN_OUTPUT:
		return type_attn_output(ft, m, def);
	case TC_FFN_GATE:
	case TC_FFN_UP: {
		uint32_t *ctr = t->cat == TC_FFN_GATE ? &c->i_ffn_gate : &c->i_ffn_up;
		uint32_t i = (m->n_expert > 1 && t->layer >= 0) ? (uint32_t)t->layer : *ctr;
		(*ctr)++;
		if (ft == FT_IQ3_XS && i >= n / 8 && i < 7 * n / 8)
			return QT_IQ3_XXS;
		return def;
	}
	default:
		return def;
	}
}

/* vLLM checkpoints: linear layers in the format, the rest bf16.  MXFP4
 * checkpoints (gpt-oss) quantize only the routed experts. */
static enum qtype type_vllm(enum ftype ft, const struct tensor_info *t)
{
	enum qtype def = ftype_get(ft)->base;
	if (!t->quantizable || t->cat == TC_OUTPUT || t->cat == TC_TOKEN_EMBD)
		return QT_BF16;
	if (ft == FT_V_MXFP4 && !t->routed_expert)
		return QT_BF16;
	return def;
}

uint32_t recipe_assign(enum ftype ft, const struct model_arch *a, const struct tensor_list *l,
                       enum qtype *types)
{
	const struct ftype_info *fi = ftype_get(ft);
	struct recipe_model m = {0};
	struct recipe_counters c = {0};
	bool tied = true;
	uint32_t fallbacks = 0;

	/* llama-quantize counts the file's MTP blocks, which follow the others
	 * (n_layer_all, and their attn_v-like tensor where the layers have one:
	 * MLA layers have none) */
	m.n_layer = a->n_layer + a->n_mtp;
	m.n_expert = a->n_expert;
	m.n_gqa = a->layer_head_kv[0] ? a->n_head / a->layer_head_kv[0] : 0;
	/* Qwen3-Next and Qwen3.5 files give one head_count_kv for all blocks,
	 * DeltaNet ones included, so llama.cpp's n_gqa() sees it in block 0. */
	if (a->layer_kind[0] == LK_RECURRENT && a->rec_kind == RK_GATED_DELTANET && a->n_head_kv)
		m.n_gqa = a->n_head / a->n_head_kv;
	m.is_70b = a->family == AF_LLAMA && a->n_layer == 80 && a->n_expert == 0 &&
	           a->n_head_kv < a->n_head;
	m.is_falcon = false;
	m.has_imatrix = fi->needs_imatrix;
	for (size_t i = 0; i < l->n; i++) {
		if (is_attn_v_like(l->v[i].cat))
			m.n_attention_wv++;
		if (l->v[i].cat == TC_OUTPUT)
			tied = false;
	}
	if (m.n_attention_wv)
		m.n_attention_wv += a->n_mtp;

	for (size_t i = 0; i < l->n; i++) {
		const struct tensor_info *t = &l->v[i];
		if (ft == FT_F32) {
			types[i] = QT_F32;
			continue;
		}
		if (fi->engine == FT_VLLM) {
			types[i] = type_vllm(ft, t);
			continue;
		}
		if (!t->quantizable) {
			types[i] = t->src_type;
			continue;
		}
		enum qtype q = type_llamacpp(ft, &m, &c, t, tied);
		enum qtype f = recipe_shape_fallback(q, t->ne[0]);
		if (f != q)
			fallbacks++;
		types[i] = f;
	}
	return fallbacks;
}

uint64_t recipe_total_bytes(const struct tensor_list *l, const enum qtype *types)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < l->n; i++)
		sum += tensor_bytes(&l->v[i], types[i]);
	return sum;
}
