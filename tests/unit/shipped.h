/*
 * shipped.h - unit tests: load a catalog profile (profiles/models/ID.ini)
 * into a prepared model, failing the test with the loader's message.
 */
#ifndef VRAMCALC_TESTS_SHIPPED_H
#define VRAMCALC_TESTS_SHIPPED_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "estimate.h"
#include "profile.h"

/* The shipped profile ID as a prepared model in *m (release with
 * model_release). */
static inline void shipped(const char *id, struct model *m)
{
	char path[128], err[PROFILE_ERR_LEN];
	struct model_meta meta;
	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "profiles/models/%s.ini", id);
	cr_assert(profile_load_model(path, &meta, &m->arch, NULL, err, sizeof(err)), "%s", err);
	cr_assert(model_prepare(m));
}

#endif
