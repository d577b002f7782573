/*
 * ranking.h - every catalog model ranked for one device set: filters and
 * sorting over rank.h's per-model answers.
 *
 * State layer, shared by `vramcalc --rank` and the TUI's ranking view.
 * ranking_init() prepares each model's quantization ladder once (it
 * depends on the model only); ranking_run() answers for a device set and
 * context and may be called again whenever they change; ranking_select()
 * filters and sorts without running the engine.
 */
#ifndef VRAMCALC_RANKING_H
#define VRAMCALC_RANKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evaluate.h"
#include "profile.h"
#include "rank.h"

/* How the list is ordered.  Within every order models that fit come
 * first, then tight ones, then those that do not fit. */
enum rank_sort {
	RANK_SORT_QUALITY, /* rank_quality(), highest first (the default) */
	RANK_SORT_SIZE,    /* total parameters, largest first */
	RANK_SORT_SPEED,   /* decode tokens/s, fastest first */
	RANK_SORT_CONTEXT, /* largest context that fits, longest first */
	RANK_SORT_COUNT
};

/* "quality", "size", "speed", "context". */
const char *rank_sort_name(enum rank_sort s);
bool rank_sort_find(const char *name, enum rank_sort *out);

/* Which kind of model to keep. */
enum rank_kind { RANK_KIND_ANY, RANK_KIND_DENSE, RANK_KIND_MOE };

/* Filters; a zeroed struct keeps everything. */
struct rank_filter {
	char family[48];         /* case-insensitive substring of the family or id; "" any */
	uint64_t min_params;     /* total parameters, 0: no lower bound */
	uint64_t max_params;     /* 0: no upper bound */
	enum rank_kind kind;     /* dense or mixture of experts */
	uint64_t min_ctx_tokens; /* the largest context that fits is at least this */
	bool fitting_only;       /* drop models that do not fit */
};

/* Parse a size range for --size: "7b..70b", "..14b", "30b..", "8b"
 * (exactly that size, within 10 %), with b (10^9), m (10^6) or t (10^12)
 * suffixes and decimals ("1.5b").  False with a reason on bad text. */
bool rank_parse_size_range(const char *text, uint64_t *min_params, uint64_t *max_params, char *err,
                           size_t errlen);

/* A ranking over a catalog: borrowed catalog and prepared models, owned
 * ladders and rows (index i = catalog entry i). */
struct ranking {
	const struct catalog *cat;
	const struct model *models; /* cat->n prepared models */
	struct rank_ladder *ladders;
	struct rank_row *rows;
	size_t n;
	enum ftype_engine engine;
	bool ran;                        /* rows hold ranking_run()'s answers */
	struct evaluation *ev;           /* scratch for judging each answer (owned) */
	struct estimate_scratch scratch; /* every estimate's tensor types (owned, room for
	                                  * the largest model) */
	uint32_t disagreements;          /* answers whose evaluate() verdict differed from the
	                                  * search's (the row shows evaluate's); 0 expected */
};

/* Prepare the ladders of every model for engine e.  models[i] must be
 * catalog entry i prepared (model_prepare).  False on allocation failure. */
bool ranking_init(struct ranking *r, const struct catalog *cat, const struct model *models,
                  enum ftype_engine e);
void ranking_free(struct ranking *r);

/* Rank every model for request q: its settings (ctx_tokens the context;
 * the quantization's engine must be r->engine), device set (at least one
 * device), host memory, margin and speed assumptions; q->model is not
 * read.  The margin reaches the engine as margin_bytes() of each budget,
 * and every answer is then judged by evaluate() itself: the row's verdict
 * and its reason are evaluate()'s, the words of --print.
 * Allocation-free. */
void ranking_run(struct ranking *r, const struct request *q);

/* The device set as the ranking's title reads it: "2x RTX 3090 (24.00
 * GiB) + 1x RTX 4090 (23.99 GiB)" (GiB = 2^30 bytes, usable memory of
 * each). */
const char *ranking_set_label(const struct device_set *set, char *buf, size_t n);

/* Catalog indices that pass the filter, sorted; writes up to max and
 * returns the count. */
size_t ranking_select(const struct ranking *r, const struct rank_filter *f, enum rank_sort sort,
                      size_t *out, size_t max);

#endif
