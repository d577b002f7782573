/*
 * allocsim: llama.cpp's graph allocator run over the last layer and output
 * head of a model, to find where its logits land.
 *
 * The compute buffer is ggml-alloc's high-water mark.  For most phases of
 * the graph a closed form (estimate.c) gives it, but the output phase is
 * the logits [n_vocab x n_outputs] f32 placed above the last hidden state,
 * and where that state lands depends on which free block ggml-alloc chose
 * for each earlier node of the last layer: it takes the smallest free block
 * that fits (the highest one on a tie), and only when none of the blocks
 * below the end fits does it take the end of the buffer.  Traces of an
 * instrumented ggml-alloc.c (llama.cpp 2026-09-28) show Qwen3.5-27B's last
 * hidden state above the freed mask and Qwen3.5-9B's at its bottom, from
 * the same graph code, only because the sizes differ.  So the output phase
 * is simulated here node by node, with the rules the allocator follows:
 *   - graph inputs (tokens, the unused embedding input, positions, KV cell
 *     indices, masks, output ids) are allocated first, in order, and stay
 *     until their last reader;
 *   - a node's size is rounded up to the buffer's alignment;
 *   - a parent is freed right after its last reader runs; a freed range
 *     merges with the free blocks next to it;
 *   - an op ggml may run in place (add, mul, scale, norms, rope, unary,
 *     softmax) takes over its parent's memory when it is that parent's last
 *     reader and the layouts match; outputs are never reused or freed.
 * Views are not modelled as nodes: a reader of a view reads its source,
 * which keeps the source alive exactly as long as ggml's view counting does.
 */

#include "allocsim.h"

#include <string.h>

#include "satmath.h"

/* The end-of-buffer block: unbounded (ggml's last block grows the chunk). */
#define TAIL_BYTES (UINT64_MAX / 4)

/* The allocator's free list: blocks sorted by offset, the last one the
 * unbounded tail of the buffer. */
struct free_list {
	uint64_t off[ALLOCSIM_MAX_BLOCKS];
	uint64_t size[ALLOCSIM_MAX_BLOCKS];
	int n;
	bool overflow; /* more blocks than tracked: the result is not valid */
};

static uint64_t align_up(uint64_t n)
{
	return sat_add(n, ALLOCSIM_ALIGN - 1) / ALLOCSIM_ALIGN * ALLOCSIM_ALIGN;
}

static void list_remove(struct free_list *f, int i)
{
	memmove(&f->off[i], &f->off[i + 1], (size_t)(f->n - i - 1) * sizeof(f->off[0]));
	memmove(&f->size[i], &f->size[i + 1], (size_t)(f->n - i - 1) * sizeof(f->size[0]));
	f->n--;
}

/* Take bytes (aligned) from the best-fitting block: the smallest block
 * below the tail that holds it, the later one on a tie; the tail when none
 * does.  Returns the offset and raises *peak to the end of the range. */
static uint64_t list_take(struct free_list *f, uint64_t bytes, uint64_t *peak)
{
	int best = -1;
	uint64_t best_size = UINT64_MAX;
	for (int i = 0; i < f->n - 1; i++)
		if (f->size[i] >= bytes && f->size[i] <= best_size) {
			best = i;
			best_size = f->size[i];
		}
	if (best < 0)
		best = f->n - 1;
	uint64_t off = f->off[best];
	f->off[best] += bytes;
	f->size[best] -= bytes;
	if (f->size[best] == 0)
		list_remove(f, best);
	if (off + bytes > *peak)
		*peak = off + bytes;
	return off;
}

/* Return [off, off + bytes) to the list, merged with the block that ends
 * where it starts (and then the next one) or the block that starts where it
 * ends (and then the previous one), else inserted in offset order. */
