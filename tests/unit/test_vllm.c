/*
 * test_vllm.c - vLLM semantics: per-request context, the scheduler
 * defaults, the per-rank budget, releases, pipeline stages, the verdict
 * and the emitted command.  Numbers are the ones vLLM 0.19 logged for the
 * same configurations (tests/data/vllm, build/vllm-check has them all).
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "estimate.h"
#include "hardware.h"
#include "truth.h"
#include "vllm.h"

#define GIB 1073741824.0

TestSuite(vllm, .init = truth_use_repo_profiles);

/* Run vramcalc with argv (NULL-terminated after the program name) and
 * return the parsed JSON (caller deletes), asserting exit status 0. */
static cJSON *run_json(char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	char *out, *err;
	int rc = truth_run_cli(&out, &err, argc, argv);
	cr_assert_eq(rc, 0, "%s", err);
	cJSON *j = cJSON_Parse(out);
	cr_assert(j, "not JSON: %s", out);
	free(out);
	free(err);
	return j;
}

static double get(const cJSON *o, const char *a, const char *b)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
	if (b)
		x = cJSON_GetObjectItemCaseSensitive(x, b);
	cr_assert(x, "no %s.%s", a, b ? b : "");
	return cJSON_IsBool(x) ? cJSON_IsTrue(x) : x->valuedouble;
}

Test(vllm, version_parse_and_format)
{
	uint32_t v;
	char buf[16];
	cr_assert(vllm_version_parse("0.19", &v));
	cr_expect_eq(v, VLLM_VERSION(0, 19, 0));
	cr_assert(vllm_version_parse("v0.10.1", &v));
	cr_expect_str_eq(vllm_version_format(v, buf, sizeof(buf)), "0.10.1");
	cr_expect_not(vllm_version_parse("0.4", &v), "older than 0.5");
	cr_expect_not(vllm_version_parse("0.19.x", &v));
	cr_expect_not(vllm_version_parse("19", &v));
	cr_expect_not(vllm_version_parse("", &v));
	cr_expect_not(vllm_version_parse("0.100", &v));
}

/* vllm serve defaults: V1 8192 tokens / 1024 sequences on an H100 (the
 * logs' "Defaulting max_num_batched_tokens to 8192"), 2048 / 256 on
 * smaller GPUs, V0 the whole max-model-len. */
Test(vllm, scheduler_defaults_by_gpu_and_release)
{
	cr_expect_eq(vllm_default_batched_tokens(VLLM_VERSION(0, 19, 0), true, 8192), 8192);
	cr_expect_eq(vllm_default_max_num_seqs(VLLM_VERSION(0, 19, 0), true), 1024);
	cr_expect_eq(vllm_default_batched_tokens(VLLM_VERSION(0, 19, 0), false, 8192), 2048);
	cr_expect_eq(vllm_default_max_num_seqs(VLLM_VERSION(0, 19, 0), false), 256);
	cr_expect_eq(vllm_default_batched_tokens(VLLM_VERSION(0, 6, 4), false, 29000), 29000);
	cr_expect_eq(vllm_default_batched_tokens(VLLM_VERSION(0, 6, 4), false, 512), 2048);
}

/* --gpu-memory-utilization defaults to 0.92 from vLLM 0.21 (PR #38284
 * raised it when CUDA graph memory moved into the budget), 0.9 before;
 * a given --gpu-util holds for every release. */
Test(vllm, gpu_util_default_follows_the_release)
{
	struct settings s;
	estimate_settings_default(&s);
	cr_expect_float_eq(vllm_gpu_util(&s), 0.92, 1e-12, "the current release");
	s.vllm_version = VLLM_VERSION(0, 21, 0);
	cr_expect_float_eq(vllm_gpu_util(&s), 0.92, 1e-12);
	s.vllm_version = VLLM_VERSION(0, 20, 1);
	cr_expect_float_eq(vllm_gpu_util(&s), 0.90, 1e-12);
	s.gpu_util = 0.8;
	s.gpu_util_given = true;
	cr_expect_float_eq(vllm_gpu_util(&s), 0.8, 1e-12);
	/* through the command line: the launch command states the default */
	char *argv[] = {"vramcalc", "-m",   "llama-3.1-8b",   "--engine", "vllm",
	                "--emit",   "vllm", "--vllm-version", "0.19",     NULL};
	char *out, *err;
	cr_assert_eq(truth_run_cli(&out, &err, 9, argv), 0, "%s", err);
	cr_expect(strstr(out, "--gpu-memory-utilization 0.90"), "%s", out);
	free(out);
	free(err);
	argv[7] = NULL;
	cr_assert_eq(truth_run_cli(&out, &err, 7, argv), 0, "%s", err);
	cr_expect(strstr(out, "--gpu-memory-utilization 0.92"), "%s", out);
	free(out);
	free(err);
}

