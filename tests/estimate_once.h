/*
 * estimate_once.h - for tests and tools that run a single estimate where
 * the tensor types are not read afterwards: the estimate (or the check) on
 * a scratch of its own, allocated and freed around the call.  Code that
 * estimates repeatedly (the front ends, the solvers' callers, the bench)
 * keeps one struct estimate_scratch instead (estimate.h).
 */
#ifndef VRAMCALC_ESTIMATE_ONCE_H
#define VRAMCALC_ESTIMATE_ONCE_H

#include <stdio.h>
#include <stdlib.h>

#include "estimate.h"

/* A scratch for m's tensors; exits on allocation failure (tests only). */
static inline void estimate_scratch_for(struct estimate_scratch *x, const struct model *m)
{
	if (!estimate_scratch_init(x, m->tensors.n)) {
		fprintf(stderr, "estimate_once: out of memory\n");
		exit(2);
	}
}

/* estimate_run() on a scratch of its own. */
static inline void estimate_once(const struct model *m, const struct settings *s,
                                 struct estimate *out)
{
	struct estimate_scratch x;
	estimate_scratch_for(&x, m);
	estimate_run(m, &x, s, out);
	estimate_scratch_free(&x);
}

/* estimate_check() on a scratch of its own. */
static inline bool estimate_check_once(const struct model *m, const struct settings *s, char *err,
                                       size_t errlen)
{
	struct estimate_scratch x;
	estimate_scratch_for(&x, m);
	bool ok = estimate_check(m, &x, s, err, errlen);
	estimate_scratch_free(&x);
	return ok;
}

#endif
