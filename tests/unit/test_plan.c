/*
 * test_plan.c - solvers at their boundaries, launch commands against their
 * settings, and the speed model on worked examples.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "launch.h"
#include "plan.h"
#include "plan_text.h"
#include "profile.h"

static void shipped(const char *id, struct model *m, struct model_meta *meta)
{
	char path[128], err[PROFILE_ERR_LEN];
	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "profiles/models/%s.ini", id);
	cr_assert(profile_load_model(path, meta, &m->arch, NULL, err, sizeof(err)), "%s", err);
	cr_assert(model_prepare(m));
}

static const struct device rtx24 = {.id = "gpu24",
                                    .name = "24 GiB card",
                                    .memory_bytes = 24ull << 30,
                                    .gpu_share = 1.0,
                                    .bandwidth_gbps = 1000,
                                    .bf16_tflops = 100};

Test(solve, context_boundary_is_exact)
{
	struct model m;
	struct model_meta meta;
	struct settings s;
	struct solve_result r;
	shipped("qwen3-8b", &m, &meta);
	estimate_settings_default(&s);
	struct device card8 = rtx24;
	card8.memory_bytes = 8ull << 30;
	cr_assert(plan_solve(&m, &s, &card8, 1, SOLVE_CONTEXT, &r));
	cr_assert_eq(r.status, SOLVE_FOUND, "qwen3-8b's 40960 native context fits 8 GiB?");
	cr_expect_eq(r.settings.ctx_tokens % 256, 0);
	cr_expect_gt(r.settings.ctx_tokens, 4096);
	cr_expect(plan_fits(&m, &r.settings, &card8, 1, NULL));
	struct settings next = r.settings;
	next.ctx_tokens += 256;
	cr_expect_not(plan_fits(&m, &next, &card8, 1, NULL), "one step further must not fit");

	/* a card big enough for the native context: the answer is the cap */
	struct device big = rtx24;
	big.memory_bytes = 80ull << 30;
	cr_assert(plan_solve(&m, &s, &big, 1, SOLVE_CONTEXT, &r));
	cr_expect_eq(r.status, SOLVE_AT_MAX);
	cr_expect_eq(r.settings.ctx_tokens, m.arch.n_ctx_train);
	model_release(&m);

	/* Kimi K2.6 on one 24 GiB card: nothing */
	shipped("kimi-k2.6", &m, &meta);
	cr_assert(plan_solve(&m, &s, &rtx24, 1, SOLVE_CONTEXT, &r));
	cr_expect_eq(r.status, SOLVE_NOTHING);
	model_release(&m);
}

Test(solve, quant_is_the_largest_that_fits)
{
	struct model m;
	struct model_meta meta;
	struct settings s;
	struct solve_result r;
	shipped("llama-3.1-70b", &m, &meta);
	estimate_settings_default(&s);
	s.ctx_tokens = 32768;
	cr_assert(plan_solve(&m, &s, &rtx24, 2, SOLVE_QUANT, &r));
	cr_assert_eq(r.status, SOLVE_FOUND);
	struct estimate e;
	cr_expect(plan_fits(&m, &r.settings, &rtx24, 2, &e));
	uint64_t answer = e.weights_bytes;
	/* every llama.cpp file type with more weight bytes does not fit */
	int bigger = 0;
	for (int f = 0; f < FT_COUNT; f++) {
		if (ftype_get((enum ftype)f)->engine != FT_LLAMACPP)
			continue;
		struct settings t = s;
		t.ftype = (enum ftype)f;
		struct estimate et;
		bool fits = plan_fits(&m, &t, &rtx24, 2, &et);
		if (et.weights_bytes > answer) {
			bigger++;
			cr_expect_not(fits, "%s is bigger and fits", ftype_get(t.ftype)->name);
		}
	}
	cr_expect_gt(bigger, 5);
	model_release(&m);
}

