/*
 * test_allocsim.c - the model of ggml-alloc (src/engine/allocsim.c): hand-
 * built node lists whose placements follow from the allocator's rules
 * (best fit below the end, the later block on a tie, the end only when no
 * block fits, frees at the last reader, in-place reuse, outputs kept), and
 * the runs traced with an instrumented ggml-alloc.c whose logits land above
 * a last hidden state placed by those rules.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "allocsim.h"
#include "estimate.h"
#include "profile.h"
#include "source.h"
#include "traced.h"
#include "truth.h"

#define U ALLOCSIM_ALIGN /* one alignment unit, bytes */

/* A free range below the end of the buffer is taken by the smallest block
 * that fits it, not the first: A [0,10) and C [12,17) are freed around a
 * live B; Y (4 units) takes C's 5-unit hole, so Z (9 units) still fits A's
 * hole and the peak stays at X's end (18 units).  A first fit would put Y
 * at 0 and push Z to the end of the buffer (27 units). */
Test(allocsim, best_fit_takes_the_smallest_hole)
{
	struct allocsim_graph g = {.n = 0};
	int a = allocsim_add(&g, 10 * U, -1, -1, -1, -1);
	int b = allocsim_add(&g, 2 * U, -1, -1, -1, -1);
	int c = allocsim_add(&g, 5 * U, -1, -1, -1, -1);
	int x = allocsim_add(&g, 1 * U, -1, a, c, -1); /* last reader of A and C */
	int y = allocsim_add(&g, 4 * U, -1, b, -1, -1);
	int z = allocsim_add(&g, 9 * U, -1, y, x, -1);
	uint64_t off[8];
	cr_assert_eq(allocsim_peak_bytes(&g, off), 18 * U);
	cr_expect_eq(off[b], 10 * U);
	cr_expect_eq(off[x], 17 * U); /* allocated before its parents are freed */
	cr_expect_eq(off[y], 12 * U);
	cr_expect_eq(off[z], 0);
}

/* Two holes of the same size: the later one is taken (the allocator keeps
 * the last block whose size is <= the best so far). */
Test(allocsim, equal_holes_take_the_later_one)
{
	struct allocsim_graph g = {.n = 0};
	int p = allocsim_add(&g, 4 * U, -1, -1, -1, -1);
	int q = allocsim_add(&g, 4 * U, -1, -1, -1, -1);
	int r = allocsim_add(&g, 4 * U, -1, -1, -1, -1);
	int s = allocsim_add(&g, 1 * U, -1, p, r, -1); /* frees P and R */
	int t = allocsim_add(&g, 2 * U, -1, q, s, -1);
	uint64_t off[8];
	allocsim_peak_bytes(&g, off);
	cr_expect_eq(off[s], 12 * U);
	cr_expect_eq(off[t], 8 * U);
}

/* The end of the buffer is used only when no hole fits, even when a hole
 * is much larger than the request, and it grows the peak. */
Test(allocsim, end_of_buffer_only_when_nothing_fits)
{
	struct allocsim_graph g = {.n = 0};
	int a = allocsim_add(&g, 100 * U, -1, -1, -1, -1);
	int b = allocsim_add(&g, 1 * U, -1, -1, -1, -1);
	int c = allocsim_add(&g, 1 * U, -1, a, -1, -1); /* frees A: a 100-unit hole */
	int d = allocsim_add(&g, 3 * U, -1, b, -1, -1); /* fits the hole; frees B */
	int e = allocsim_add(&g, 200 * U, -1, d, c, -1);
	uint64_t off[8];
	cr_assert_eq(allocsim_peak_bytes(&g, off), 302 * U);
	cr_expect_eq(off[d], 0);
	cr_expect_eq(off[e], 102 * U); /* above C: the 98-unit hole is too small */
}

/* An in-place op takes its parent's range at the parent's last read, and
 * returns what it does not need; with another reader left it allocates;
 * a graph output is neither reused nor freed.  Sizes are aligned. */
Test(allocsim, in_place_reuse_and_outputs)
{
	struct allocsim_graph g = {.n = 0};
	int a = allocsim_add(&g, 8 * U, -1, -1, -1, -1);
	int b = allocsim_add(&g, 8 * U, 0, a, -1, -1); /* A read again below: fresh */
	int c = allocsim_add(&g, 4 * U, 0, a, -1, -1); /* last read: in place */
	int d = allocsim_add(&g, 4 * U - 5, -1, b, -1, -1);
	int k = allocsim_add(&g, 2 * U, -1, c, d, -1);
	g.node[k].output = true;
	int m = allocsim_add(&g, 2 * U, 0, k, -1, -1); /* K is an output: fresh */
	uint64_t off[8];
	uint64_t peak = allocsim_peak_bytes(&g, off);
	cr_expect_eq(off[b], 8 * U);
	cr_expect_eq(off[c], 0);
	cr_expect_eq(off[d], 4 * U); /* the 4 units C handed back */
	cr_expect_eq(off[k], 8 * U); /* B freed after D: the end moved down to 8 */
	cr_expect_eq(off[m], 0);     /* C and D freed: 8 units at 0 */
	cr_expect_eq(peak, 16 * U);
}

/* The runs whose logits ggml-alloc puts above a last hidden state that its
 * best fit placed above the freed mask (Qwen3.5-27B from 131072 cells,
 * Ling-flash-2.0 at 131072) or at its bottom (their siblings), a
 * quantized cache whose rotations move it back, and Ministral 3 14B, whose
 * last hidden state sits higher at 4096 cells than at 32768 (a smaller
 * mask leaves a smaller hole), and Qwen3-VL 8B (run from layer 0: the
 * deepstack input's holes shape the later layers): each from the header of
 * its GGUF (tests/data/truth2026), within 0.01 % of llama.cpp's measured
 * compute buffer (all are exact to the byte today). */
Test(allocsim, traced_output_phases_match_llama_cpp)
{
	static const char *const runs[] = {
	    "qwen35-27b_Q4_K_M_ctx131072",
	    "qwen35-27b_Q4_K_M_ctx262144",
	    "qwen35-27b_Q8_0_q8_ctx131072_kvq8",
	    "qwen35-27b_Q4_K_M_ctx32768",
	    "qwen35-9b_Q4_K_M_ctx131072",
	    "bailingmoe2-ling-flash-2.0_Q4_K_M_ctx131072",
	    "bailingmoe2-ling-flash-2.0_Q4_K_M_ub2048",
	    "bailingmoe2-ling-mini-2.0_Q4_K_M_ctx131072",
	    "ministral3-14b_Q4_K_M_base",
	    "ministral3-14b_Q4_K_M_ctx32768",
	    "qwen3vl-8b_Q4_K_M_ctx131072",
	    "qwen3vl-8b_Q4_K_M_ub2048",
	};
	expect_compute_runs(runs, sizeof(runs) / sizeof(runs[0]), 0.01);
}
