/*
 * plan.h - deployment planning on top of the estimate: solvers (the most
 * context, the best quant, the fewest devices, the most sequences, the
 * least offload that fits) and a speed model.
 *
 * Engine layer.  Every solver answer is exact with respect to the engine:
 * the answer fits and one step further does not (the next multiple of 256
 * tokens, the next quant up in bytes, one device fewer, one more sequence,
 * one layer's experts fewer in host memory / one GPU layer more).
 */
#ifndef VRAMCALC_PLAN_H
#define VRAMCALC_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "estimate.h"
#include "hardware.h"
#include "speed.h"

/* What a solver looks for. */
enum solve_what {
	SOLVE_CONTEXT, /* the largest context (multiple of 256 tokens) */
	SOLVE_QUANT,   /* the highest-precision file type (most weight bytes) */
	SOLVE_GPUS,    /* the fewest devices */
	SOLVE_BATCH,   /* the most sequences, each with its current context */
	SOLVE_OFFLOAD, /* MoE: fewest layers' experts in host memory (--n-cpu-moe);
	                * dense: most layers on the GPU (-ngl) */
	SOLVE_COUNT
};

const char *solve_name(enum solve_what w);
bool solve_find(const char *name, enum solve_what *out);

enum solve_status {
	SOLVE_FOUND,   /* answer fits, one step further does not */
	SOLVE_AT_MAX,  /* the whole range fits: the answer is the range's end
	                * (the model's native context, F32, 4096 sequences, ...) */
	SOLVE_NOTHING, /* not even the smallest step fits */
};

/* A solver's answer: the settings and device count at the answer, and the
 * estimate there. */
struct solve_result {
	enum solve_status status;
	struct settings settings;
	uint32_t gpu_count;
	struct estimate est;
	struct hw_fit fit;
	uint32_t steps; /* estimates evaluated */
};

/* Does the model fit on count devices of type d with settings s?  Runs one
 * estimate (into *e, which may be NULL; types in the caller's scratch x)
 * and the fit. */
bool plan_fits(const struct model *m, struct estimate_scratch *x, const struct settings *s,
               const struct device *d, uint32_t count, struct estimate *e);

/* Solve for `what`, starting from settings s on count devices of type d.
 * For SOLVE_BATCH each sequence keeps the context it has now (s->ctx_tokens
 * over s->n_seq; the answer's ctx_tokens is that times the sequences).  Returns false only for
 * a solver that does not apply (offload on a CPU-only setting).  Every
 * estimate runs on the caller's scratch x; the last one is out->est, so x
 * then holds the answer's tensor types (for plan_speed). */
bool plan_solve(const struct model *m, struct estimate_scratch *x, const struct settings *s,
                const struct device *d, uint32_t count, enum solve_what what,
                struct solve_result *out);

#endif
