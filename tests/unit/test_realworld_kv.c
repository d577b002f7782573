/*
 * test_realworld_kv.c - KV caches of 2026 architectures against cache sizes
 * llama.cpp printed in posted logs that carry no full buffer set (so they
 * are not rows of tests/data/realworld/cases.csv); the lines are kept in
 * tests/data/realworld/excerpts.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "truth.h"

TestSuite(realworld_kv, .init = truth_use_repo_profiles);

/* kv_detail.<key> of vramcalc's JSON for argv (NULL-terminated). */
static double kv_detail(char **argv, const char *key)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	char *out, *err;
	cr_assert_eq(truth_run_cli(&out, &err, argc, argv), 0, "%s", err);
	cJSON *j = cJSON_Parse(out);
	cr_assert(j, "not JSON: %s", out);
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(j, "bytes"), "kv_detail");
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(d, key);
	cr_assert(cJSON_IsNumber(x), "no kv_detail.%s", key);
	double v = x->valuedouble;
	cJSON_Delete(j);
	free(out);
	free(err);
	return v;
}

/* Gemma 4 31B (unsloth UD-Q5_K_XL, llama-server on an R9700, q8_0 cache):
 * the 10 global layers' cache at 262,144, 147,712 and 97,024 cells was
 * 10880.00, 6130.62 and 4026.88 MiB (K and V halves 5440.00, 3065.31 and
 * 2013.44 MiB): 2,048 q8_0 values a cell and layer for K and as many for V. */
Test(realworld_kv, gemma4_31b_global_cache_matches_a_rocm_log)
{
	static const struct {
		const char *ctx;
		double k_mib;
	} runs[] = {{"262144", 5440.00}, {"147712", 3065.31}, {"97024", 2013.44}};
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		char *argv[] = {"vramcalc",
		                "-m",
		                "gemma-4-31b",
		                "-q",
		                "Q5_K_M",
		                "-c",
		                (char *)runs[i].ctx,
		                "-k",
		                "q8_0,q8_0",
		                "--backend",
		                "rocm",
		                "--json",
		                NULL};
		double k = kv_detail(argv, "k") / 1048576.0;
		double v = kv_detail(argv, "v") / 1048576.0;
		cr_expect(k - runs[i].k_mib < 0.005 && runs[i].k_mib - k < 0.005,
		          "%s cells: K %.3f MiB, log %.2f", runs[i].ctx, k, runs[i].k_mib);
		cr_expect(v - runs[i].k_mib < 0.005 && runs[i].k_mib - v < 0.005,
		          "%s cells: V %.3f MiB, log %.2f", runs[i].ctx, v, runs[i].k_mib);
	}
}