static void list_give(struct free_list *f, uint64_t off, uint64_t bytes)
{
	for (int i = 0; i < f->n; i++) {
		if (f->off[i] + f->size[i] == off) {
			f->size[i] += bytes;
			if (i + 1 < f->n && f->off[i] + f->size[i] == f->off[i + 1]) {
				f->size[i] += f->size[i + 1];
				list_remove(f, i + 1);
			}
			return;
		}
		if (off + bytes == f->off[i]) {
			f->off[i] = off;
			f->size[i] += bytes;
			if (i > 0 && f->off[i - 1] + f->size[i - 1] == f->off[i]) {
				f->size[i - 1] += f->size[i];
				list_remove(f, i);
			}
			return;
		}
	}
	if (f->n == ALLOCSIM_MAX_BLOCKS) {
		f->overflow = true;
		return;
	}
	int at = 0;
	while (at < f->n && f->off[at] < off)
		at++;
	memmove(&f->off[at + 1], &f->off[at], (size_t)(f->n - at) * sizeof(f->off[0]));
	memmove(&f->size[at + 1], &f->size[at], (size_t)(f->n - at) * sizeof(f->size[0]));
	f->off[at] = off;
	f->size[at] = bytes;
	f->n++;
}

int allocsim_add(struct allocsim_graph *g, uint64_t bytes, int reuse, int s0, int s1, int s2)
{
	if (g->n >= ALLOCSIM_MAX_NODES) {
		g->n = ALLOCSIM_MAX_NODES + 1; /* marks the graph overfull */
		return -1;
	}
	struct allocsim_node *nd = &g->node[g->n];
	memset(nd, 0, sizeof(*nd));
	nd->bytes = bytes;
	nd->src[0] = (int16_t)s0;
	nd->src[1] = (int16_t)s1;
	nd->src[2] = (int16_t)s2;
	nd->reuse = (int8_t)reuse;
	return g->n++;
}

uint64_t allocsim_peak_bytes(const struct allocsim_graph *g, uint64_t *offsets)
{
	if (g->n <= 0 || g->n > ALLOCSIM_MAX_NODES)
		return 0;
	uint64_t off[ALLOCSIM_MAX_NODES] = {0};
	int readers[ALLOCSIM_MAX_NODES] = {0};
	bool held[ALLOCSIM_MAX_NODES] = {false}; /* owns its range now */
	struct free_list f = {.n = 1};
	f.off[0] = 0;
	f.size[0] = TAIL_BYTES;
	uint64_t peak = 0;

	for (int i = 0; i < g->n; i++)
		for (int j = 0; j < ALLOCSIM_MAX_SRC; j++) {
			int p = g->node[i].src[j];
			if (p >= 0 && p < i)
				readers[p]++;
		}
	for (int i = 0; i < g->n; i++)
		if (g->node[i].input && g->node[i].bytes) {
			off[i] = list_take(&f, align_up(g->node[i].bytes), &peak);
			held[i] = true;
		}
	for (int i = 0; i < g->n; i++) {
		const struct allocsim_node *nd = &g->node[i];
		if (!nd->input && nd->bytes) {
			int p = nd->reuse >= 0 ? nd->src[nd->reuse] : -1;
			if (p >= 0 && p < i && held[p] && readers[p] == 1 && !g->node[p].output &&
			    align_up(g->node[p].bytes) >= align_up(nd->bytes)) {
				/* in place: the parent's range becomes this node's, and
				 * what the node does not need goes back */
				off[i] = off[p];
				held[p] = false;
				uint64_t spare = align_up(g->node[p].bytes) - align_up(nd->bytes);
				if (spare)
					list_give(&f, off[i] + align_up(nd->bytes), spare);
			} else {
				off[i] = list_take(&f, align_up(nd->bytes), &peak);
			}
			held[i] = true;
		}
		for (int j = 0; j < ALLOCSIM_MAX_SRC; j++) {
			int q = nd->src[j];
			if (q < 0 || q >= i)
				continue;
			if (--readers[q] == 0 && held[q] && !g->node[q].output) {
				list_give(&f, off[q], align_up(g->node[q].bytes));
				held[q] = false;
			}
		}
	}
	if (offsets)
		memcpy(offsets, off, (size_t)g->n * sizeof(off[0]));
	return f.overflow ? 0 : peak;
}