/* -c is per request in vLLM mode: -c 8192 -b 1024 emits --max-model-len
 * 8192 (it was 8, the context split over the sequences). */
Test(vllm, context_is_per_request)
{
	char *argv[] = {"vramcalc", "-m", "llama-3.1-8b", "--engine", "vllm", "-c",
	                "8192",     "-b", "1024",         "--emit",   "vllm", NULL};
	char *out, *err;
	cr_assert_eq(truth_run_cli(&out, &err, 11, argv), 0, "%s", err);
	cr_expect(strstr(out, "--max-model-len 8192 --max-num-seqs 1024"), "%s", out);
	free(out);
	free(err);
}

/* L02: Llama-3.1-8B, 2 x H100, vLLM 0.19, util 0.95: the budget is 0.95 x
 * 79.19 GiB = 75.23 GiB; vLLM logged KV 63.76 GiB and 1,044,688 tokens,
 * 127.53x concurrency at 8,192 tokens. */
Test(vllm, l02_budget_capacity_concurrency)
{
	char *argv[] = {"vramcalc",
	                "-m",
	                "llama-3.1-8b",
	                "--max-model-len",
	                "8192",
	                "-g",
	                "h100-sxmx2",
	                "--gpu-util",
	                "0.95",
	                "--vllm-version",
	                "0.19",
	                "-k",
	                "auto",
	                "--json",
	                NULL};
	cJSON *j = run_json(argv);
	cr_expect_eq(get(j, "vllm", "tensor_parallel_size"), 2);
	cr_expect_eq(get(j, "vllm", "max_num_seqs"), 1024, "vLLM's default on an H100");
	cr_expect_eq(get(j, "vllm", "max_num_batched_tokens"), 8192);
	double kv = get(j, "vllm", "kv_budget_bytes") / GIB;
	cr_expect(fabs(kv - 63.76) < 0.3, "KV budget %.2f GiB (log 63.76)", kv);
	double tok = get(j, "vllm", "kv_capacity_tokens");
	cr_expect(fabs(tok - 1044688) / 1044688 < 0.01, "tokens %.0f (log 1,044,688)", tok);
	double conc = get(j, "vllm", "max_concurrency");
	cr_expect(fabs(conc - 127.53) < 1.5, "concurrency %.2f (log 127.53)", conc);
	cr_expect(get(j, "vllm", "fits"));
	const cJSON *d0 = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "hardware"), 0),
	                        "devices"),
	    0);
	cr_assert(d0);
	double budget = get(d0, "vllm", "budget_bytes") / GIB;
	cr_expect(fabs(budget - 75.23) < 0.01, "budget %.2f GiB (log 75.23)", budget);
	cr_expect(!get(d0, "vllm", "cuda_graphs_in_budget"), "0.19 keeps graphs outside");
	cJSON_Delete(j);
}

/* From 0.21 the CUDA graph estimate comes out of the KV budget (at the
 * same --gpu-util: 0.21 also raised the default, see above). */
Test(vllm, graphs_inside_the_budget_from_0_21)
{
	char *a19[] = {"vramcalc",       "-m",   "qwen3-8b",   "-c",  "8192",   "-g", "h100-sxm",
	               "--vllm-version", "0.20", "--gpu-util", "0.9", "--json", NULL};
	char *a21[] = {"vramcalc",       "-m",   "qwen3-8b",   "-c",  "8192",   "-g", "h100-sxm",
	               "--vllm-version", "0.21", "--gpu-util", "0.9", "--json", NULL};
	cJSON *j19 = run_json(a19), *j21 = run_json(a21);
	double k19 = get(j19, "vllm", "kv_budget_bytes");
	double k21 = get(j21, "vllm", "kv_budget_bytes");
	double graphs = 0;
	const cJSON *d0 = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j21, "hardware"), 0),
	                        "devices"),
	    0);
	graphs = get(d0, "vllm", "cuda_graph_bytes");
	cr_expect(graphs > 0.5 * GIB && graphs < 2 * GIB, "graphs %.2f GiB", graphs / GIB);
	cr_expect(fabs(k19 - k21 - graphs) < 1.0, "0.21 takes the graphs out of the budget");
	cJSON_Delete(j19);
	cJSON_Delete(j21);
}

