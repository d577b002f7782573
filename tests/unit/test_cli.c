/*
 * test_cli.c - option parsing, exit statuses and the JSON contract.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "format.h"
#include "truth.h"

TestSuite(cli, .init = truth_use_repo_profiles);

static bool parse(char *err, int argc, ...)
{
	char *argv[32] = {"vramcalc"};
	va_list ap;
	va_start(ap, argc);
	for (int i = 1; i <= argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	struct cli_options o;
	return cli_parse(argc + 1, argv, false, &o, err, 256);
}

Test(cli, sizes_and_defaults)
{
	char *argv[] = {"vramcalc",     "-m", "kimi-k2.6",  "-q",    "q4_k_m", "-c",
	                "256K",         "-b", "4",          "-k",    "q8_0",   "--offload",
	                "n-cpu-moe=12", "-g", "h200-sxmx8", "--json"};
	struct cli_options o;
	char err[256];
	cr_assert(cli_parse(16, argv, true, &o, err, sizeof(err)), "%s", err);
	cr_expect_str_eq(o.model, "kimi-k2.6");
	cr_expect_eq(o.settings.ftype, FT_Q4_K_M);
	cr_expect_eq(o.settings.ctx_tokens, 262144);
	cr_expect_eq(o.settings.n_seq, 4);
	cr_expect_eq(o.settings.kv_k, KV_Q8_0);
	cr_expect_eq(o.settings.kv_v, KV_Q8_0);
	cr_expect_eq(o.settings.offload, OFFLOAD_N_CPU_MOE);
	cr_expect_eq(o.settings.offload_layers, 12);
	cr_expect_eq(o.n_gpu_groups, 1);
	cr_expect_str_eq(o.gpu_group_id[0], "h200-sxm");
	cr_expect_eq(o.gpu_group_count[0], 8);
	cr_expect(o.json);
	cr_expect_not(o.tui, "--json never opens the TUI");

	char *plain[] = {"vramcalc"};
	cr_assert(cli_parse(1, plain, true, &o, err, sizeof(err)));
	cr_expect(o.tui, "a bare run on a terminal opens the TUI");
	cr_expect_str_eq(o.model, CLI_DEFAULT_MODEL);
	cr_expect_eq(o.settings.n_ubatch, 512);
	cr_expect(o.settings.flash_attn);
	cr_assert(cli_parse(1, plain, false, &o, err, sizeof(err)));
	cr_expect_not(o.tui, "not a terminal: print");

	uint64_t n;
	cr_expect(parse_count("32k", 1ull << 32, &n) && n == 32768);
	cr_expect(parse_count("262144", 1ull << 32, &n) && n == 262144);
	cr_expect(parse_count("1M", 1ull << 32, &n) && n == 1048576);
	cr_expect_not(parse_count("-5", 1ull << 32, &n));
	cr_expect_not(parse_count("12q", 1ull << 32, &n));
	cr_expect_not(parse_count("99999999999999999999999", 1ull << 32, &n));
}

Test(cli, bad_usage_names_option_and_value)
{
	static const struct {
		const char *opt, *val, *expect;
	} cases[] = {
	    {"-q", "Q4_K_X", "Q4_K_X"},
	    {"-c", "0", "--context"},
	    {"-c", "4294967297", "4294967297"},
	    {"-c", "lots", "lots"},
	    {"-b", "0", "--batch"},
	    {"-k", "q3_0", "q3_0"},
	    {"--offload", "sideways", "sideways"},
	    {"--offload", "ngl=", "ngl"},
	    {"--flash-attn", "maybe", "maybe"},
	    {"--list", "gpus", "gpus"},
	    {"--ubatch", "0", "--ubatch"},
	    {"-g", "x0", "0"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		cr_expect_not(parse(err, 2, cases[i].opt, cases[i].val), "%s %s accepted",
		              cases[i].opt, cases[i].val);
		cr_expect(strstr(err, cases[i].expect) != NULL, "%s %s: '%s'", cases[i].opt,
		          cases[i].val, err);
	}
	char err[256];
	cr_expect_not(parse(err, 1, "--frobnicate"));
	cr_expect(strstr(err, "--frobnicate") != NULL, "%s", err);
	cr_expect_not(parse(err, 1, "-c"), "missing value");
	cr_expect(strstr(err, "needs a value") != NULL, "%s", err);
}

static uint64_t num(cJSON *o, const char *a, const char *b)
{
	cJSON *x = cJSON_GetObjectItem(cJSON_GetObjectItem(o, a), b);
	cr_assert(cJSON_IsNumber(x), "%s.%s missing", a, b);
	return (uint64_t)x->valuedouble;
}

Test(cli, json_contract_for_the_seed_case)
{
	char *argv[] = {"vramcalc", "-m", "kimi-k2.6", "-q", "Q4_K_M", "-c", "262144", "--json"};
	char *out = NULL, *err = NULL;
	cr_assert_eq(truth_run_cli(&out, &err, 8, argv), 0, "%s", err);
	cJSON *j = cJSON_Parse(out);
	cr_assert_not_null(j, "not JSON: %s", out);
	cr_expect_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "model"), "id")->valuestring,
	                 "kimi-k2.6");
	cr_expect_eq(num(j, "bytes", "weights"), 620550916096ull);
	cr_expect_eq(num(j, "bytes", "kv_cache"), 18421383168ull);
	cr_expect_eq(num(j, "model", "params_total"), 1026408232448ull);
	cr_expect_eq(num(j, "settings", "context"), 262144);
	cr_expect_eq(num(j, "settings", "batch"), 1);
	uint64_t total = num(j, "bytes", "total");
	cr_expect_eq(total, num(j, "bytes", "weights") + num(j, "bytes", "kv_cache") +
	                        num(j, "bytes", "compute") + num(j, "bytes", "output") +
	                        num(j, "bytes", "overhead") + num(j, "bytes", "tied_copy") +
	                        num(j, "bytes", "more_devices"));
	cr_expect_eq(total, num(j, "placement", "gpu") + num(j, "placement", "host"));
	cr_expect_gt(num(j, "placement", "gpu"), num(j, "bytes", "weights"));
	cJSON *hw = cJSON_GetObjectItem(j, "hardware");
	cr_assert(cJSON_IsArray(hw));
	cr_expect_geq(cJSON_GetArraySize(hw), 10, "without -g: every device");
	cJSON *d;
	bool saw_h200 = false;
	cJSON_ArrayForEach (d, hw) {
		const char *id = cJSON_GetObjectItem(d, "id")->valuestring;
		if (!strcmp(id, "h200-sxm")) {
			saw_h200 = true;
			/* 141 GB each: ~640 GB of weights + cache need 5 */
			cr_expect_eq(cJSON_GetObjectItem(d, "count")->valuedouble, 5);
			cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(d, "fits")));
		}
	}
	cr_expect(saw_h200);
	cJSON_Delete(j);
	free(out);
	free(err);
}

