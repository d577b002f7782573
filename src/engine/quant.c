/*
 * quant.c - the tables of tensor types, file types and KV cache types.
 *
 * Block sizes and bytes per block are GGML's (ggml-common.h block structs,
 * QK_K = 256); see ../shared/reference/memory-model.md section 1.
 */
#include "quant.h"

#include <assert.h>
#include <stddef.h>
#include <strings.h>

#include "satmath.h"

/* Indexed by enum qtype; rows with a NULL name are unused or removed ids. */
static const struct qtype_info qtype_table[QT_COUNT] = {
    [QT_F32] = {QT_F32, "f32", 1, 4, false, true},
    [QT_F16] = {QT_F16, "f16", 1, 2, false, true},
    [QT_Q4_0] = {QT_Q4_0, "q4_0", 32, 18, true, true},
    [QT_Q4_1] = {QT_Q4_1, "q4_1", 32, 20, true, true},
    [QT_Q5_0] = {QT_Q5_0, "q5_0", 32, 22, true, true},
    [QT_Q5_1] = {QT_Q5_1, "q5_1", 32, 24, true, true},
    [QT_Q8_0] = {QT_Q8_0, "q8_0", 32, 34, true, true},
    [QT_Q8_1] = {QT_Q8_1, "q8_1", 32, 36, true, true},
    [QT_Q2_K] = {QT_Q2_K, "q2_K", 256, 84, true, true},
    [QT_Q3_K] = {QT_Q3_K, "q3_K", 256, 110, true, true},
    [QT_Q4_K] = {QT_Q4_K, "q4_K", 256, 144, true, true},
    [QT_Q5_K] = {QT_Q5_K, "q5_K", 256, 176, true, true},
    [QT_Q6_K] = {QT_Q6_K, "q6_K", 256, 210, true, true},
    [QT_Q8_K] = {QT_Q8_K, "q8_K", 256, 292, true, true},
    [QT_IQ2_XXS] = {QT_IQ2_XXS, "iq2_xxs", 256, 66, true, true},
    [QT_IQ2_XS] = {QT_IQ2_XS, "iq2_xs", 256, 74, true, true},
    [QT_IQ3_XXS] = {QT_IQ3_XXS, "iq3_xxs", 256, 98, true, true},
    [QT_IQ1_S] = {QT_IQ1_S, "iq1_s", 256, 50, true, true},
    [QT_IQ4_NL] = {QT_IQ4_NL, "iq4_nl", 32, 18, true, true},
    [QT_IQ3_S] = {QT_IQ3_S, "iq3_s", 256, 110, true, true},
    [QT_IQ2_S] = {QT_IQ2_S, "iq2_s", 256, 82, true, true},
    [QT_IQ4_XS] = {QT_IQ4_XS, "iq4_xs", 256, 136, true, true},
    [QT_I8] = {QT_I8, "i8", 1, 1, false, true},
    [QT_I16] = {QT_I16, "i16", 1, 2, false, true},
    [QT_I32] = {QT_I32, "i32", 1, 4, false, true},
    [QT_I64] = {QT_I64, "i64", 1, 8, false, true},
    [QT_F64] = {QT_F64, "f64", 1, 8, false, true},
    [QT_IQ1_M] = {QT_IQ1_M, "iq1_m", 256, 56, true, true},
    [QT_BF16] = {QT_BF16, "bf16", 1, 2, false, true},
    [QT_TQ1_0] = {QT_TQ1_0, "tq1_0", 256, 54, true, true},
    [QT_TQ2_0] = {QT_TQ2_0, "tq2_0", 256, 66, true, true},
    [QT_MXFP4] = {QT_MXFP4, "mxfp4", 32, 17, true, true},
    [QT_NVFP4] = {QT_NVFP4, "nvfp4", 64, 36, true, true},
    [QT_Q1_0] = {QT_Q1_0, "q1_0", 128, 18, true, true},
    [QT_Q2_0] = {QT_Q2_0, "q2_0", 64, 18, true, true},
    /* vLLM formats: scales amortised over a block of elements. */
    [QT_V_FP8] = {QT_V_FP8, "fp8", 16384, 16388, true, false},
    [QT_V_INT8] = {QT_V_INT8, "int8", 1024, 1028, true, false},
    [QT_V_INT4_G128] = {QT_V_INT4_G128, "int4_g128", 256, 133, true, false},
    [QT_V_NVFP4] = {QT_V_NVFP4, "nvfp4_v", 16, 9, true, false},
    [QT_V_MXFP4] = {QT_V_MXFP4, "mxfp4_v", 32, 17, true, false},
};

const struct qtype_info *qtype_get(enum qtype t)
{
	if ((int)t < 0 || t >= QT_COUNT || qtype_table[t].name == NULL)
		return NULL;
	return &qtype_table[t];
}