/* U09: gpt-oss-120b on one H100 at 131,072 tokens: vLLM 0.10.1 logged a
 * negative KV budget and did not start; weights 65.97 GiB (Marlin). */
Test(vllm, gpt_oss_120b_does_not_fit_one_h100)
{
	char *argv[] = {"vramcalc",       "-m",     "gpt-oss-120b", "-q", "MXFP4", "-g", "h100-sxm",
	                "--vllm-version", "0.10.1", "--json",       NULL};
	cJSON *j = run_json(argv);
	cr_expect_eq(get(j, "vllm", "max_model_len"), 131072, "the model's maximum by default");
	cr_expect(!get(j, "vllm", "fits"));
	cr_expect_eq(get(j, "vllm", "max_num_seqs"), 1024);
	const cJSON *d0 = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "hardware"), 0),
	                        "devices"),
	    0);
	double w = get(d0, "vllm", "weights_bytes") / GIB;
	cr_expect(fabs(w - 65.97) / 65.97 < 0.02, "weights %.2f GiB (log 65.97)", w);
	cJSON_Delete(j);
}

/* A negative KV budget does not fit, however short the request. */
Test(vllm, negative_budget_does_not_fit)
{
	char *argv[] = {"vramcalc", "-m", "llama-3.1-70b", "--engine", "vllm", "-c",
	                "16",       "-g", "rtx-4090x2",    "--json",   NULL};
	cJSON *j = run_json(argv);
	cr_expect_lt(get(j, "vllm", "kv_budget_bytes"), 0);
	cr_expect(!get(j, "vllm", "fits"));
	cr_expect_eq(get(j, "vllm", "kv_capacity_tokens"), 0);
	cJSON_Delete(j);
}

/* Pipeline stages: 4 GPUs as TP 2 x PP 2 hold half the layers each; the
 * emitted command says so. */
Test(vllm, pipeline_parallel_split)
{
	char *argv[] = {"vramcalc",
	                "-m",
	                "llama-3.1-70b",
	                "-c",
	                "8192",
	                "-g",
	                "h100-sxmx4",
	                "--pipeline-parallel-size",
	                "2",
	                "--json",
	                NULL}; /* implies vllm */
	cJSON *j = run_json(argv);
	cr_expect_eq(get(j, "vllm", "tensor_parallel_size"), 2);
	cr_expect_eq(get(j, "vllm", "pipeline_parallel_size"), 2);
	const cJSON *devs = cJSON_GetObjectItem(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(j, "hardware"), 0), "devices");
	double w0 = get(cJSON_GetArrayItem(devs, 0), "vllm", "weights_bytes") / GIB;
	double w3 = get(cJSON_GetArrayItem(devs, 3), "vllm", "weights_bytes") / GIB;
	/* 70.6B bf16 params = 131 GiB over 4 GPUs, about 33 GiB each */
	cr_expect(w0 > 30 && w0 < 36, "stage 0 rank %.2f GiB", w0);
	cr_expect(w3 > 30 && w3 < 36, "stage 1 rank %.2f GiB", w3);
	cr_expect_eq(get(cJSON_GetArrayItem(devs, 3), "vllm", "pipeline_stage"), 1);
	const cJSON *launch = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "launch"), "vllm");
	cr_expect(
	    strstr(launch->valuestring, "--tensor-parallel-size 2 --pipeline-parallel-size 2"),
	    "%s", launch->valuestring);
	cJSON_Delete(j);
}

