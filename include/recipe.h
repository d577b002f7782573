/*
 * recipe.h - which storage type each tensor gets under a file type.
 *
 * Engine layer.  For llama.cpp file types this follows llama-quantize
 * (src/llama-quant.cpp at the commit named in memory-model.md): the
 * output/embedding rules, the per-category "use more bits" mixes, the MoE
 * and MLA cases and the shape fallback for rows that are not whole blocks.
 * vLLM formats quantize the linear layers and keep the rest in bf16.
 */
#ifndef VRAMCALC_RECIPE_H
#define VRAMCALC_RECIPE_H

#include <stdint.h>

#include "arch.h"
#include "quant.h"
#include "tensors.h"

/* Assign a storage type to every tensor of l under file type ft, in file
 * order (llama-quantize's running counters depend on it).  types must hold
 * l->n entries.  Returns the number of tensors that needed a shape
 * fallback. */
uint32_t recipe_assign(enum ftype ft, const struct model_arch *a, const struct tensor_list *l,
                       enum qtype *types);

/* Bytes of all tensors under types (from recipe_assign). */
uint64_t recipe_total_bytes(const struct tensor_list *l, const enum qtype *types);

/* The type llama-quantize falls back to when a row of ne0 elements is not a
 * whole number of blocks of t (t itself when it is). */
enum qtype recipe_shape_fallback(enum qtype t, uint64_t ne0);

#endif
