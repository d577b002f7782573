/*
 * test_detect_cli.c - `--detect`, `-g auto` and `--rank` through the
 * command line, on fixture machines (tests/data/detect): a fake
 * nvidia-smi on PATH and a fixture root for sysfs and procfs.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "truth.h"

#define FIX "tests/data/detect/"

TestSuite(detect_cli, .init = truth_use_repo_profiles, .timeout = 60);

/* This test's machine: nvidia-smi and sysctl from bin (a PATH), /sys and
 * /proc from root. */
static void machine(const char *bin, const char *root)
{
	setenv("PATH", bin, 1);
	setenv("VRAMCALC_SYSROOT", root, 1);
}

static cJSON *run_json(int argc, char **argv, int want_rc)
{
	char *out = NULL, *err = NULL;
	int rc = truth_run_cli(&out, &err, argc, argv);
	cr_assert_eq(rc, want_rc, "exit %d: %s", rc, err);
	cJSON *j = cJSON_Parse(out);
	cr_assert_not_null(j, "not JSON: %s", out);
	free(out);
	free(err);
	return j;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	cr_assert(cJSON_IsNumber(v), "no number %s", key);
	return v->valuedouble;
}

Test(detect_cli, detect_json_lists_what_the_fixture_machine_has)
{
	machine(FIX "bin-two", FIX "root-amd");
	char *argv[] = {"vramcalc", "--detect", "--json"};
	cJSON *j = run_json(3, argv, 0);
	const cJSON *gpus = cJSON_GetObjectItem(j, "gpus");
	cr_assert_eq(cJSON_GetArraySize(gpus), 4);
	const cJSON *g0 = cJSON_GetArrayItem(gpus, 0), *g3 = cJSON_GetArrayItem(gpus, 3);
	cr_expect_str_eq(str(g0, "source"), "nvidia-smi");
	cr_expect_str_eq(str(g0, "profile"), "rtx-4090");
	cr_expect_eq(num(g0, "memory_bytes"), 24564.0 * 1048576);
	cr_expect_eq(num(g0, "used_bytes"), 1530.0 * 1048576);
	cr_expect_str_eq(str(g3, "source"), "sysfs");
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(g3, "profile")), "card2 matches nothing");
	cr_expect(
	    cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(g3, "device"), "bandwidth_gbps")));
	const cJSON *host = cJSON_GetObjectItem(j, "host");
	cr_expect_eq(num(host, "memory_bytes"), 65536000.0 * 1024);
	cr_expect_eq(num(host, "available_bytes"), 50331648.0 * 1024);
	cr_expect_str_eq(str(j, "auto"), "rtx-4090,rtx-3090,rx-7900-xtx,amd-2");
	const cJSON *notes = cJSON_GetObjectItem(j, "notes");
	cr_expect_eq(cJSON_GetArraySize(notes), 1);
	cJSON_Delete(j);

	/* --free: the device memory less what is in use */
	char *argf[] = {"vramcalc", "--detect", "--free", "--json"};
	j = run_json(4, argf, 0);
	g0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "gpus"), 0);
	cr_expect_eq(num(cJSON_GetObjectItem(g0, "device"), "memory_bytes"),
	             (24564.0 - 1530) * 1048576);
	cJSON_Delete(j);
}

Test(detect_cli, detect_text_on_a_machine_without_gpus)
{
	machine(FIX "bin-fail", FIX "root-host");
	char *out = NULL, *err = NULL;
	char *argv[] = {"vramcalc", "--detect"};
	cr_assert_eq(truth_run_cli(&out, &err, 2, argv), 0, "%s", err);
	cr_expect(strstr(out, "No GPU detected"), "%s", out);
	cr_expect(strstr(out, "Host memory: 62.50 GiB, 48.00 GiB available"), "%s", out);
	cr_expect(strstr(out, "nvidia-smi: exited with status 9"), "%s", out);
	free(out);
	free(err);
}