Test(cli, gpu_fit_and_unknown_gpu)
{
	char *argv[] = {"vramcalc", "-m", "llama-3.1-8b", "-q",
	                "Q4_K_M",   "-g", "rtx-4090",     "--json"};
	char *out = NULL, *err = NULL;
	cr_assert_eq(truth_run_cli(&out, &err, 8, argv), 0, "%s", err);
	cJSON *j = cJSON_Parse(out);
	cr_assert_not_null(j);
	cJSON *hw = cJSON_GetObjectItem(j, "hardware");
	cr_assert_eq(cJSON_GetArraySize(hw), 1);
	cJSON *d = cJSON_GetArrayItem(hw, 0);
	cr_expect_str_eq(cJSON_GetObjectItem(d, "id")->valuestring, "rtx-4090");
	cr_expect_eq(cJSON_GetObjectItem(d, "count")->valuedouble, 1);
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(d, "fits")));
	cJSON_Delete(j);
	free(out);
	free(err);

	char *bad[] = {"vramcalc", "-m", "llama-3.1-8b", "-g", "rtx-9999", "--json"};
	cr_expect_eq(truth_run_cli(&out, &err, 6, bad), 2);
	cr_expect(strstr(err, "rtx-9999") != NULL, "%s", err);
	free(out);
	free(err);

	char *nomodel[] = {"vramcalc", "-m", "no-such-model", "--json"};
	cr_expect_eq(truth_run_cli(&out, &err, 4, nomodel), 2);
	cr_expect(strstr(err, "no-such-model") != NULL, "%s", err);
	free(out);
	free(err);

	/* --spec mtp: a model without MTP blocks is refused */
	char *nomtp[] = {"vramcalc", "-m", "qwen3-8b", "--spec", "mtp", "--json"};
	cr_expect_eq(truth_run_cli(&out, &err, 6, nomtp), 2);
	cr_expect(strstr(err, "no MTP blocks") != NULL, "%s", err);
	free(out);
	free(err);
	/* with vLLM, --spec mtp is vLLM's drafter: --speculative-tokens 3 */
	char *vl[] = {"vramcalc", "-m", "qwen3.6-27b", "--spec", "mtp", "-q", "FP8", "--json"};
	char *vl2[] = {"vramcalc", "-m", "qwen3.6-27b", "--speculative-tokens",
	               "3",        "-q", "FP8",         "--json"};
	char *out2, *err2;
	cr_expect_eq(truth_run_cli(&out, &err, 8, vl), 0, "%s", err);
	cr_expect_eq(truth_run_cli(&out2, &err2, 8, vl2), 0, "%s", err2);
	cr_expect_str_eq(out, out2);
	cJSON *vj = cJSON_Parse(out);
	cr_assert(vj);
	cr_expect_str_eq(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(vj, "settings"), "spec")->valuestring, "mtp:3");
	cJSON_Delete(vj);
	free(out);
	free(err);
	free(out2);
	free(err2);
	char *ok[] = {"vramcalc", "-m", "qwen3.6-27b", "--spec", "mtp:2", "--json"};
	cr_expect_eq(truth_run_cli(&out, &err, 6, ok), 0, "%s", err);
	cJSON *sj = cJSON_Parse(out);
	cr_assert(sj);
	cJSON *spec = cJSON_GetObjectItem(cJSON_GetObjectItem(sj, "bytes"), "spec");
	cr_assert(spec);
	cr_expect_eq(cJSON_GetObjectItem(spec, "draft_tokens")->valuedouble, 2);
	cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(spec, "weights_exact")),
	          "a profile: estimated");
	/* Qwen3.6-27B: its 48 DeltaNet layers' state (conv 3 x 10240 + 48 heads x
	 * 128 x 128, f32) once more per draft: 156,893,184 bytes a draft, as
	 * measured on the same shapes (tests/data/spec, qwen35-27b, n_max 1) */
	cr_expect_eq(cJSON_GetObjectItem(spec, "state_snapshots")->valuedouble,
	             2.0 * 48 * 4 * (3 * 10240 + 48 * 128 * 128), "%s", out);
	cJSON_Delete(sj);
	free(out);
	free(err);

	char *mla[] = {"vramcalc", "-m", "deepseek-v3", "-k", "q8_0,f16", "--json"};
	cr_expect_eq(truth_run_cli(&out, &err, 6, mla), 2);
	cr_expect(strstr(err, "MLA") != NULL, "%s", err);
	free(out);
	free(err);
}