Test(solve, gpus_batch_and_offload_boundaries)
{
	struct model m;
	struct model_meta meta;
	struct settings s;
	struct solve_result r;
	shipped("llama-3.1-70b", &m, &meta);
	estimate_settings_default(&s);
	s.ctx_tokens = 32768;

	cr_assert(plan_solve(&m, &s, &rtx24, 1, SOLVE_GPUS, &r));
	cr_assert_eq(r.status, SOLVE_FOUND);
	cr_expect(plan_fits(&m, &s, &rtx24, r.gpu_count, NULL));
	cr_expect_not(plan_fits(&m, &s, &rtx24, r.gpu_count - 1, NULL));

	/* dense: the most layers on the GPU */
	cr_assert(plan_solve(&m, &s, &rtx24, 1, SOLVE_OFFLOAD, &r));
	cr_assert_eq(r.status, SOLVE_FOUND);
	cr_expect_eq(r.settings.offload, OFFLOAD_NGL);
	cr_expect(plan_fits(&m, &r.settings, &rtx24, 1, NULL));
	struct settings more = r.settings;
	more.offload_layers++;
	cr_expect_not(plan_fits(&m, &more, &rtx24, 1, NULL));
	model_release(&m);

	/* batch: sequences of 8192 tokens each */
	shipped("llama-3.1-8b", &m, &meta);
	s.ctx_tokens = 8192;
	cr_assert(plan_solve(&m, &s, &rtx24, 1, SOLVE_BATCH, &r));
	cr_assert_eq(r.status, SOLVE_FOUND);
	cr_expect_eq(r.settings.ctx_tokens, 8192ull * r.settings.n_seq);
	cr_expect(plan_fits(&m, &r.settings, &rtx24, 1, NULL));
	struct settings one_more = r.settings;
	one_more.n_seq++;
	one_more.ctx_tokens += 8192;
	cr_expect_not(plan_fits(&m, &one_more, &rtx24, 1, NULL));
	model_release(&m);

	/* MoE: the fewest layers' experts in host memory */
	shipped("qwen3-30b-a3b", &m, &meta);
	struct device small = rtx24;
	small.memory_bytes = 12ull << 30;
	s.ctx_tokens = 32768;
	cr_assert(plan_solve(&m, &s, &small, 1, SOLVE_OFFLOAD, &r));
	cr_assert_eq(r.status, SOLVE_FOUND);
	cr_expect_eq(r.settings.offload, OFFLOAD_N_CPU_MOE);
	cr_expect_gt(r.settings.offload_layers, 0);
	cr_expect(plan_fits(&m, &r.settings, &small, 1, NULL));
	struct settings less = r.settings;
	less.offload_layers--;
	cr_expect_not(plan_fits(&m, &less, &small, 1, NULL));
	model_release(&m);
}