/* ------------------------------------------------------------------------
 * The graph of the last layer, as llama.cpp builds it.
 */

/* The shape of an architecture's blocks that the node lists follow. */
struct block_shape {
	bool fused_qkv;     /* one attn_qkv matmul (bailingmoe2) */
	bool qk_norm;       /* per-head RMS norms on Q and K before rope */
	bool gated_q;       /* the Q projection carries a sigmoid output gate
	                     * (qwen35's full-attention layers) */
	bool rows_in_layer; /* the output rows are selected inside the last
	                     * layer, before its FFN (else after the output
	                     * norm) */
	bool hidden_kept;   /* the last hidden state is a graph output (qwen35's
	                     * h_nextn for the MTP head) */
	bool rs_input;      /* a recurrent-state copy index among the inputs */
	uint32_t n_pos;     /* positions per token (4 with M-RoPE) */
	uint32_t warmup;    /* earlier layers of the same kind to run first */
	uint32_t n_ds;      /* deepstack layers: each adds a slice of the
	                     * widened input embedding to its output (qwen3vl) */
};

/* The graph inputs every layer reads (node indexes). */
struct graph_inputs {
	int pos, k_idxs, v_idxs, mask, out_ids;
	int k_rot, v_rot; /* Hadamard rotations of a quantized cache (-1: none) */
};

/* Is the last layer's graph one this file describes?  Fills *sh. */
static bool block_shape_of(const struct model_arch *a, struct block_shape *sh)
{
	memset(sh, 0, sizeof(*sh));
	if (a->n_layer < 2)
		return false;
	uint32_t last = a->n_layer - 1;
	if (a->layer_kind[last] != LK_ATTN_FULL || !arch_layer_has_kv(a, last))
		return false;
	if (a->family == AF_QWEN35 && !a->n_expert) {
		/* qwen35 (dense): gated full attention every fourth layer after
		 * DeltaNet layers; the output rows are taken after the output
		 * norm, whose result (h_nextn) is kept for the MTP head. */
		sh->gated_q = true;
		sh->qk_norm = true;
		sh->hidden_kept = true;
		sh->rs_input = true;
		sh->n_pos = 4;
	} else if (a->family == AF_BAILINGMOE2 && a->layer_moe[last] && a->n_ff_shexp) {
		/* bailingmoe2: fused QKV, per-head q/k norms, routed experts then
		 * a shared one. */
		sh->fused_qkv = true;
		sh->qk_norm = true;
		sh->rows_in_layer = true;
		sh->n_pos = 1;
	} else if (a->family == AF_QWEN3 && !a->n_expert &&
	           (!strcmp(a->gguf_arch, "qwen3") || !strcmp(a->gguf_arch, "qwen3vl"))) {
		/* qwen3 / qwen3vl (dense): Q, K and V matmuls, per-head q/k norms,
		 * rope (M-RoPE with 4 positions per token on qwen3vl) */
		sh->qk_norm = true;
		sh->rows_in_layer = true;
		sh->n_pos = a->n_deepstack ? 4 : 1;
		sh->n_ds = a->n_deepstack;
	} else if ((!strcmp(a->gguf_arch, "mistral3") || !strcmp(a->gguf_arch, "llama")) &&
	           !a->n_expert) {
		/* mistral3 (llama's block): Q, K and V matmuls, rope, a dense
		 * SwiGLU FFN, the output rows taken in the last layer */
		sh->rows_in_layer = true;
		sh->n_pos = 1;
	} else {
		return false;
	}
	/* Earlier layers of the same kind leave their holes below the
	 * residual stream; a layer of another kind (a recurrent one) was
	 * traced to leave the stream right above the inputs, where the input
	 * embedding put it. */
	uint32_t cap = sh->n_ds ? last : 3; /* a deepstack: run from layer 0 */
	for (uint32_t il = last; il-- > 0 && sh->warmup < cap;) {
		if (a->layer_kind[il] != a->layer_kind[last] ||
		    a->layer_moe[il] != a->layer_moe[last])
			break;
		sh->warmup++;
	}
	return !sh->n_ds || sh->warmup == last;
}