Test(cli, lists_as_json)
{
	static const char *const what[] = {"models", "hardware", "quants"};
	static const char *const key[] = {"params_total", "memory_bytes", "base_bpw"};
	for (int i = 0; i < 3; i++) {
		char *argv[] = {"vramcalc", "--list", (char *)what[i], "--json"};
		char *out = NULL, *err = NULL;
		cr_assert_eq(truth_run_cli(&out, &err, 4, argv), 0, "%s", err);
		cJSON *j = cJSON_Parse(out);
		cr_assert(cJSON_IsArray(j), "%s", what[i]);
		cr_expect_geq(cJSON_GetArraySize(j), 10);
		cJSON *first = cJSON_GetArrayItem(j, 0);
		cr_expect(cJSON_IsString(cJSON_GetObjectItem(first, i == 2 ? "name" : "id")));
		cr_expect(cJSON_IsNumber(cJSON_GetObjectItem(first, key[i])), "%s.%s", what[i],
		          key[i]);
		cJSON_Delete(j);
		free(out);
		free(err);
	}
}

Test(cli, text_output_labels_units)
{
	char *argv[] = {"vramcalc", "-m", "qwen3-8b", "--print"};
	char *out = NULL, *err = NULL;
	cr_assert_eq(truth_run_cli(&out, &err, 4, argv), 0, "%s", err);
	cr_expect(strstr(out, "GiB") && strstr(out, " GB"), "%s", out);
	cr_expect(strstr(out, "weights") && strstr(out, "KV cache") && strstr(out, "total"));
	free(out);
	free(err);
}