bool qtype_find(const char *name, enum qtype *out)
{
	for (int i = 0; i < QT_COUNT; i++) {
		if (qtype_table[i].name && strcasecmp(qtype_table[i].name, name) == 0) {
			*out = (enum qtype)i;
			return true;
		}
	}
	return false;
}

uint64_t qtype_row_bytes(enum qtype t, uint64_t ne0)
{
	const struct qtype_info *q = qtype_get(t);
	assert(q != NULL);
	if (q->exact_rows) {
		assert(ne0 % q->block_elems == 0);
		return sat_mul(ne0 / q->block_elems, q->block_bytes);
	}
	if (ne0 > UINT64_MAX / q->block_bytes)
		return UINT64_MAX;
	uint64_t bytes = ne0 * q->block_bytes;
	return bytes / q->block_elems + (bytes % q->block_elems != 0);
}

double qtype_bpw(enum qtype t)
{
	const struct qtype_info *q = qtype_get(t);
	assert(q != NULL);
	return 8.0 * q->block_bytes / q->block_elems;
}

/* Ordered from most to fewest bits per weight (of the base type), so the
 * table order is the display order of the quant slider. */
static const struct ftype_info ftype_table[FT_COUNT] = {
    {FT_F32, "F32", FT_LLAMACPP, QT_F32, false, "32-bit float, every tensor"},
    {FT_F16, "F16", FT_LLAMACPP, QT_F16, false, "16-bit float"},
    {FT_BF16, "BF16", FT_LLAMACPP, QT_BF16, false, "bfloat16"},
    {FT_Q8_0, "Q8_0", FT_LLAMACPP, QT_Q8_0, false, "8.5 bpw, near lossless"},
    {FT_Q6_K, "Q6_K", FT_LLAMACPP, QT_Q6_K, false, "6.56 bpw k-quant"},
    {FT_Q5_1, "Q5_1", FT_LLAMACPP, QT_Q5_1, false, "6 bpw legacy"},
    {FT_Q5_K_M, "Q5_K_M", FT_LLAMACPP, QT_Q5_K, false,
     "5.5 bpw k-quant, attn_v/ffn_down bumped to Q6_K"},
    {FT_Q5_K_S, "Q5_K_S", FT_LLAMACPP, QT_Q5_K, false, "5.5 bpw k-quant"},
    {FT_Q5_0, "Q5_0", FT_LLAMACPP, QT_Q5_0, false, "5.5 bpw legacy"},
    {FT_Q4_1, "Q4_1", FT_LLAMACPP, QT_Q4_1, false, "5 bpw legacy"},
    {FT_Q4_K_M, "Q4_K_M", FT_LLAMACPP, QT_Q4_K, false,
     "4.5 bpw k-quant, attn_v/ffn_down bumped to Q6_K"},
    {FT_Q4_K_S, "Q4_K_S", FT_LLAMACPP, QT_Q4_K, false, "4.5 bpw k-quant, light bumps"},
    {FT_Q4_0, "Q4_0", FT_LLAMACPP, QT_Q4_0, false, "4.5 bpw legacy"},
    {FT_IQ4_NL, "IQ4_NL", FT_LLAMACPP, QT_IQ4_NL, false, "4.5 bpw non-linear"},
    {FT_IQ4_XS, "IQ4_XS", FT_LLAMACPP, QT_IQ4_XS, false, "4.25 bpw i-quant"},
    {FT_Q3_K_L, "Q3_K_L", FT_LLAMACPP, QT_Q3_K, false, "3.44 bpw k-quant, large mix"},
    {FT_Q3_K_M, "Q3_K_M", FT_LLAMACPP, QT_Q3_K, false, "3.44 bpw k-quant, medium mix"},
    {FT_Q3_K_S, "Q3_K_S", FT_LLAMACPP, QT_Q3_K, false, "3.44 bpw k-quant"},
    {FT_IQ3_M, "IQ3_M", FT_LLAMACPP, QT_IQ3_S, false, "3.44 bpw i-quant mix"},
    {FT_IQ3_S, "IQ3_S", FT_LLAMACPP, QT_IQ3_S, false, "3.44 bpw i-quant"},
    {FT_IQ3_XS, "IQ3_XS", FT_LLAMACPP, QT_IQ3_S, false, "3.3 bpw i-quant mix"},
    {FT_IQ3_XXS, "IQ3_XXS", FT_LLAMACPP, QT_IQ3_XXS, true, "3.06 bpw i-quant (imatrix)"},
    {FT_Q2_K, "Q2_K", FT_LLAMACPP, QT_Q2_K, false, "2.63 bpw k-quant mix"},
    {FT_Q2_K_S, "Q2_K_S", FT_LLAMACPP, QT_Q2_K, true, "2.63 bpw k-quant (imatrix)"},
    {FT_IQ2_M, "IQ2_M", FT_LLAMACPP, QT_IQ2_S, true, "2.56 bpw i-quant mix (imatrix)"},
    {FT_IQ2_S, "IQ2_S", FT_LLAMACPP, QT_IQ2_XS, true, "2.5 bpw i-quant (imatrix)"},
    {FT_IQ2_XS, "IQ2_XS", FT_LLAMACPP, QT_IQ2_XS, true, "2.31 bpw i-quant (imatrix)"},
    {FT_IQ2_XXS, "IQ2_XXS", FT_LLAMACPP, QT_IQ2_XXS, true, "2.06 bpw i-quant (imatrix)"},
    {FT_IQ1_M, "IQ1_M", FT_LLAMACPP, QT_IQ1_M, true, "1.75 bpw i-quant (imatrix)"},
    {FT_IQ1_S, "IQ1_S", FT_LLAMACPP, QT_IQ1_S, true, "1.56 bpw i-quant (imatrix)"},
    {FT_TQ2_0, "TQ2_0", FT_LLAMACPP, QT_TQ2_0, false, "2.06 bpw ternary"},
    {FT_TQ1_0, "TQ1_0", FT_LLAMACPP, QT_TQ1_0, false, "1.69 bpw ternary"},
    {FT_MXFP4_MOE, "MXFP4_MOE", FT_LLAMACPP, QT_MXFP4, false, "experts MXFP4, other matrices Q8_0"},
    {FT_V_BF16, "vllm-bf16", FT_VLLM, QT_BF16, false, "vLLM: bf16 checkpoint"},
    {FT_V_FP8, "FP8", FT_VLLM, QT_V_FP8, false, "vLLM: fp8 e4m3, 128x128 block scales"},
    {FT_V_INT8, "INT8", FT_VLLM, QT_V_INT8, false, "vLLM: int8 W8A8, per-channel scales"},
    {FT_V_AWQ, "AWQ", FT_VLLM, QT_V_INT4_G128, false, "vLLM: int4 AWQ, group 128"},
    {FT_V_GPTQ, "GPTQ", FT_VLLM, QT_V_INT4_G128, false, "vLLM: int4 GPTQ, group 128"},
    {FT_V_NVFP4, "NVFP4", FT_VLLM, QT_V_NVFP4, false, "vLLM: nvfp4, fp8 scale per 16"},
    {FT_V_MXFP4, "MXFP4", FT_VLLM, QT_V_MXFP4, false, "vLLM: mxfp4 experts, bf16 elsewhere"},
};