/* Vision towers count unless --text-only; -k auto is accepted. */
Test(vllm, vision_tower_and_text_only)
{
	char *with[] = {"vramcalc", "-m", "gemma-3-27b", "--engine", "vllm", "-c",
	                "8192",     "-k", "auto",        "--json",   NULL};
	char *without[] = {"vramcalc", "-m",          "gemma-3-27b", "-c",
	                   "8192",     "--text-only", "--json",      NULL};
	cJSON *a = run_json(with), *b = run_json(without);
	double d = get(a, "bytes", "weights") - get(b, "bytes", "weights");
	/* SigLIP 400M + projector in bf16 */
	cr_expect(fabs(d - 2.0 * 423061488) < 1.0, "vision tower %.0f bytes", d);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

/* vLLM options name what is wrong. */
Test(vllm, options_refuse_llama_cpp)
{
	char *a[] = {"vramcalc", "--engine", "llama.cpp", "--max-num-seqs", "4", "--json", NULL};
	char *b[] = {"vramcalc", "-q", "Q4_K_M", "--vllm-version", "0.19", "--json", NULL};
	char *c[] = {"vramcalc", "--vllm-version", "banana", "--json", NULL};
	char *out, *err;
	cr_expect_eq(truth_run_cli(&out, &err, 6, a), 2);
	cr_expect(strstr(err, "--max-num-seqs is a vLLM option"), "%s", err);
	free(out);
	free(err);
	cr_expect_eq(truth_run_cli(&out, &err, 6, b), 2);
	cr_expect(strstr(err, "Q4_K_M is a llama.cpp format"), "%s", err);
	free(out);
	free(err);
	cr_expect_eq(truth_run_cli(&out, &err, 4, c), 2);
	cr_expect(strstr(err, "'banana'"), "%s", err);
	free(out);
	free(err);
}

/* --solve batch with vLLM: the most requests of max-model-len tokens the
 * KV budget holds at once (the context stays per request). */
Test(vllm, solve_batch_is_concurrency)
{
	char *argv[] = {"vramcalc", "-m",      "llama-3.1-8b", "--max-model-len", "32768", "-g",
	                "h100-sxm", "--solve", "batch",        "--json",          NULL};
	cJSON *j = run_json(argv);
	double seqs = get(j, "vllm", "max_num_seqs");
	double conc = get(j, "vllm", "max_concurrency");
	cr_expect_eq(get(j, "vllm", "max_model_len"), 32768);
	cr_expect(seqs >= 1 && seqs <= conc && conc < seqs + 1, "%.0f requests, %.2fx", seqs, conc);
	cJSON_Delete(j);
}

/* The KV layout tests give the KV memory (--kv-cache-memory), as vLLM's
 * own option does, so they check the cache layout alone. */

/* DeepSeek V3.2 (DSA): per layer and token a 656-byte fp8_ds_mla latent
 * (vLLM turns "auto" into fp8_ds_mla) plus the indexer's 128 fp8 keys and
 * one f32 scale = 132 bytes; 61 layers in one group of 64-token blocks. */
Test(vllm, dsa_latent_and_indexer_keys)
{
	char *argv[] = {
	    "vramcalc",        "-m",    "deepseek-v3.2",     "-q",  "FP8",    "-g", "h200-sxmx8",
	    "--max-model-len", "32768", "--kv-cache-memory", "40G", "--json", NULL};
	cJSON *j = run_json(argv);
	double page = 61.0 * (656 + 132) * 64; /* bytes of one 64-token block */
	double blocks = floor(40.0 * GIB / page);
	cr_expect_eq(get(j, "vllm", "kv_budget_bytes"), 40.0 * GIB);
	cr_expect_eq(get(j, "vllm", "kv_capacity_tokens"), blocks * 64);
	cr_expect(fabs(get(j, "vllm", "max_concurrency") - blocks / 512) < 1e-9);
	/* the estimate's KV of one request: latents + indexer keys */
	cr_expect_eq(get(j, "bytes", "kv_cache"), 61.0 * (656 + 132) * 32768);
	cJSON_Delete(j);

	/* an explicit bf16 cache keeps the 576-wide latent at 2 bytes */
	char *bf16[] = {"vramcalc",
	                "-m",
	                "deepseek-v3.2",
	                "-q",
	                "FP8",
	                "-g",
	                "h200-sxmx8",
	                "--max-model-len",
	                "32768",
	                "--kv-cache-memory",
	                "40G",
	                "-k",
	                "bf16",
	                "--json",
	                NULL};
	j = run_json(bf16);
	blocks = floor(40.0 * GIB / (61.0 * (1152 + 132) * 64));
	cr_expect_eq(get(j, "vllm", "kv_capacity_tokens"), blocks * 64);
	cJSON_Delete(j);
}

/* GLM-5 (DSA too, 78 layers): "auto" stays bf16 (1152 bytes a latent),
 * fp8 is fp8_ds_mla (656); the indexer keys are 132 bytes either way. */
Test(vllm, glm5_auto_keeps_bf16_latents)
{
	char *argv[] = {"vramcalc",   "-m",
	                "glm-5",      "-q",
	                "FP8",        "-g",
	                "h200-sxmx8", "--max-model-len",
	                "32768",      "--kv-cache-memory",
	                "40G",        "--json",
	                NULL,         NULL,
	                NULL};
	cJSON *j = run_json(argv);
	double blocks = floor(40.0 * GIB / (78.0 * (1152 + 132) * 64));
	cr_expect_eq(get(j, "vllm", "kv_capacity_tokens"), blocks * 64);
	cJSON_Delete(j);
	argv[12] = "-k";
	argv[13] = "fp8";
	j = run_json(argv);
	blocks = floor(40.0 * GIB / (78.0 * (656 + 132) * 64));
	cr_expect_eq(get(j, "vllm", "kv_capacity_tokens"), blocks * 64);
	cJSON_Delete(j);
}

/* A gated DeltaNet hybrid against a real vLLM 0.24 log (tests/data/vllm
 * C01: Qwen3.6-35B-A3B on an RTX 5090, fp8 KV, 131,072 tokens, 5.98 GiB
 * for the KV cache): "GPU KV cache size: 567,978 tokens", "Maximum
 * concurrency ... 4.33x".  The attention block grows to 2,096 tokens so a
 * page holds the f32 DeltaNet state; 10 attention + 3 x 10 state layers. */
Test(vllm, hybrid_deltanet_matches_a_real_log)
{
	/* argv[8]: the release, argv[10]: prefix caching (the log's is on) */
	char *argv[] = {"vramcalc",
	                "-m",
	                "qwen3.6-35b-a3b",
	                "-q",
	                "vllm-bf16",
	                "-g",
	                "rtx-5090",
	                "--vllm-version",
	                "0.24.0",
	                "--prefix-caching",
	                "on",
	                "-k",
	                "fp8",
	                "--max-model-len",
	                "131072",
	                "--max-num-seqs",
	                "1",
	                "--max-num-batched-tokens",
	                "8192",
	                "--kv-cache-memory",
	                "6420942274",
	                "--json",
	                NULL};
	cJSON *j = run_json(argv);
	cr_expect_eq(get(j, "vllm", "kv_capacity_tokens"), 567978);
	cr_expect(fabs(get(j, "vllm", "max_concurrency") - 4.33) < 0.005);
	cr_expect_eq(get(j, "vllm", "kv_block_tokens"), 2096);
	cr_expect_eq(get(j, "vllm", "kv_num_blocks"), 299);
	cJSON_Delete(j);

	/* before 0.20.1 the log said num_blocks / groups x block: 299 blocks
	 * (567,978 = 299 / 69 x 131,072), 4 groups, 2,096 tokens a block */
	argv[8] = "0.19.0";
	j = run_json(argv);
	cr_expect_eq(get(j, "vllm", "kv_capacity_tokens"), 299 / 4 * 2096);
	cJSON_Delete(j);

	/* without prefix caching a request keeps one state page a mamba
	 * group: 63 + 3 blocks, not 63 + 6 */
	argv[8] = "0.24.0";
	argv[10] = "off";
	j = run_json(argv);
	cr_expect(fabs(get(j, "vllm", "max_concurrency") - 299.0 / 66) < 1e-9);
	cJSON_Delete(j);
	/* the default: off for hybrids before 0.27, on from 0.27 */
	argv[10] = "default";
	j = run_json(argv);
	cr_expect(fabs(get(j, "vllm", "max_concurrency") - 299.0 / 66) < 1e-9);
	cJSON_Delete(j);
	argv[8] = "0.31.0";
	j = run_json(argv);
	cr_expect(fabs(get(j, "vllm", "max_concurrency") - 299.0 / 69) < 1e-9);
	cJSON_Delete(j);
}

/* MTP speculative decoding against a real vLLM 0.20.1 log (tests/data/vllm
 * C04: Qwen3.6-27B on 2x RTX 3090, fp8_e5m2 KV, 262,144 tokens, 3 draft
 * tokens, 10.98 GiB of KV a GPU): "GPU KV cache size: 619,479 tokens".
 * The MTP layer adds a 17th attention layer (state groups of 17: the log's
 * "3 padding layers"), the DeltaNet convolution keeps 3 more rows (a state
 * page of 1,634,304 bytes: a 1,600-token block), and a request holds
 * 2 + 3 state pages a group: 423 blocks / (164 + 3 x 5). */
Test(vllm, mtp_speculative_decoding_matches_a_real_log)
{
	char *argv[] = {"vramcalc",    "-m",
	                "qwen3.6-27b", "-q",
	                "vllm-bf16",   "-g",
	                "rtx-3090x2",  "--vllm-version",
	                "0.20.1",      "--prefix-caching",
	                "on",          "-k",
	                "fp8",         "--max-model-len",
	                "262144",      "--max-num-seqs",
	                "2",           "--max-num-batched-tokens",
	                "8192",        "--kv-cache-memory",
	                "11789685227", "--speculative-tokens",
	                "3",           "--json",
	                NULL};
	cJSON *j = run_json(argv);
	cr_expect_eq(get(j, "vllm", "kv_capacity_tokens"), 619479);
	cr_expect_eq(get(j, "vllm", "kv_block_tokens"), 1600);
	cr_expect_eq(get(j, "vllm", "kv_num_blocks"), 423);
	cJSON_Delete(j);

	/* without the draft: 16 attention layers, 1,568-token blocks, 2 state
	 * pages a group (11.4 % more tokens than the engine holds) */
	argv[22] = "0";
	j = run_json(argv);
	cr_expect_eq(get(j, "vllm", "kv_block_tokens"), 1568);
	cr_expect_eq(get(j, "vllm", "kv_capacity_tokens"), 690011);
	cJSON_Delete(j);

	/* a model without MTP layers has nothing to draft with */
	char *bad[] = {"vramcalc", "-m",        "llama-3.1-8b",
	               "-q",       "vllm-bf16", "--speculative-tokens",
	               "2",        "--json",    NULL};
	char *out, *err;
	cr_expect_eq(truth_run_cli(&out, &err, 8, bad), 2);
	cr_expect(strstr(err, "no MTP layers"), "%s", err);
	free(out);
	free(err);
}

/* Sliding window layers keep window - 1 + batched tokens (+ a block) per
 * request: gpt-oss-120b (18 sliding of 128, 18 full) at 131,072 tokens
 * holds far more requests than an all-full layout would. */
Test(vllm, sliding_window_keeps_the_window)
{
	char *argv[] = {"vramcalc",
	                "-m",
	                "gpt-oss-120b",
	                "-q",
	                "MXFP4",
	                "-g",
	                "h100-sxm",
	                "--max-model-len",
	                "131072",
	                "--max-num-batched-tokens",
	                "8192",
	                "--kv-cache-memory",
	                "10G",
	                "--json",
	                NULL};
	cJSON *j = run_json(argv);
	/* 8 KV heads x (64 + 64) x 2 bytes = 2 KiB a token a layer, 16-token
	 * blocks, groups of 18 layers: a block is 18 x 32 KiB */
	double blocks = floor(10.0 * GIB / (18.0 * 16 * 2048));
	double per_request = 131072 / 16 + ((128 - 1 + 8192 + 15) / 16 + 1);
	double conc = blocks / per_request;
	cr_expect(fabs(get(j, "vllm", "max_concurrency") - conc) < 1e-9);
	cr_expect_eq(get(j, "vllm", "kv_capacity_tokens"), floor(conc * 131072));
	cJSON_Delete(j);
}

/* DeepSeek V4 Flash against a real refusal (tests/data/vllm C03, vllm issue
 * #44376): two GH200s, fp8 KV, 16,384 batched tokens, 5.44 GiB for the KV
 * cache: "To serve at least one request with the model's max seq len
 * (30000), (6.66 GiB KV cache is needed ... the estimated maximum model
 * length is 13528".  vLLM packs the latent, indexer, window and
 * compressor-state pages of 21 CSA and 20 HCA layers in shared blocks. */
Test(vllm, deepseek_v4_packed_cache_matches_a_real_refusal)
{
	char kvmem[32];
	/* the log rounds to 5.44 GiB; 13,528 tokens fit in 5.441 GiB */
	snprintf(kvmem, sizeof(kvmem), "%.0f", 5.441 * GIB);
	char *argv[] = {"vramcalc",
	                "-m",
	                "deepseek-v4-flash",
	                "-q",
	                "FP8",
	                "-g",
	                "gh200x2",
	                "-k",
	                "fp8",
	                "--max-model-len",
	                "30000",
	                "--max-num-batched-tokens",
	                "16384",
	                "--kv-cache-memory",
	                kvmem,
	                "--json",
	                NULL};
	cJSON *j = run_json(argv);
	cr_expect(!get(j, "vllm", "fits"));
	double need = get(j, "bytes", "kv_cache") / GIB;
	cr_expect(fabs(need - 6.66) < 0.005, "needs %.3f GiB (log 6.66)", need);
	cr_expect_eq(get(j, "vllm", "max_model_len_fit"), 13528);
	cJSON_Delete(j);
}

/* An MLA hybrid (Kimi-Linear: 7 MLA + 20 KDA layers) aligns its attention
 * block to FlashMLA's 64 tokens: a KDA state is 3 bf16 convolutions of
 * 3 x 4096 plus a 32 x 128 x 128 f32 state = 2,170,880 bytes, an MLA token
 * 1,152 bytes (576 bf16), so 64 x cdiv(2,170,880, 64 x 1,152) = 1,920
 * tokens on one GPU and 960 on each of two (heads split, latent whole). */
Test(vllm, mla_hybrid_block_holds_a_kda_state)
{
	char *argv[] = {
	    "vramcalc",        "-m",    "kimi-linear-48b-a3b", "-q",  "vllm-bf16", "-g", "h100-sxm",
	    "--max-model-len", "32768", "--kv-cache-memory",   "20G", "--json",    NULL};
	cJSON *j = run_json(argv);
	cr_expect_eq(get(j, "vllm", "kv_block_tokens"), 1920);
	/* 7 attention layers in a group, 20 state layers in 3 groups of 7 */
	cr_expect_eq(get(j, "vllm", "kv_num_blocks"), floor(20.0 * GIB / (1920.0 * 1152 * 7)));
	cJSON_Delete(j);
	argv[6] = "h100-sxmx2";
	j = run_json(argv);
	cr_expect_eq(get(j, "vllm", "kv_block_tokens"), 960);
	cJSON_Delete(j);
}

static void expect_kv_label(const char *model, const char *kv, const char *want)
{
	char *argv[] = {"vramcalc",        "-m",    (char *)model, "-g", "h200-sxmx8", "-q", "FP8",
	                "--max-model-len", "32768", "--json",      NULL, NULL,         NULL};
	if (kv) {
		argv[10] = "-k";
		argv[11] = (char *)kv;
	}
	cJSON *j = run_json(argv);
	const cJSON *so = cJSON_GetObjectItemCaseSensitive(j, "settings");
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(so, "kv_type");
	cr_assert(cJSON_IsString(t), "%s: no settings.kv_type", model);
	cr_expect_str_eq(t->valuestring, want, "%s -k %s", model, kv ? kv : "(auto)");
	cJSON_Delete(j);
}

/* The settings line names the format vLLM stores the cache in, the one the
 * bytes above are counted in (vllm_kv_dtype): sparse MLA's fp8_ds_mla
 * where vLLM picks it, the model's bf16 for "auto" elsewhere. */
Test(vllm, kv_label_names_the_stored_format)
{
	expect_kv_label("deepseek-v3.2", NULL, "auto (fp8_ds_mla)");
	expect_kv_label("deepseek-v3.2", "fp8", "fp8 (fp8_ds_mla)");
	expect_kv_label("glm-5", NULL, "auto (bf16)");
	expect_kv_label("glm-5", "fp8", "fp8 (fp8_ds_mla)");
	expect_kv_label("deepseek-v4-flash", NULL, "auto (fp8_ds_mla)");
	expect_kv_label("deepseek-v4-flash", "bf16", "auto (bf16)");
	expect_kv_label("qwen3-8b", NULL, "auto (bf16)");
	expect_kv_label("qwen3-8b", "fp8", "fp8");
}