Test(cli, solve_and_emit)
{
	char *out = NULL, *err = NULL;
	char *nothing[] = {"vramcalc", "-m",      "kimi-k2.6", "-g",
	                   "rtx-4090", "--solve", "context",   "--json"};
	cr_expect_eq(truth_run_cli(&out, &err, 8, nothing), 1, "nothing fits: exit 1");
	cr_expect(strstr(err, "nothing fits") != NULL, "%s", err);
	cJSON *j = cJSON_Parse(out);
	cr_assert_not_null(j);
	cr_expect_str_eq(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(j, "solve"), "status")->valuestring, "nothing");
	cJSON_Delete(j);
	free(out);
	free(err);

	char *ctx[] = {"vramcalc",      "-m",      "llama-3.1-8b", "-g",
	               "rtx-3060-12gb", "--solve", "context",      "--json"};
	cr_assert_eq(truth_run_cli(&out, &err, 8, ctx), 0, "%s", err);
	j = cJSON_Parse(out);
	cr_assert_not_null(j);
	cJSON *sv = cJSON_GetObjectItem(j, "solve");
	cr_expect_str_eq(cJSON_GetObjectItem(sv, "status")->valuestring, "found");
	uint64_t c = num(j, "settings", "context");
	cr_expect_eq(c % 256, 0);
	cr_expect_gt(c, 16384);
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(j, "hardware"), 0), "fits")));
	cr_expect_not_null(cJSON_GetObjectItem(j, "speed"));
	cJSON_Delete(j);
	free(out);
	free(err);

	char *emit[] = {"vramcalc", "-m", "llama-3.1-8b", "-c", "16k", "--emit", "llama-server"};
	cr_assert_eq(truth_run_cli(&out, &err, 7, emit), 0, "%s", err);
	cr_expect_str_eq(out, "llama-server -m llama-3.1-8b-Q4_K_M.gguf -c 16384 -ctk f16 -ctv f16 "
	                      "-fa on -ngl 33\n");
	free(out);
	free(err);

	char e2[256];
	cr_expect_not(parse(e2, 2, "--solve", "context"), "--solve needs -g");
	cr_expect(strstr(e2, "-g") != NULL, "%s", e2);
	cr_expect_not(parse(e2, 2, "--solve", "everything"));
	cr_expect_not(parse(e2, 2, "--emit", "ollama"));
	cr_expect_not(parse(e2, 2, "--gpu-share", "1.5"));
}

/* -g a,bxN: a mixed set, split by memory like llama.cpp's -ts */
Test(cli, mixed_devices)
{
	char *argv[] = {
	    "vramcalc", "-m", "llama-3.1-70b", "-c", "32k", "-g", "rtx-4090,rtx-3060-12gbx2",
	    "--json"};
	char *out = NULL, *err = NULL;
	cr_assert_eq(truth_run_cli(&out, &err, 8, argv), 0, "%s", err);
	cJSON *j = cJSON_Parse(out);
	cr_assert_not_null(j);
	cJSON *hw = cJSON_GetObjectItem(j, "hardware");
	cr_assert_eq(cJSON_GetArraySize(hw), 2, "one entry per device type");
	cJSON *a = cJSON_GetArrayItem(hw, 0), *b = cJSON_GetArrayItem(hw, 1);
	cr_expect_str_eq(cJSON_GetObjectItem(a, "id")->valuestring, "rtx-4090");
	cr_expect_eq(cJSON_GetObjectItem(a, "count")->valuedouble, 1);
	cr_expect_str_eq(cJSON_GetObjectItem(b, "id")->valuestring, "rtx-3060-12gb");
	cr_expect_eq(cJSON_GetObjectItem(b, "count")->valuedouble, 2);
	/* 24 + 12 + 12 GiB for ~50 GiB: does not fit */
	cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(a, "fits")));
	/* the 24 GiB card takes half of the 81 layer slots, the output on the last */
	cJSON *d0 = cJSON_GetArrayItem(cJSON_GetObjectItem(a, "devices"), 0);
	cr_expect_eq(cJSON_GetObjectItem(d0, "layers")->valuedouble, 41);
	cJSON *d2 = cJSON_GetArrayItem(cJSON_GetObjectItem(b, "devices"), 1);
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(d2, "output_layer")));
	const char *ls =
	    cJSON_GetObjectItem(cJSON_GetObjectItem(j, "launch"), "llama-server")->valuestring;
	cr_expect(strstr(ls, " -ts 24,12,12") != NULL, "%s", ls);
	/* speed over the split: the three devices one after the other */
	cJSON *sp = cJSON_GetObjectItem(j, "speed");
	cr_assert_not_null(sp, "a mixed llama.cpp split has a speed estimate");
	cJSON *as = cJSON_GetObjectItem(sp, "assumptions");
	cr_expect_eq(cJSON_GetObjectItem(as, "devices_in_sequence")->valuedouble, 3);
	cr_expect_str_eq(cJSON_GetObjectItem(as, "device")->valuestring, "rtx-4090",
	                 "the assumptions of the device with most layers");
	double tps = cJSON_GetObjectItem(sp, "decode_tokens_per_s")->valuedouble;
	cr_expect(tps > 0 && tps < 20, "slower than one RTX 4090 would be: %g", tps);
	/* each group with its own bandwidth: the parts add up to the step */
	cJSON *parts = cJSON_GetObjectItem(sp, "parts");
	cr_assert_eq(cJSON_GetArraySize(parts), 2);
	cJSON *p0 = cJSON_GetArrayItem(parts, 0), *p1 = cJSON_GetArrayItem(parts, 1);
	cr_expect_str_eq(cJSON_GetObjectItem(p1, "device")->valuestring, "rtx-3060-12gb");
	cr_expect_eq(cJSON_GetObjectItem(p1, "count")->valuedouble, 2);
	cr_expect_str_eq(cJSON_GetObjectItem(p1, "backend")->valuestring, "CUDA");
	double s0 = cJSON_GetObjectItem(p0, "decode_s_per_token")->valuedouble;
	double s1 = cJSON_GetObjectItem(p1, "decode_s_per_token")->valuedouble;
	cr_expect_float_eq(1 / tps, s0 + s1, 1e-9 / tps);
	double sh0 = cJSON_GetObjectItem(p0, "layer_share")->valuedouble;
	double sh1 = cJSON_GetObjectItem(p1, "layer_share")->valuedouble;
	cr_expect_float_eq(sh0 + sh1, 1.0, 1e-9);
	cr_expect_gt(s1 / sh1, 2 * s0 / sh0, "360 GB/s cards take over twice as long a layer");
	cJSON_Delete(j);
	free(out);
	free(err);

	char e2[256];
	cr_expect_not(parse(e2, 4, "-g", "rtx-4090,rtx-3090", "--solve", "context"));
	cr_expect(strstr(e2, "one device type") != NULL, "%s", e2);
	char *bad[] = {"vramcalc", "-g", "rtx-4090,nope", "--json"};
	cr_expect_eq(truth_run_cli(&out, &err, 4, bad), 2);
	cr_expect(strstr(err, "'nope'") != NULL, "%s", err);
	free(out);
	free(err);
}