Test(detect_cli, auto_with_nothing_detected_is_exit_2)
{
	machine(FIX "root-empty", FIX "root-empty");
	char *argvs[][6] = {
	    {"vramcalc", "-g", "auto", "--print"},
	    {"vramcalc", "-g", "auto", "--json"},
	    {"vramcalc", "--rank"},
	    {"vramcalc", "--rank", "-g", "auto", "--json"},
	};
	int argcs[] = {4, 4, 2, 5};
	for (size_t i = 0; i < 4; i++) {
		char *out = NULL, *err = NULL;
		cr_expect_eq(truth_run_cli(&out, &err, argcs[i], argvs[i]), 2, "case %zu", i);
		cr_expect(strstr(err, "no GPU detected"), "case %zu: %s", i, err);
		cr_expect(strstr(err, "-g ID[xN]"), "says what to do instead: %s", err);
		cr_expect_str_eq(out, "", "nothing on stdout");
		free(out);
		free(err);
	}
	/* a failing nvidia-smi says why */
	machine(FIX "bin-garbage", FIX "root-empty");
	char *out = NULL, *err = NULL;
	char *argv[] = {"vramcalc", "-g", "auto", "--print"};
	cr_expect_eq(truth_run_cli(&out, &err, 4, argv), 2);
	cr_expect(strstr(err, "nvidia-smi: line 1"), "%s", err);
	free(out);
	free(err);
}

Test(detect_cli, auto_is_the_same_as_naming_the_detected_devices)
{
	machine(FIX "bin-two", FIX "root-empty");
	char *a[] = {"vramcalc", "-m", "llama-3.1-70b", "-c", "32k", "-g", "auto", "--json"};
	char *b[] = {"vramcalc", "-m", "llama-3.1-70b",     "-c",
	             "32k",      "-g", "rtx-4090,rtx-3090", "--json"};
	char *oa = NULL, *ob = NULL, *ea = NULL, *eb = NULL;
	cr_assert_eq(truth_run_cli(&oa, &ea, 8, a), 0, "%s", ea);
	cr_assert_eq(truth_run_cli(&ob, &eb, 8, b), 0, "%s", eb);
	cr_expect_str_eq(oa, ob, "nvidia-smi reports the profiles' memory to the byte");
	free(oa);
	free(ob);
	free(ea);
	free(eb);
}

Test(detect_cli, rank_json_on_the_detected_set)
{
	machine(FIX "bin-two", FIX "root-empty");
	char *argv[] = {"vramcalc", "--rank", "-c", "16k", "--json"};
	cJSON *j = run_json(5, argv, 0);
	const cJSON *devs = cJSON_GetObjectItem(j, "devices");
	cr_assert_eq(cJSON_GetArraySize(devs), 2);
	cr_expect_str_eq(str(cJSON_GetArrayItem(devs, 0), "id"), "rtx-4090");
	cr_expect_eq(num(j, "context_tokens"), 16384);
	const cJSON *models = cJSON_GetObjectItem(j, "models");
	char *argl[] = {"vramcalc", "--list", "models", "--json"};
	cJSON *list = run_json(4, argl, 0);
	cr_expect_eq(cJSON_GetArraySize(models), cJSON_GetArraySize(list), "every catalog model");
	cr_expect_gt(cJSON_GetArraySize(models), 60);
	cJSON_Delete(list);
	const cJSON *first = cJSON_GetArrayItem(models, 0);
	cr_expect_str_eq(str(first, "verdict"), "fits");
	cr_expect_eq(num(first, "rank"), 1);
	cr_expect_geq(num(first, "max_context_tokens"), 16384);
	cr_expect_gt(num(first, "decode_tps"), 0);
	cr_expect_gt(num(first, "prefill_tps"), 0,
	             "every profile states its tensor rates (issue 13)");
	cJSON_Delete(j);

	/* filters and the order */
	char *argf[] = {"vramcalc", "--rank", "-g",        "rtx-4090", "--family", "qwen",
	                "--kind",   "moe",    "--fitting", "--sort",   "speed",    "--json"};
	j = run_json(12, argf, 0);
	models = cJSON_GetObjectItem(j, "models");
	cr_expect_gt(cJSON_GetArraySize(models), 0);
	double last = 1e18;
	const cJSON *m;
	cJSON_ArrayForEach (m, models) {
		cr_expect(strstr(str(m, "family"), "Qwen"), "%s", str(m, "family"));
		cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(m, "moe")));
		cr_expect_str_neq(str(m, "verdict"), "does not fit");
		if (!strcmp(str(m, "verdict"), "fits")) {
			cr_expect_leq(num(m, "decode_tps"), last, "sorted by speed");
			last = num(m, "decode_tps");
		}
	}
	cJSON_Delete(j);
}

