/*
 * quant.h - tensor storage types, file types (quantization recipes) and
 * KV cache types.
 *
 * Engine layer: pure data and arithmetic, no I/O.
 *
 * Every GGML tensor type is one row of a constant table (block size in
 * elements, bytes per block).  The checkpoint formats served by vLLM
 * (FP8, INT8, INT4 with group 128, NVFP4) are extra rows of the same table
 * whose rows need not be a whole number of blocks (their scales are
 * amortised per element).
 */
#ifndef VRAMCALC_QUANT_H
#define VRAMCALC_QUANT_H

#include <stdbool.h>
#include <stdint.h>

/* Tensor storage types.  The values of the GGML rows are GGML's own ids
 * (ggml.h, enum ggml_type) so that a GGUF tensor type maps directly. */
enum qtype {
	QT_F32 = 0,
	QT_F16 = 1,
	QT_Q4_0 = 2,
	QT_Q4_1 = 3,
	QT_Q5_0 = 6,
	QT_Q5_1 = 7,
	QT_Q8_0 = 8,
	QT_Q8_1 = 9,
	QT_Q2_K = 10,
	QT_Q3_K = 11,
	QT_Q4_K = 12,
	QT_Q5_K = 13,
	QT_Q6_K = 14,
	QT_Q8_K = 15,
	QT_IQ2_XXS = 16,
	QT_IQ2_XS = 17,
	QT_IQ3_XXS = 18,
	QT_IQ1_S = 19,
	QT_IQ4_NL = 20,
	QT_IQ3_S = 21,
	QT_IQ2_S = 22,
	QT_IQ4_XS = 23,
	QT_I8 = 24,
	QT_I16 = 25,
	QT_I32 = 26,
	QT_I64 = 27,
	QT_F64 = 28,
	QT_IQ1_M = 29,
	QT_BF16 = 30,
	QT_TQ1_0 = 34,
	QT_TQ2_0 = 35,
	QT_MXFP4 = 39,
	QT_NVFP4 = 40,
	QT_Q1_0 = 41,
	QT_Q2_0 = 42,
	QT_GGML_COUNT = 43,
	/* vLLM checkpoint formats (not GGML types). */
	QT_V_FP8 = 64,  /* e4m3 with one f32 scale per 128x128 block */
	QT_V_INT8,      /* W8A8, one f32 scale per output row (amortised) */
	QT_V_INT4_G128, /* AWQ/GPTQ: 4-bit, f16 scale + 4-bit zero per 128 */
	QT_V_NVFP4,     /* e2m1 + one fp8 scale per 16 */
	QT_V_MXFP4,     /* e2m1 + one e8m0 scale per 32 */
	QT_COUNT
};

/* One storage type: a row of the type table. */
struct qtype_info {
	enum qtype id;
	const char *name;     /* lower case as llama.cpp prints it: "q4_K" */
	uint32_t block_elems; /* elements per block */
	uint32_t block_bytes; /* bytes per block */
	bool quantized;       /* a block format (not plain float/int) */
	bool exact_rows;      /* rows must be whole blocks (all GGML types) */
};

/* Row of the type table for `t`, or NULL for an unknown or removed id. */
const struct qtype_info *qtype_get(enum qtype t);

/* Look a type up by name, case-insensitively ("Q4_K", "q4_k", "bf16").
 * Returns false when no row has that name. */
bool qtype_find(const char *name, enum qtype *out);

/* Bytes of one row of `ne0` elements.  For GGML types ne0 must be a
 * multiple of the block size (asserted); the vLLM formats round up. */
uint64_t qtype_row_bytes(enum qtype t, uint64_t ne0);

/* Bits per weight of a type (block_bytes * 8 / block_elems). */
double qtype_bpw(enum qtype t);

/* Which engine a file type is a recipe for. */
enum ftype_engine { FT_LLAMACPP, FT_VLLM };

/* A quantization as the user names it: a llama.cpp file type
 * (llama-quantize's ftype) or a vLLM checkpoint format.  The per-tensor
 * choice is made by recipe_tensor_type() (recipe.h). */
enum ftype {
	FT_F32,
	FT_F16,
	FT_BF16,
	FT_Q8_0,
	FT_Q6_K,
	FT_Q5_1,
	FT_Q5_K_M,
	FT_Q5_K_S,
	FT_Q5_0,
	FT_Q4_1,
	FT_Q4_K_M,
	FT_Q4_K_S,
	FT_Q4_0,
	FT_IQ4_NL,
	FT_IQ4_XS,
	FT_Q3_K_L,
	FT_Q3_K_M,
	FT_Q3_K_S,
	FT_IQ3_M,
	FT_IQ3_S,
	FT_IQ3_XS,
	FT_IQ3_XXS,
	FT_Q2_K,
	FT_Q2_K_S,
	FT_IQ2_M,
	FT_IQ2_S,
	FT_IQ2_XS,
	FT_IQ2_XXS,
	FT_IQ1_M,
	FT_IQ1_S,
	FT_TQ2_0,
	FT_TQ1_0,
	FT_MXFP4_MOE,
	/* vLLM checkpoint formats */
	FT_V_BF16,
	FT_V_FP8,
	FT_V_INT8,
	FT_V_AWQ,
	FT_V_GPTQ,
	FT_V_NVFP4,
	FT_V_MXFP4,
	FT_COUNT
};

/* One file type: a row of the file-type table. */
struct ftype_info {
	enum ftype id;
	const char *name; /* as users type it: "Q4_K_M", "FP8", "AWQ" */
	enum ftype_engine engine;
	enum qtype base;         /* default tensor type of the recipe */
	bool needs_imatrix;      /* llama-quantize refuses it without one */
	const char *description; /* one line for --list quants */
};

/* Row for `f` (f < FT_COUNT). */
const struct ftype_info *ftype_get(enum ftype f);

/* Look a file type up by name, case-insensitively. */
bool ftype_find(const char *name, enum ftype *out);

/* KV cache element types accepted by llama.cpp's -ctk/-ctv, plus fp8 for
 * vLLM.  Values index kvtype_table. */
enum kvtype {
	KV_F32,
	KV_F16,
	KV_BF16,
	KV_Q8_0,
	KV_Q5_1,
	KV_Q5_0,
	KV_Q4_1,
	KV_Q4_0,
	KV_IQ4_NL,
	KV_FP8,
	KV_COUNT
};

/* One KV cache type. */
struct kvtype_info {
	enum kvtype id;
	const char *name;     /* "f16", "q8_0", "fp8" */
	uint32_t block_elems; /* elements per block */
	uint32_t block_bytes; /* bytes per block */
	bool quantized;       /* needs flash attention in llama.cpp */
	bool llamacpp;        /* llama.cpp accepts it */
	bool vllm;            /* vLLM accepts it */
};

const struct kvtype_info *kvtype_get(enum kvtype k);
bool kvtype_find(const char *name, enum kvtype *out);

/* Bytes of one KV row of `n` elements in type `k`.  Rows whose length is
 * not a multiple of the block are rounded up to whole blocks. */
uint64_t kvtype_row_bytes(enum kvtype k, uint64_t n);

#endif