/* --backend feeds the speed model as it feeds the buffers: Vulkan on an
 * NVIDIA card has its own per-layer overhead and no INT8 MMQ path. */
Test(cli, backend_option_changes_speed_and_buffers)
{
	char *cuda[] = {"vramcalc", "-m", "llama-3.1-8b", "-g", "rtx-3090", "--json", NULL};
	char *vk[] = {"vramcalc",  "-m",     "llama-3.1-8b", "-g", "rtx-3090",
	              "--backend", "vulkan", "--json",       NULL};
	char *out, *err;
	cr_assert_eq(truth_run_cli(&out, &err, 6, cuda), 0, "%s", err);
	cJSON *a = cJSON_Parse(out);
	free(out);
	free(err);
	cr_assert_eq(truth_run_cli(&out, &err, 8, vk), 0, "%s", err);
	cJSON *b = cJSON_Parse(out);
	free(out);
	free(err);
	cr_assert(a && b);
	cJSON *sa = cJSON_GetObjectItem(a, "speed"), *sb = cJSON_GetObjectItem(b, "speed");
	cJSON *aa = cJSON_GetObjectItem(sa, "assumptions"),
	      *ab = cJSON_GetObjectItem(sb, "assumptions");
	cr_expect_str_eq(cJSON_GetObjectItem(aa, "backend")->valuestring, "CUDA");
	cr_expect_str_eq(cJSON_GetObjectItem(ab, "backend")->valuestring, "Vulkan");
	cr_expect_str_eq(cJSON_GetObjectItem(ab, "prefill_path")->valuestring,
	                 "FP16 (dequantized)");
	const struct speed_constants *C = speed_constants();
	cr_expect_float_eq(cJSON_GetObjectItem(ab, "overhead_s_per_token")->valuedouble,
	                   32 * C->layer_overhead_s[LLAMA_BACKEND_VULKAN], 1e-12);
	cr_expect_lt(cJSON_GetObjectItem(sb, "decode_tokens_per_s")->valuedouble,
	             cJSON_GetObjectItem(sa, "decode_tokens_per_s")->valuedouble);
	/* and the buffers: Vulkan's runtime overhead per device */
	cJSON *da = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "hardware"), 0),
	                        "devices"),
	    0);
	cJSON *db = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(b, "hardware"), 0),
	                        "devices"),
	    0);
	cr_expect_eq(cJSON_GetObjectItem(da, "overhead_bytes")->valuedouble,
	             (double)backend_overhead_bytes(LLAMA_BACKEND_CUDA, false));
	cr_expect_eq(cJSON_GetObjectItem(db, "overhead_bytes")->valuedouble,
	             (double)backend_overhead_bytes(LLAMA_BACKEND_VULKAN, false));
	cJSON_Delete(a);
	cJSON_Delete(b);
}

