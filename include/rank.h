/*
 * rank.h - what runs on a device set: for one model, the best quantization
 * that fits at a context (keeping a margin free on every device), the
 * largest context at that quantization, the speed there and a verdict.
 *
 * Engine layer: pure arithmetic over estimate_run() and hw_split(); no
 * I/O, no allocation.  The catalog-wide list, filters and
 * sorting are in ranking.h (state layer).
 *
 * Every answer is exact with respect to the engine, as plan.h's solvers:
 * the chosen quantization fits with the margin and the next one up the
 * ladder (in GPU weight bytes) does not; the largest context is a multiple of
 * 256 tokens that fits while 256 more does not (or the model's native
 * maximum).  A test checks each row against plain estimates.
 */
#ifndef VRAMCALC_RANK_H
#define VRAMCALC_RANK_H

#include <stdbool.h>
#include <stdint.h>

#include "estimate.h"
#include "hardware.h"
#include "speed.h"

#define RANK_MAX_LADDER 16

/* The quantizations the ranking climbs for one model: the common
 * downloads of its engine (llama.cpp: BF16, Q8_0, Q6_K, Q5_K_M, Q4_K_M,
 * IQ4_XS, Q3_K_M, IQ3_XXS, Q2_K, IQ2_M, IQ2_XXS, IQ1_M, and MXFP4_MOE for a
 * mixture of experts; vLLM: BF16, FP8, AWQ), ordered by the weight bytes
 * they put in GPU memory for this model (everything but the token
 * embeddings, which llama.cpp keeps in host memory), fewest first.  Built once per model
 * (rank_prepare) and reused by every ranking. */
struct rank_ladder {
	enum ftype ftype[RANK_MAX_LADDER];
	uint64_t weights_bytes[RANK_MAX_LADDER];     /* all weights */
	uint64_t gpu_weights_bytes[RANK_MAX_LADDER]; /* the ordering key */
	uint32_t n;
};

/* Fill ladder for model m and engine e.  Runs one estimate per rung, on
 * the caller's scratch x. */
void rank_prepare(const struct model *m, struct estimate_scratch *x, enum ftype_engine e,
                  struct rank_ladder *ladder);

/* What a ranking asks: the device set, the settings to rank at (ctx_tokens
 * is the context; ftype only selects the engine's ladder), the margin as
 * bytes each budget keeps free (the state layer turns --margin into them
 * with margin_bytes(), as evaluate() does), host memory and the speed
 * model's assumptions. */
struct rank_query {
	struct settings base;
	const struct device *const *devs;    /* in split order */
	uint32_t n_devs;                     /* 1..HW_MAX_DEVICES */
	uint64_t keep_bytes[HW_MAX_DEVICES]; /* headroom device k keeps to "fit" (else
	                                      * "tight") */
	uint64_t keep_pool_bytes;            /* unified memory: what the shared pool keeps */
	uint64_t host_ram_bytes;             /* host memory the host part (offloaded weights,
	                                      * buffers) must fit in; 0: not judged; unified
	                                      * memory is judged as one pool instead */
	uint64_t keep_host_bytes;            /* what host memory keeps */
	struct speed_params speed;
};

/* The verdict words, the same as the rest of vramcalc. */
enum rank_verdict {
	RANK_FITS,    /* fits with the margin at the requested context */
	RANK_TIGHT,   /* fits only by eating into the margin */
	RANK_NO_HOST, /* the devices would hold it, host memory does not (smallest rung) */
	RANK_NO,      /* does not fit at the requested context, even at the smallest rung */
	RANK_INVALID, /* the settings make no sense for this model (why says so) */
};

/* "fits", "tight", "does not fit (host memory)", "does not fit", "invalid". */
const char *rank_verdict_name(enum rank_verdict v);

/* True for the verdicts that run: fits and tight. */
bool rank_runs(enum rank_verdict v);

/* One model's answer. */
struct rank_row {
	enum rank_verdict verdict;
	char why[200];              /* RANK_INVALID: estimate_check's reason; else why it is
	                             * not "fits" (ranking.h fills it from evaluate()) */
	enum ftype ftype;           /* the chosen rung (RANK_NO: the smallest) */
	double bpw;                 /* bits per weight of the weights at ftype */
	uint64_t ctx_tokens;        /* the requested context */
	uint64_t max_ctx_tokens;    /* largest context at ftype that fits (with the margin
	                             * but for TIGHT); 0: none */
	uint64_t native_ctx_tokens; /* the model's trained context */
	uint64_t gpu_bytes;         /* need over all devices at ftype and the context */
	uint64_t host_bytes;        /* host memory the estimate needs */
	int64_t headroom_bytes;     /* the tightest device's free bytes (negative: short) */
	bool speed_known;           /* every device states its bandwidth (ranking.h fills
	                             * the speed from the answer's evaluation) */
	double decode_tps;          /* tokens/s of one sequence (0: unknown or not run) */
	double prefill_tps;         /* prompt tokens/s (0: no tensor rate known) */
	double quality;             /* rank_quality() at ftype */
	uint32_t steps;             /* estimates run */
};

/* Rank model m (prepared ladder) on the query's device set; every
 * estimate runs on the caller's scratch x. */
void rank_model(const struct model *m, struct estimate_scratch *x, const struct rank_ladder *ladder,
                const struct rank_query *q, struct rank_row *out);

/* Does estimate e fit on the query's devices and host memory, each budget
 * keeping its margin (with_margin) or merely not overflowing?  The same
 * judgement as evaluate(): hw_split()'s placement against each device's
 * budget, on unified memory GPU and host parts against the whole pool,
 * otherwise the host part against host memory.  Fills the need over all
 * devices, the tightest device's headroom and whether host memory holds
 * (each may be NULL). */
bool rank_fits(const struct estimate *e, const struct rank_query *q, bool with_margin,
               uint64_t *need_bytes, int64_t *headroom_bytes, bool *host_ok);

/*
 * A rough quality proxy for sorting, in billions of parameters: the
 * dense-equivalent size (a mixture of experts counts as the geometric mean
 * of its total and active parameters) times 1 - the relative perplexity
 * increase llama.cpp measured for Llama-3-8B at that many bits per weight
 * (rank_ppl_increase), at least 0.1.  It orders "a bigger model quantized"
 * against "a smaller model at high precision"; it is not a benchmark score,
 * and below 3 bits (IQ2, IQ1 with an importance matrix) it extrapolates
 * K-quant figures, so it is pessimistic there.
 */
double rank_quality(uint64_t params_total, uint64_t params_active, bool moe, double bpw);

/* Relative perplexity increase over 16-bit weights at bpw bits per weight
 * (0.028 at Q4_K_M's 4.9), interpolated log-linearly between llama.cpp's
 * Llama-3-8B figures and extrapolated below 3.17 bits. */
double rank_ppl_increase(double bpw);

#endif