/* Router and routed experts of a MoE block on the normed input x, then the
 * shared expert, as build_moe_ffn + build_ffn run them (sigmoid gating
 * with a selection bias, normalized and scaled weights: bailingmoe2).
 * Returns the block's output. */
static int add_moe_ffn(struct allocsim_graph *g, const struct model_arch *a, uint64_t rows, int x)
{
	uint64_t f4 = 4 * rows, n_used = a->n_expert_used;
	int logits = allocsim_add(g, f4 * a->n_expert, -1, x, -1, -1);
	int probs = allocsim_add(g, f4 * a->n_expert, 0, logits, -1, -1);
	int sel = probs;
	if (a->expert_bias)
		sel = allocsim_add(g, f4 * a->n_expert, 0, probs, -1, -1);
	int order = allocsim_add(g, f4 * a->n_expert, -1, sel, -1, -1); /* argsort, i32 */
	int w = allocsim_add(g, f4 * n_used, -1, probs, order, -1);
	int sum = allocsim_add(g, f4, -1, w, -1, -1);
	int clamp = allocsim_add(g, f4, 0, sum, -1, -1);
	int wn = allocsim_add(g, f4 * n_used, -1, w, clamp, -1);
	int ws = allocsim_add(g, f4 * n_used, -1, wn, -1, -1); /* reshaped: a new tensor */
	int gate = allocsim_add(g, f4 * n_used * a->n_ff_exp, -1, x, order, -1);
	int up = allocsim_add(g, f4 * n_used * a->n_ff_exp, -1, x, order, -1);
	int act = allocsim_add(g, f4 * n_used * a->n_ff_exp, -1, gate, up, -1);
	int down = allocsim_add(g, f4 * n_used * a->n_embd, -1, act, order, -1);
	int weighted = allocsim_add(g, f4 * n_used * a->n_embd, 0, down, ws, -1);
	/* the routed sum: a new tensor from the first two experts' views, the
	 * rest added in place */
	int moe = allocsim_add(g, f4 * a->n_embd, -1, weighted, -1, -1);
	for (uint64_t e = 2; e < n_used; e++)
		moe = allocsim_add(g, f4 * a->n_embd, 0, moe, weighted, -1);
	int sg = allocsim_add(g, f4 * a->n_ff_shexp, -1, x, -1, -1);
	int su = allocsim_add(g, f4 * a->n_ff_shexp, -1, x, -1, -1);
	int sa = allocsim_add(g, f4 * a->n_ff_shexp, -1, sg, su, -1);
	int sd = allocsim_add(g, f4 * a->n_embd, -1, sa, -1, -1);
	return allocsim_add(g, f4 * a->n_embd, 0, moe, sd, -1);
}

/* A dense SwiGLU FFN of width ff on x; returns its output. */
static int add_dense_ffn(struct allocsim_graph *g, const struct model_arch *a, uint64_t rows,
                         uint64_t ff, int x)
{
	uint64_t f4 = 4 * rows;
	int gate = allocsim_add(g, f4 * ff, -1, x, -1, -1);
	int up = allocsim_add(g, f4 * ff, -1, x, -1, -1);
	int act = allocsim_add(g, f4 * ff, -1, gate, up, -1);
	return allocsim_add(g, f4 * a->n_embd, -1, act, -1, -1);
}

/* One attention block and its FFN on the residual stream res; the last
 * layer (last) selects the output rows where the shape says.  Returns the
 * block's output (the next residual stream). */