/* vLLM states its speed figure is not calibrated. */
Test(cli, vllm_speed_is_marked_uncalibrated)
{
	char *argv[] = {"vramcalc", "-m", "llama-3.1-8b", "--engine", "vllm", "-g",
	                "h100-sxm", "-c", "8192",         "--print",  NULL};
	char *out, *err;
	cr_assert_eq(truth_run_cli(&out, &err, 10, argv), 0, "%s", err);
	cr_expect(strstr(out, "vLLM on CUDA (UNCALIBRATED") != NULL, "%s", out);
	cr_expect(strstr(out, "+-30 %") != NULL, "%s", out);
	free(out);
	free(err);
	argv[9] = "--json";
	cr_assert_eq(truth_run_cli(&out, &err, 10, argv), 0, "%s", err);
	cJSON *j = cJSON_Parse(out);
	cr_assert_not_null(j);
	cJSON *as = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "speed"), "assumptions");
	cr_expect_str_eq(cJSON_GetObjectItem(as, "engine")->valuestring, "vLLM");
	cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(as, "calibrated")));
	cJSON_Delete(j);
	free(out);
	free(err);
}

/* A GGUF of an architecture without an engine layout loads; text and JSON
 * say its caches come from the generic reading of the standard keys.  One
 * that lacks those keys is refused with one line naming them (exit 2). */
Test(cli, generic_gguf_is_labelled_and_missing_keys_refused)
{
	char *json[] = {"vramcalc", "-m", "tests/data/gguf-bad/generic-hybrid.gguf", "--json"};
	char *out = NULL, *err = NULL;
	cr_assert_eq(truth_run_cli(&out, &err, 4, json), 0, "%s", err);
	cJSON *j = cJSON_Parse(out);
	cr_assert_not_null(j, "not JSON: %s", out);
	cJSON *mo = cJSON_GetObjectItem(j, "model");
	cr_expect_str_eq(cJSON_GetObjectItem(mo, "arch")->valuestring, "hyb9");
	cr_expect_str_eq(cJSON_GetObjectItem(mo, "layout")->valuestring, "generic");
	cJSON_Delete(j);
	free(out);
	free(err);

	char *text[] = {"vramcalc", "-m", "tests/data/gguf-bad/generic-hybrid.gguf"};
	cr_assert_eq(truth_run_cli(&out, &err, 3, text), 0, "%s", err);
	cr_expect(strstr(out, "hyb9 (generic") != NULL, "%s", out);
	free(out);
	free(err);

	/* no profile keys describe a generic layout: --save-profile says so */
	char tmpl[] = "/tmp/vramcalc-generic-XXXXXX";
	cr_assert_not_null(mkdtemp(tmpl));
	setenv("XDG_CONFIG_HOME", tmpl, 1);
	char *save[] = {"vramcalc",       "-m",  "tests/data/gguf-bad/generic-hybrid.gguf",
	                "--save-profile", "hyb", "--print"};
	cr_expect_eq(truth_run_cli(&out, &err, 6, save), 2);
	cr_expect(strstr(err, "'hyb9' has no engine layout") != NULL, "%s", err);
	free(out);
	free(err);
	unsetenv("XDG_CONFIG_HOME");
	rmdir(tmpl);

	char *bad[] = {"vramcalc", "-m", "tests/data/gguf-bad/unknown-arch.gguf"};
	cr_expect_eq(truth_run_cli(&out, &err, 3, bad), 2);
	cr_expect(strstr(err, "mamba9.block_count") != NULL, "%s", err);
	char *nl = strchr(err, '\n');
	cr_expect(nl == NULL || nl[1] == '\0', "one line: %s", err);
	free(out);
	free(err);
}

