/*
 * test_hostile.c - the hostile-input audit's cases (issue 16), one
 * regression test each: products that wrapped, hardware numbers without a
 * range, settings accepted at absurd values, and the leak after a bad
 * hardware section.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "estimate.h"
#include "hardware.h"
#include "hfjson.h"
#include "profile.h"
#include "satmath.h"
#include "truth.h"

#define HOSTILE "tests/data/hostile/"

static void use_repo_profiles(void)
{
	setenv("VRAMCALC_PROFILE_PATH", "profiles", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent-vramcalc-test", 1);
}

TestSuite(hostile, .init = use_repo_profiles);

/* Run the command line; returns the exit status, stdout and stderr in
 * *out and *err (caller frees). */
static int run(char **out, char **err, int argc, ...)
{
	char *argv[32] = {"vramcalc"};
	va_list ap;
	va_start(ap, argc);
	for (int i = 1; i <= argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	return truth_run_cli(out, err, argc + 1, argv);
}

Test(hostile, sat_helpers_saturate_instead_of_wrapping)
{
	cr_expect_eq(sat_mul(1ull << 32, 1ull << 32), UINT64_MAX);
	cr_expect_eq(sat_mul(1ull << 31, 1ull << 32), 1ull << 63);
	cr_expect_eq(sat_add(UINT64_MAX, 1), UINT64_MAX);
	cr_expect_eq(sat_mul3(256, 4096ull * 4096 * 4, 1ull << 32), UINT64_MAX);
	uint64_t r = 7;
	cr_expect_not(mul_checked(1ull << 40, 1ull << 40, &r));
	cr_expect_eq(r, 7, "untouched on overflow");
	cr_expect(mul_checked(3, 5, &r));
	cr_expect_eq(r, 15);
	cr_expect_eq(bytes_to_i64(UINT64_MAX), INT64_MAX);
}

/* The audit: 256 layers, 4096 KV heads of dim 4096, vocabulary 2^24 at
 * -c 4294967296 -k f32 printed "KV cache 0 ... exact". */
Test(hostile, kv_cache_product_does_not_wrap_to_zero)
{
	struct hfjson_model hm;
	char err[512];
	cr_assert(hfjson_load(HOSTILE "config-huge-kv.json", &hm, NULL, err, sizeof(err)), "%s",
	          err);
	struct model m = {.arch = hm.arch};
	cr_assert(model_prepare(&m));
	struct settings s;
	estimate_settings_default(&s);
	s.ctx_tokens = 1ull << 32;
	s.kv_k = s.kv_v = KV_F32;
	cr_expect_not(estimate_check(&m, &s, err, sizeof(err)));
	cr_expect(strstr(err, "KV cache") && strstr(err, "4294967296") &&
	              strstr(err, "exceeds 72057594037927936 bytes"),
	          "%s", err);
	/* Run anyway: every part saturates, none wraps below the true value
	 * (2^76 bytes of KV cache). */
	struct estimate e;
	estimate_run(&m, &s, &e);
	cr_expect_eq(e.kv_bytes, UINT64_MAX);
	cr_expect_eq(e.k_bytes, UINT64_MAX);
	cr_expect_eq(e.total_bytes, UINT64_MAX);
	cr_expect_geq(e.gpu_bytes, e.kv_gpu_bytes);
	/* ...and the fit says "does not fit", not a wrapped headroom. */
	struct device d = {.memory_bytes = HW_MEMORY_MAX_BYTES, .gpu_share = 1.0};
	struct hw_fit f;
	hw_fit(&e, &d, 8, &f);
	cr_expect_not(f.fits);
	cr_expect_lt(f.headroom_bytes, 0);
	cr_expect_eq(f.needed, 0);
	/* A context that fits in 64 PiB passes and is exact. */
	s.ctx_tokens = 4096;
	cr_expect(estimate_check(&m, &s, err, sizeof(err)), "%s", err);
	estimate_run(&m, &s, &e);
	cr_expect_eq(e.k_bytes, 256ull * 4096 * 4096 * 4 * 4096);
	model_release(&m);

	char *out, *msg;
	cr_expect_eq(run(&out, &msg, 7, "-m", HOSTILE "config-huge-kv.json", "-c", "4294967296",
	                 "-k", "f32", "--json"),
	             2);
	cr_expect(strstr(msg, "exceeds 72057594037927936 bytes"), "%s", msg);
	cr_expect_eq(out[0], '\0', "no JSON with a wrapped number: %s", out);
	free(out);
	free(msg);
}

Test(hostile, absurd_widths_are_refused_by_name)
{
	struct model_arch a;
	struct hfjson_model hm;
	char err[512];
	cr_assert(hfjson_load(HOSTILE "config-huge-kv.json", &hm, NULL, err, sizeof(err)), "%s",
	          err);
	a = hm.arch;
	a.n_ff = 4000000000u;
	cr_expect_not(arch_validate(&a, err, sizeof(err)));
	cr_expect(strstr(err, "intermediate_size: 4000000000"), "%s", err);
}

/* Each hardware.ini number has a range; the file, section, key and value
 * are named.  The good section before the bad one must not leak (the
 * sanitizer run of this test checks that). */
Test(hostile, hardware_numbers_have_ranges)
{
	static const struct {
		const char *file, *key, *value;
	} bad[] = {
	    {"hw-memory-bytes-max.ini", "memory_bytes", "18446744073709551615"},
	    {"hw-memory-huge.ini", "memory", "999999 TB"},
	    {"hw-memory-tiny.ini", "memory_bytes", "1"},
	    {"hw-bandwidth-negative.ini", "bandwidth_gbps", "-5"},
	    {"hw-bandwidth-huge.ini", "bandwidth_gbps", "1e308"},
	    {"hw-bandwidth-inf.ini", "bandwidth_gbps", "inf"},
	    {"hw-bandwidth-zero.ini", "bandwidth_gbps", "0"},
	    {"hw-tflops-huge.ini", "bf16_tflops", "1e308"},
	    {"hw-share-tiny.ini", "gpu_share", "1e-300"},
	    {"hw-error-after-good.ini", "memory", "24 gigs"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[256], err[PROFILE_ERR_LEN];
		struct device_list l = {0};
		snprintf(path, sizeof(path), HOSTILE "%s", bad[i].file);
		cr_expect_not(profile_load_hardware(path, &l, NULL, err, sizeof(err)), "%s",
		              bad[i].file);
		cr_expect(strstr(err, bad[i].file) && strstr(err, "[bad-card]") &&
		              strstr(err, bad[i].key) && strstr(err, bad[i].value),
		          "%s: '%s'", bad[i].file, err);
		cr_expect_eq(l.n, 0, "%s: the list is freed on failure", bad[i].file);
		cr_expect_null(l.v);
	}
}

/* The audit's user hardware.ini with memory_bytes = 2^64 - 1 said "does
 * not fit, 5.56 GiB short"; now the whole run stops at the profile. */
Test(hostile, user_hardware_ini_with_max_memory_is_an_error)
{
	setenv("VRAMCALC_PROFILE_PATH", HOSTILE "user-max-memory:profiles", 1);
	char *out, *msg;
	cr_expect_eq(run(&out, &msg, 5, "-m", "llama-3.1-8b", "-g", "bad-card", "--print"), 2);
	cr_expect(strstr(msg, "hardware.ini") && strstr(msg, "memory_bytes") &&
	              strstr(msg, "18446744073709551615"),
	          "%s", msg);
	cr_expect_null(strstr(out, "short"), "%s", out);
	free(out);
	free(msg);
}

Test(hostile, tiny_shares_and_bandwidths_are_rejected_with_a_range)
{
	static const char *const cases[][2] = {
	    {"--gpu-util", "1e-300"},  {"--gpu-util", "0"},     {"--gpu-util", "1.5"},
	    {"--gpu-share", "1e-300"}, {"--host-bw", "1e-300"}, {"--host-bw", "1e308"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out, *msg;
		cr_expect_eq(run(&out, &msg, 3, cases[i][0], cases[i][1], "--print"), 2, "%s %s",
		             cases[i][0], cases[i][1]);
		cr_expect(strstr(msg, cases[i][0]) && strstr(msg, cases[i][1]) &&
		              (strstr(msg, "from 0.01 to 1") || strstr(msg, "from 0.1 to 100000")),
		          "%s", msg);
		free(out);
		free(msg);
	}
	char *out, *msg;
	cr_expect_eq(run(&out, &msg, 5, "--engine", "vllm", "--gpu-util", "0.01", "--print"), 0,
	             "%s", msg);
	free(out);
	free(msg);
}

Test(hostile, gpu_count_past_the_limit_says_too_many)
{
	char *out, *msg;
	cr_expect_eq(run(&out, &msg, 3, "-g", "h200-sxmx100000", "--print"), 2);
	cr_expect(strstr(msg, "too many") && strstr(msg, "h200-sxmx100000") &&
	              strstr(msg, "from 1 to 64"),
	          "%s", msg);
	cr_expect_null(strstr(msg, "unknown"), "%s", msg);
	free(out);
	free(msg);
	cr_expect_eq(run(&out, &msg, 3, "-g", "h200-sxmx99999999999999999999999", "--print"), 2);
	cr_expect(strstr(msg, "too many"), "%s", msg);
	free(out);
	free(msg);
	cr_expect_eq(run(&out, &msg, 3, "-g", "h200-sxmx40,rtx-4090x30", "--print"), 2);
	cr_expect(strstr(msg, "too many"), "%s", msg);
	free(out);
	free(msg);
	cr_expect_eq(run(&out, &msg, 3, "-g", "h200-sxmx64", "--print"), 0, "%s", msg);
	free(out);
	free(msg);
}
