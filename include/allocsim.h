#ifndef VRAMCALC_ALLOCSIM_H
#define VRAMCALC_ALLOCSIM_H

/*
 * A model of llama.cpp's graph allocator (ggml-alloc's dynamic tensor
 * allocator) run over a short list of graph nodes: every node gets its
 * bytes from the best-fitting free block, or from the end of the buffer when
 * no other block fits; it frees its parents at their last use; an op that
 * ggml may run in place takes over a parent's memory when that parent has
 * no other use left.  The result is the buffer's high-water mark.  Pure
 * arithmetic on fixed-size arrays: no I/O, no allocation.
 */

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"

#define ALLOCSIM_MAX_NODES  2048 /* nodes of one simulated graph */
#define ALLOCSIM_MAX_SRC    3    /* parents a node reads */
#define ALLOCSIM_MAX_BLOCKS 64   /* free blocks tracked at once */
#define ALLOCSIM_ALIGN      32   /* the CPU buffer's tensor alignment, bytes */

/* One node of the simulated graph.  Views are not nodes: a node that reads
 * a view of a tensor names that tensor as its parent. */
struct allocsim_node {
	uint64_t bytes;                /* bytes it allocates (0: nothing, e.g. a
	                                * write into the KV cache) */
	int16_t src[ALLOCSIM_MAX_SRC]; /* parents (earlier nodes), -1: none */
	int8_t reuse;                  /* src slot whose memory the op may take
	                                * over at that parent's last use (an op
	                                * ggml runs in place, same layout);
	                                * -1: never */
	bool input;                    /* graph input: allocated before the
	                                * first node, in list order */
	bool output;                   /* graph output: never freed or reused */
};

/* A node list in graph order (n nodes, inputs anywhere in it). */
struct allocsim_graph {
	struct allocsim_node node[ALLOCSIM_MAX_NODES];
	int n;
};

/* Append a node to g: bytes, up to three parents (-1: none), the src slot
 * it may reuse (-1: none).  Returns its index, or -1 when g is full (the
 * node is dropped and allocsim_peak_bytes reports 0). */
int allocsim_add(struct allocsim_graph *g, uint64_t bytes, int reuse, int s0, int s1, int s2);

/* Run ggml-alloc's placement over g and return the buffer's peak in bytes
 * (0 for an empty or overfull graph).  Deterministic.  offsets (NULL, or
 * room for g->n) receives each node's offset (0 for a node that allocates
 * nothing). */
uint64_t allocsim_peak_bytes(const struct allocsim_graph *g, uint64_t *offsets);

/* What the output phase needs beyond the architecture: the reserved
 * ubatch and its outputs, and the graph inputs' sizes. */
struct allocsim_request {
	uint64_t n_tok;      /* tokens of the reserved ubatch */
	uint64_t n_out;      /* logits rows (n_outputs) */
	uint64_t mask_bytes; /* every KQ mask, as allocated on the device */
	bool flash;          /* flash attention */
	uint32_t k_rot;      /* side of the Hadamard matrix a quantized K cache
	                      * is rotated with (0: none), likewise V */
	uint32_t v_rot;
};

/* The peak of llama.cpp's compute buffer over its last layer and output
 * head, simulated node by node from the graph inputs (see allocsim.c), or 0
 * when the architecture's last layer is not one the simulation describes
 * (the caller then keeps its closed-form output phase). */
uint64_t allocsim_output_peak_bytes(const struct model_arch *a, const struct allocsim_request *r);

#endif