Test(cli, server_without_np_takes_four_unified_slots)
{
	struct cli_options o;
	char err[256];
	char *a1[] = {"vramcalc", "--tool", "server", "--json"};
	cr_assert(cli_parse(4, a1, false, &o, err, sizeof(err)));
	cr_expect_eq(o.settings.n_seq, 4);
	cr_expect(o.settings.kv_unified);
	char *a2[] = {"vramcalc", "--tool", "server", "--parallel", "2", "--json"};
	cr_assert(cli_parse(6, a2, false, &o, err, sizeof(err)));
	cr_expect_eq(o.settings.n_seq, 2);
	cr_expect_not(o.settings.kv_unified);
	char *a3[] = {"vramcalc", "--backend", "opencl"};
	cr_expect_not(cli_parse(3, a3, false, &o, err, sizeof(err)));
	cr_expect(strstr(err, "--backend") != NULL);
	char *a5[] = {"vramcalc", "--main-gpu", "1", "-g", "rtx-4090x2", "--no-op-offload"};
	cr_assert(cli_parse(6, a5, false, &o, err, sizeof(err)));
	cr_expect_eq(o.settings.main_gpu, 1);
	cr_expect_not(o.settings.op_offload);
	/* the device index is checked against the devices -g resolves to */
	setenv("VRAMCALC_PROFILE_PATH", "profiles", 1);
	char *out, *e;
	char *a4[] = {"vramcalc", "--main-gpu", "1", "-g", "rtx-4090", "--json"};
	cr_expect_eq(truth_run_cli(&out, &e, 6, a4), 2);
	cr_expect(strstr(e, "--main-gpu 1: -g names 1 device") != NULL, "%s", e);
	free(out);
	free(e);
	char *a7[] = {"vramcalc", "-m", "qwen3-30b-a3b", "--offload", "cpu-moe", "--main-gpu",
	              "1",        "-g", "rtx-4090x2",    "--json"};
	cr_assert_eq(truth_run_cli(&out, &e, 10, a7), 0, "%s", e);
	cr_expect(strstr(out, "\"main_gpu\":\t1") != NULL, "settings.main_gpu is 1");
	char *dev1 = strstr(out, "\"index\":\t1");
	cr_expect(dev1 && strstr(dev1, "\"main_gpu\":\ttrue"), "device 1 holds the copies");
	free(out);
	free(e);
	char *a6[] = {"vramcalc", "--json"};
	cr_assert(cli_parse(2, a6, false, &o, err, sizeof(err)));
	cr_expect(o.settings.op_offload);
	cr_expect_eq(o.settings.tool, TOOL_CLI);
	cr_expect_eq(o.settings.n_seq, 1);
}

/* The JSON of a run, parsed (the test fails when it does not exit 0). */
static cJSON *mm_json(int argc, char **argv)
{
	char *out = NULL, *err = NULL;
	cr_assert_eq(truth_run_cli(&out, &err, argc, argv), 0, "%s", err);
	cJSON *j = cJSON_Parse(out);
	cr_assert_not_null(j, "not JSON: %s", out);
	free(out);
	free(err);
	return j;
}

static uint64_t mm_u64(cJSON *o, const char *a, const char *b)
{
	cJSON *x = cJSON_GetObjectItem(o, a);
	if (b)
		x = cJSON_GetObjectItem(x, b);
	cr_assert(cJSON_IsNumber(x), "%s.%s", a, b ? b : "");
	return (uint64_t)x->valuedouble;
}

/* --mmproj counts a projector GGUF (llama.cpp's mtmd loads it whole on the
 * first GPU): its 6 tensors as stored, 46,336 bytes with 32-byte padding,
 * on GPU 0 of a split only; the launch line names it.  A projector given
 * to -m, a model given to --mmproj and --mmproj with vLLM are refused in
 * one line (exit 2). */
