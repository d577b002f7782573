/*
 * test_evaluate.c - one evaluation, one set of totals, one verdict: the
 * sweep over models, offload modes and device sets that holds total = GPU +
 * host everywhere, and the verdict words in --print and --json.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "evaluate.h"
#include "truth.h"

TestSuite(evaluate, .init = truth_use_repo_profiles);

static uint64_t num(cJSON *o, const char *a, const char *b)
{
	cJSON *x = cJSON_GetObjectItem(cJSON_GetObjectItem(o, a), b);
	cr_assert(cJSON_IsNumber(x), "%s.%s missing", a, b);
	return (uint64_t)x->valuedouble;
}

/* Run --json with args; returns the parsed document (caller deletes). */
static cJSON *run_json(int argc, char **argv)
{
	char *out = NULL, *err = NULL;
	int rc = truth_run_cli(&out, &err, argc, argv);
	cr_assert_eq(rc, 0, "%s %s %s: %s", argv[2], argv[6], argv[8], err);
	cJSON *j = cJSON_Parse(out);
	cr_assert_not_null(j, "not JSON: %s", out);
	free(out);
	free(err);
	return j;
}

Test(evaluate, total_is_gpu_plus_host_across_models_offloads_and_device_sets)
{
	static const char *const moe[] = {
	    "deepseek-v2-lite",   "glm-4.5-air",        "gpt-oss-20b",   "gpt-oss-120b",
	    "granite-4.0-h-tiny", "kimi-k2.6",          "llama-4-scout", "mixtral-8x7b",
	    "qwen3-30b-a3b",      "qwen3-next-80b-a3b", "deepseek-v3",   "qwen3-235b-a22b",
	};
	/* dense, two with a tied embedding (the second copy on the GPU) */
	static const char *const dense[] = {"gemma-3-1b", "command-r-08-2024", "llama-3.1-8b"};
	static const char *const offloads[] = {
	    "gpu", "cpu-moe", "n-cpu-moe=7", "expert-share=0.4", "ngl=9", "cpu"};
	static const char *const sets[] = {"rtx-4090", "rtx-4090x2", "rtx-4090,rtx-3060-12gbx2"};
	static const char *const words[] = {"fits", "tight", "does not fit",
	                                    "does not fit (host memory)"};
	int runs = 0, tied = 0, mixed_extra = 0;
	for (size_t mi = 0; mi < 15; mi++) {
		bool is_moe = mi < 12;
		const char *model = is_moe ? moe[mi] : dense[mi - 12];
		for (size_t oi = 0; oi < 6; oi++) {
			bool expert_mode = oi >= 1 && oi <= 3;
			if (expert_mode && !is_moe)
				continue;
			for (size_t si = 0; si < 3; si++) {
				char *argv[] = {"vramcalc",
				                "-m",
				                (char *)model,
				                "-c",
				                "16k",
				                "--offload",
				                (char *)offloads[oi],
				                "-g",
				                (char *)sets[si],
				                "--json"};
				cJSON *j = run_json(10, argv);
				uint64_t total = num(j, "bytes", "total");
				uint64_t gpu = num(j, "placement", "gpu");
				uint64_t host = num(j, "placement", "host");
				cr_assert_eq(total, gpu + host,
				             "%s %s %s: total %llu != %llu + %llu", model,
				             offloads[oi], sets[si], (unsigned long long)total,
				             (unsigned long long)gpu, (unsigned long long)host);
				cJSON *b = cJSON_GetObjectItem(j, "bytes");
				int64_t parts = 0;
				const char *keys[] = {"weights",     "kv_cache", "compute",
				                      "output",      "overhead", "tied_copy",
				                      "more_devices"};
				for (size_t k = 0; k < 7; k++)
					parts +=
					    (int64_t)cJSON_GetObjectItem(b, keys[k])->valuedouble;
				cr_assert_eq((uint64_t)parts, total, "%s %s %s: the parts", model,
				             offloads[oi], sets[si]);
				/* the GPU figure is the sum of the devices' needs */
				uint64_t sum = 0;
				int n_dev = 0;
				cJSON *hw, *d;
				cJSON_ArrayForEach (hw, cJSON_GetObjectItem(j, "hardware"))
					cJSON_ArrayForEach (d, cJSON_GetObjectItem(hw, "devices")) {
						sum +=
						    (uint64_t)cJSON_GetObjectItem(d, "total_bytes")
						        ->valuedouble;
						n_dev++;
					}
				cr_assert_eq(n_dev, si == 0 ? 1 : si == 1 ? 2 : 3);
				cr_assert_eq(sum, gpu, "%s %s %s: GPU %llu, devices %llu", model,
				             offloads[oi], sets[si], (unsigned long long)gpu,
				             (unsigned long long)sum);
				cJSON *v =
				    cJSON_GetObjectItem(cJSON_GetObjectItem(j, "verdict"), "words");
				cr_assert(cJSON_IsString(v));
				bool known = false;
				for (size_t w = 0; w < 4; w++)
					known |= !strcmp(v->valuestring, words[w]);
				cr_assert(known, "verdict '%s'", v->valuestring);
				cJSON *h = cJSON_GetObjectItem(j, "host");
				cr_assert_eq(num(j, "host", "need_bytes"), host);
				cr_assert(cJSON_IsBool(cJSON_GetObjectItem(h, "fits")));
				tied += num(j, "bytes", "tied_copy") > 0;
				mixed_extra +=
				    si == 2 && oi != 5 &&
				    cJSON_GetObjectItem(b, "more_devices")->valuedouble > 0;
				cJSON_Delete(j);
				runs++;
			}
		}
	}
	cr_assert_geq(runs, 200);
	cr_assert_gt(tied, 0, "the tied-embedding models carry a tied copy");
	cr_assert_gt(mixed_extra, 20, "a mixed set adds its devices' buffers");
}