Test(detect_cli, rank_text_and_bad_filters)
{
	char *out = NULL, *err = NULL;
	char *argv[] = {"vramcalc", "--rank", "-g", "rtx-3090x2", "--size", "7b..9b"};
	cr_assert_eq(truth_run_cli(&out, &err, 6, argv), 0, "%s", err);
	cr_expect(
	    strstr(out, "Models for 2x RTX 3090 (24.00 GiB) at 4K tokens (llama.cpp, margin 10%"),
	    "%s", out);
	cr_expect(strstr(out, "llama-3.1-8b"), "%s", out);
	cr_expect_not(strstr(out, "llama-3.1-70b"), "70B is outside 7b..9b");
	free(out);
	free(err);

	static const struct {
		const char *opt, *val, *expect;
	} bad[] = {
	    {"--sort", "price", "--sort: 'price' is not quality, size, speed or context"},
	    {"--size", "70b..7b", "--size: '70b..7b': the smallest size is above the largest"},
	    {"--size", "big", "--size: 'big' is not a size"},
	    {"--kind", "sparse", "--kind: 'sparse' is not moe or dense"},
	    {"--min-context", "0", "--min-context: '0' is not a context length"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *a[] = {"vramcalc", "--rank", (char *)bad[i].opt, (char *)bad[i].val};
		cr_expect_eq(truth_run_cli(&out, &err, 4, a), 2);
		cr_expect(strstr(err, bad[i].expect), "%s: %s", bad[i].opt, err);
		free(out);
		free(err);
	}
	/* a filter without --rank, --free with named devices */
	char *f1[] = {"vramcalc", "--family", "qwen", "--print"};
	cr_expect_eq(truth_run_cli(&out, &err, 4, f1), 2);
	cr_expect(strstr(err, "--family filters the ranking: add --rank"), "%s", err);
	free(out);
	free(err);
	char *f2[] = {"vramcalc", "--free", "-g", "rtx-4090", "--print"};
	cr_expect_eq(truth_run_cli(&out, &err, 5, f2), 2);
	cr_expect(strstr(err, "--free subtracts the memory in use of detected devices"), "%s", err);
	free(out);
	free(err);
}

Test(detect_cli, ranking_fields_round_trip)
{
	static const char *const pairs[][2] = {
	    {"family", "qwen,llama"}, {"size", "7b..70b"}, {"size", "..1.5b"},
	    {"size", "500m.."},       {"kind", "moe"},     {"kind", "dense"},
	    {"min-context", "32768"}, {"sort", "speed"},   {"gpu", "auto"},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct cli_options o, back;
		char why[256], a[128], b[128];
		const struct field *f = field_find(pairs[i][0]);
		cr_assert_not_null(f, "%s", pairs[i][0]);
		options_default(&o);
		cr_assert(field_parse(f, pairs[i][1], &o, why, sizeof(why)), "%s", why);
		cr_assert(field_format(f, &o, a, sizeof(a)), "%s", pairs[i][0]);
		cr_expect_str_eq(a, pairs[i][1]);
		options_default(&back);
		cr_assert(field_parse(f, a, &back, why, sizeof(why)), "%s", why);
		cr_assert(field_format(f, &back, b, sizeof(b)));
		cr_expect_str_eq(a, b);
	}
	struct cli_options o;
	options_default(&o);
	cr_expect_eq(o.rank_sort, RANK_SORT_QUALITY, "the default order");
	char why[256];
	cr_assert(field_parse(field_find("gpu"), "auto", &o, why, sizeof(why)));
	cr_expect(o.gpu_auto);
	cr_expect_eq(o.n_gpu_groups, 0);
	cr_assert(field_parse(field_find("gpu"), "rtx-4090", &o, why, sizeof(why)));
	cr_expect_not(o.gpu_auto, "a named device replaces auto");
}

Test(detect_cli, rank_judges_host_memory)
{
	machine(FIX "root-empty", FIX "root-host");
	char *argv[] = {"vramcalc", "--rank",   "-g",        "rtx-4090", "--offload",
	                "cpu-moe",  "--family", "kimi-k2.6", "--json"};
	cJSON *j = run_json(9, argv, 0);
	cr_expect_eq(num(j, "host_memory_bytes"), 65536000.0 * 1024, "the fixture's MemTotal");
	const cJSON *models = cJSON_GetObjectItem(j, "models");
	cr_assert_eq(cJSON_GetArraySize(models), 1);
	cr_expect_str_eq(str(cJSON_GetArrayItem(models, 0), "verdict"),
	                 "does not fit (host memory)");
	cJSON_Delete(j);
}