static int add_block(struct allocsim_graph *g, const struct model_arch *a,
                     const struct allocsim_request *r, const struct block_shape *sh,
                     const struct graph_inputs *in, uint32_t il, bool last, int res, int ds)
{
	uint64_t t4 = 4 * r->n_tok, E = a->n_embd;
	uint64_t q = (uint64_t)a->n_head * a->head_dim_k;
	uint64_t kw = (uint64_t)a->n_head_kv * a->head_dim_k;
	uint64_t vw = (uint64_t)a->n_head_kv * a->head_dim_v;
	int norm = allocsim_add(g, t4 * E, 0, res, -1, -1);
	int x = allocsim_add(g, t4 * E, 0, norm, -1, -1); /* times the norm weight */
	int qkv = -1, qp, kp, vp;
	if (sh->fused_qkv) {
		qkv = allocsim_add(g, t4 * (q + kw + vw), -1, x, -1, -1);
		qp = kp = vp = qkv;
	} else {
		qp = allocsim_add(g, t4 * q * (sh->gated_q ? 2 : 1), -1, x, -1, -1);
		vp = -1;
		kp = -1;
	}
	/* rope runs in place on a norm's output, never on a view of a matmul */
	int qr;
	if (sh->qk_norm) {
		int qn = allocsim_add(g, t4 * q, -1, qp, -1, -1);
		qn = allocsim_add(g, t4 * q, 0, qn, -1, -1);
		qr = allocsim_add(g, t4 * q, 0, qn, in->pos, -1);
	} else {
		qr = allocsim_add(g, t4 * q, -1, qp, in->pos, -1);
	}
	/* A quantized cache stores K and V rotated (a Hadamard matmul each,
	 * and one on Q); build_attn expands Q, then V, then K (last, for the
	 * rope fusion). */
	if (in->k_rot >= 0)
		qr = allocsim_add(g, t4 * q, -1, qr, in->k_rot, -1);
	if (!sh->fused_qkv)
		vp = allocsim_add(g, t4 * vw, -1, x, -1, -1);
	if (in->v_rot >= 0)
		vp = allocsim_add(g, t4 * vw, -1, vp, in->v_rot, -1);
	if (!sh->fused_qkv)
		kp = allocsim_add(g, t4 * kw, -1, x, -1, -1);
	int kr;
	if (sh->qk_norm) {
		int kn = allocsim_add(g, t4 * kw, -1, kp, -1, -1);
		kn = allocsim_add(g, t4 * kw, 0, kn, -1, -1);
		kr = allocsim_add(g, t4 * kw, 0, kn, in->pos, -1);
	} else {
		kr = allocsim_add(g, t4 * kw, -1, kp, in->pos, -1);
	}
	if (in->k_rot >= 0)
		kr = allocsim_add(g, t4 * kw, -1, kr, in->k_rot, -1);
	allocsim_add(g, 0, -1, kr, in->k_idxs, -1); /* K rows into the cache */
	allocsim_add(g, 0, -1, vp, in->v_idxs, -1); /* V rows into the cache */
	int att = allocsim_add(g, t4 * q, -1, qr, in->mask, -1);
	if (in->v_rot >= 0) /* rotated back */
		att = allocsim_add(g, t4 * q, -1, att, in->v_rot, -1);
	if (sh->gated_q) {
		int gate = allocsim_add(g, t4 * q, -1, qp, -1, -1); /* contiguous gate */
		gate = allocsim_add(g, t4 * q, 0, gate, -1, -1);    /* sigmoid */
		att = allocsim_add(g, t4 * q, 1, att, gate, -1);
	}
	int cur = allocsim_add(g, t4 * E, -1, att, -1, -1); /* attn_output */
	uint64_t rows = r->n_tok;
	if (last && sh->rows_in_layer) {
		rows = r->n_out;
		cur = allocsim_add(g, 4 * rows * E, -1, cur, in->out_ids, -1);
		res = allocsim_add(g, 4 * rows * E, -1, res, in->out_ids, -1);
	}
	int sa = allocsim_add(g, 4 * rows * E, 0, cur, res, -1);
	int fn = allocsim_add(g, 4 * rows * E, 0, sa, -1, -1);
	fn = allocsim_add(g, 4 * rows * E, 0, fn, -1, -1);
	int ffn = a->layer_moe[il] ? add_moe_ffn(g, a, rows, fn)
	                           : add_dense_ffn(g, a, rows, arch_layer_ff(a, il), fn);
	int out = allocsim_add(g, 4 * rows * E, 0, ffn, sa, -1);
	if (il < sh->n_ds) /* plus this layer's slice of the deepstack input */
		out = allocsim_add(g, 4 * rows * E, 0, out, ds, -1);
	return out;
}

