/*
 * tensors.h - every weight tensor of a model, derived from its architecture.
 *
 * Engine layer.  tensors_build() lists the tensors llama.cpp's loader
 * creates for an architecture, with GGUF names, ggml shapes (ne0 is the row
 * length) and the type the converter stores them in (F32 for norms, biases
 * and routers, the model's float type otherwise).  From that list come the
 * exact parameter count and, through recipe.h, the bytes of each file type.
 */
#ifndef VRAMCALC_TENSORS_H
#define VRAMCALC_TENSORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "quant.h"

/* llama-quantize's tensor categories (llama-quant.cpp tensor_get_category),
 * decided by name, first match wins. */
enum tensor_cat {
	TC_OUTPUT,
	TC_TOKEN_EMBD,
	TC_ATTN_QKV,
	TC_ATTN_KV_B,
	TC_ATTN_V,
	TC_ATTN_K,
	TC_ATTN_Q,
	TC_ATTN_OUTPUT,
	TC_FFN_UP,
	TC_FFN_GATE,
	TC_FFN_DOWN,
	TC_OTHER,
};

/* Layer index used for tensors outside the repeating blocks. */
#define TENSOR_LAYER_INPUT  (-1) /* token_embd: always in host memory */
#define TENSOR_LAYER_OUTPUT (-2) /* output, output_norm: the output layer */

/* One weight tensor. */
struct tensor_info {
	char name[48];       /* GGUF name, "blk.3.ffn_down_exps.weight" */
	uint64_t ne[4];      /* ggml shape; ne[0] is the row length */
	uint8_t n_dims;      /* 1..4 */
	int16_t layer;       /* block index, or TENSOR_LAYER_INPUT/OUTPUT */
	enum tensor_cat cat; /* recipe category */
	bool quantizable;    /* llama-quantize may change its type */
	bool routed_expert;  /* matches --cpu-moe's ffn_*_exps pattern */
	enum qtype src_type; /* type in an F16 export: F32 or F16 */
};

/* A growable list of tensors.  Owned by the caller: initialise with
 * tensors_init(), release with tensors_free(). */
struct tensor_list {
	struct tensor_info *v;
	size_t n;
	size_t cap;
};

void tensors_init(struct tensor_list *l);
void tensors_free(struct tensor_list *l);

/* Append a copy of tensor t as it is (a loader moving tensors between
 * lists).  Returns false on allocation failure (the list unchanged). */
bool tensors_append(struct tensor_list *l, const struct tensor_info *t);

/* Append one tensor; name is copied.  Returns false on allocation failure
 * (the list is left as it was). */
bool tensors_add(struct tensor_list *l, const char *name, int layer, uint8_t n_dims, uint64_t ne0,
                 uint64_t ne1, uint64_t ne2, enum qtype src_type);

/* Build the tensor list of an architecture (validated with arch_validate)
 * into l, replacing its contents.  Returns false on allocation failure. */
bool tensors_build(const struct model_arch *a, struct tensor_list *l);

/* Families whose layers differ by type (gemma4, ...) have their own
 * builder (tensors_attn.c); tensors_build() hands them over. */
bool tensors_family_has_builder(enum arch_family f);
bool tensors_build_family(const struct model_arch *a, struct tensor_list *l);

/* Elements of one tensor. */
uint64_t tensor_elems(const struct tensor_info *t);

/* Bytes of one tensor stored as type t (rows x row bytes). */
uint64_t tensor_bytes(const struct tensor_info *t, enum qtype type);

/* Bytes tensor t takes in a llama.cpp weight buffer: its bytes rounded up
 * to ggml's tensor alignment (TENSOR_ALIGNMENT, 32 on the CPU backend).
 * Differs from tensor_bytes() only for tiny tensors (a 1-element scale). */
#define TENSOR_BUFFER_ALIGN 32
uint64_t tensor_buffer_bytes(const struct tensor_info *t, enum qtype type);

/* Parameter counts: every element, and the elements one token multiplies
 * with (routed experts scaled by n_expert_used / n_expert; the token
 * embedding is a row lookup and not counted, as OpenAI, DeepSeek and
 * Moonshot count active parameters).  Tensors of MTP blocks a loader keeps
 * in memory (layer >= a->n_layer) are not counted. */
uint64_t tensors_params_total(const struct tensor_list *l, const struct model_arch *a);
uint64_t tensors_params_active(const struct tensor_list *l, const struct model_arch *a);

/* Fill category, quantizable and routed_expert from the tensor's name and
 * rank, as llama-quantize decides them.  Used by tensors_add() and by
 * importers that read tensor names from a file. */
void tensor_classify(struct tensor_info *t);

/* Builder state for the per-family tensor lists (engine-internal): the list,
 * the current block (-1: outside the blocks) and a sticky failure flag, so a
 * family reads as a plain sequence of tensor declarations. */
struct tensor_builder {
	struct tensor_list *l;
	int layer;
	bool ok;
};

/* Append tensor "blk.<layer>.<suffix>" (or "<suffix>" outside the blocks)
 * of the given shape; on failure b->ok becomes false and stays so. */
void tensors_build_add(struct tensor_builder *b, const char *suffix, uint8_t n_dims, uint64_t ne0,
                       uint64_t ne1, uint64_t ne2);

/* The token embedding, the output norm and, unless a's embeddings are
 * tied, the output projection: the model-level tensors most layouts share. */
void tensors_build_embd_out(struct tensor_builder *b, const struct model_arch *a);

/* Layer il's feed-forward tensors: the dense MLP, or the router, routed
 * experts (with the correction bias when a->expert_bias) and the shared
 * experts (when a->n_ff_shexp), with the few family variants llama.cpp
 * has (phi3's fused up, Apertus without gate, gpt-oss biases, the Qwen
 * hybrids' shared-expert gate). */
void tensors_build_ffn(struct tensor_builder *b, const struct model_arch *a, uint32_t il);

/* The families of tensors_hybrid.c (deepseek4, falcon-h1, kimi): whether
 * it has a builder for f, and the builder (false for another family). */
bool tensors_hybrid_has_builder(enum arch_family f);
bool tensors_hybrid_build(const struct model_arch *a, struct tensor_builder *b);

#define V1(b, s, a0)         tensors_build_add(b, s, 1, a0, 1, 1)
#define M2(b, s, a0, a1)     tensors_build_add(b, s, 2, a0, a1, 1)
#define M3(b, s, a0, a1, a2) tensors_build_add(b, s, 3, a0, a1, a2)

#endif