/* gemma-3-1b ties its output layer to the embedding: total counts the
 * embedding twice (host and GPU), as placement always did. */
Test(evaluate, the_tied_copy_is_in_the_total)
{
	char *argv[] = {"vramcalc", "-m", "gemma-3-1b", "--json"};
	cJSON *j = run_json(4, argv);
	uint64_t total = num(j, "bytes", "total");
	cr_expect_eq(total, 2222188800ull, "placement sum (GPU accounting of issue 11)");
	cr_expect_eq(total, num(j, "placement", "gpu") + num(j, "placement", "host"));
	cr_expect_gt(num(j, "bytes", "tied_copy"), 0);
	cJSON_Delete(j);
}

Test(evaluate, host_memory_too_small_says_so_in_print_and_json)
{
	char *argv[] = {"vramcalc", "-m", "qwen3-30b-a3b", "-c",         "8192", "--offload",
	                "cpu-moe",  "-g", "rtx-4090",      "--host-ram", "4G",   "--print"};
	char *out = NULL, *err = NULL;
	cr_assert_eq(truth_run_cli(&out, &err, 12, argv), 0, "%s", err);
	cr_expect(strstr(out, "verdict: does not fit (host memory): host memory needs"), "%s", out);
	free(out);
	free(err);
	argv[11] = "--json";
	cJSON *j = run_json(12, argv);
	cJSON *v = cJSON_GetObjectItem(j, "verdict");
	cr_expect_str_eq(cJSON_GetObjectItem(v, "words")->valuestring,
	                 "does not fit (host memory)");
	cr_expect(strstr(cJSON_GetObjectItem(v, "reason")->valuestring, "4.00 GiB"));
	cr_expect_eq(num(j, "host", "memory_bytes"), 4ull << 30);
	cr_expect_gt(num(j, "host", "need_bytes"), 4ull << 30);
	cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "host"), "fits")));
	/* the GPU itself fits */
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(j, "hardware"), 0), "fits")));
	cJSON_Delete(j);
	/* with room: fits */
	argv[10] = "256G";
	j = run_json(12, argv);
	cr_expect_str_eq(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(j, "verdict"), "words")->valuestring, "fits");
	cJSON_Delete(j);
}

/* The margin separates fits from tight: the same configuration is tight
 * with a margin above its headroom and fits with one below. */
Test(evaluate, the_margin_separates_fits_from_tight)
{
	char *argv[] = {"vramcalc", "-m",       "qwen3-8b", "-c",  "8192",
	                "-g",       "rtx-4090", "--margin", "10%", "--json"};
	cJSON *j = run_json(10, argv);
	cJSON *hw = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "hardware"), 0);
	double head = cJSON_GetObjectItem(hw, "headroom_bytes")->valuedouble;
	cJSON_Delete(j);
	cr_assert_gt(head, 1e9);
	char above[32], below[32];
	snprintf(above, sizeof(above), "%.0f", head + 1048576);
	snprintf(below, sizeof(below), "%.0f", head - 1048576);
	argv[8] = above;
	j = run_json(10, argv);
	cJSON *v = cJSON_GetObjectItem(j, "verdict");
	cr_expect_str_eq(cJSON_GetObjectItem(v, "words")->valuestring, "tight");
	cr_expect(strstr(cJSON_GetObjectItem(v, "reason")->valuestring, "under the"));
	cJSON_Delete(j);
	argv[8] = below;
	j = run_json(10, argv);
	cr_expect_str_eq(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(j, "verdict"), "words")->valuestring, "fits");
	cJSON_Delete(j);
}

Test(evaluate, verdict_words_are_the_four)
{
	cr_expect_str_eq(verdict_words(VERDICT_FITS), "fits");
	cr_expect_str_eq(verdict_words(VERDICT_TIGHT), "tight");
	cr_expect_str_eq(verdict_words(VERDICT_NO_FIT), "does not fit");
	cr_expect_str_eq(verdict_words(VERDICT_NO_HOST), "does not fit (host memory)");
	struct margin m = {.share = 0.1};
	cr_expect_eq(margin_bytes(&m, 1000), 100);
	m = (struct margin){.is_bytes = true, .bytes = 5};
	cr_expect_eq(margin_bytes(&m, 1000), 5);
}
