/*
 * traced.h - unit tests: truth2026 runs whose compute buffer was traced in
 * llama.cpp's allocator, estimated from their GGUF headers and checked
 * against the measured buffer.
 */
#ifndef VRAMCALC_TESTS_TRACED_H
#define VRAMCALC_TESTS_TRACED_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "estimate.h"
#include "profile.h"
#include "source.h"
#include "truth.h"

/* Check each truth2026 run named in runs (estimated from its GGUF header)
 * against llama.cpp's measured compute buffer within tol_pct. */
static inline void expect_compute_runs(const char *const *runs, size_t n, double tol_pct)
{
	struct truth t;
	struct profile_dirs dirs;
	cr_assert(truth2026_load(TRUTH2026_DIR, &t));
	profile_dirs_init(&dirs);
	for (size_t k = 0; k < n; k++) {
		const struct truth_run *r = NULL;
		for (size_t i = 0; i < t.n_runs && !r; i++)
			if (!strcmp(t.runs[i].run_id, runs[k]))
				r = &t.runs[i];
		cr_assert_not_null(r, "%s: not in runs.csv", runs[k]);
		char path[256], err[PROFILE_ERR_LEN];
		snprintf(path, sizeof(path), "%s/gguf/%s-%s.gguf", TRUTH2026_DIR, r->model,
		         r->quant);
		struct source src;
		cr_assert(source_load(&dirs, path, &src, NULL, err, sizeof(err)), "%s", err);
		uint64_t n_ctx, n_ctx_seq;
		uint32_t streams;
		estimate_context_cells(r->settings.ctx_tokens, r->settings.n_seq,
		                       r->settings.kv_unified, &n_ctx, &n_ctx_seq, &streams);
		uint64_t c = estimate_compute(&src.model.arch, &r->settings, n_ctx_seq);
		double err_pct = 100.0 * fabs((double)c - (double)r->compute_buffer_bytes) /
		                 (double)r->compute_buffer_bytes;
		cr_expect_leq(err_pct, tol_pct, "%s: compute %llu vs llama.cpp %llu (%.2f %%)",
		              runs[k], (unsigned long long)c,
		              (unsigned long long)r->compute_buffer_bytes, err_pct);
		source_release(&src);
	}
	truth_free(&t);
}

#endif