uint64_t allocsim_output_peak_bytes(const struct model_arch *a, const struct allocsim_request *r)
{
	struct block_shape sh;
	if (!r->flash || !block_shape_of(a, &sh))
		return 0;
	struct allocsim_graph g;
	g.n = 0;
	uint64_t T = r->n_tok, E = a->n_embd;
	struct graph_inputs in;
	/* The inputs, in the order llama.cpp creates them: token ids, the
	 * embedding input (allocated though unread), the recurrent state copy
	 * index, positions, K and V cell indexes, the masks, the output ids. */
	int tokens = allocsim_add(&g, 4 * T, -1, -1, -1, -1);
	int embd_in = allocsim_add(&g, 4 * T * E * (1 + sh.n_ds), -1, -1, -1, -1);
	int rs = sh.rs_input ? allocsim_add(&g, 4, -1, -1, -1, -1) : -1;
	in.k_rot =
	    r->k_rot ? allocsim_add(&g, 4 * (uint64_t)r->k_rot * r->k_rot, -1, -1, -1, -1) : -1;
	in.pos = allocsim_add(&g, 4 * T * sh.n_pos, -1, -1, -1, -1);
	in.v_rot =
	    r->v_rot ? allocsim_add(&g, 4 * (uint64_t)r->v_rot * r->v_rot, -1, -1, -1, -1) : -1;
	in.k_idxs = allocsim_add(&g, 8 * T, -1, -1, -1, -1);
	in.v_idxs = allocsim_add(&g, 8 * T, -1, -1, -1, -1);
	in.mask = allocsim_add(&g, r->mask_bytes, -1, -1, -1, -1);
	in.out_ids = allocsim_add(&g, 4 * r->n_out, -1, -1, -1, -1);
	if (in.out_ids < 0)
		return 0;
	for (int i = tokens; i <= in.out_ids; i++)
		g.node[i].input = true;
	(void)embd_in;
	int res = allocsim_add(&g, 4 * T * E, -1, tokens, -1, -1); /* input embedding */
	if (sh.n_ds) /* padded to the deepstack width: the layers read its views */
		res = allocsim_add(&g, 4 * T * E * (1 + sh.n_ds), -1, res, -1, -1);
	int ds = res;
	if (rs >= 0)
		allocsim_add(&g, 0, -1, rs, -1, -1); /* read by the recurrent layers */
	uint32_t last = a->n_layer - 1;
	for (uint32_t il = last - sh.warmup; il < last; il++)
		res = add_block(&g, a, r, &sh, &in, il, false, res, ds);
	res = add_block(&g, a, r, &sh, &in, last, true, res, ds);
	/* The output head: the norm (in place) and, where the layer did not
	 * already, the output rows; then the logits. */
	uint64_t rows = sh.rows_in_layer ? r->n_out : T;
	int hn = allocsim_add(&g, 4 * rows * E, 0, res, -1, -1);
	hn = allocsim_add(&g, 4 * rows * E, 0, hn, -1, -1);
	if (sh.hidden_kept && hn >= 0)
		g.node[hn].output = true;
	if (!sh.rows_in_layer)
		hn = allocsim_add(&g, 4 * r->n_out * E, -1, hn, in.out_ids, -1);
	int logits = allocsim_add(&g, 4 * r->n_out * a->n_vocab, -1, hn, -1, -1);
	if (logits < 0)
		return 0;
	g.node[logits].output = true;
	return allocsim_peak_bytes(&g, NULL);
}