const struct ftype_info *ftype_get(enum ftype f)
{
	assert((int)f >= 0 && f < FT_COUNT);
	assert(ftype_table[f].id == f);
	return &ftype_table[f];
}

bool ftype_find(const char *name, enum ftype *out)
{
	for (int i = 0; i < FT_COUNT; i++) {
		if (strcasecmp(ftype_table[i].name, name) == 0) {
			*out = (enum ftype)i;
			return true;
		}
	}
	return false;
}

static const struct kvtype_info kvtype_table[KV_COUNT] = {
    {KV_F32, "f32", 1, 4, false, true, true},         {KV_F16, "f16", 1, 2, false, true, true},
    {KV_BF16, "bf16", 1, 2, false, true, true},       {KV_Q8_0, "q8_0", 32, 34, true, true, false},
    {KV_Q5_1, "q5_1", 32, 24, true, true, false},     {KV_Q5_0, "q5_0", 32, 22, true, true, false},
    {KV_Q4_1, "q4_1", 32, 20, true, true, false},     {KV_Q4_0, "q4_0", 32, 18, true, true, false},
    {KV_IQ4_NL, "iq4_nl", 32, 18, true, true, false}, {KV_FP8, "fp8", 1, 1, true, false, true},
};

const struct kvtype_info *kvtype_get(enum kvtype k)
{
	assert((int)k >= 0 && k < KV_COUNT);
	return &kvtype_table[k];
}

bool kvtype_find(const char *name, enum kvtype *out)
{
	for (int i = 0; i < KV_COUNT; i++) {
		if (strcasecmp(kvtype_table[i].name, name) == 0) {
			*out = (enum kvtype)i;
			return true;
		}
	}
	return false;
}

uint64_t kvtype_row_bytes(enum kvtype k, uint64_t n)
{
	const struct kvtype_info *kv = kvtype_get(k);
	uint64_t blocks = n / kv->block_elems + (n % kv->block_elems != 0);
	return sat_mul(blocks, kv->block_bytes);
}