Test(cli, mmproj_counts_the_projector_on_the_first_gpu)
{
	char *plain[] = {"vramcalc", "-m",         "tests/data/gguf-bad/tiny-llama.gguf",
	                 "-g",       "rtx-4090x2", "--json"};
	char *with[] = {
	    "vramcalc", "-m",       "tests/data/gguf-bad/tiny-llama.gguf", "-g", "rtx-4090x2",
	    "--json",   "--mmproj", "tests/data/gguf-bad/mmproj-tiny.gguf"};
	cJSON *a = mm_json(6, plain), *b = mm_json(8, with);
	cr_expect_eq(mm_u64(a, "bytes", "mmproj"), 0);
	cr_expect_eq(mm_u64(b, "bytes", "mmproj"), 46336);
	cr_expect_eq(mm_u64(b, "bytes", "total"), mm_u64(a, "bytes", "total") + 46336);
	cr_expect_eq(mm_u64(b, "bytes", "weights"), mm_u64(a, "bytes", "weights"),
	             "the projector is not in the model buffer");
	cJSON *pj = cJSON_GetObjectItem(cJSON_GetObjectItem(b, "model"), "mmproj");
	cr_assert_not_null(pj);
	cr_expect_str_eq(cJSON_GetObjectItem(pj, "projector")->valuestring, "qwen3vl_merger");
	cr_expect_eq(mm_u64(pj, "tensors", NULL), 6);
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(pj, "vision")));
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(pj, "on_gpu")));
	cJSON *ha = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "hardware"), 0),
	                                "devices");
	cJSON *hb = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(b, "hardware"), 0),
	                                "devices");
	cr_assert_eq(cJSON_GetArraySize(hb), 2);
	cr_expect_eq(mm_u64(cJSON_GetArrayItem(hb, 0), "mmproj_bytes", NULL), 46336);
	cr_expect_eq(mm_u64(cJSON_GetArrayItem(hb, 1), "mmproj_bytes", NULL), 0);
	cr_expect_eq(mm_u64(cJSON_GetArrayItem(hb, 0), "total_bytes", NULL),
	             mm_u64(cJSON_GetArrayItem(ha, 0), "total_bytes", NULL) + 46336);
	cr_expect_eq(mm_u64(cJSON_GetArrayItem(hb, 1), "total_bytes", NULL),
	             mm_u64(cJSON_GetArrayItem(ha, 1), "total_bytes", NULL));
	const char *launch =
	    cJSON_GetObjectItem(cJSON_GetObjectItem(b, "launch"), "llama-server")->valuestring;
	cr_expect(strstr(launch, "--mmproj tests/data/gguf-bad/mmproj-tiny.gguf") != NULL, "%s",
	          launch);
	cJSON_Delete(a);
	cJSON_Delete(b);

	/* the CPU backend keeps it in host memory */
	char *cpu[] = {
	    "vramcalc", "-m",       "tests/data/gguf-bad/tiny-llama.gguf", "--backend", "cpu",
	    "--json",   "--mmproj", "tests/data/gguf-bad/mmproj-tiny.gguf"};
	char *cpu0[] = {"vramcalc",  "-m",  "tests/data/gguf-bad/tiny-llama.gguf",
	                "--backend", "cpu", "--json"};
	a = mm_json(6, cpu0);
	b = mm_json(8, cpu);
	cr_expect_eq(mm_u64(b, "bytes", "total"), mm_u64(a, "bytes", "total") + 46336);
	pj = cJSON_GetObjectItem(cJSON_GetObjectItem(b, "model"), "mmproj");
	cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(pj, "on_gpu")));
	cJSON_Delete(a);
	cJSON_Delete(b);

	char *out = NULL, *err = NULL;
	char *text[] = {"vramcalc", "-m",       "tests/data/gguf-bad/tiny-llama.gguf",
	                "--print",  "--mmproj", "tests/data/gguf-bad/mmproj-tiny.gguf"};
	cr_assert_eq(truth_run_cli(&out, &err, 6, text), 0, "%s", err);
	cr_expect(strstr(out, "  mmproj                        46,336") != NULL, "%s", out);
	cr_expect(strstr(out, "projector qwen3vl_merger, 6 tensors") != NULL, "%s", out);
	free(out);
	free(err);

	struct {
		char *argv[8];
		int argc;
		const char *says;
	} bad[] = {
	    {{"vramcalc", "-m", "tests/data/gguf-bad/mmproj-tiny.gguf", "--print"},
	     4,
	     "a multimodal projector (mmproj: general.architecture 'clip'), not a language "
	     "model: name the text model with -m and this file with --mmproj"},
	    {{"vramcalc", "-m", "tests/data/gguf-bad/tiny-llama.gguf", "--print", "--mmproj",
	      "tests/data/gguf-bad/tiny-llama.gguf"},
	     6,
	     "--mmproj: general.architecture is 'llama', not 'clip'"},
	    {{"vramcalc", "-m", "qwen3-vl-8b", "--engine", "vllm", "--print", "--mmproj",
	      "tests/data/gguf-bad/mmproj-tiny.gguf"},
	     8,
	     "--mmproj: llama.cpp's projector file; vLLM loads the vision tower"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(truth_run_cli(&out, &err, bad[i].argc, bad[i].argv), 2, "%zu", i);
		cr_expect(strstr(err, bad[i].says) != NULL, "%s", err);
		char *nl = strchr(err, '\n');
		cr_expect(nl == NULL || nl[1] == '\0', "one line: %s", err);
		free(out);
		free(err);
	}
}