/* The value after flag in a command, or NULL. */
static const char *flag(const char *cmd, const char *name, char *buf, size_t n)
{
	char pat[48];
	snprintf(pat, sizeof(pat), " %s ", name);
	const char *p = strstr(cmd, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	size_t len = strcspn(p, " \n");
	snprintf(buf, n, "%.*s", (int)len, p);
	return buf;
}

Test(launch, flags_match_the_settings)
{
	struct model m;
	struct model_meta meta;
	struct settings s;
	char cmd[1024], v[64];
	shipped("qwen3-30b-a3b", &m, &meta);
	estimate_settings_default(&s);
	s.ctx_tokens = 65536;
	s.n_seq = 4;
	s.kv_k = KV_Q8_0;
	s.kv_v = KV_Q8_0;
	s.offload = OFFLOAD_N_CPU_MOE;
	s.offload_layers = 20;
	s.n_ubatch = 1024;
	struct launch_input in = {&meta, &m, &s, NULL, 2, 0, NULL};
	launch_command(LAUNCH_LLAMA_SERVER, &in, cmd, sizeof(cmd));
	cr_expect(strncmp(cmd, "llama-server -m qwen3-30b-a3b-Q4_K_M.gguf", 41) == 0, "%s", cmd);
	cr_expect_str_eq(flag(cmd, "-c", v, sizeof(v)), "65536");
	cr_expect_str_eq(flag(cmd, "-np", v, sizeof(v)), "4");
	cr_expect_str_eq(flag(cmd, "-ub", v, sizeof(v)), "1024");
	cr_expect_str_eq(flag(cmd, "-ctk", v, sizeof(v)), "q8_0");
	cr_expect_str_eq(flag(cmd, "-ctv", v, sizeof(v)), "q8_0");
	cr_expect_str_eq(flag(cmd, "-fa", v, sizeof(v)), "on");
	cr_expect_str_eq(flag(cmd, "-ngl", v, sizeof(v)), "49");
	cr_expect_str_eq(flag(cmd, "--n-cpu-moe", v, sizeof(v)), "20");
	cr_expect_str_eq(flag(cmd, "-ts", v, sizeof(v)), "1,1");

	s.offload = OFFLOAD_CPU_MOE;
	s.flash_attn = false;
	s.kv_k = s.kv_v = KV_F16;
	launch_command(LAUNCH_LLAMA_SERVER, &in, cmd, sizeof(cmd));
	cr_expect(strstr(cmd, " --cpu-moe") != NULL, "%s", cmd);
	cr_expect_str_eq(flag(cmd, "-fa", v, sizeof(v)), "off");

	s.offload = OFFLOAD_NGL;
	s.offload_layers = 30;
	in.gpu_count = 1;
	launch_command(LAUNCH_LLAMA_SERVER, &in, cmd, sizeof(cmd));
	cr_expect_str_eq(flag(cmd, "-ngl", v, sizeof(v)), "30");
	cr_expect_null(flag(cmd, "-ts", v, sizeof(v)));

	s.offload = OFFLOAD_GPU;
	s.kv_k = s.kv_v = KV_FP8;
	in.gpu_count = 4;
	in.gpu_memory_utilization = 0.85;
	launch_command(LAUNCH_VLLM, &in, cmd, sizeof(cmd));
	cr_expect(strncmp(cmd, "vllm serve Qwen/Qwen3-30B-A3B ", 30) == 0, "%s", cmd);
	cr_expect_str_eq(flag(cmd, "--max-model-len", v, sizeof(v)), "16384", "65536 over 4");
	cr_expect_str_eq(flag(cmd, "--max-num-seqs", v, sizeof(v)), "4");
	cr_expect_str_eq(flag(cmd, "--kv-cache-dtype", v, sizeof(v)), "fp8");
	cr_expect_str_eq(flag(cmd, "--tensor-parallel-size", v, sizeof(v)), "4");
	cr_expect_str_eq(flag(cmd, "--gpu-memory-utilization", v, sizeof(v)), "0.85");
	model_release(&m);
}

Test(speed, worked_example_dense)
{
	struct model m;
	struct model_meta meta;
	struct settings s;
	struct estimate e;
	struct speed sp;
	struct speed_params p;
	shipped("llama-3.1-8b", &m, &meta);
	estimate_settings_default(&s);
	s.ctx_tokens = 4096;
	estimate_run(&m, &s, &e);
	plan_speed_defaults(&p);
	p.bandwidth_efficiency = 1.0;
	p.compute_efficiency = 1.0;
	p.prompt_tokens = 2048;
	plan_speed(&m, &s, &e, &rtx24, &p, &sp);

	/* decode reads every weight but the embedding rows, and the whole cache */
	uint64_t embd = 0;
	for (size_t i = 0; i < m.tensors.n; i++)
		if (m.tensors.v[i].cat == TC_TOKEN_EMBD)
			embd = tensor_bytes(&m.tensors.v[i], m.types[i]);
	uint64_t read = e.weights_bytes - embd + e.kv_bytes;
	cr_expect_eq(sp.gpu_bytes_per_token, read);
	cr_expect_eq(sp.host_bytes_per_token, 0);
	cr_expect_float_eq(sp.decode_tps, 1000e9 / (double)read, 1e-6 * sp.decode_tps);

	/* prefill: 2 FLOPs per active parameter + attention over half the
	 * prompt on each of the 32 layers: 2 x 1024 x (4096 + 4096) */
	double flops = 2.0 * (double)m.params_active + 32 * 2.0 * 1024 * (4096 + 4096);
	cr_expect_float_eq(sp.flops_per_token, flops, 1.0);
	cr_expect_float_eq(sp.prefill_tps, 100e12 / flops, 1e-6 * sp.prefill_tps);
	cr_expect_float_eq(sp.ttft_s, 2048 / sp.prefill_tps + 1 / sp.decode_tps, 1e-9);
	model_release(&m);
}

Test(speed, offloaded_experts_are_read_from_host_memory)
{
	struct model m;
	struct model_meta meta;
	struct settings s;
	struct estimate e;
	struct speed gpu, moe;
	struct speed_params p;
	shipped("qwen3-30b-a3b", &m, &meta);
	estimate_settings_default(&s);
	plan_speed_defaults(&p);
	estimate_run(&m, &s, &e);
	plan_speed(&m, &s, &e, &rtx24, &p, &gpu);
	s.offload = OFFLOAD_CPU_MOE;
	estimate_run(&m, &s, &e);
	plan_speed(&m, &s, &e, &rtx24, &p, &moe);
	/* experts read per token: 8 of 128 of every expert tensor */
	double experts = 0;
	for (size_t i = 0; i < m.tensors.n; i++)
		if (m.tensors.v[i].routed_expert)
			experts += (double)tensor_bytes(&m.tensors.v[i], m.types[i]) * 8 / 128;
	cr_expect_float_eq((double)moe.host_bytes_per_token, experts, 2.0);
	cr_expect_eq(moe.gpu_bytes_per_token + moe.host_bytes_per_token,
	             gpu.gpu_bytes_per_token + gpu.host_bytes_per_token);
	cr_expect_lt(moe.decode_tps, gpu.decode_tps, "host memory is slower");
	cr_expect_lt(moe.prefill_tps, gpu.prefill_tps, "experts cross PCIe during prefill");
	model_release(&m);
}

/* The CLI's report and the TUI's plan view share these sentences. */
Test(plan_text, answers_and_statuses)
{
	struct model m;
	struct model_meta meta;
	struct settings s;
	struct solve_result r;
	char buf[160];
	shipped("qwen3-8b", &m, &meta);
	estimate_settings_default(&s);
	cr_assert(plan_solve(&m, &s, &rtx24, 1, SOLVE_BATCH, &r));
	cr_expect_str_eq(plan_answer_text(SOLVE_BATCH, &r, &m, buf, sizeof(buf)),
	                 "33 sequences of 4,096 tokens");
	r.settings.n_seq = 1;
	r.settings.ctx_tokens = 4096;
	cr_expect_str_eq(plan_answer_text(SOLVE_BATCH, &r, &m, buf, sizeof(buf)),
	                 "1 sequence of 4,096 tokens");
	cr_assert(plan_solve(&m, &s, &rtx24, 1, SOLVE_OFFLOAD, &r));
	cr_expect_str_eq(plan_answer_text(SOLVE_OFFLOAD, &r, &m, buf, sizeof(buf)),
	                 "-ngl 37 (37 of 37 layer slots on the GPU)");
	cr_expect_str_eq(plan_status_text(SOLVE_CONTEXT, SOLVE_FOUND),
	                 "the largest that fits; 256 tokens more do not");
	cr_expect_str_eq(plan_status_text(SOLVE_QUANT, SOLVE_AT_MAX), "the whole range fits");
	cr_expect_str_eq(plan_status_word(SOLVE_NOTHING), "nothing fits");

	struct speed sp;
	struct speed_params p;
	struct estimate e;
	char lines[3][PLAN_TEXT_LINE];
	plan_speed_defaults(&p);
	estimate_run(&m, &s, &e);
	plan_speed(&m, &s, &e, &rtx24, &p, &sp);
	plan_speed_text(&rtx24, 1, &sp, &p, lines);
	cr_expect_str_eq(lines[0], "speed on 24 GiB card (estimate: 75 % of 1000 GB/s for decode, "
	                           "45 % of 100 dense BF16 TFLOPS for prefill)");
	cr_expect(!strncmp(lines[1], "decode   ", 9), "%s", lines[1]);
	cr_expect(strstr(lines[2], "time to first token for a 4,096-token prompt"), "%s", lines[2]);
	struct device no_tflops = rtx24;
	no_tflops.bf16_tflops = 0;
	plan_speed(&m, &s, &e, &no_tflops, &p, &sp);
	plan_speed_text(&no_tflops, 1, &sp, &p, lines);
	cr_expect_str_eq(lines[2], "prefill  unknown (the hardware profile states no TFLOPS)");
	model_release(&m);
}
